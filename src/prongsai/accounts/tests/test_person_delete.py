import pytest
from django.urls import reverse

from prongsai.agencies.models import Membership, Person
from prongsai.audit.models import AuditEntry


@pytest.fixture
def person(agency):
    return agency.people.get(name="ทวี จันทเสนา")


def url(person):
    return reverse("accounts:person_delete", args=["tessaban-rae", person.pk])


def test_it_deletes_the_person_and_unlinks_members(manager_client, manager, planner, agency, person):
    Membership.objects.filter(user=planner).update(person=person)
    response = manager_client.post(url(person))
    assert response.status_code == 302
    assert not Person.objects.filter(pk=person.pk).exists()
    assert list(Membership.objects.filter(user=planner).values_list("role", "person")) == [("planner", None)]
    entry = AuditEntry.objects.get(action="agencies.person.deleted")
    assert entry.actor == manager and entry.changes["name"] == ["ทวี จันทเสนา", None]


def test_it_is_for_agency_admins_only(refusals, person):
    refusals.viewer(url(person), "post")
    assert Person.objects.filter(pk=person.pk).exists()


def test_it_hides_the_agency_from_outsiders(refusals, person):
    refusals.outsider(url(person), "post")
    assert Person.objects.filter(pk=person.pk).exists()


def test_it_sends_anonymous_visitors_to_login(refusals, person):
    refusals.anonymous(url(person), "post")


def test_it_rejects_get(refusals, person):
    refusals.wrong_method(url(person), "post")
