from django.urls import reverse

from prongsai.oit.models import OITAnswer
from prongsai.workspace.tests.personas import assert_login_redirect, audit_actions

URL = reverse("oit:item_edit", args=["tessaban-rae", 2563, "O5"])
DATA = {"has": "yes", "urls": "https://www.rae.go.th/contact\nhttps://www.rae.go.th/map",
        "explanation": "เมนูติดต่อเรา"}


def test_it_saves_the_answer(planner_client, plan):
    assert planner_client.get(URL).status_code == 200
    response = planner_client.post(URL, DATA)
    assert response.status_code == 302
    assert response["Location"].endswith("/oit/#item-O5")
    answer = OITAnswer.objects.get(code="O5")
    assert answer.urls == ["https://www.rae.go.th/contact", "https://www.rae.go.th/map"]
    assert audit_actions(answer) == ["oit.answer.saved"]


def test_it_keeps_what_was_typed_on_errors(planner_client, plan):
    response = planner_client.post(URL, {**DATA, "urls": "ftp://x"})
    assert response.status_code == 400
    assert "ftp://x" in response.content.decode()
    response = planner_client.post(URL, {**DATA, "urls": ""})
    assert response.status_code == 400
    assert not OITAnswer.objects.exists()


def test_it_404s_an_unknown_item(planner_client, plan):
    assert planner_client.get(reverse("oit:item_edit", args=["tessaban-rae", 2563, "O99"])).status_code == 404


def test_it_rejects_wrong_methods(planner_client, plan):
    assert planner_client.put(URL).status_code == 405


def test_it_sends_anonymous_visitors_to_login(anon_client, plan):
    assert_login_redirect(anon_client.post(URL, DATA))


def test_it_forbids_read_only_members(viewer_client, plan):
    assert viewer_client.get(URL).status_code == 200
    assert viewer_client.post(URL, DATA).status_code == 403
    assert not OITAnswer.objects.exists()


def test_it_hides_other_agencies(outsider_client, plan):
    assert outsider_client.post(URL, DATA).status_code == 404
    assert not OITAnswer.objects.exists()
