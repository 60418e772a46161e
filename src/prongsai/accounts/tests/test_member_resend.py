from django.core import mail
from django.urls import reverse

from prongsai.audit.models import AuditEntry


def url(user):
    return reverse("accounts:member_resend", args=["tessaban-rae", user.pk])


def test_it_mails_a_new_set_password_link(manager_client, planner):
    planner.email = "pranee@rae.go.th"
    planner.set_unusable_password()
    planner.save()
    response = manager_client.post(url(planner), follow=True)
    assert response.redirect_chain[-1][0] == reverse("accounts:member_detail", args=["tessaban-rae", planner.pk])
    assert "ส่งอีเมลคำเชิญไปที่ pranee@rae.go.th อีกครั้งแล้ว" in response.content.decode()
    [message] = mail.outbox
    assert message.to == ["pranee@rae.go.th"] and "/accounts/set-password/" in message.body
    assert AuditEntry.objects.filter(action="agencies.membership.invited").count() == 1


def test_it_does_not_mail_a_member_who_has_a_password(manager_client, planner):
    response = manager_client.post(url(planner), follow=True)
    assert "สมาชิกนี้ตั้งรหัสผ่านแล้ว" in response.content.decode()
    assert mail.outbox == []


def test_it_is_for_agency_admins_only(refusals, planner):
    planner.set_unusable_password()
    planner.save()
    refusals.viewer(url(planner), "post")
    assert mail.outbox == []


def test_it_hides_the_agency_from_outsiders(refusals, planner):
    planner.set_unusable_password()
    planner.save()
    refusals.outsider(url(planner), "post")
    assert mail.outbox == []


def test_it_sends_anonymous_visitors_to_login(refusals, planner):
    refusals.anonymous(url(planner), "post")


def test_it_rejects_get(refusals, planner):
    refusals.wrong_method(url(planner), "post")
