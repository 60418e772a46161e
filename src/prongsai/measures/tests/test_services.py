import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from prongsai.agencies.models import Membership, Unit
from prongsai.assessments import editing
from prongsai.framework.catalogue import get_framework
from prongsai.measures import services
from prongsai.measures.models import Measure, RoundResult
from prongsai.web.tests import factories
from prongsai.workspace.tests import files
from prongsai.yearfile.loader import validate_data
from prongsai.yearfile.services import export_year


def test_start_year_names_the_field_of_each_problem(agency, planner, plan):
    with pytest.raises(ValidationError) as exc:
        services.start_year(actor=planner, agency=agency, fiscal_year=2563)
    assert exc.value.message_dict == {"fiscal_year": ["หน่วยงานมีปีงบประมาณ 2563 อยู่แล้ว"]}
    with pytest.raises(ValidationError) as exc:
        services.start_year(actor=planner, agency=agency, fiscal_year=2580)
    assert "framework_year" in exc.value.message_dict


def test_create_measure_checks_indicator_rounds_and_units(plan, planner, outsider):
    foreign = Unit.objects.create(agency=outsider.memberships.get().agency, name="กองช่าง")
    with pytest.raises(ValidationError) as exc:
        services.create_measure(actor=planner, plan=plan, title=" ", indicator=11, rounds=[5], units=[foreign])
    assert set(exc.value.message_dict) == {"title", "indicator", "rounds", "units"}
    assert "ตัวชี้วัดที่ 11 ไม่มีในเกณฑ์ ITA ปี 2563" in exc.value.message_dict["indicator"][0]
    assert plan.measures.count() == 2


def test_delete_measure_renumbers_the_rest(plan, planner):
    factories.make_measure(plan, order=3, title="การป้องกันการทุจริต", rounds=[12])
    services.delete_measure(actor=planner, measure=plan.measures.get(order=2))
    assert list(plan.measures.values_list("order", "title")) == [(1, "การใช้งบประมาณ"), (2, "การป้องกันการทุจริต")]
    services.create_measure(actor=planner, plan=plan, title="ใหม่", rounds=[3])
    assert plan.measures.get(title="ใหม่").order == 3


def test_adopt_measure_drops_an_indicator_the_plans_framework_lacks(agency, planner):
    plan = factories.make_plan(agency, 2563)
    measure = services.adopt_measure(actor=planner, plan=plan, key="open-data")
    assert measure.indicator == 9 and measure.monitoring == "รายงานผลการดำเนินงาน"


def test_ranked_suggestions_put_gap_indicators_first_in_gap_order():
    ranked = services.ranked_suggestions(gap_indicators=[4, 9])
    assert [s.key for s, gap in ranked if gap] == ["use-of-state-property", "open-data", "public-disclosure"]
    assert len(ranked) == len({s.key for s, _ in ranked}) == 9


def test_add_evidence_link_accepts_only_web_addresses(plan, planner):
    with pytest.raises(ValidationError):
        services.add_evidence_link(actor=planner, measure=plan.measures.get(order=1), round=6,
                                   url="file:///etc/passwd")


def test_evidence_needs_a_monitored_round(plan, planner, media_root):
    with pytest.raises(ValidationError) as exc:
        services.add_evidence_file(actor=planner, measure=plan.measures.get(order=1), round=3,
                                   upload=SimpleUploadedFile("a.pdf", files.PDF))
    assert "round" in exc.value.message_dict
    assert not media_root.exists() or not any(media_root.rglob("*.pdf"))


def test_sniff_reads_the_content():
    assert services.sniff(io.BytesIO(files.docx_bytes())) == "docx"
    assert services.sniff(io.BytesIO(files.xlsx_bytes())) == "xlsx"
    assert services.sniff(io.BytesIO(b"PK\x03\x04 broken zip")) is None
    assert services.sniff(io.BytesIO(files.EXE)) is None


def test_import_results_rejects_the_same_measure_and_round_twice(plan, planner):
    key = services.measure_key(plan.measures.get(order=1))
    rows = [(2, {"key": key, "round": "12", "details": "ก"}), (3, {"key": key, "round": "๑๒", "details": "ข"})]
    with pytest.raises(services.ImportInvalid) as exc:
        services.import_results(actor=planner, plan=plan, rows=rows)
    assert exc.value.errors == ["แถวที่ 3 คอลัมน์ รหัสมาตรการ: ซ้ำกับแถวที่ 2 (มาตรการและรอบเดียวกัน)"]


def test_import_results_creates_nothing_for_an_empty_row(plan, planner):
    key = services.measure_key(plan.measures.get(order=1))
    outcome = services.import_results(actor=planner, plan=plan, rows=[(2, {"key": key, "round": "12",
                                                                             "label": "การใช้งบประมาณ"})])
    assert (outcome.created, outcome.updated) == (0, 0)
    assert not RoundResult.objects.filter(round=12).exists()


def test_recipients_are_unit_people_and_active_planners_with_an_address(plan, agency, planner):
    gone = factories.make_user("former", agency, Membership.Role.PLANNER)
    gone.email, gone.is_active = "former@rae.go.th", False
    gone.save()
    viewer = factories.make_user("reader", agency, Membership.Role.VIEWER)
    viewer.email = "reader@rae.go.th"
    viewer.save()
    measure = plan.measures.get(order=1)
    assert services.recipients_of(measure) == {"pranee@rae.go.th"}


def test_a_year_edited_in_the_workspace_still_exports_as_a_valid_year_file(agency, planner, media_root):
    """Everything the workspace writes must stay a valid year file (the reports are built from it)."""
    framework = get_framework(2567)
    editing.save_ita_result(actor=planner, agency=agency, framework=framework, year=2567,
                            indicators={n: Decimal("80.50") for n in framework.indicator_numbers}, grade="")
    plan = services.start_year(actor=planner, agency=agency, fiscal_year=2568)
    office = Unit.objects.get(agency=agency, name="สำนักปลัด")
    measure = services.adopt_measure(actor=planner, plan=plan, key="use-of-budget")
    services.update_measure(actor=planner, measure=measure, title=measure.title, indicator=2, rounds=[6, 12],
                            guideline=measure.guideline, steps=measure.steps, responsible="สำนักปลัด",
                            monitoring=measure.monitoring, units=[office])
    services.create_measure(actor=planner, plan=plan, title="การเปิดเผยข้อมูล", indicator=9, rounds=[12])
    services.save_round_result(actor=planner, measure=measure, round=6, details="ดำเนินการแล้ว", period="มี.ค. ๖๘")
    services.add_evidence_link(actor=planner, measure=measure, round=6, url="https://example.go.th/a.pdf")
    services.add_evidence_file(actor=planner, measure=measure, round=6, title="ภาพ",
                               upload=SimpleUploadedFile("photo.png", files.png()))
    data = export_year(agency=agency, fiscal_year=2568)
    assert [i for i in validate_data(data) if i.is_error] == []
    assert [m["title"] for m in data["measures"]] == ["การใช้งบประมาณ", "การเปิดเผยข้อมูล"]
    evidence = data["measures"][0]["results"][0]["evidence"]
    assert evidence[0]["url"] == "https://example.go.th/a.pdf" and evidence[1]["file"].startswith("evidence/")
    assert Measure.objects.filter(plan=plan).count() == 2
