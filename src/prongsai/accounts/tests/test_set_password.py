"""The set-password link of a member without a password (the resend e-mail) (Django's password-reset confirmation view).
It is meant for people who are not logged in, so there is no anonymous/viewer/outsider case: the
token in the link is the only key."""

import re

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client
from django.urls import reverse

from prongsai.accounts.tests.conftest import Role, make_member
from prongsai.audit.models import AuditEntry

EMAIL = "kanda@rae.go.th"
NEW_PASSWORD = "ฟ้าใส-rae-2563"


@pytest.fixture
def link(manager_client, agency):
    """A member whose account has no password yet (made by an operator): the resend button mails the link."""
    user = make_member(EMAIL, agency, Role.PLANNER, first_name="นางกานดา", last_name="มีสุข")
    user.email = EMAIL
    user.set_unusable_password()
    user.save()
    response = manager_client.post(reverse("accounts:member_resend", args=["tessaban-rae", user.pk]))
    assert response.status_code == 302
    [message] = mail.outbox
    return re.search(r"http://testserver(/accounts/set-password/\S+/)", message.body).group(1)


def open_form(client: Client, link: str):
    response = client.get(link)
    assert response.status_code == 302  # Django moves the token out of the URL into the session
    form_url = response["Location"]
    return form_url, client.get(form_url)


def test_the_invitee_sets_a_password_and_logs_in(link, agency):
    client = Client(HTTP_ACCEPT_LANGUAGE="th")
    form_url, response = open_form(client, link)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>ตั้งรหัสผ่าน</h1>" in html and f"<strong>{EMAIL}</strong>" in html
    assert '<label for="id_new_password1">รหัสผ่านใหม่</label>' in html
    response = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:set_password_done")
    assert "ตั้งรหัสผ่านแล้ว" in client.get(response["Location"]).content.decode()
    user = User.objects.get(username=EMAIL)
    assert user.check_password(NEW_PASSWORD)
    assert AuditEntry.objects.filter(action="accounts.password.set", object_id=str(user.pk)).count() == 1
    response = client.post(reverse("login"), {"username": EMAIL, "password": NEW_PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("web:agency_detail", args=["tessaban-rae"])).status_code == 200
    # The link worked once.
    response = Client().get(link)
    assert response.status_code == 200
    assert "ลิงก์นี้ใช้ไม่ได้แล้ว" in response.content.decode()


def test_it_explains_a_bad_password_in_thai(link):
    client = Client(HTTP_ACCEPT_LANGUAGE="th")
    form_url, _ = open_form(client, link)
    html = client.post(form_url, {"new_password1": "ab1", "new_password2": "ab1"}).content.decode()
    assert "รหัสผ่านใหม่สั้นเกินไป ต้องมีอย่างน้อย ๘ ตัวอักษร" in html
    html = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": "other"}).content.decode()
    assert "ยืนยันรหัสผ่านใหม่: รหัสผ่านทั้งสองช่องไม่ตรงกัน" in html
    html = client.post(form_url, {"new_password1": "password123", "new_password2": "password123"}).content.decode()
    assert "เดาได้ง่าย" in html
    assert not User.objects.get(username=EMAIL).has_usable_password()


def test_a_changed_token_does_not_work(link):
    tampered = re.sub(r"/([\w]+)-([\w]+)/$", r"/\1-x\2/", link)
    assert tampered != link
    response = Client().get(tampered)
    assert response.status_code == 200
    assert "ลิงก์นี้ใช้ไม่ได้แล้ว" in response.content.decode()


def test_it_rejects_other_methods(link):
    client = Client()
    form_url, _ = open_form(client, link)
    assert client.delete(form_url).status_code == 405
