from django.urls import reverse

from prongsai.accounts.tests.conftest import Role, client_for, make_member

URL = reverse("accounts:account")


def test_it_shows_my_agencies_and_roles(agency, other_agency):
    me = make_member("me", agency, Role.PLANNER, Role.APPROVER, first_name="นายหนึ่ง", last_name="สอง")
    make_member("me2", other_agency, Role.VIEWER)
    other_agency.memberships.create(user=me, role=Role.VIEWER)
    html = client_for(me).get(URL).content.decode()
    assert "<h1>บัญชีของฉัน</h1>" in html and "นายหนึ่ง สอง" in html
    assert "เทศบาลตำบลแร่</a>: ผู้จัดทำ, ผู้บังคับบัญชา" in html
    assert "เทศบาลตำบลอื่น</a>: ผู้อ่านอย่างเดียว" in html
    assert reverse("accounts:password_change") in html


def test_it_sends_anonymous_visitors_to_login(anon_client):
    response = anon_client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_it_rejects_post(viewer_client):
    assert viewer_client.post(URL).status_code == 405
