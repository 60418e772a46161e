"""The login page with django-axes: 5 failed logins of one username from one address lock that pair
out for 15 minutes, with a Thai page (HTTP 429)."""

from datetime import timedelta

from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from prongsai.web.tests import factories

LOGIN = reverse("login")
GOOD = "correct horse battery"


def attempt(client, username="pranee", password="wrong", ip="10.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_it_locks_out_after_five_failures_with_a_thai_page(db):
    factories.make_user("pranee")
    client = Client(HTTP_ACCEPT_LANGUAGE="th")
    for _ in range(4):
        response = attempt(client)
        assert response.status_code == 200
        assert "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง" in response.content.decode()
    response = attempt(client)
    assert response.status_code == 429
    html = response.content.decode()
    assert "<h1>ระงับการเข้าสู่ระบบชั่วคราว</h1>" in html
    assert "กรอกชื่อผู้ใช้หรือรหัสผ่านผิดครบ ๕ ครั้ง" in html and "๑๕ นาที" in html
    assert response["Retry-After"] == "900"
    # Now even the right password is refused.
    response = attempt(client, password=GOOD)
    assert response.status_code == 429
    assert not logged_in(client)


def test_the_lock_is_per_username_and_address(db):
    factories.make_user("pranee")
    factories.make_user("somchai")
    for _ in range(5):
        attempt(Client())
    from_elsewhere = Client()
    assert attempt(from_elsewhere, password=GOOD, ip="10.0.0.2").status_code == 302
    assert logged_in(from_elsewhere)
    colleague = Client()
    assert attempt(colleague, username="somchai", password=GOOD).status_code == 302
    assert logged_in(colleague)


def test_it_lets_the_user_in_again_after_the_cool_off(db):
    factories.make_user("pranee")
    client = Client()
    for _ in range(5):
        attempt(client)
    assert attempt(client, password=GOOD).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert attempt(client, password=GOOD).status_code == 302
    assert logged_in(client)


def test_a_successful_login_clears_the_failures(db):
    factories.make_user("pranee")
    client = Client()
    for _ in range(4):
        attempt(client)
    assert attempt(client, password=GOOD).status_code == 302
    for _ in range(4):
        assert attempt(Client()).status_code == 200
    assert attempt(Client(), password=GOOD).status_code == 302


def test_the_limit_comes_from_settings_and_can_be_switched_off(db, settings):
    factories.make_user("pranee")
    settings.AXES_FAILURE_LIMIT = 2
    attempt(Client())
    assert attempt(Client()).status_code == 429
    settings.AXES_ENABLED = False
    client = Client()
    assert attempt(client, password=GOOD).status_code == 302
    assert logged_in(client)
