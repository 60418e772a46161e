from django.urls import reverse

from prongsai.measures.models import Evidence, RoundResult
from prongsai.workspace.tests.personas import assert_login_redirect, audit_actions


def _url(measure, round=6) -> str:
    return reverse("workspace:evidence_add_link", args=["tessaban-rae", 2563, measure.pk, round])


LINK = {"title": "ประกาศเจตจำนงสุจริต", "url": "https://www.rae.go.th/integrity.pdf"}


def test_it_adds_a_link_after_the_existing_evidence(planner_client, plan):
    measure = plan.measures.get(order=1)
    response = planner_client.post(_url(measure), LINK)
    assert response.status_code == 302
    assert response["Location"].endswith("/rounds/6/#evidence")
    evidence = Evidence.objects.get(url=LINK["url"])
    assert (evidence.title, evidence.order, evidence.result.round) == (LINK["title"], 2, 6)
    assert audit_actions(evidence) == ["measures.evidence.added"]


def test_it_starts_the_rounds_result_when_evidence_comes_first(planner_client, plan):
    measure = plan.measures.get(order=2)  # round 12, nothing recorded yet
    planner_client.post(_url(measure, 12), LINK)
    result = RoundResult.objects.get(measure=measure, round=12)
    assert result.details == "" and result.evidence.count() == 1


def test_it_accepts_only_web_links_and_keeps_the_input(planner_client, plan):
    measure = plan.measures.get(order=1)
    response = planner_client.post(_url(measure), {"title": "ไฟล์ในเครื่อง", "url": "javascript:alert(1)"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "ลิงก์: ต้องเป็นที่อยู่เว็บ" in html
    assert 'value="ไฟล์ในเครื่อง"' in html
    assert not Evidence.objects.filter(title="ไฟล์ในเครื่อง").exists()


def test_it_rejects_wrong_methods(planner_client, plan):
    assert planner_client.get(_url(plan.measures.get(order=1))).status_code == 405


def test_it_sends_anonymous_visitors_to_login(anon_client, plan):
    assert_login_redirect(anon_client.post(_url(plan.measures.get(order=1)), LINK))


def test_it_forbids_read_only_members(viewer_client, plan):
    assert viewer_client.post(_url(plan.measures.get(order=1)), LINK).status_code == 403
    assert not Evidence.objects.filter(url=LINK["url"]).exists()


def test_it_hides_other_agencies(outsider_client, plan):
    assert outsider_client.post(_url(plan.measures.get(order=1)), LINK).status_code == 404
    assert not Evidence.objects.filter(url=LINK["url"]).exists()
