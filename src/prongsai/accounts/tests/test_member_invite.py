"""Inviting by e-mail (issue 10 item 6): an invitation the address's holder accepts; nobody joins before,
the inviting agency sees only what it typed, and its answer is the same for every address."""

import re

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client
from django.urls import reverse

from prongsai.accounts.models import Invitation
from prongsai.accounts.tests.conftest import PASSWORD, Role, make_member
from prongsai.agencies.models import Membership
from prongsai.audit.models import AuditEntry
from prongsai.audit.services import verify
from prongsai.web.tests.factories import client_for

URL = reverse("accounts:member_invite", args=["tessaban-rae"])
MEMBERS = reverse("accounts:members", args=["tessaban-rae"])
NEW_PASSWORD = "ฟ้าใส-rae-2563"


def invite(client, email, name="นางกานดา มีสุข", roles=("planner",), **extra):
    return client.post(URL, {"email": email, "name": name, "roles": list(roles), **extra}, follow=True)


def link_in(message) -> str:
    return re.search(r"http://testserver(/accounts/invitations/[\w-]+/)", message.body).group(1)


@pytest.fixture
def somchai(other_agency):
    """A member of another agency, with the name and Person that agency recorded."""
    user = make_member("somchai", other_agency, Role.PLANNER, first_name="นายสมชาย", last_name="ใจงาม")
    user.email = "somchai@other.go.th"
    user.save()
    person = other_agency.people.create(name="นายสมชาย ใจงาม", position="ปลัดเทศบาลตำบลอื่น")
    Membership.objects.filter(user=user).update(person=person)
    return user


def test_an_existing_account_is_not_added_and_the_inviter_sees_nothing_of_the_other_agency(
        manager_client, agency, other_agency, somchai):
    page = invite(manager_client, "SOMCHAI@other.go.th", name="คุณสมชาย (ชื่อที่เราพิมพ์)", roles=["admin"])
    html = page.content.decode()
    assert page.status_code == 200
    assert not Membership.objects.filter(agency=agency, user=somchai).exists()  # not a member without consent
    assert Invitation.objects.get(agency=agency).status == "pending"
    # Neither the answer nor the members page shows what agency B recorded about the account.
    for recorded in ("นายสมชาย", "ใจงาม", "ปลัดเทศบาลตำบลอื่น", ">somchai<", other_agency.name):
        assert recorded not in html
    assert "คุณสมชาย (ชื่อที่เราพิมพ์)" in html and "somchai@other.go.th" in html
    # The account's own agency, its roles and its name are untouched.
    somchai.refresh_from_db()
    assert somchai.get_full_name() == "นายสมชาย ใจงาม"
    assert list(Membership.objects.filter(user=somchai).values_list("agency__slug", "role")) == [
        ("tessaban-other", "planner")]


def _answer(client, email) -> tuple[int, str, list]:
    page = invite(client, email)
    html = page.content.decode()
    html = html.replace(email, "ADDRESS")
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    html = re.sub(r"/members/invitations/\d+/", "/members/invitations/N/", html)
    html = re.sub(r'nonce="[^"]+"', "", html)  # a fresh CSP nonce per response
    html = re.sub(r"[๐-๙]{1,2}:[๐-๙]{2}", "HH:MM", html)  # the invitation's time
    return page.status_code, html, [m.subject for m in mail.outbox[-1:]]


@pytest.mark.parametrize("account", ["other_agency_member", "inactive", "two_accounts"])
def test_the_answer_is_the_same_for_known_and_unknown_addresses(manager_client, other_agency, account):
    known = "known@example.go.th"
    if account == "other_agency_member":
        make_member("known", other_agency, Role.VIEWER).__class__.objects.filter(username="known").update(email=known)
    elif account == "inactive":
        User.objects.create_user("dormant", email=known, password=PASSWORD, is_active=False)
    else:
        User.objects.create_user("one", email=known, password=PASSWORD)
        User.objects.create_user("two", email=known.upper(), password=PASSWORD)
    known_answer = _answer(manager_client, known)
    Invitation.objects.all().delete()  # the second page lists pending invitations too: start alike
    unknown_answer = _answer(manager_client, "nobody@example.go.th")
    assert known_answer == unknown_answer
    assert known_answer[0] == 200
    assert "ส่งคำเชิญไปที่ ADDRESS แล้ว ผู้ได้รับเชิญจะเป็นสมาชิกเมื่อตอบรับคำเชิญ" in known_answer[1]
    # And the e-mail itself is the same text, link aside.
    first, second = mail.outbox
    assert re.sub(r"/invitations/\S+/", "", first.body) == re.sub(r"/invitations/\S+/", "", second.body)


