import pytest
from django.urls import reverse

from prongsai.agencies.models import Person


@pytest.fixture
def person(agency):
    return agency.people.get(name="นายปราโมทย์ แกมนิรัตน์")


def url(person):
    return reverse("accounts:person_detail", args=["tessaban-rae", person.pk])


def test_it_shows_the_person_form(manager_client, person):
    response = manager_client.get(url(person))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>นายปราโมทย์ แกมนิรัตน์</h1>" in html
    assert 'name="person-position" value="หัวหน้าสำนักงานปลัด"' in html
    assert f'<option value="{person.unit_id}" selected>สำนักปลัด</option>' in html
    assert reverse("accounts:person_delete", args=["tessaban-rae", person.pk]) in html


def test_it_gives_404_for_a_person_of_another_agency(manager_client, other_agency):
    foreign = Person.objects.create(agency=other_agency, name="นายต่าง ถิ่น", position="ปลัด")
    assert manager_client.get(url(foreign)).status_code == 404


def test_it_is_for_agency_admins_only(refusals, person):
    refusals.viewer(url(person))


def test_it_hides_the_agency_from_outsiders(refusals, person):
    refusals.outsider(url(person))


def test_it_sends_anonymous_visitors_to_login(refusals, person):
    refusals.anonymous(url(person))


def test_it_rejects_post(refusals, person):
    refusals.wrong_method(url(person))
