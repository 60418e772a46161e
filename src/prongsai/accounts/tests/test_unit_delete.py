import pytest
from django.urls import reverse

from prongsai.agencies.models import Unit
from prongsai.audit.models import AuditEntry
from prongsai.web.tests import factories


@pytest.fixture
def unit(agency):
    return agency.units.get(name="สำนักปลัด")


def url(unit):
    return reverse("accounts:unit_delete", args=["tessaban-rae", unit.pk])


def test_it_deletes_the_unit_and_keeps_its_people(manager_client, manager, agency, unit):
    response = manager_client.post(url(unit))
    assert response.status_code == 302
    assert not Unit.objects.filter(pk=unit.pk).exists()
    assert agency.people.get(name="นายปราโมทย์ แกมนิรัตน์").unit is None
    entry = AuditEntry.objects.get(action="agencies.unit.deleted")
    assert entry.actor == manager and entry.object_repr == "สำนักปลัด"


def test_it_refuses_while_measures_name_the_unit(manager_client, agency, unit):
    factories.make_measure(factories.make_plan(agency)).units.add(unit)
    response = manager_client.post(url(unit), follow=True)
    assert response.redirect_chain[-1][0] == reverse("accounts:unit_detail", args=["tessaban-rae", unit.pk])
    assert "ลบไม่ได้: ส่วนราชการนี้เป็นผู้รับผิดชอบมาตรการอยู่ ๑ รายการ" in response.content.decode()
    assert Unit.objects.filter(pk=unit.pk).exists()


def test_it_is_for_agency_admins_only(refusals, unit):
    refusals.viewer(url(unit), "post")
    assert Unit.objects.filter(pk=unit.pk).exists()


def test_it_hides_the_agency_from_outsiders(refusals, unit):
    refusals.outsider(url(unit), "post")
    assert Unit.objects.filter(pk=unit.pk).exists()


def test_it_sends_anonymous_visitors_to_login(refusals, unit):
    refusals.anonymous(url(unit), "post")


def test_it_rejects_get(refusals, unit):
    refusals.wrong_method(url(unit), "post")