def test_the_invitee_accepts_signed_in_and_becomes_a_member(manager_client, agency, somchai):
    person = agency.people.first()
    invite(manager_client, "somchai@other.go.th", roles=["approver"], person=person.pk)
    link = link_in(mail.outbox[0])
    client = client_for(somchai)
    page = client.get(link)
    html = page.content.decode()
    assert page.status_code == 200 and "เทศบาลตำบลแร่" in html and "ผู้บังคับบัญชา" in html
    assert "no-store" in page["Cache-Control"]
    response = client.post(link, {"answer": "accept"})
    assert response.status_code == 302
    assert response["Location"] == reverse("web:agency_detail", args=["tessaban-rae"])
    assert list(Membership.objects.filter(agency=agency, user=somchai).values_list("role", "person")) == [
        ("approver", person.pk)]
    assert Invitation.objects.get().status == "accepted"
    actions = list(AuditEntry.objects.filter(agency=agency).values_list("action", "actor"))
    assert ("accounts.invitation.accepted", somchai.pk) in actions
    assert ("agencies.membership.created", somchai.pk) in actions
    assert verify() == []
    # The link works once.
    assert client.post(link, {"answer": "accept"}).status_code == 404


def test_the_invitee_may_decline(manager_client, agency, somchai):
    invite(manager_client, "somchai@other.go.th")
    link = link_in(mail.outbox[0])
    response = client_for(somchai).post(link, {"answer": "decline"})
    assert response.status_code == 302
    assert Invitation.objects.get().status == "declined"
    assert not Membership.objects.filter(agency=agency, user=somchai).exists()


def test_only_the_holder_of_the_address_can_answer(manager_client, agency, somchai, outsider):
    invite(manager_client, "somchai@other.go.th")
    link = link_in(mail.outbox[0])
    for client in (client_for(outsider), manager_client):  # another account with the link, or the inviter
        assert client.get(link).status_code == 403
        assert client.post(link, {"answer": "accept"}).status_code == 403
    assert not Membership.objects.filter(agency=agency, user__in=[somchai, outsider]).exists()
    # Signed out, an address with an account is sent to the login page; nothing is said about the account.
    html = Client().get(link).content.decode()
    assert reverse("login") + "?next=" in html and "นายสมชาย" not in html
    assert Invitation.objects.get().status == "pending"


