"""Starting FY N+1 from FY N, and moving a year to another catalogue version."""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from prongsai.audit.models import AuditEntry
from prongsai.framework import services as catalogues
from prongsai.framework.catalogue import framework_for_plan, get_framework
from prongsai.framework.formats import Parsed
from prongsai.measures import rollover, services
from prongsai.measures.models import Measure, RoundResult, YearPlan
from prongsai.memos.models import AgencyChainStep
from prongsai.oit.models import OITAnswer
from prongsai.oit.services import checklist, save_answer
from prongsai.web.tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    agency = factories.make_agency()
    factories.make_people(agency)
    planner = factories.make_user("planner", agency, role="planner")
    plan = services.start_year(actor=planner, agency=agency, fiscal_year=2569)
    plan.wording = {"memo.subject": "ขอรายงานผล"}
    plan.save()
    first = factories.make_measure(plan, order=1, title="มาตรการตรวจสอบการใช้ดุลพินิจ", indicator=3)
    first.units.set(agency.units.all())
    factories.make_round_result(first, round=6)
    factories.make_measure(plan, order=2, title="การเปิดเผยข้อมูล", indicator=9, rounds=[12])
    for code, url in (("O1", "https://rae.go.th/structure"), ("O17", "https://rae.go.th/complaints")):
        save_answer(actor=planner, agency=agency, fiscal_year=2569, code=code, has=True, urls=[url], explanation=code)
    AgencyChainStep.objects.create(agency=agency, order=1, user=planner)
    return agency, planner, plan


def test_it_carries_measures_answers_and_wording_but_not_results(setup):
    agency, planner, old = setup
    plan = rollover.start_from(actor=planner, agency=agency, fiscal_year=2570)
    assert framework_for_plan(plan).provisional_for == 2570
    copied = list(plan.measures.order_by("order"))
    assert [(m.title, m.indicator, m.rounds) for m in copied] == [
        ("มาตรการตรวจสอบการใช้ดุลพินิจ", 3, [6, 12]), ("การเปิดเผยข้อมูล", 9, [12])]
    assert set(copied[0].units.values_list("name", flat=True)) == {"สำนักปลัด", "กองคลัง"}
    assert not RoundResult.objects.filter(measure__plan=plan).exists()
    answers = {a.code: a for a in OITAnswer.objects.filter(agency=agency, fiscal_year=2570)}
    assert set(answers) == {"O1", "O17"} and all(a.to_check for a in answers.values())
    assert answers["O17"].urls == ["https://rae.go.th/complaints"]
    assert plan.wording == {"memo.subject": "ขอรายงานผล"}
    assert AgencyChainStep.objects.filter(agency=agency).count() == 1
    entry = AuditEntry.objects.filter(action="measures.yearplan.rolled_over").get()
    assert entry.changes["measures"] == 2 and entry.changes["oit_answers"] == {"O1": ["O1"], "O17": ["O17"]}
    # the old year is untouched
    assert old.measures.count() == 2 and RoundResult.objects.filter(measure__plan=old).count() == 1


def test_it_refuses_a_year_that_already_has_data_and_says_what(setup):
    agency, planner, _old = setup
    OITAnswer.objects.create(agency=agency, fiscal_year=2570, code="O1", has=True, urls=["https://x"])
    with pytest.raises(ValidationError) as caught:
        rollover.start_from(actor=planner, agency=agency, fiscal_year=2570)
    assert "คำตอบ OIT ของปี 2570 1 ข้อ" in str(caught.value)
    assert not YearPlan.objects.filter(fiscal_year=2570).exists()


