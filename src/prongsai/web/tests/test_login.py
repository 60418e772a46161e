from django.contrib.auth.models import User
from django.urls import reverse

from prongsai.web.tests import factories

LOGIN = reverse("login")
LOGOUT = reverse("logout")


def test_it_shows_the_thai_login_form(anon_client):
    response = anon_client.get(LOGIN)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="th">' in html
    assert "<h1>เข้าสู่ระบบ</h1>" in html
    assert '<label for="id_username">ชื่อผู้ใช้</label>' in html
    assert '<label for="id_password">รหัสผ่าน</label>' in html
    assert 'id="id_username"' in html and 'autocomplete="current-password"' in html
    assert 'name="csrfmiddlewaretoken"' in html


def test_it_signs_in_and_goes_to_the_next_page(anon_client, member):
    next_url = reverse("web:agency_detail", args=["tessaban-rae"])
    response = anon_client.post(LOGIN, {"username": "pranee", "password": "correct horse battery", "next": next_url})
    assert response.status_code == 302
    assert response["Location"] == next_url
    assert anon_client.get(next_url).status_code == 200


def test_it_says_in_thai_when_the_password_is_wrong(anon_client, member):
    response = anon_client.post(LOGIN, {"username": "pranee", "password": "wrong"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง" in html
    assert 'value="pranee"' in html
    assert "_auth_user_id" not in anon_client.session


def test_logout_is_a_post_that_ends_the_session(member_client):
    assert member_client.get(LOGOUT).status_code == 405
    response = member_client.post(LOGOUT)
    assert response.status_code == 302
    assert member_client.get(reverse("web:agency_list")).status_code == 302


def test_it_is_in_english_after_the_switch(anon_client):
    anon_client.post(reverse("set_language"), {"language": "en", "next": LOGIN})
    html = anon_client.get(LOGIN).content.decode()
    assert "<h1>Log in</h1>" in html
    assert '<label for="id_username">Username</label>' in html
    assert "รหัสผ่าน" not in html


def test_a_signed_in_user_can_sign_in_again_as_someone_else(member_client, db):
    factories.make_user("other")
    response = member_client.post(LOGIN, {"username": "other", "password": "correct horse battery"})
    assert response.status_code == 302
    assert member_client.session["_auth_user_id"] == str(User.objects.get(username="other").pk)
