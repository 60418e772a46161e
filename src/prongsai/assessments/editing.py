"""Entering an agency's ITA result for one year in the browser: by form or from an uploaded sheet.

Values are kept exactly as given (a published total or grade is never replaced by a computed one);
`services.evaluate` shows what differs. The sheet layout (one row per indicator, then optional rows
for the parts, the total and the grade) is described in `SHEET_LAYOUT` and used by the template.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from prongsai.agencies.models import Agency
from prongsai.assessments import services
from prongsai.assessments.models import IndicatorScore, ITAResult
from prongsai.audit import services as audit
from prongsai.framework.catalogue import Framework
from prongsai.lib import thai

# Column headings of a score sheet, and the words accepted in the ตัวชี้วัด column for the
# optional rows after the indicators (compared without case and spaces).
INDICATOR_COLUMN = "ตัวชี้วัด"
NAME_COLUMN = "ชื่อตัวชี้วัด"
SCORE_COLUMN = "คะแนน"
PART_ROWS: dict[str, tuple[str, ...]] = {
    "iit": ("IIT",),
    "eit": ("EIT",),
    "oit": ("OIT",),
    "total": ("รวม", "คะแนนรวม", "total"),
    "grade": ("ระดับ", "ระดับผลการประเมิน", "grade"),
}
PART_LABELS = {"iit": "IIT", "eit": "EIT", "oit": "OIT", "total": "รวม", "grade": "ระดับ"}


def parse_score(text) -> Decimal:
    """A score typed by a person or read from a cell: Thai or Arabic digits, 0–100, at most two
    decimal places. Raises ValueError with the Thai reason."""
    if isinstance(text, float):
        text = format(text, ".10g")  # binary noise of spreadsheet numbers (84.4000000001) goes
    raw = thai.to_arabic(str(text)).strip().replace(" ", "")
    if not raw:
        raise ValueError(_("ไม่ได้กรอกคะแนน"))
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise ValueError(_("“%(text)s” ไม่ใช่ตัวเลข") % {"text": str(text).strip()}) from None
    if not value.is_finite() or value < 0 or value > 100:
        raise ValueError(_("คะแนนต้องอยู่ระหว่าง ๐ ถึง ๑๐๐"))
    if value.as_tuple().exponent < -2 and value != value.quantize(Decimal("0.01")):
        raise ValueError(_("ทศนิยมได้ไม่เกิน ๒ ตำแหน่ง"))
    return value.quantize(Decimal("0.01")) if value.as_tuple().exponent < -2 else value


@dataclass
class ScoreSheet:
    """What a score sheet says; None / "" for what it leaves out."""

    indicators: dict[int, Decimal] = field(default_factory=dict)
    iit: Decimal | None = None
    eit: Decimal | None = None
    oit: Decimal | None = None
    total: Decimal | None = None
    grade: str = ""


class SheetInvalid(ValueError):
    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("\n".join(errors))


def _key(text: str) -> str:
    return "".join(str(text).split()).lower()


def read_score_rows(*, framework: Framework, rows: list[tuple[int, dict]]) -> ScoreSheet:
    """Rows of a score sheet, each (row number, {"indicator": text, "score": text}), to a ScoreSheet.
    Every problem is reported, in Thai, with its row and column; an empty score leaves the row out."""
    sheet = ScoreSheet()
    errors: list[str] = []
    seen: dict[str, int] = {}
    parts = {_key(word): name for name, words in PART_ROWS.items() for word in words}
    grades = [band.label for band in framework.bands]

    def error(row: int, column: str, message: str) -> None:
        errors.append(_("แถวที่ %(row)s คอลัมน์ %(column)s: %(message)s") % {
            "row": row, "column": column, "message": message})

    for number, row in rows:
        label = thai.to_arabic(str(row.get("indicator") or "")).strip()
        score_text = str(row.get("score") or "").strip()
        if not label:
            if score_text:
                error(number, INDICATOR_COLUMN, _("ไม่ได้ระบุว่าเป็นคะแนนของตัวชี้วัดใด"))
            continue
        name = parts.get(_key(label))
        if name is None:
            try:
                indicator = int(Decimal(label))
                if Decimal(label) != indicator:
                    raise InvalidOperation
            except (InvalidOperation, ValueError):
                error(number, INDICATOR_COLUMN, _("“%(text)s” ไม่ใช่เลขตัวชี้วัด หรือ IIT / EIT / OIT / รวม / ระดับ")
                      % {"text": label})
                continue
            if indicator not in framework.indicator_numbers:
                error(number, INDICATOR_COLUMN, _("เกณฑ์ ITA ปี %(year)s ไม่มีตัวชี้วัดที่ %(no)s (มีตัวชี้วัดที่ %(first)s–%(last)s)")
                      % {"year": framework.year, "no": indicator, "first": min(framework.indicator_numbers),
                         "last": max(framework.indicator_numbers)})
                continue
            name = str(indicator)
        if name in seen:
            error(number, INDICATOR_COLUMN, _("ซ้ำกับแถวที่ %(row)s") % {"row": seen[name]})
            continue
        seen[name] = number
        if not score_text:
            continue
        if name == "grade":
            if score_text not in grades:
                error(number, SCORE_COLUMN, _("ระดับ “%(text)s” ไม่มีในเกณฑ์ปี %(year)s (ใช้ %(grades)s)")
                      % {"text": score_text, "year": framework.year, "grades": " / ".join(grades)})
            else:
                sheet.grade = score_text
            continue
        try:
            value = parse_score(row.get("score"))
        except ValueError as exc:
            error(number, SCORE_COLUMN, str(exc))
            continue
        if name.isdigit():
            sheet.indicators[int(name)] = value
        else:
            setattr(sheet, name, value)
    if errors:
        raise SheetInvalid(errors)
    if not sheet.indicators and sheet.total is None:
        raise SheetInvalid([_("ไฟล์ไม่มีคะแนนเลย: กรอกคะแนนในคอลัมน์ %(column)s") % {"column": SCORE_COLUMN}])
    return sheet


def _snapshot(result: ITAResult | None) -> dict | None:
    if result is None or result.pk is None:
        return None
    names = [f.attname for f in result._meta.concrete_fields
             if f.attname != "id" and f.attname not in services.STORED_FIELDS]
    data = audit.snapshot(result, names)
    data["scores"] = {str(s.indicator): str(s.score) for s in result.scores.order_by("indicator")}
    return data


def save_ita_result(*, actor, agency: Agency, framework: Framework, year: int, indicators: dict[int, Decimal],
                    iit: Decimal | None = None, eit: Decimal | None = None, oit: Decimal | None = None,
                    total: Decimal | None = None, grade: str = "", note: str | None = None) -> ITAResult:
    """Create or replace the agency's result of one ITA year: the given scores and figures, as given.
    Indicators not listed lose their score. `note` None keeps the stored note."""
    unknown = [no for no in indicators if no not in framework.indicator_numbers]
    if unknown:
        raise ValidationError(_("เกณฑ์ ITA ปี %(year)s ไม่มีตัวชี้วัดที่ %(no)s") % {
            "year": framework.year, "no": ", ".join(str(n) for n in unknown)})
    if grade and grade not in [band.label for band in framework.bands]:
        raise ValidationError({"grade": _("ระดับผลการประเมิน: “%(grade)s” ไม่มีในเกณฑ์ปี %(year)s") % {
            "grade": grade, "year": framework.year}})
    with transaction.atomic():
        result = ITAResult.objects.select_for_update().filter(agency=agency, year=year).first()
        before = _snapshot(result)
        if result is None:
            result = ITAResult(agency=agency, year=year)
        result.iit, result.eit, result.oit, result.total = iit, eit, oit, total
        result.grade = grade or ""
        if note is not None:
            result.note = note
        result.save()
        result.scores.exclude(indicator__in=list(indicators)).delete()
        current = {s.indicator: s for s in result.scores.all()}
        for no, score in sorted(indicators.items()):
            row = current.get(no)
            if row is None:
                IndicatorScore.objects.create(result=result, indicator=no, score=score)
            elif row.score != score:
                row.score = score
                row.save(update_fields=["score"])
        changes = audit.diff(before, _snapshot(result))
        services.recompute_totals(result)
        if changes:
            action = "assessments.itaresult.updated" if before else "assessments.itaresult.created"
            audit.record(actor=actor, action=action, obj=result, agency=agency, changes=changes)
    return result
