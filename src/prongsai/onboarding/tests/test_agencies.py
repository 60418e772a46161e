"""Onboarding agencies from a table: the checks, the matching, all-or-nothing, and thousands of rows."""

from __future__ import annotations

import pytest

from prongsai.agencies.models import Agency
from prongsai.audit.models import AuditEntry
from prongsai.onboarding import agencies as onboarding
from prongsai.onboarding.tests import generate

pytestmark = pytest.mark.django_db

ACTOR = "test"


def read(rows, fmt="csv", **kw):
    fh = generate.csv_file(rows, **kw) if fmt == "csv" else generate.xlsx_file(rows, **kw)
    return onboarding.read_agencies(fh, name=f"agencies.{fmt}")


def one(**overrides):
    row = {"ชื่อหน่วยงาน": "เทศบาลตำบลแร่", "ประเภท": "ทต.", "จังหวัด": "จ.สกลนคร", "อำเภอ": "อ.พังโคน",
           "รหัสหน่วยงาน": "5470701"}
    row.update(overrides)
    return row


def test_a_row_is_created_with_the_names_in_the_shipped_spelling():
    plan = read([one()])
    report = onboarding.apply(plan, actor=ACTOR)
    assert report.written and plan.counts()["created"] == 1
    agency = Agency.objects.get(code="5470701")
    assert (agency.name, agency.kind, agency.province, agency.district) == (
        "เทศบาลตำบลแร่", Agency.Kind.TESSABAN_TAMBON, "สกลนคร", "พังโคน")
    assert agency.slug == "tessaban-5470701"
    assert agency.location == "อำเภอพังโคน จังหวัดสกลนคร"
    assert AuditEntry.objects.filter(action="agencies.agency.created", object_id=str(agency.pk)).exists()
    assert AuditEntry.objects.filter(action="onboarding.agencies.imported").count() == 1


def test_a_second_import_updates_by_code_and_reports_what_changed():
    onboarding.apply(read([one()]), actor=ACTOR)
    plan = read([one(ชื่อหน่วยงาน="เทศบาลตำบลแร่ (ใหม่)", อำเภอ="พังโคน")])
    assert plan.counts() == {"created": 0, "updated": 1, "unchanged": 0, "refused": 0}
    assert plan.rows[0].changes == {"name": ("เทศบาลตำบลแร่", "เทศบาลตำบลแร่ (ใหม่)")}
    onboarding.apply(plan, actor=ACTOR)
    assert Agency.objects.get(code="5470701").name == "เทศบาลตำบลแร่ (ใหม่)"
    assert read([one(ชื่อหน่วยงาน="เทศบาลตำบลแร่ (ใหม่)")]).counts()["unchanged"] == 1


def test_without_a_code_a_row_matches_the_same_name_in_the_same_province():
    Agency.objects.create(slug="tessaban-rae", name="เทศบาลตำบลแร่", province="สกลนคร")
    plan = read([one(รหัสหน่วยงาน="")])
    assert plan.rows[0].agency.slug == "tessaban-rae"
    assert plan.rows[0].changes["district"] == ("", "พังโคน")


@pytest.mark.parametrize(("column", "value", "message"), [
    ("จังหวัด", "สกลนครา", "แถวที่ 2 คอลัมน์ “จังหวัด”: ไม่พบจังหวัด “สกลนครา” ในรายชื่อ ๗๗ จังหวัด (หมายถึง “สกลนคร” หรือไม่)"),
    ("อำเภอ", "พังโคล", "แถวที่ 2 คอลัมน์ “อำเภอ”: ไม่พบอำเภอ “พังโคล” ในจังหวัดสกลนคร (หมายถึง “พังโคน” หรือไม่)"),
    ("อำเภอ", "เมืองอุดรธานี", "แถวที่ 2 คอลัมน์ “อำเภอ”: ไม่พบอำเภอ “เมืองอุดรธานี” ในจังหวัดสกลนคร"),
    ("ประเภท", "บริษัท", "แถวที่ 2 คอลัมน์ “ประเภท”: ไม่รู้จักประเภท “บริษัท”"),
    ("ชื่อหน่วยงาน", "", "แถวที่ 2 คอลัมน์ “ชื่อหน่วยงาน”: ไม่ได้กรอกชื่อหน่วยงาน"),
    ("อีเมล", "saraban@", "แถวที่ 2 คอลัมน์ “อีเมล”: “saraban@” ไม่ใช่อีเมลที่ถูกต้อง"),
])
def test_bad_cells_are_named_by_row_and_column(column, value, message):
    plan = read([one(**{column: value})])
    assert plan.counts()["refused"] == 1
    assert plan.errors[0].startswith(message)


