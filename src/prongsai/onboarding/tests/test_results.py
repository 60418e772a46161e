"""Many agencies' ITA results of a year from one sheet: matching, the checks, all-or-nothing, thousands."""

from __future__ import annotations

from decimal import Decimal

import pytest

from prongsai.agencies.models import Agency
from prongsai.assessments.models import ITAResult
from prongsai.audit.models import AuditEntry
from prongsai.onboarding import agencies as agency_import
from prongsai.onboarding import results as onboarding
from prongsai.onboarding.tests import generate

pytestmark = pytest.mark.django_db


@pytest.fixture
def rae():
    return Agency.objects.create(slug="tessaban-rae", name="เทศบาลตำบลแร่", province="สกลนคร", code="5470701")


def sheet(**cells):
    row = {"ลำดับ": "1", "หน่วยงาน": "เทศบาลตำบลแร่", "จังหวัด": "สกลนคร", "IIT": "25.49", "EIT": "26.00",
           "OIT": "32.05", "คะแนนรวม": "83.54", "ระดับผลการประเมิน": "ผ่าน"}
    row.update({f"ตัวชี้วัดที่ {n}": s for n, s in {1: "91.20", 2: "80.15", 9: "๖๐.๒๕"}.items()})
    row.update(cells)
    return row


def read(rows, year=2566, fmt="xlsx", **kw):
    fh = generate.xlsx_file(rows, **kw) if fmt == "xlsx" else generate.csv_file(rows, **kw)
    return onboarding.read_results(fh, name=f"ita.{fmt}", year=year)


def test_a_row_is_matched_by_name_and_saved_as_given(rae):
    plan = read([sheet()], title_rows=1)
    assert plan.counts() == {"created": 1, "updated": 0, "refused": 0, "unmatched": 0}
    onboarding.apply(plan, actor="test")
    result = ITAResult.objects.get(agency=rae, year=2566)
    assert (result.total, result.iit, result.grade) == (Decimal("83.54"), Decimal("25.49"), "ผ่าน")
    assert dict(result.scores.values_list("indicator", "score")) == {
        1: Decimal("91.20"), 2: Decimal("80.15"), 9: Decimal("60.25")}
    assert AuditEntry.objects.filter(action="assessments.itaresult.created").count() == 1
    assert AuditEntry.objects.filter(action="onboarding.results.imported").count() == 1
    assert result.final_total == Decimal("83.54")  # the stored totals are recomputed
    again = read([sheet(**{"คะแนนรวม": "", "ตัวชี้วัดที่ 2": ""})])
    assert again.counts()["updated"] == 1
    onboarding.apply(again, actor="test")
    result.refresh_from_db()
    assert result.total is None and set(result.scores.values_list("indicator", flat=True)) == {1, 9}
    assert AuditEntry.objects.filter(action="assessments.itaresult.updated").count() == 1


def test_a_code_wins_over_the_name(rae):
    Agency.objects.create(slug="other", name="อบต.อื่น", province="สกลนคร", code="999")
    plan = read([sheet(หน่วยงาน="ชื่อที่พิมพ์ผิด", รหัสหน่วยงาน="5470701")])
    assert plan.rows[0].agency == rae


