from django.urls import reverse

from prongsai.agencies.models import Membership
from prongsai.audit.models import AuditEntry


def url(user):
    return reverse("accounts:member_remove", args=["tessaban-rae", user.pk])


def test_it_removes_the_member(manager_client, manager, planner, agency):
    response = manager_client.post(url(planner))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:members", args=["tessaban-rae"])
    assert not Membership.objects.filter(user=planner, agency=agency).exists()
    entry = AuditEntry.objects.get(action="agencies.membership.deleted")
    assert entry.actor == manager and entry.object_id == str(planner.pk)
    assert "นำ นางสาวปราณี จันทไชย ออกจากหน่วยงานแล้ว" in manager_client.get(response["Location"]).content.decode()
    assert manager_client.get(reverse("accounts:member_detail", args=["tessaban-rae", planner.pk])).status_code == 404


def test_the_last_admin_stays(manager_client, manager, agency):
    response = manager_client.post(url(manager), follow=True)
    assert response.redirect_chain[-1][0] == reverse("accounts:member_detail", args=["tessaban-rae", manager.pk])
    assert "ต้องมีผู้ดูแลระบบของหน่วยงานอย่างน้อยหนึ่งคน" in response.content.decode()
    assert Membership.objects.filter(user=manager, agency=agency, role="admin").exists()


def test_it_is_for_agency_admins_only(refusals, manager, agency):
    refusals.viewer(url(manager), "post")
    assert Membership.objects.filter(user=manager, agency=agency).exists()


def test_it_hides_the_agency_from_outsiders(refusals, planner, agency):
    refusals.outsider(url(planner), "post")
    assert Membership.objects.filter(user=planner, agency=agency).exists()


def test_it_sends_anonymous_visitors_to_login(refusals, planner):
    refusals.anonymous(url(planner), "post")


def test_it_rejects_get(refusals, planner):
    refusals.wrong_method(url(planner), "post")