def test_one_refused_row_refuses_the_file_unless_partial():
    rows = [one(), one(ชื่อหน่วยงาน="อบต.นาหว้า", ประเภท="อบต.", รหัสหน่วยงาน="6470102", จังหวัด="นครพนมม")]
    plan = read(rows)
    report = onboarding.apply(plan, actor=ACTOR)
    assert not report.written and Agency.objects.count() == 0 and AuditEntry.objects.count() == 0
    report = onboarding.apply(plan, actor=ACTOR, partial=True)
    assert report.written and list(Agency.objects.values_list("code", flat=True)) == ["5470701"]


def test_duplicate_rows_are_refused_naming_the_first():
    plan = read([one(), one(ชื่อหน่วยงาน="อีกชื่อ")])
    assert plan.rows[1].errors == ["แถวที่ 3 คอลัมน์ “รหัสหน่วยงาน”: ซ้ำกับแถวที่ 2 (หน่วยงานเดียวกันสองแถว)"]
    plan = read([one(รหัสหน่วยงาน=""), one(รหัสหน่วยงาน="", อำเภอ="กุดบาก")])
    assert "ซ้ำกับแถวที่ 2" in plan.rows[1].errors[0]


def test_a_code_shared_by_two_agencies_is_ambiguous():
    Agency.objects.create(slug="a", name="ก", code="1")
    Agency.objects.create(slug="b", name="ข", code="1")
    plan = read([one(รหัสหน่วยงาน="1")])
    assert "มีหน่วยงานที่ใช้รหัสนี้ 2 แห่ง" in plan.errors[0]


def test_a_missing_required_column_is_named():
    rows = [{"ชื่อหน่วยงาน": "เทศบาลตำบลแร่", "อำเภอ": "พังโคน", "ประเภท": "ทต."}]
    with pytest.raises(onboarding.ImportRefused, match="ไม่มีคอลัมน์ “จังหวัด”"):
        read(rows)


def test_english_headings_and_a_title_row_above_the_table_are_read():
    rows = [{"name": "อบต.นาหว้า", "kind": "sao", "province": "Nakhon Phanom", "district": "Na Wa", "code": "x1"}]
    plan = read(rows, fmt="xlsx", title_rows=2)
    assert plan.rows[0].number == 4
    assert plan.rows[0].values["province"] == "นครพนม" and plan.rows[0].values["district"] == "นาหว้า"


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_thousands_of_rows_in_one_transaction(fmt):
    rows = generate.agency_rows(3000)
    plan = read(rows, fmt=fmt)
    assert plan.counts() == {"created": 3000, "updated": 0, "unchanged": 0, "refused": 0}
    onboarding.apply(plan, actor=ACTOR)
    assert Agency.objects.count() == 3000
    assert Agency.objects.exclude(district="").count() == 3000
    # the same file again, with one bad row at the end: nothing is written, the row is named
    rows[-1]["อำเภอ"] = "ไม่มีอำเภอนี้"
    rows[0]["ชื่อหน่วยงาน"] = "ชื่อใหม่"
    plan = read(rows, fmt=fmt)
    assert plan.counts()["refused"] == 1 and plan.counts()["updated"] == 1
    assert plan.errors[0].startswith("แถวที่ 3001 คอลัมน์ “อำเภอ”")
    assert not onboarding.apply(plan, actor=ACTOR).written
    assert not Agency.objects.filter(name="ชื่อใหม่").exists()


def test_a_spreadsheet_bomb_is_refused_before_it_is_parsed():
    """The same zip bounds as every upload (prongsai.lib.spreadsheets): a 60 MB shared-strings bomb."""
    import io

    from prongsai.workspace.tests import bombs

    with pytest.raises(onboarding.ImportRefused, match="เมื่อขยายแล้วมีขนาด 60 MB เกิน 50 MB"):
        onboarding.read_agencies(io.BytesIO(bombs.shared_strings_bomb(60)), name="agencies.xlsx")
    assert not Agency.objects.exists()
