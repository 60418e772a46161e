import pytest
from django.urls import reverse

from prongsai.agencies.models import Unit
from prongsai.audit.models import AuditEntry


@pytest.fixture
def unit(agency):
    return agency.units.get(name="กองคลัง")


def url(unit):
    return reverse("accounts:unit_update", args=["tessaban-rae", unit.pk])


def test_it_renames_the_unit(manager_client, manager, unit):
    response = manager_client.post(url(unit), {"unit-name": "กองคลังและพัสดุ", "unit-order": "2"})
    assert response.status_code == 302
    unit.refresh_from_db()
    assert unit.name == "กองคลังและพัสดุ"
    entry = AuditEntry.objects.get(action="agencies.unit.updated")
    assert entry.actor == manager and entry.changes == {"name": ["กองคลัง", "กองคลังและพัสดุ"]}


def test_it_may_keep_its_own_name_but_not_take_another_units(manager_client, unit):
    assert manager_client.post(url(unit), {"unit-name": "กองคลัง", "unit-order": "5"}).status_code == 302
    response = manager_client.post(url(unit), {"unit-name": "สำนักปลัด", "unit-order": "5"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "มีส่วนราชการชื่อนี้ในหน่วยงานแล้ว" in html and 'value="สำนักปลัด"' in html
    assert "<h1>ส่วนราชการ: กองคลัง</h1>" in html
    assert Unit.objects.get(pk=unit.pk).name == "กองคลัง"


def test_it_is_for_agency_admins_only(refusals, unit):
    refusals.viewer(url(unit), "post", {"unit-name": "x"})
    assert Unit.objects.get(pk=unit.pk).name == "กองคลัง"


def test_it_hides_the_agency_from_outsiders(refusals, unit):
    refusals.outsider(url(unit), "post", {"unit-name": "x"})
    assert Unit.objects.get(pk=unit.pk).name == "กองคลัง"


def test_it_sends_anonymous_visitors_to_login(refusals, unit):
    refusals.anonymous(url(unit), "post", {"unit-name": "x"})


def test_it_rejects_get(refusals, unit):
    refusals.wrong_method(url(unit), "post")
