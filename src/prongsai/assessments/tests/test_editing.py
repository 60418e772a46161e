from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.utils import translation

from prongsai.agencies.models import Agency
from prongsai.assessments import editing
from prongsai.assessments.models import ITAResult
from prongsai.audit.models import AuditEntry
from prongsai.framework.catalogue import shipped_framework as get_framework

F2562 = get_framework(2562)
F2566 = get_framework(2566)


@pytest.fixture(autouse=True)
def thai():
    """The messages are Thai (an earlier test's request may have left English active)."""
    with translation.override("th"):
        yield


@pytest.fixture
def agency(db):
    return Agency.objects.create(slug="sao-test", name="องค์การบริหารส่วนตำบลทดสอบ")


@pytest.fixture
def actor(db):
    return User.objects.create_user("planner", password="x")


@pytest.mark.parametrize("text, expected", [
    ("91.2", Decimal("91.2")), ("๘๐.๑๕", Decimal("80.15")), (" 100 ", Decimal("100")), ("0", Decimal("0")),
    (84.4000000001, Decimal("84.4")), ("84.400", Decimal("84.40")),
])
def test_parse_score_reads_thai_and_arabic_digits(text, expected):
    assert editing.parse_score(text) == expected


@pytest.mark.parametrize("text, message", [
    ("", "ไม่ได้กรอกคะแนน"), ("abc", "“abc” ไม่ใช่ตัวเลข"), ("100.01", "คะแนนต้องอยู่ระหว่าง ๐ ถึง ๑๐๐"),
    ("-1", "คะแนนต้องอยู่ระหว่าง ๐ ถึง ๑๐๐"), ("80.123", "ทศนิยมได้ไม่เกิน ๒ ตำแหน่ง"), ("NaN", "คะแนนต้องอยู่ระหว่าง"),
])
def test_parse_score_says_why_it_refuses(text, message):
    with pytest.raises(ValueError, match=message):
        editing.parse_score(text)


def test_read_score_rows_takes_indicators_parts_total_and_grade():
    rows = [(2, {"indicator": "๑", "score": "91.20"}), (3, {"indicator": "10", "score": "100"}),
            (4, {"indicator": "2", "score": ""}), (12, {"indicator": "iit", "score": "27.10"}),
            (15, {"indicator": "คะแนนรวม", "score": "84.40"}), (16, {"indicator": "ระดับ", "score": "B"})]
    sheet = editing.read_score_rows(framework=F2562, rows=rows)
    assert sheet.indicators == {1: Decimal("91.20"), 10: Decimal("100")}
    assert (sheet.iit, sheet.total, sheet.grade) == (Decimal("27.10"), Decimal("84.40"), "B")


def test_read_score_rows_knows_each_years_grades():
    with pytest.raises(editing.SheetInvalid) as exc:
        editing.read_score_rows(framework=F2566, rows=[(2, {"indicator": "1", "score": "90"}),
                                                      (3, {"indicator": "ระดับ", "score": "A"})])
    assert exc.value.errors == ["แถวที่ 3 คอลัมน์ คะแนน: ระดับ “A” ไม่มีในเกณฑ์ปี 2566 (ใช้ ผ่านดีเยี่ยม / ผ่าน / ไม่ผ่าน)"]


def test_read_score_rows_refuses_a_sheet_with_no_score():
    with pytest.raises(editing.SheetInvalid, match="ไฟล์ไม่มีคะแนนเลย"):
        editing.read_score_rows(framework=F2562, rows=[(2, {"indicator": "1", "score": ""})])


def test_read_score_rows_refuses_a_score_without_an_indicator():
    with pytest.raises(editing.SheetInvalid) as exc:
        editing.read_score_rows(framework=F2562, rows=[(7, {"indicator": "", "score": "50"}),
                                                      (8, {"indicator": "1.5", "score": "50"})])
    assert exc.value.errors == [
        "แถวที่ 7 คอลัมน์ ตัวชี้วัด: ไม่ได้ระบุว่าเป็นคะแนนของตัวชี้วัดใด",
        "แถวที่ 8 คอลัมน์ ตัวชี้วัด: “1.5” ไม่ใช่เลขตัวชี้วัด หรือ IIT / EIT / OIT / รวม / ระดับ",
    ]


def test_save_ita_result_stores_what_was_given_and_audits_it(agency, actor):
    result = editing.save_ita_result(actor=actor, agency=agency, framework=F2562, year=2562,
                                     indicators={1: Decimal("91.20"), 2: Decimal("80.15")}, total=Decimal("99.00"),
                                     grade="AA", note="ประกาศ")
    result = ITAResult.objects.get(pk=result.pk)
    assert (result.total, result.grade, result.iit, result.note) == (Decimal("99.00"), "AA", None, "ประกาศ")
    entry = AuditEntry.objects.get(object_id=str(result.pk))
    assert entry.action == "assessments.itaresult.created" and entry.actor == actor
    assert entry.changes["scores"] == [None, {"1": "91.20", "2": "80.15"}]


def test_save_ita_result_replaces_the_scores_and_keeps_the_note_unless_given(agency, actor):
    editing.save_ita_result(actor=actor, agency=agency, framework=F2562, year=2562,
                            indicators={1: Decimal("91.20"), 2: Decimal("80.15")}, note="ประกาศ")
    result = editing.save_ita_result(actor=actor, agency=agency, framework=F2562, year=2562,
                                     indicators={2: Decimal("81.00")})
    assert {s.indicator: s.score for s in result.scores.all()} == {2: Decimal("81.00")}
    assert ITAResult.objects.get(pk=result.pk).note == "ประกาศ"
    entry = AuditEntry.objects.filter(object_id=str(result.pk)).last()
    assert entry.action == "assessments.itaresult.updated"
    assert entry.changes == {"scores": [{"1": "91.20", "2": "80.15"}, {"2": "81.00"}]}


def test_save_ita_result_records_nothing_when_nothing_changed(agency, actor):
    for _ in range(2):
        editing.save_ita_result(actor=actor, agency=agency, framework=F2562, year=2562,
                                indicators={1: Decimal("91.20")})
    assert AuditEntry.objects.count() == 1


def test_save_ita_result_refuses_unknown_indicators_and_grades(agency, actor):
    with pytest.raises(ValidationError):
        editing.save_ita_result(actor=actor, agency=agency, framework=F2562, year=2562,
                                indicators={11: Decimal("50")})
    with pytest.raises(ValidationError):
        editing.save_ita_result(actor=actor, agency=agency, framework=F2566, year=2566,
                                indicators={1: Decimal("50")}, grade="A")
    assert not ITAResult.objects.exists()
