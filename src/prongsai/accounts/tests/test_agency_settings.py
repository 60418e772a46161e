from django.urls import reverse

from prongsai.accounts import services
from prongsai.accounts.tests.conftest import client_for

URL = reverse("accounts:agency_settings", args=["tessaban-rae"])


def test_it_shows_the_agency_form_units_people_and_history(manager_client, manager, agency):
    services.update_agency(agency=agency, actor=manager, values={"phone": "042-999999"})
    response = manager_client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>ตั้งค่าหน่วยงาน</h1>" in html
    assert 'name="name" value="เทศบาลตำบลแร่"' in html
    assert '<option value="tessaban_tambon" selected>เทศบาลตำบล</option>' in html
    assert 'name="urgent_below" value="75.00"' in html
    unit = agency.units.get(name="สำนักปลัด")
    assert reverse("accounts:unit_detail", args=["tessaban-rae", unit.pk]) in html
    person = agency.people.get(name="ทวี จันทเสนา")
    assert reverse("accounts:person_detail", args=["tessaban-rae", person.pk]) in html
    assert "จ.อ. ทวี จันทเสนา" in html
    # The three forms do not share element ids.
    assert 'id="id_name"' in html and 'id="id_unit-name"' in html and 'id="id_person-name"' in html
    assert "agencies.agency.updated" in html and "042-999999" in html


def test_it_is_for_agency_admins_only(refusals, planner):
    assert client_for(planner).get(URL).status_code == 403
    refusals.viewer(URL)


def test_it_hides_the_agency_from_outsiders(refusals):
    refusals.outsider(URL)


def test_it_sends_anonymous_visitors_to_login(refusals):
    refusals.anonymous(URL)


def test_it_rejects_post(refusals):
    refusals.wrong_method(URL)