def test_a_failure_halfway_leaves_nothing(setup, monkeypatch):
    agency, planner, _old = setup
    real = Measure.objects.create
    calls = []

    def fail_on_second(**kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return real(**kwargs)

    monkeypatch.setattr(Measure.objects, "create", fail_on_second)
    with pytest.raises(RuntimeError):
        rollover.start_from(actor=planner, agency=agency, fiscal_year=2570)
    assert not YearPlan.objects.filter(fiscal_year=2570).exists()
    assert not OITAnswer.objects.filter(fiscal_year=2570).exists()
    assert not AuditEntry.objects.filter(action__in=["measures.yearplan.created",
                                                     "measures.yearplan.rolled_over"], changes__fiscal_year=2570).exists()
    assert Measure.objects.filter(plan__fiscal_year=2570).count() == 0


def _confirmed_2570(rename_o17=True):
    data = dict(catalogues.find(2569).data)
    items = []
    for item in data["oit_items"]["items"]:
        item = dict(item, previous=[item["code"]])
        if rename_o17 and item["code"] == "O17":
            item["code"], item["title_th"] = "O30", "ช่องทางร้องเรียนออนไลน์"
        items.append(item)
    items.append({"code": "O31", "title_th": "ข้อใหม่ของปี 2570", "indicator": 10})
    data["oit_items"] = {**data["oit_items"], "items": items}
    data.pop("item_map_from_previous", None)
    return catalogues.apply(catalogues.propose(Parsed(data), name="2570.yaml", year=2570, status="confirmed"),
                            actor="test")


def test_a_provisional_year_moves_to_the_confirmed_catalogue_through_the_item_mapping(setup):
    agency, planner, _old = setup
    plan = rollover.start_from(actor=planner, agency=agency, fiscal_year=2570)
    save_answer(actor=planner, agency=agency, fiscal_year=2570, code="O1", has=True,
                urls=["https://rae.go.th/structure"], explanation="")
    row = _confirmed_2570()
    preview = rollover.move_preview(plan=plan, catalogue=row)
    assert {m.new_code: m.old_codes for m in preview.answers} == {"O1": ("O1",), "O30": ("O17",)}
    rollover.move(actor=planner, plan=plan, catalogue=row)
    plan.refresh_from_db()
    fw = framework_for_plan(plan)
    assert (fw.year, fw.provisional_for, fw.status) == (2570, None, "confirmed")
    answers = {a.code: a for a in OITAnswer.objects.filter(agency=agency, fiscal_year=2570)}
    assert set(answers) == {"O1", "O30"} and answers["O30"].to_check and not answers["O1"].to_check
    assert AuditEntry.objects.filter(action="measures.yearplan.catalogue_moved").count() == 1


def test_a_new_catalogue_version_leaves_a_past_year_unchanged(setup):
    agency, planner, old = setup
    before = checklist(agency=agency, fiscal_year=2569).score
    answers = list(OITAnswer.objects.filter(fiscal_year=2569).values("code", "urls", "has"))
    data = dict(catalogues.find(2569).data)
    data["oit_items"] = {**data["oit_items"], "items": data["oit_items"]["items"][5:]}
    data["weights"] = {**data["weights"], "IIT": 20, "EIT": 40}
    data.pop("item_map_from_previous")
    catalogues.apply(catalogues.propose(Parsed(data), name="v2.yaml", year=2569), actor="test")
    assert get_framework(2569).version == 2
    old.refresh_from_db()
    assert framework_for_plan(old).version == 1
    assert checklist(agency=agency, fiscal_year=2569).score == before
    assert list(OITAnswer.objects.filter(fiscal_year=2569).values("code", "urls", "has")) == answers


def test_the_command_previews_then_starts(setup, capsys):
    agency, _planner, _old = setup
    call_command("start_year", "--agency", agency.slug, "--year", "2570", "--dry-run")
    out = capsys.readouterr().out
    assert "measures: 2" in out and "dry run" in out and "provisional for FY 2570" in out
    assert not YearPlan.objects.filter(fiscal_year=2570).exists()
    call_command("start_year", "--agency", agency.slug, "--year", "2570")
    assert YearPlan.objects.get(fiscal_year=2570).measures.count() == 2
