"""The API takes the same text limits as the forms and the year file (measures.limits, issue 9): one
character over is a 422 naming the field; the issue's 6,000-character result and 400-character subject pass."""

from prongsai.api.tests.conftest import db_state, field_errors
from prongsai.measures import limits
from prongsai.measures.models import RoundResult
from prongsai.memos.models import Memo

YEAR = "agencies/tessaban-rae/years/2563"


def _round(plan, round: int) -> str:
    return f"{YEAR}/measures/{plan.measures.get(order=1).pk}/rounds/{round}"


def test_a_result_text_over_its_limit_is_a_422_naming_the_field(clients, plan):
    before = db_state()
    errors = field_errors(clients["planner"].put(_round(plan, 12), {
        "details": "ก" * (limits.RESULT_DETAILS + 1), "outputs": "ข" * (limits.RESULT_OUTPUTS + 1)}))
    assert errors == {"body.details": ["ยาวได้ไม่เกิน 10000 ตัวอักษร"], "body.outputs": ["ยาวได้ไม่เกิน 5000 ตัวอักษร"]}
    assert db_state() == before
    response = clients["planner"].put(_round(plan, 12), {"details": "ก" * 6_000})
    assert response.status_code == 200, response.content
    assert len(RoundResult.objects.get(measure__plan=plan, measure__order=1, round=12).details) == 6_000


def test_a_measure_text_over_its_limit_is_a_422_naming_the_field(clients):
    errors = field_errors(clients["planner"].post(f"{YEAR}/measures", {
        "title": "การเปิดเผยข้อมูล", "rounds": [12], "steps": "ก" * (limits.MEASURE_STEPS + 1)}))
    assert errors == {"body.steps": ["ยาวได้ไม่เกิน 5000 ตัวอักษร"]}


def test_memo_texts_over_their_limits_are_422s_naming_the_field(clients):
    memos = f"{YEAR}/memos"
    before = db_state()
    errors = field_errors(clients["planner"].post(memos, {
        "round": 12, "subject": "ร" * (limits.MEMO_SUBJECT + 1),
        "body": ["ย่อหน้าแรก", "ก" * (limits.MEMO_PARAGRAPH + 1)]}))
    assert errors == {"body.subject": ["ยาวได้ไม่เกิน 500 ตัวอักษร"], "body.body.1": ["ยาวได้ไม่เกิน 3000 ตัวอักษร"]}
    errors = field_errors(clients["planner"].post(memos, {"round": 12, "body": ["ย่อหน้า"] * 21}))
    assert errors == {"body.body": ["มีได้ไม่เกิน 20 รายการ"]}
    assert db_state() == before
    response = clients["planner"].post(memos, {"round": 12, "subject": "ร" * 400})
    assert response.status_code == 201, response.content
    assert Memo.objects.get(plan__agency__slug="tessaban-rae", round=12).subject == "ร" * 400
