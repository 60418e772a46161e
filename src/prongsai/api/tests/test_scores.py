from decimal import Decimal

from prongsai.api.tests.conftest import OTHER, db_state, field_errors
from prongsai.assessments.models import ITAResult
from prongsai.audit.models import AuditEntry
from prongsai.web.tests.factories import SCORES_2562

SCORES = "agencies/tessaban-rae/scores"


def test_it_gives_scores_with_computed_values(clients):
    response = clients["viewer"].get(f"{SCORES}/2562")
    assert response.status_code == 200
    body = response.json()
    assert body["indicators"] == {str(k): v for k, v in SCORES_2562.items()}
    assert body["total"] is None and body["grade"] == ""
    # By the 2562 rules: IIT 25.49, EIT 26.00, OIT 32.05, total 83.54, grade B.
    assert body["computed"] == {"iit": "25.49", "eit": "26.00", "oit": "32.05", "total": "83.54", "grade": "B"}
    assert body["evaluated"]["total"] == "83.54" and body["mismatches"] == []
    listing = clients["viewer"].get(SCORES).json()
    assert listing["count"] == 1 and listing["items"][0]["year"] == 2562


def test_it_saves_scores_as_given_and_reports_mismatches(clients):
    payload = {"indicators": {**SCORES_2562, "10": 99.5}, "total": "90.00", "grade": "A", "note": "ประกาศ ป.ป.ช."}
    response = clients["planner"].put(f"{SCORES}/2562", payload)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["total"] == "90.00" and body["grade"] == "A" and body["indicators"]["10"] == "99.50"
    assert body["computed"]["total"] != "90.00"
    assert any("คะแนนรวมที่ระบุ 90.00" in m for m in body["mismatches"])
    result = ITAResult.objects.get(agency__slug="tessaban-rae", year=2562)
    assert result.total == Decimal("90.00") and result.note == "ประกาศ ป.ป.ช."
    assert result.scores.get(indicator=10).score == Decimal("99.50")
    assert AuditEntry.objects.filter(action="assessments.itaresult.updated").count() == 1


def test_it_replaces_the_whole_set_of_indicator_scores(clients):
    clients["planner"].put(f"{SCORES}/2562", {"indicators": {"1": 50}})
    result = ITAResult.objects.get(agency__slug="tessaban-rae", year=2562)
    assert list(result.scores.values_list("indicator", flat=True)) == [1]


def test_it_creates_a_year_that_had_no_result(clients):
    response = clients["admin"].put(f"{SCORES}/2563", {"indicators": {"1": 80}})
    assert response.status_code == 200
    assert AuditEntry.objects.filter(action="assessments.itaresult.created").count() == 1


def test_it_explains_bad_scores_in_thai(clients):
    before = db_state()
    errors = field_errors(clients["planner"].put(f"{SCORES}/2562", {"indicators": {"1": 101, "2": "1.234",
                                                                                   "3": "abc"}}))
    assert errors == {"body.indicators.1": ["ต้องไม่เกิน 100"], "body.indicators.2": ["ทศนิยมได้ไม่เกิน 2 ตำแหน่ง"],
                      "body.indicators.3": ["ต้องเป็นตัวเลข"]}
    errors = field_errors(clients["planner"].put(f"{SCORES}/2562", {"indicators": {"99": 50}}))
    assert errors == {"body.indicators.99": ["เกณฑ์ ITA ปี 2562 ไม่มีตัวชี้วัดที่ 99"]}
    errors = field_errors(clients["planner"].put(f"{SCORES}/2562", {"indicators": {}, "grade": "Z"}))
    assert list(errors) == ["body.grade"] and "Z" in errors["body.grade"][0]
    errors = field_errors(clients["planner"].put(f"{SCORES}/2540", {"indicators": {}}))
    assert errors == {"path.year": ["ระบบยังไม่มีเกณฑ์ ITA ของปี 2540"]}
    assert db_state() == before


def test_it_refuses_outsiders_readers_and_anonymous(clients):
    before = db_state()
    payload = {"indicators": {"1": 1}}
    assert clients["outsider"].get(f"{SCORES}/2562").status_code == 404
    assert clients["outsider"].put(f"{SCORES}/2562", payload).status_code == 404
    assert clients["viewer"].put(f"{SCORES}/2562", payload).status_code == 403
    assert clients["approver"].put(f"{SCORES}/2562", payload).status_code == 403
    assert clients["anonymous"].get(f"{SCORES}/2562").status_code == 401
    assert clients["planner"].get(f"agencies/{OTHER}/scores/2562").status_code == 404
    assert clients["planner"].put(f"agencies/{OTHER}/scores/2562", payload).status_code == 404
    assert clients["planner"].get(f"{SCORES}/2555").status_code == 404
    assert db_state() == before
