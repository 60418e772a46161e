import pytest
from django.urls import reverse

from prongsai.agencies.models import Person
from prongsai.audit.models import AuditEntry


@pytest.fixture
def person(agency):
    return agency.people.get(name="ทวี จันทเสนา")


def url(person):
    return reverse("accounts:person_update", args=["tessaban-rae", person.pk])


def test_it_saves_the_person_and_audits_the_change(manager_client, manager, agency, person):
    office = agency.units.get(name="สำนักปลัด")
    response = manager_client.post(url(person), {
        "person-name": "ทวี จันทเสนา", "person-rank": "จ.อ.", "person-position": "ปลัดเทศบาล",
        "person-unit": office.pk, "person-email": "", "person-order": "0",
    })
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.position == "ปลัดเทศบาล" and person.unit == office
    entry = AuditEntry.objects.get(action="agencies.person.updated")
    assert entry.actor == manager
    assert entry.changes == {"position": ["ปลัดเทศบาลตำบลแร่", "ปลัดเทศบาล"], "unit_id": [None, office.pk]}


def test_it_shows_errors_with_what_was_typed(manager_client, person):
    response = manager_client.post(url(person), {"person-name": "", "person-position": "ใหม่"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "กรุณากรอกชื่อ-สกุล (พร้อมคำนำหน้า)" in html and 'value="ใหม่"' in html
    assert Person.objects.get(pk=person.pk).position == "ปลัดเทศบาลตำบลแร่"


DATA = {"person-name": "ทวี จันทเสนา", "person-position": "ถูกแก้"}


def test_it_is_for_agency_admins_only(refusals, person):
    refusals.viewer(url(person), "post", DATA)
    assert Person.objects.get(pk=person.pk).position == "ปลัดเทศบาลตำบลแร่"


def test_it_hides_the_agency_from_outsiders(refusals, person):
    refusals.outsider(url(person), "post", DATA)
    assert Person.objects.get(pk=person.pk).position == "ปลัดเทศบาลตำบลแร่"


def test_it_sends_anonymous_visitors_to_login(refusals, person):
    refusals.anonymous(url(person), "post", DATA)


def test_it_rejects_get(refusals, person):
    refusals.wrong_method(url(person), "post")
