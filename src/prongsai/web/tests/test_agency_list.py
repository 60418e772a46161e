from django.urls import reverse

from prongsai.web.tests import factories

URL = reverse("web:agency_list")


def test_it_lists_the_users_agencies_with_their_years(member_client, agency):
    factories.make_plan(agency, 2563)
    factories.make_plan(agency, 2564)
    response = member_client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="th">' in html
    assert "<h1>หน่วยงานของฉัน</h1>" in html
    assert "เทศบาลตำบลแร่" in html
    assert "เทศบาลตำบล</dd>" in html  # the kind
    assert "สกลนคร" in html
    assert reverse("web:agency_detail", args=["tessaban-rae"]) in html
    for year, shown in ((2563, "๒๕๖๓"), (2564, "๒๕๖๔")):
        assert f'<a href="{reverse("web:year_detail", args=["tessaban-rae", year])}">{shown}</a>' in html


def test_it_hides_other_agencies(member_client, outsider):
    response = member_client.get(URL)
    assert "เทศบาลตำบลอื่น" not in response.content.decode()
    assert "tessaban-other" not in response.content.decode()


def test_it_says_when_the_user_has_no_agency(db):
    from django.test import Client

    client = Client(HTTP_ACCEPT_LANGUAGE="th")
    client.force_login(factories.make_user("lonely"))
    response = client.get(URL)
    assert "บัญชีนี้ยังไม่ได้เป็นสมาชิกของหน่วยงานใด" in response.content.decode()


def test_it_shows_arabic_digits_for_an_arabic_digit_agency(db):
    from django.test import Client

    agency = factories.make_agency(slug="sao-arabic", name="อบต.ตัวเลขอารบิก", digits="arabic")
    factories.make_plan(agency, 2565)
    client = Client(HTTP_ACCEPT_LANGUAGE="th")
    client.force_login(factories.make_user("arabic", agency))
    html = client.get(URL).content.decode()
    assert ">2565</a>" in html
    assert "๒๕๖๕" not in html


def test_it_redirects_anonymous_visitors_to_login(anon_client):
    response = anon_client.get(URL)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={URL}"


def test_it_rejects_post(member_client):
    assert member_client.post(URL).status_code == 405


def test_it_switches_to_english(member_client, agency):
    response = member_client.post(reverse("set_language"), {"language": "en", "next": URL}, follow=True)
    html = response.content.decode()
    assert response.redirect_chain[-1][0] == URL
    assert '<html lang="en">' in html
    assert "<h1>My agencies</h1>" in html
    assert "Log out" in html
    assert "หน่วยงานของฉัน" not in html
    # Agency data stays as the agency typed it.
    assert "เทศบาลตำบลแร่" in html


def test_the_language_switch_and_logout_are_csrf_protected_forms(member_client):
    html = member_client.get(URL).content.decode()
    assert f'action="{reverse("set_language")}" method="post"' in html
    assert f'action="{reverse("logout")}" method="post"' in html
    assert html.count('name="csrfmiddlewaretoken"') == 2
