from django.urls import reverse

from prongsai.oit import services
from prongsai.workspace.tests.personas import assert_login_redirect

URL = reverse("oit:checklist", args=["tessaban-rae", 2563])


def test_it_shows_the_items_by_sub_indicator_with_score(planner_client, plan, planner, agency):
    services.save_answer(actor=planner, agency=agency, fiscal_year=2563, code="O1", has=True,
                         urls=["https://www.rae.go.th/chart"], explanation="")
    response = planner_client.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert "๙.๑" in page and "โครงสร้าง" in page and "https://www.rae.go.th/chart" in page
    assert "ตอบแล้ว ๑/๙ ข้อ" in page
    assert "เติมข้อที่ระบบจัดทำให้" in page


def test_it_lets_viewers_read_without_edit_buttons(viewer_client, plan):
    response = viewer_client.get(URL)
    assert response.status_code == 200
    assert "เติมข้อที่ระบบจัดทำให้" not in response.content.decode()


def test_it_rejects_wrong_methods(planner_client, plan):
    assert planner_client.post(URL).status_code == 405


def test_it_sends_anonymous_visitors_to_login(anon_client, plan):
    assert_login_redirect(anon_client.get(URL))


def test_it_hides_other_agencies(outsider_client, plan):
    assert outsider_client.get(URL).status_code == 404
