import pytest
from django.urls import reverse

from prongsai.agencies.models import Unit
from prongsai.web.tests import factories


@pytest.fixture
def unit(agency):
    return agency.units.get(name="กองคลัง")


def url(unit, slug="tessaban-rae"):
    return reverse("accounts:unit_detail", args=[slug, unit.pk])


def test_it_shows_the_unit_form_and_the_delete_button(manager_client, unit):
    response = manager_client.get(url(unit))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>ส่วนราชการ: กองคลัง</h1>" in html
    assert 'name="unit-name" value="กองคลัง"' in html and 'name="unit-order" value="2"' in html
    assert reverse("accounts:unit_delete", args=["tessaban-rae", unit.pk]) in html
    assert "ประวัติการเปลี่ยนแปลง" in html


def test_it_offers_no_delete_while_measures_name_the_unit(manager_client, agency, unit):
    factories.make_measure(factories.make_plan(agency)).units.add(unit)
    html = manager_client.get(url(unit)).content.decode()
    assert reverse("accounts:unit_delete", args=["tessaban-rae", unit.pk]) not in html
    assert "เป็นผู้รับผิดชอบมาตรการอยู่ ๑ รายการ" in html


def test_it_gives_404_for_a_unit_of_another_agency(manager_client, other_agency):
    foreign = Unit.objects.create(agency=other_agency, name="กองอื่น")
    assert manager_client.get(url(foreign)).status_code == 404


def test_it_is_for_agency_admins_only(refusals, unit):
    refusals.viewer(url(unit))


def test_it_hides_the_agency_from_outsiders(refusals, unit):
    refusals.outsider(url(unit))


def test_it_sends_anonymous_visitors_to_login(refusals, unit):
    refusals.anonymous(url(unit))


def test_it_rejects_post(refusals, unit):
    refusals.wrong_method(url(unit))
