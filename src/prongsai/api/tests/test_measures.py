import pytest

from prongsai.agencies.models import Unit
from prongsai.api.tests.conftest import OTHER, db_state, field_errors
from prongsai.audit.models import AuditEntry
from prongsai.measures.models import Measure

MEASURES = "agencies/tessaban-rae/years/2563/measures"


@pytest.fixture
def measures(plan):
    return list(plan.measures.order_by("order"))


def _new(**fields) -> dict:
    return {"title": "การจัดซื้อจัดจ้าง", "rounds": [6, 12], "indicator": 5, "guideline": "- เผยแพร่แผน",
            "responsible": "กองคลัง", **fields}


def test_it_lists_measures_in_order_with_round_states(clients, measures):
    body = clients["viewer"].get(MEASURES).json()
    assert body["count"] == 2
    first, second = body["items"]
    assert (first["id"], first["order"], first["title"]) == (measures[0].pk, 1, "การใช้งบประมาณ")
    assert first["round_states"] == [{"round": 6, "status": "done", "recorded": True},
                                     {"round": 12, "status": "overdue", "recorded": False}]
    assert second["rounds"] == [12] and second["indicator"] == 9


def test_it_creates_a_measure_at_the_end(clients, plan):
    unit = Unit.objects.get(agency=plan.agency, name="กองคลัง")
    response = clients["planner"].post(MEASURES, _new(units=[unit.pk]))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["order"] == 3 and body["units"] == [{"id": unit.pk, "name": "กองคลัง"}]
    measure = Measure.objects.get(pk=body["id"])
    assert measure.plan == plan and measure.rounds == [6, 12] and measure.responsible == "กองคลัง"
    assert AuditEntry.objects.filter(action="measures.measure.created", object_id=str(measure.pk)).exists()


def test_it_updates_a_measure(clients, measures):
    response = clients["admin"].put(f"{MEASURES}/{measures[1].pk}", _new(title="เปิดเผยข้อมูลสาธารณะ", rounds=[6, 12]))
    assert response.status_code == 200, response.content
    measures[1].refresh_from_db()
    assert measures[1].title == "เปิดเผยข้อมูลสาธารณะ" and measures[1].rounds == [6, 12]
    assert AuditEntry.objects.filter(action="measures.measure.updated").count() == 1


def test_it_keeps_a_round_that_has_a_result(clients, measures):
    before = db_state()
    errors = field_errors(clients["planner"].put(f"{MEASURES}/{measures[0].pk}", _new(rounds=[12])))
    assert list(errors) == ["body.rounds"] and "มีผลการดำเนินงานบันทึกไว้แล้ว" in errors["body.rounds"][0]
    assert db_state() == before


def test_it_explains_bad_measures_in_thai(clients, plan, other_plan):
    other_unit = Unit.objects.create(agency=other_plan.agency, name="กองช่าง")
    before = db_state()
    errors = field_errors(clients["planner"].post(MEASURES, _new(title=" ", rounds=[5], indicator=99)))
    assert errors == {"body.rounds.0": ["รอบต้องเป็น 3, 6, 9 หรือ 12 (เดือน)"]}  # the schema's enum, first
    errors = field_errors(clients["planner"].post(MEASURES, _new(title=" ", indicator=99)))
    assert set(errors) == {"body.title", "body.indicator"}
    assert errors["body.title"] == ["กรุณากรอกชื่อตัวชี้วัด/มาตรการ"]
    errors = field_errors(clients["planner"].post(MEASURES, _new(units=[other_unit.pk])))
    assert errors == {"body.units": [f"ไม่พบส่วนราชการ id {other_unit.pk} ในหน่วยงานนี้"]}
    errors = field_errors(clients["planner"].post(MEASURES, _new(title="ก" * 301)))
    assert errors == {"body.title": ["ยาวได้ไม่เกิน 300 ตัวอักษร"]}
    assert db_state() == before


def test_it_deletes_a_measure_and_closes_the_gap(clients, measures):
    response = clients["planner"].delete(f"{MEASURES}/{measures[0].pk}")
    assert response.status_code == 204
    assert list(Measure.objects.filter(plan=measures[1].plan).values_list("pk", "order")) == [(measures[1].pk, 1)]
    assert AuditEntry.objects.filter(action="measures.measure.deleted").count() == 1


def test_it_moves_and_reorders_measures(clients, plan, measures):
    third = clients["planner"].post(MEASURES, _new()).json()["id"]
    response = clients["planner"].post(f"{MEASURES}/{third}/move", {"direction": "up"})
    assert response.status_code == 200 and response.json()["order"] == 2
    assert field_errors(clients["planner"].post(f"{MEASURES}/{third}/move", {"direction": "sideways"}))

    wanted = [third, measures[1].pk, measures[0].pk]
    response = clients["planner"].post(f"{MEASURES}/reorder", {"order": wanted})
    assert response.status_code == 200, response.content
    assert [m["id"] for m in response.json()] == wanted
    assert list(plan.measures.order_by("order").values_list("pk", flat=True)) == wanted
    assert AuditEntry.objects.filter(action="measures.measure.moved").count() >= 2


def test_it_refuses_a_reorder_that_is_not_every_measure_once(clients, plan, measures, other_plan):
    before = db_state()
    foreign = other_plan.measures.first().pk
    for order in ([measures[0].pk], [measures[0].pk, measures[0].pk], [measures[0].pk, foreign]):
        errors = field_errors(clients["planner"].post(f"{MEASURES}/reorder", {"order": order}))
        assert list(errors) == ["body.order"]
    assert db_state() == before


def test_it_refuses_outsiders_readers_and_anonymous(clients, measures, other_plan):
    before = db_state()
    pk = measures[0].pk
    assert clients["outsider"].get(MEASURES).status_code == 404
    assert clients["outsider"].put(f"{MEASURES}/{pk}", _new()).status_code == 404
    assert clients["outsider"].delete(f"{MEASURES}/{pk}").status_code == 404
    assert clients["viewer"].post(MEASURES, _new()).status_code == 403
    assert clients["viewer"].delete(f"{MEASURES}/{pk}").status_code == 403
    assert clients["complaint_officer"].put(f"{MEASURES}/{pk}", _new()).status_code == 403
    assert clients["anonymous"].get(MEASURES).status_code == 401
    # A measure of another agency, asked for under the caller's own agency: not found.
    foreign = other_plan.measures.first().pk
    assert clients["planner"].get(f"{MEASURES}/{foreign}").status_code == 404
    assert clients["planner"].delete(f"{MEASURES}/{foreign}").status_code == 404
    assert clients["planner"].get(f"agencies/{OTHER}/years/2563/measures").status_code == 404
    assert db_state() == before
