from django.test import Client
from django.urls import reverse

from prongsai.web.tests import factories

URL = reverse("web:agency_detail", args=["tessaban-rae"])


def test_it_shows_the_agency_its_people_years_and_results(member_client, agency):
    factories.make_result(agency, 2562)  # total computed by the 2562 rules: 83.54, grade B
    factories.make_result(agency, 2564, scores={}, total="98.04", iit="28.04", eit="30.00", oit="40.00", grade="AA")
    factories.make_plan(agency, 2563)
    response = member_client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>เทศบาลตำบลแร่</h1>" in html
    assert "อำเภอพังโคน จังหวัดสกลนคร" in html
    assert "สน ๘๐๗๐๑" in html
    assert "๐๔๒-๑๒๓๔๕๖" in html  # the phone number in the agency's Thai digits
    # Units with their people; people without a unit listed apart.
    assert "<h3>สำนักปลัด</h3>" in html
    assert "นายปราโมทย์ แกมนิรัตน์ · หัวหน้าสำนักงานปลัด" in html
    assert "<h3>กองคลัง</h3>" in html
    assert "จ.อ. ทวี จันทเสนา · ปลัดเทศบาลตำบลแร่" in html
    # Years link to the year page.
    assert reverse("web:year_detail", args=["tessaban-rae", 2563]) in html
    assert "ปีงบประมาณ ๒๕๖๓" in html
    # Results over the years: a computed total and a published one.
    assert '<th scope="row">๒๕๖๒</th>' in html
    assert "๘๓.๕๔" in html and "<td>B</td>" in html
    assert '<th scope="row">๒๕๖๔</th>' in html
    assert "๙๘.๐๔" in html and "<td>AA</td>" in html


def test_it_shows_arabic_digits_for_an_arabic_digit_agency(db):
    agency = factories.make_agency(slug="sao-arabic", name="อบต.อารบิก", digits="arabic")
    factories.make_result(agency, 2562)
    client = Client(HTTP_ACCEPT_LANGUAGE="th")
    client.force_login(factories.make_user("arabic", agency))
    html = client.get(reverse("web:agency_detail", args=["sao-arabic"])).content.decode()
    assert '<th scope="row">2562</th>' in html
    assert "83.54" in html
    assert "042-123456" in html
    assert "๘๓" not in html and "๒๕๖๒" not in html


def test_it_hides_the_agency_from_an_outsider(outsider_client, agency):
    assert outsider_client.get(URL).status_code == 404


def test_it_gives_404_for_an_unknown_agency(member_client):
    assert member_client.get(reverse("web:agency_detail", args=["no-such-agency"])).status_code == 404


def test_it_redirects_anonymous_visitors_to_login(anon_client, agency):
    response = anon_client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login") + "?next=")


def test_it_rejects_post(member_client):
    assert member_client.post(URL).status_code == 405


def test_it_speaks_english_after_the_switch(member_client, agency):
    member_client.post(reverse("set_language"), {"language": "en", "next": URL})
    html = member_client.get(URL).content.decode()
    assert "Agency details" in html
    assert "ITA results" in html
    assert "Tambon municipality" in html
    assert "ข้อมูลหน่วยงาน" not in html
