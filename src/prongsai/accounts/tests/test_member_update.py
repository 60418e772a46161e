from django.urls import reverse

from prongsai.accounts.tests.conftest import checked
from prongsai.agencies.models import Membership
from prongsai.audit.models import AuditEntry


def url(user):
    return reverse("accounts:member_update", args=["tessaban-rae", user.pk])


def roles_of(user, agency):
    return sorted(Membership.objects.filter(user=user, agency=agency).values_list("role", flat=True))


def test_it_sets_the_checked_roles_and_the_person(manager_client, manager, planner, agency):
    person = agency.people.last()
    response = manager_client.post(url(planner), {"roles": ["approver", "complaint_officer"], "person": person.pk})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:members", args=["tessaban-rae"])
    assert roles_of(planner, agency) == ["approver", "complaint_officer"]
    assert set(Membership.objects.filter(user=planner).values_list("person", flat=True)) == {person.pk}
    entry = AuditEntry.objects.get(action="agencies.membership.updated")
    assert entry.actor == manager and entry.agency == agency
    assert entry.changes["roles"] == [["planner"], ["approver", "complaint_officer"]]


def test_it_needs_at_least_one_role(manager_client, planner, agency):
    response = manager_client.post(url(planner), {"roles": []})
    assert response.status_code == 200
    assert "กรุณาเลือกบทบาท" in response.content.decode()
    assert roles_of(planner, agency) == ["planner"]


def test_the_last_admin_cannot_demote_themselves(manager_client, manager, agency):
    response = manager_client.post(url(manager), {"roles": ["planner"]})
    assert response.status_code == 200
    html = response.content.decode()
    assert "ต้องมีผู้ดูแลระบบของหน่วยงานอย่างน้อยหนึ่งคน" in html
    assert checked(html, "planner") and not checked(html, "admin")  # what was ticked stays ticked
    assert roles_of(manager, agency) == ["admin"]
    assert not AuditEntry.objects.exists()


def test_an_admin_who_steps_down_goes_to_the_agency_page(manager_client, manager, planner, agency):
    Membership.objects.create(agency=agency, user=planner, role="admin")
    response = manager_client.post(url(manager), {"roles": ["viewer"]})
    assert response.status_code == 302
    assert response["Location"] == reverse("web:agency_detail", args=["tessaban-rae"])
    assert manager_client.get(reverse("accounts:members", args=["tessaban-rae"])).status_code == 403


def test_it_gives_404_for_a_user_who_is_not_a_member(manager_client, outsider, agency):
    assert manager_client.post(url(outsider), {"roles": ["admin"]}).status_code == 404
    assert roles_of(outsider, agency) == []


def test_it_is_for_agency_admins_only(refusals, viewer, agency):
    refusals.viewer(url(viewer), "post", {"roles": ["admin"]})
    assert roles_of(viewer, agency) == ["viewer"]


def test_it_hides_the_agency_from_outsiders(refusals, planner, agency):
    refusals.outsider(url(planner), "post", {"roles": ["admin"]})
    assert roles_of(planner, agency) == ["planner"]


def test_it_sends_anonymous_visitors_to_login(refusals, planner):
    refusals.anonymous(url(planner), "post", {"roles": ["admin"]})


def test_it_rejects_get(refusals, planner):
    refusals.wrong_method(url(planner), "post")