def test_a_new_address_sets_a_password_and_joins(manager_client, agency):
    invite(manager_client, "kanda@rae.go.th", roles=["planner", "approver"])
    assert not User.objects.filter(username="kanda@rae.go.th").exists()
    link = link_in(mail.outbox[0])
    client = Client(HTTP_ACCEPT_LANGUAGE="th")
    html = client.get(link).content.decode()
    assert "<strong>kanda@rae.go.th</strong>" in html and 'name="new_password1"' in html
    html = client.post(link, {"new_password1": "ab1", "new_password2": "ab1"}).content.decode()
    assert "รหัสผ่านใหม่สั้นเกินไป" in html
    assert not User.objects.filter(username="kanda@rae.go.th").exists()
    response = client.post(link, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302
    user = User.objects.get(username="kanda@rae.go.th")
    assert user.check_password(NEW_PASSWORD) and user.get_full_name() == "นางกานดา มีสุข"
    assert sorted(Membership.objects.filter(user=user, agency=agency).values_list("role", flat=True)) == [
        "approver", "planner"]
    assert client.get(reverse("web:agency_detail", args=["tessaban-rae"])).status_code == 200  # signed in
    assert verify() == []


def test_a_bad_or_expired_link_says_so(manager_client, agency):
    invite(manager_client, "kanda@rae.go.th")
    link = link_in(mail.outbox[0])
    assert Client().get(link[:-3] + "xx/").status_code == 404
    Invitation.objects.update(expires_at="2000-01-01T00:00:00Z")
    response = Client().get(link)
    assert response.status_code == 404 and "คำเชิญนี้ใช้ไม่ได้แล้ว" in response.content.decode()


def test_the_admin_sees_and_cancels_pending_invitations(manager_client, agency):
    invite(manager_client, "kanda@rae.go.th")
    invitation = Invitation.objects.get()
    html = manager_client.get(MEMBERS).content.decode()
    assert "คำเชิญที่รอการตอบรับ" in html and "kanda@rae.go.th" in html
    cancel = reverse("accounts:invitation_cancel", args=["tessaban-rae", invitation.pk])
    assert manager_client.post(cancel).status_code == 302
    invitation.refresh_from_db()
    assert invitation.status == "cancelled"
    assert Client().get(link_in(mail.outbox[0])).status_code == 404


def test_cancelling_is_for_this_agencys_admins_only(refusals, manager_client, agency):
    invite(manager_client, "kanda@rae.go.th")
    cancel = reverse("accounts:invitation_cancel", args=["tessaban-rae", Invitation.objects.get().pk])
    refusals.viewer(cancel, "post")
    refusals.outsider(cancel, "post")
    refusals.anonymous(cancel, "post")
    refusals.wrong_method(cancel, "post")
    assert Invitation.objects.get().status == "pending"


def test_it_keeps_what_was_typed_and_names_the_fields_in_thai(manager_client, agency):
    response = manager_client.post(URL, {"email": "not-an-address", "name": "นาย<b>ทดสอบ</b>", "roles": []})
    assert response.status_code == 200
    html = response.content.decode()
    assert "อีเมลไม่ใช่ที่อยู่อีเมลที่ถูกต้อง" in html
    assert "กรุณาเลือกบทบาท" in html
    assert 'value="not-an-address"' in html
    assert 'value="นาย&lt;b&gt;ทดสอบ&lt;/b&gt;"' in html  # kept, and escaped
    assert 'aria-invalid="true"' in html
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_it_says_so_when_the_address_is_already_a_member(manager_client, planner):
    planner.email = "pranee@rae.go.th"
    planner.save()
    response = manager_client.post(URL, {"email": "pranee@rae.go.th", "name": "x", "roles": ["viewer"]})
    assert response.status_code == 200
    assert "ผู้ใช้ที่มีอีเมลนี้เป็นสมาชิกของหน่วยงานอยู่แล้ว" in response.content.decode()
    assert mail.outbox == []


def test_it_refuses_a_person_of_another_agency(manager_client, other_agency):
    foreign = other_agency.people.create(name="นายต่าง ถิ่น", position="ปลัด")
    response = manager_client.post(URL, {"email": "a@rae.go.th", "name": "นายเอ บี", "roles": ["viewer"],
                                         "person": foreign.pk})
    assert response.status_code == 200
    assert "บุคลากรของหน่วยงาน: ตัวเลือกที่เลือกไม่มีในรายการ" in response.content.decode()
    assert not Invitation.objects.exists()


def test_it_needs_the_csrf_token(manager):
    client = Client(enforce_csrf_checks=True)
    client.force_login(manager)
    response = client.post(URL, {"email": "a@rae.go.th", "name": "นายเอ บี", "roles": ["viewer"]})
    assert response.status_code == 403
    assert not Invitation.objects.exists()


DATA = {"email": "a@rae.go.th", "name": "นายเอ บี", "roles": ["admin"]}


def test_it_is_for_agency_admins_only(refusals):
    refusals.viewer(URL, "post", DATA)
    assert not Invitation.objects.exists()


def test_it_hides_the_agency_from_outsiders(refusals):
    refusals.outsider(URL, "post", DATA)
    assert not Invitation.objects.exists()


def test_it_sends_anonymous_visitors_to_login(refusals):
    refusals.anonymous(URL, "post", DATA)


def test_it_rejects_get(refusals):
    refusals.wrong_method(URL, "post")
