from prongsai.api.tests.conftest import OTHER, db_state, field_errors
from prongsai.audit.models import AuditEntry
from prongsai.measures.models import YearPlan

YEARS = "agencies/tessaban-rae/years"


def test_it_lists_the_years(clients):
    body = clients["viewer"].get(YEARS).json()
    assert body["count"] == 1
    [year] = body["items"]
    assert year == {"fiscal_year": 2563, "framework_year": 2563, "based_on": 2562, "measures": 2, "memos": 1,
                    "url": "http://testserver/agencies/tessaban-rae/years/2563/"}


def test_it_shows_a_year_with_round_progress(clients):
    body = clients["viewer"].get(f"{YEARS}/2563").json()
    assert body["start"] == "2019-10-01" and body["end"] == "2020-09-30"
    rounds = {r["round"]: r for r in body["rounds"]}
    assert list(rounds) == [3, 6, 9, 12]
    assert rounds[6]["done"] == 1 and rounds[6]["monitored"] == 1 and rounds[6]["percent"] == 100
    assert rounds[12]["monitored"] == 2 and rounds[12]["counts"]["overdue"] == 2
    assert body["progress"]["monitored"] == 3 and body["progress"]["done"] == 1


def test_it_starts_a_year(clients):
    response = clients["planner"].post(YEARS, {"fiscal_year": 2566})
    assert response.status_code == 201, response.content
    assert response.json()["fiscal_year"] == 2566 and response.json()["framework_year"] == 2566
    assert YearPlan.objects.filter(agency__slug="tessaban-rae", fiscal_year=2566).exists()
    assert AuditEntry.objects.filter(action="measures.yearplan.created").count() == 1


def test_it_explains_a_bad_year_in_thai(clients):
    before = db_state()
    errors = field_errors(clients["planner"].post(YEARS, {"fiscal_year": 2563}))
    assert errors == {"body.fiscal_year": ["หน่วยงานมีปีงบประมาณ 2563 อยู่แล้ว"]}
    errors = field_errors(clients["planner"].post(YEARS, {"fiscal_year": "สองพัน", "extra": 1}))
    assert errors == {"body.fiscal_year": ["ต้องเป็นจำนวนเต็ม"], "body.extra": ["ไม่มีช่องข้อมูลนี้"]}
    errors = field_errors(clients["planner"].post(YEARS, {"fiscal_year": 1999}))
    assert errors == {"body.fiscal_year": ["ต้องไม่น้อยกว่า 2500"]}
    errors = field_errors(clients["planner"].post(YEARS, {"fiscal_year": 2580}))
    assert list(errors) == ["body.framework_year"]
    assert field_errors(clients["planner"].post(YEARS, {})) == {"body.fiscal_year": ["กรุณาระบุข้อมูลนี้"]}
    response = clients["planner"].client.post(f"/api/v1/{YEARS}", "{not json", content_type="application/json")
    assert response.status_code == 400 and "JSON" in response.json()["detail"]
    assert db_state() == before


def test_it_refuses_outsiders_readers_and_anonymous(clients):
    before = db_state()
    assert clients["outsider"].get(YEARS).status_code == 404
    assert clients["outsider"].post(YEARS, {"fiscal_year": 2566}).status_code == 404
    assert clients["viewer"].post(YEARS, {"fiscal_year": 2566}).status_code == 403
    assert clients["approver"].post(YEARS, {"fiscal_year": 2566}).status_code == 403
    assert clients["anonymous"].post(YEARS, {"fiscal_year": 2566}).status_code == 401
    assert clients["planner"].get(f"agencies/{OTHER}/years/2563").status_code == 404
    assert clients["planner"].get(f"{YEARS}/2570").status_code == 404
    assert db_state() == before
