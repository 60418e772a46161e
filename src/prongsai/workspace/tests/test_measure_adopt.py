from django.urls import reverse

from prongsai.measures.models import Measure
from prongsai.workspace.tests.personas import assert_login_redirect, audit_actions

URL = reverse("workspace:measure_adopt", args=["tessaban-rae", 2563])


def test_it_copies_a_suggestion_into_a_new_measure_to_edit(planner_client, plan):
    response = planner_client.post(URL, {"key": "use-of-state-property"})
    measure = Measure.objects.get(plan=plan, order=3)
    assert response.status_code == 302
    assert response["Location"] == reverse("workspace:measure_edit", args=["tessaban-rae", 2563, measure.pk])
    assert measure.title == "การใช้ทรัพย์สินของทางราชการ" and measure.indicator == 4
    assert measure.rounds == [6, 12]
    assert measure.guideline.startswith("- จัดทำคู่มือการปฏิบัติงาน")
    assert audit_actions(measure) == ["measures.measure.adopted"]


def test_it_lists_the_suggestions_for_indicators_below_the_pass_mark_first(planner_client, plan):
    html = planner_client.get(URL).content.decode()
    # 2562 gaps, ranked by points lost: 9 (open data, public disclosure), 4, 2, 7; then the rest.
    positions = [html.index(f'value="{key}"') for key in
                 ("open-data", "public-disclosure", "use-of-state-property", "use-of-budget",
                  "solving-corruption-problems")]
    assert positions == sorted(positions)
    assert html.count("ต่ำกว่าเกณฑ์ในปีก่อน") == 4
    assert "มีในตารางแล้ว" in html  # การใช้งบประมาณ is already a measure


def test_it_refuses_an_unknown_suggestion(planner_client, plan):
    response = planner_client.post(URL, {"key": "no-such-measure"})
    assert response.status_code == 200
    assert plan.measures.count() == 2


def test_it_rejects_wrong_methods(planner_client, plan):
    assert planner_client.put(URL).status_code == 405


def test_it_sends_anonymous_visitors_to_login(anon_client, plan):
    assert_login_redirect(anon_client.post(URL, {"key": "open-data"}))


def test_it_forbids_read_only_members(viewer_client, plan):
    assert viewer_client.post(URL, {"key": "open-data"}).status_code == 403
    assert plan.measures.count() == 2


def test_it_hides_other_agencies(outsider_client, plan):
    assert outsider_client.post(URL, {"key": "open-data"}).status_code == 404
    assert plan.measures.count() == 2