def test_unmatched_and_ambiguous_agencies_are_listed_with_row_and_column(rae):
    Agency.objects.create(slug="nong-bua-1", name="อบต.หนองบัว", province="สกลนคร")
    Agency.objects.create(slug="nong-bua-2", name="อบต.หนองบัว", province="อุดรธานี")
    plan = read([sheet(), sheet(หน่วยงาน="อบต.ไม่มีจริง"), sheet(หน่วยงาน="อบต.หนองบัว", จังหวัด=""),
                 sheet(หน่วยงาน="อบต.หนองบัว", จังหวัด="จ.อุดรธานี")])
    assert [r.label for r in plan.unmatched] == ["อบต.ไม่มีจริง", "อบต.หนองบัว"]
    assert plan.errors == [
        "แถวที่ 3 คอลัมน์ “หน่วยงาน”: ไม่พบหน่วยงาน “อบต.ไม่มีจริง” ในสกลนคร ในระบบ",
        "แถวที่ 4 คอลัมน์ “หน่วยงาน”: มีหน่วยงานชื่อ “อบต.หนองบัว” 2 แห่ง (สกลนคร, อุดรธานี): ระบุรหัสหน่วยงานหรือจังหวัด",
    ]
    assert plan.rows[3].agency.slug == "nong-bua-2"
    assert not onboarding.apply(plan, actor="test").written
    assert ITAResult.objects.count() == 0 and AuditEntry.objects.count() == 0
    assert onboarding.apply(plan, actor="test", partial=True).written
    assert ITAResult.objects.count() == 2


@pytest.mark.parametrize(("cells", "message"), [
    ({"ตัวชี้วัดที่ 2": "101"}, "แถวที่ 2 คอลัมน์ “ตัวชี้วัดที่ 2”: คะแนนต้องอยู่ระหว่าง ๐ ถึง ๑๐๐"),
    ({"IIT": "ดี"}, "แถวที่ 2 คอลัมน์ “IIT”: “ดี” ไม่ใช่ตัวเลข"),
    ({"ระดับผลการประเมิน": "AA"}, "แถวที่ 2 คอลัมน์ “ระดับผลการประเมิน”: ระดับ “AA” ไม่มีในเกณฑ์ปี 2566"),
])
def test_bad_scores_are_named_by_row_and_column(rae, cells, message):
    plan = read([sheet(**cells)])
    assert plan.errors[0].startswith(message)


def test_the_same_agency_twice_is_refused(rae):
    rows = [sheet(รหัสหน่วยงาน=""), sheet(หน่วยงาน="", รหัสหน่วยงาน="5470701")]
    plan = read(rows, headings=list(rows[0]))
    assert plan.errors == ["แถวที่ 3 คอลัมน์ “รหัสหน่วยงาน”: หน่วยงานเดียวกับแถวที่ 2"]


def test_a_sheet_without_an_agency_column_or_scores_is_refused(rae):
    with pytest.raises(agency_import.ImportRefused, match="ไม่มีคอลัมน์ “รหัสหน่วยงาน”"):
        read([{"ลำดับ": "1", "คะแนนรวม": "80"}])
    with pytest.raises(agency_import.ImportRefused, match="ไม่มีคอลัมน์คะแนน"):
        read([{"หน่วยงาน": "เทศบาลตำบลแร่", "หมายเหตุ": "x"}])
    with pytest.raises(agency_import.ImportRefused, match="ไม่มีตัวชี้วัดของคอลัมน์ “ตัวชี้วัดที่ 11”"):
        read([{"หน่วยงาน": "เทศบาลตำบลแร่", "ตัวชี้วัดที่ 11": "80"}])


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_thousands_of_agencies_results_in_one_go(fmt):
    agencies = generate.agency_rows(2000)
    agency_import.apply(agency_import.read_agencies(generate.csv_file(agencies), name="a.csv"), actor="test")
    rows = generate.result_rows(agencies)
    rows[1200]["หน่วยงาน"], rows[1200]["รหัสหน่วยงาน"] = "อบต.ที่ไม่มี", ""
    plan = read(rows, year=2567, fmt=fmt)
    assert plan.counts() == {"created": 1999, "updated": 0, "refused": 1, "unmatched": 1}
    assert plan.errors == ["แถวที่ 1202 คอลัมน์ “หน่วยงาน”: ไม่พบหน่วยงาน “อบต.ที่ไม่มี”"
                           f" ใน{rows[1200]['จังหวัด']} ในระบบ"]
    assert not onboarding.apply(plan, actor="test").written
    assert ITAResult.objects.count() == 0
    onboarding.apply(plan, actor="test", partial=True)
    assert ITAResult.objects.filter(year=2567).count() == 1999
