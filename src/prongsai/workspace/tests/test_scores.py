from decimal import Decimal

from django.urls import reverse

from prongsai.assessments.models import ITAResult
from prongsai.web.tests import factories
from prongsai.workspace.tests.personas import assert_login_redirect, audit_actions

URL = reverse("workspace:scores", args=["tessaban-rae", 2563])
YEAR_PAGE = reverse("web:year_detail", args=["tessaban-rae", 2563])


def _form(**overrides) -> dict:
    data = {f"indicator_{no}": score for no, score in factories.SCORES_2562.items()}
    data.update({"iit": "", "eit": "", "oit": "", "total": "", "grade": "", "note": ""})
    data.update(overrides)
    return data


def test_it_saves_the_scores_and_shows_grade_and_gaps(planner_client, agency):
    factories.make_plan(agency, 2563)
    response = planner_client.post(URL, _form(indicator_9="๖๐.๒๕", note="ประกาศ ป.ป.ช."))
    assert response.status_code == 302
    assert response["Location"] == YEAR_PAGE + "#prior"
    result = ITAResult.objects.get(agency=agency, year=2562)
    assert {s.indicator: s.score for s in result.scores.all()}[9] == Decimal("60.25")
    assert result.scores.count() == 10
    assert result.total is None and result.grade == ""  # nothing was given: nothing computed is stored
    assert result.note == "ประกาศ ป.ป.ช."
    assert audit_actions(result) == ["assessments.itaresult.created"]
    page = planner_client.get(response["Location"]).content.decode()
    assert "บันทึกผลการประเมิน ITA ปี ๒๕๖๒ แล้ว" in page
    assert "<dd>๘๓.๕๔</dd>" in page and "<dd>B</dd>" in page  # grade by the 2562 rules
    assert "ประเด็นข้อบกพร่องหรือจุดอ่อนที่จะต้องแก้ไขโดยเร่งด่วน" in page


def test_it_keeps_given_figures_and_warns_of_mismatches(planner_client, agency):
    factories.make_plan(agency, 2563)
    response = planner_client.post(URL, _form(total="90.00", grade="A"))
    result = ITAResult.objects.get(agency=agency, year=2562)
    assert result.total == Decimal("90.00") and result.grade == "A"
    page = planner_client.get(response["Location"]).content.decode()
    assert "ตัวเลขที่บันทึกบางรายการไม่ตรงกับการคำนวณตามเกณฑ์" in page
    assert "คะแนนรวมที่ระบุ ๙๐.๐๐ ไม่ตรงกับที่คำนวณได้ ๘๓.๕๔" in page


def test_it_updates_an_existing_result_and_drops_cleared_scores(planner_client, agency, plan):
    result = ITAResult.objects.get(agency=agency, year=2562)
    planner_client.post(URL, _form(indicator_10="", indicator_1="95"))
    scores = {s.indicator: s.score for s in result.scores.all()}
    assert 10 not in scores and scores[1] == Decimal("95.00")
    assert audit_actions(result) == ["assessments.itaresult.updated"]


def test_it_shows_the_form_filled_with_the_stored_scores(planner_client, plan):
    html = planner_client.get(URL).content.decode()
    assert 'name="indicator_9" value="60.25"' in html
    assert "ตัวชี้วัดที่ ๙ การเปิดเผยข้อมูล (OIT)" in html
    assert "ประวัติการเปลี่ยนแปลง" in html


def test_it_names_the_field_of_a_bad_score_and_keeps_the_input(planner_client, agency, plan):
    response = planner_client.post(URL, _form(indicator_3="101", indicator_4="สิบ", indicator_5="80.123"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "ตัวชี้วัดที่ ๓ การใช้อำนาจ (IIT): คะแนนต้องอยู่ระหว่าง ๐ ถึง ๑๐๐" in html
    assert "“สิบ” ไม่ใช่ตัวเลข" in html
    assert "ทศนิยมได้ไม่เกิน ๒ ตำแหน่ง" in html
    assert 'value="สิบ"' in html and 'value="80.123"' in html
    assert ITAResult.objects.get(agency=agency, year=2562).scores.get(indicator=3).score == Decimal("95.00")


def test_it_rejects_wrong_methods(planner_client, plan):
    assert planner_client.delete(URL).status_code == 405


def test_it_sends_anonymous_visitors_to_login(anon_client, plan):
    assert_login_redirect(anon_client.post(URL, _form()))


def test_it_forbids_read_only_members(viewer_client, agency, plan):
    assert viewer_client.get(URL).status_code == 403
    assert viewer_client.post(URL, _form(indicator_1="10")).status_code == 403
    assert ITAResult.objects.get(agency=agency, year=2562).scores.get(indicator=1).score == Decimal("91.20")


def test_it_hides_other_agencies(outsider_client, agency, plan):
    assert outsider_client.post(URL, _form(indicator_1="10")).status_code == 404
    assert ITAResult.objects.get(agency=agency, year=2562).scores.get(indicator=1).score == Decimal("91.20")
