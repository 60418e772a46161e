from django.urls import reverse

from prongsai.measures.models import RoundResult
from prongsai.workspace.tests.personas import assert_login_redirect, audit_actions


def _url(measure, round=6) -> str:
    return reverse("workspace:round_result", args=["tessaban-rae", 2563, measure.pk, round])


FORM = {"label": "", "details": "ประชาสัมพันธ์แผนการใช้จ่ายงบประมาณ", "period": "ตุลาคม ๒๕๖๒ – กันยายน ๒๕๖๓",
        "outputs": "แผน ๑ ฉบับ", "outcomes": "ประชาชนเข้าถึงข้อมูล", "remarks": ""}


def test_it_records_a_new_round_result(planner_client, plan):
    measure = plan.measures.get(order=1)
    response = planner_client.post(_url(measure, 12), FORM)
    assert response.status_code == 302
    assert response["Location"] == _url(measure, 12)
    result = RoundResult.objects.get(measure=measure, round=12)
    assert (result.details, result.period, result.outputs) == (FORM["details"], FORM["period"], FORM["outputs"])
    assert audit_actions(result) == ["measures.roundresult.created"]
    html = planner_client.get(_url(measure, 12)).content.decode()
    assert "บันทึกผลการดำเนินงานแล้ว" in html
    assert "เสร็จแล้ว" in html and "ประวัติการเปลี่ยนแปลง" in html


def test_it_changes_an_existing_result(planner_client, plan):
    measure = plan.measures.get(order=1)
    result = measure.results.get(round=6)
    planner_client.post(_url(measure), {**FORM, "remarks": "แก้ไขแล้ว"})
    result.refresh_from_db()
    assert result.remarks == "แก้ไขแล้ว" and result.details == FORM["details"]
    assert audit_actions(result) == ["measures.roundresult.updated"]


def test_it_shows_the_form_with_evidence_and_the_rounds_due_date(planner_client, plan):
    html = planner_client.get(_url(plan.measures.get(order=1))).content.decode()
    assert "ผลการดำเนินงาน รอบ ๖ เดือน (ตุลาคม ๒๕๖๒ – มีนาคม ๒๕๖๓) · ครบกำหนด ๓๑ มีนาคม ๒๕๖๓" in html
    assert "จัดทำแผนการใช้จ่ายงบประมาณประจำปีและประชาสัมพันธ์บนเว็บไซต์</textarea>" in html
    assert 'href="https://www.rae.go.th/plan-2563.pdf"' in html
    assert "เพิ่มลิงก์" in html and "แนบไฟล์" in html


def test_it_has_no_page_for_a_round_the_measure_does_not_monitor(planner_client, plan):
    measure = plan.measures.get(order=1)  # rounds 6 and 12
    assert planner_client.get(_url(measure, 3)).status_code == 404
    assert planner_client.post(_url(measure, 9), FORM).status_code == 404
    assert not RoundResult.objects.filter(measure=measure, round=9).exists()


def test_it_names_a_field_that_is_too_long_and_keeps_the_input(planner_client, plan):
    measure = plan.measures.get(order=1)
    response = planner_client.post(_url(measure, 12), {**FORM, "period": "ก" * 301})
    assert response.status_code == 200
    html = response.content.decode()
    assert "ระยะเวลาการดำเนินงาน" in html and "errorlist" in html
    assert FORM["details"] + "</textarea>" in html
    assert not RoundResult.objects.filter(measure=measure, round=12).exists()


def test_it_shows_read_only_members_the_result_without_a_form_to_send(viewer_client, plan):
    html = viewer_client.get(_url(plan.measures.get(order=1))).content.decode()
    assert "บันทึกผลการดำเนินงาน</button>" not in html and "disabled" in html
    assert "เพิ่มลิงก์" not in html


def test_it_rejects_wrong_methods(planner_client, plan):
    assert planner_client.put(_url(plan.measures.get(order=1))).status_code == 405


def test_it_sends_anonymous_visitors_to_login(anon_client, plan):
    assert_login_redirect(anon_client.post(_url(plan.measures.get(order=1), 12), FORM))


def test_it_forbids_read_only_members(viewer_client, plan):
    measure = plan.measures.get(order=1)
    assert viewer_client.post(_url(measure, 12), FORM).status_code == 403
    assert not RoundResult.objects.filter(measure=measure, round=12).exists()


def test_it_hides_other_agencies(outsider_client, plan):
    measure = plan.measures.get(order=1)
    assert outsider_client.get(_url(measure)).status_code == 404
    assert outsider_client.post(_url(measure, 12), FORM).status_code == 404
