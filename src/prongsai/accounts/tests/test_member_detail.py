from django.urls import reverse

from prongsai.accounts import services
from prongsai.accounts.tests.conftest import checked


def url(user, slug="tessaban-rae"):
    return reverse("accounts:member_detail", args=[slug, user.pk])


def test_it_shows_the_member_with_their_roles_checked_and_history(manager_client, manager, planner, agency):
    person = agency.people.first()
    services.set_member_roles(agency=agency, actor=manager, user=planner, roles=["planner", "approver"],
                              person=person)
    response = manager_client.get(url(planner))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>นางสาวปราณี จันทไชย</h1>" in html
    assert checked(html, "planner") and checked(html, "approver")
    assert not checked(html, "admin") and not checked(html, "viewer")
    assert f'<option value="{person.pk}" selected>' in html
    assert reverse("accounts:member_remove", args=["tessaban-rae", planner.pk]) in html
    assert "agencies.membership.updated" in html  # the audit history
    assert "ยังไม่เคยเข้าสู่ระบบ" in html


def test_it_offers_a_new_invitation_only_while_no_password_is_set(manager_client, planner):
    resend = reverse("accounts:member_resend", args=["tessaban-rae", planner.pk])
    assert resend not in manager_client.get(url(planner)).content.decode()
    planner.set_unusable_password()
    planner.save()
    assert resend in manager_client.get(url(planner)).content.decode()


def test_it_gives_404_for_a_user_who_is_not_a_member(manager_client, outsider):
    assert manager_client.get(url(outsider)).status_code == 404


def test_it_is_for_agency_admins_only(refusals, planner):
    refusals.viewer(url(planner))


def test_it_hides_the_agency_from_outsiders(refusals, planner):
    refusals.outsider(url(planner))


def test_it_sends_anonymous_visitors_to_login(refusals, planner):
    refusals.anonymous(url(planner))


def test_it_rejects_post(refusals, planner):
    refusals.wrong_method(url(planner))
