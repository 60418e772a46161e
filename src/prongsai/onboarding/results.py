"""Many agencies' ITA results of one year from one sheet, in the shape the NACC publishes them: a row per
agency, its name (and code, province) then the scores (`prongsai import_results FILE --year 2567`, and the
operator's page).

    plan = read_results(fh, name="ita-2567.xlsx", year=2567)   every row checked and matched; nothing written
    report = apply(plan, actor=user)                            one transaction

Columns (compared without spaces and case): หน่วยงาน / ชื่อหน่วยงาน (or) รหัสหน่วยงาน, and optionally จังหวัด
(to tell apart agencies of the same name); the scores: one column per indicator, headed by its number
("1", "ตัวชี้วัดที่ 1", "i1") or its name in the year's catalogue ("การปฏิบัติหน้าที่"); IIT, EIT, OIT
(the weighted parts), คะแนนรวม / คะแนน ITA, ระดับ / ระดับผลการประเมิน. Scores are 0–100 with at most two
decimals, Thai or Arabic digits; an empty cell is no score.

A row names its agency by code first, else by name (in its province when the column is there): a name
with no agency, or one shared by several, refuses the row and lists it with its row and column. Each
result is saved with prongsai.assessments.editing.save_ita_result (as typed, audited), replacing that
agency's result of the year. All or nothing unless `partial`.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from prongsai.agencies import geography
from prongsai.agencies.models import Agency
from prongsai.assessments import editing
from prongsai.assessments.models import IndicatorScore, ITAResult
from prongsai.audit import services as audit
from prongsai.framework.catalogue import Framework, UnknownFrameworkYear, get_framework
from prongsai.lib import thai
from prongsai.onboarding.agencies import ImportRefused
from prongsai.onboarding.tables import TableError, find_table, heading_key, read_cells

PARTS = {
    "name": ("หน่วยงาน", "ชื่อหน่วยงาน", "name", "agency"),
    "code": ("รหัสหน่วยงาน", "รหัส", "code"),
    "province": ("จังหวัด", "province"),
    "iit": ("IIT", "คะแนน IIT"),
    "eit": ("EIT", "คะแนน EIT"),
    "oit": ("OIT", "คะแนน OIT"),
    "total": ("คะแนนรวม", "รวม", "คะแนน ITA", "คะแนน", "total"),
    "grade": ("ระดับ", "ระดับผลการประเมิน", "ผลการประเมิน", "grade"),
}
HEADINGS = {key: names[0] for key, names in PARTS.items()}
_INDICATOR = re.compile(r"^(?:ตัวชี้วัดที่|ตัวชี้วัด|i|ind|indicator)?_?(\d{1,2})$")


def _matcher(framework: Framework):
    by_heading = {heading_key(h): key for key, names in PARTS.items() for h in names}
    for ind in framework.indicators:
        by_heading[heading_key(ind.name)] = f"i{ind.no}"
        by_heading[heading_key(f"ตัวชี้วัดที่ {ind.no} {ind.name}")] = f"i{ind.no}"

    def match(heading: str) -> str | None:
        key = heading_key(heading)
        found = _INDICATOR.match(thai.to_arabic(key))
        if found:
            return f"i{int(found.group(1))}"
        return by_heading.get(key)
    return match


@dataclass
class Row:
    number: int
    label: str  # the agency as the row names it
    agency: Agency | None = None
    sheet: editing.ScoreSheet = field(default_factory=editing.ScoreSheet)
    replaces: bool = False  # the agency already has a result of the year
    errors: list[str] = field(default_factory=list)


@dataclass
class Plan:
    source: str
    year: int
    rows: list[Row]

    @property
    def matched(self) -> list[Row]:
        return [r for r in self.rows if not r.errors]

    @property
    def refused(self) -> list[Row]:
        return [r for r in self.rows if r.errors]

    @property
    def unmatched(self) -> list[Row]:
        return [r for r in self.rows if r.agency is None]

    @property
    def errors(self) -> list[str]:
        return [e for r in self.rows for e in r.errors]

    def counts(self) -> dict[str, int]:
        matched = self.matched
        replaced = sum(1 for r in matched if r.replaces)
        return {"created": len(matched) - replaced, "updated": replaced, "refused": len(self.refused),
                "unmatched": len(self.unmatched)}


@dataclass
class Report:
    plan: Plan
    written: bool


def _error(row: Row, column: str, message: str) -> None:
    row.errors.append(_("แถวที่ %(row)s คอลัมน์ “%(column)s”: %(message)s")
                      % {"row": row.number, "column": column, "message": message})


def read_results(fh, *, name: str, year: int) -> Plan:
    try:
        general = get_framework(year)
    except UnknownFrameworkYear:
        raise ImportRefused(_("ระบบไม่มีเกณฑ์ ITA ปี %(year)s") % {"year": year}) from None
    try:
        cells = read_cells(fh, name)
        match = _matcher(general)
        table = None
        try:
            table = find_table(cells, match=match, required={"name": HEADINGS["name"]})
        except TableError:
            table = find_table(cells, match=match, required={"code": HEADINGS["code"]})
    except TableError as exc:
        raise ImportRefused(str(exc)) from None
    score_keys = [k for k in table.columns if k.startswith("i") and k[1:].isdigit() or k in
                  ("iit", "eit", "oit", "total", "grade")]
    if not score_keys:
        raise ImportRefused(_("ไฟล์: แถวหัวตารางไม่มีคอลัมน์คะแนน (ตัวชี้วัดที่ 1–10, IIT, EIT, OIT, คะแนนรวม)"))
    unknown = [table.headings[k] for k in table.columns
               if k.startswith("i") and k[1:].isdigit() and int(k[1:]) not in general.indicator_numbers]
    if unknown:
        raise ImportRefused(_("ไฟล์: เกณฑ์ ITA ปี %(year)s ไม่มีตัวชี้วัดของคอลัมน์ %(names)s") % {
            "year": year, "names": " ".join(f"“{h}”" for h in unknown)})

    index = _Agencies()
    frameworks: dict[str, Framework] = {general.family: general}
    rows: list[Row] = []
    seen: dict[int, int] = {}
    for number, cells_of_row in table.rows:
        name_text = " ".join(table.value(cells_of_row, "name").split())
        code = table.value(cells_of_row, "code").replace(" ", "")
        province_text = table.value(cells_of_row, "province")
        row = Row(number=number, label=name_text or code)
        if not name_text and not code:
            _error(row, table.headings.get("name") or table.headings["code"], _("ไม่ได้ระบุหน่วยงาน"))
            rows.append(row)
            continue
        row.agency = index.find(row, table, name=name_text, code=code, province=province_text)
        if row.agency is not None:
            if row.agency.pk in seen:
                _error(row, table.headings["code"] if code else table.headings["name"],
                       _("หน่วยงานเดียวกับแถวที่ %(row)s") % {"row": seen[row.agency.pk]})
            else:
                seen[row.agency.pk] = number
            family = row.agency.family
            if family not in frameworks:
                try:
                    frameworks[family] = get_framework(year, family)
                except UnknownFrameworkYear:
                    frameworks[family] = general
            _scores(row, table, cells_of_row, frameworks[family])
        rows.append(row)
    if not rows:
        raise ImportRefused(_("ไฟล์: ไม่มีแถวข้อมูลใต้แถวหัวตาราง"))
    have = set(ITAResult.objects.filter(year=year, agency_id__in=[r.agency.pk for r in rows if r.agency])
               .values_list("agency_id", flat=True))
    for row in rows:
        row.replaces = row.agency is not None and row.agency.pk in have
    return Plan(source=name, year=year, rows=rows)


class _Agencies:
    def __init__(self):
        self.by_code: dict[str, list[Agency]] = defaultdict(list)
        self.by_name: dict[str, list[Agency]] = defaultdict(list)
        for agency in Agency.objects.only("pk", "slug", "name", "code", "province", "family"):
            if agency.code:
                self.by_code[agency.code].append(agency)
            self.by_name[_name_key(agency.name)].append(agency)

    def find(self, row: Row, table, *, name: str, code: str, province: str) -> Agency | None:
        column = table.headings.get("code") if code else table.headings.get("name")
        if code:
            found = self.by_code.get(code, [])
            if len(found) == 1:
                return found[0]
            if len(found) > 1:
                _error(row, column, _("มีหน่วยงานที่ใช้รหัส “%(code)s” %(n)s แห่ง") % {"code": code, "n": len(found)})
                return None
            if not name:
                _error(row, column, _("ไม่พบหน่วยงานรหัส “%(code)s” ในระบบ") % {"code": code})
                return None
        found = self.by_name.get(_name_key(name), [])
        if province:
            p = geography.province(province)
            found = [a for a in found if p is not None and a.province == p.name]
        if len(found) == 1:
            return found[0]
        column = table.headings.get("name")
        if not found:
            where = _(" ใน%(province)s") % {"province": province} if province else ""
            _error(row, column, _("ไม่พบหน่วยงาน “%(name)s”%(where)s ในระบบ") % {"name": name, "where": where})
        else:
            provinces = ", ".join(sorted({a.province or "-" for a in found}))
            _error(row, column, _("มีหน่วยงานชื่อ “%(name)s” %(n)s แห่ง (%(provinces)s): ระบุรหัสหน่วยงานหรือจังหวัด")
                   % {"name": name, "n": len(found), "provinces": provinces})
        return None


def _name_key(name: str) -> str:
    return "".join(str(name).split())


def _scores(row: Row, table, cells: list[str], framework: Framework) -> None:
    sheet = row.sheet
    for key in table.columns:
        text = table.value(cells, key).strip()
        if not text or text in ("-", "–"):
            continue
        heading = table.headings[key]
        if key == "grade":
            grades = [b.label for b in framework.bands]
            if text not in grades:
                _error(row, heading, _("ระดับ “%(text)s” ไม่มีในเกณฑ์ปี %(year)s (ใช้ %(grades)s)")
                       % {"text": text, "year": framework.year, "grades": " / ".join(grades)})
            else:
                sheet.grade = text
            continue
        if key not in ("iit", "eit", "oit", "total") and not (key.startswith("i") and key[1:].isdigit()):
            continue
        try:
            value: Decimal = editing.parse_score(text)
        except ValueError as exc:
            _error(row, heading, str(exc))
            continue
        if key in ("iit", "eit", "oit", "total"):
            setattr(sheet, key, value)
        elif int(key[1:]) in framework.indicator_numbers:
            sheet.indicators[int(key[1:])] = value
        else:
            _error(row, heading, _("เกณฑ์ ITA ปี %(year)s ของหน่วยงานนี้ไม่มีตัวชี้วัดที่ %(no)s")
                   % {"year": framework.year, "no": key[1:]})
    if not row.errors and not sheet.indicators and sheet.total is None:
        _error(row, table.headings.get("name") or table.headings.get("code"), _("แถวนี้ไม่มีคะแนน"))


def _snapshot(result: ITAResult, scores: dict[int, Decimal]) -> dict:
    from prongsai.assessments import services

    names = [f.attname for f in ITAResult._meta.concrete_fields
             if f.attname != "id" and f.attname not in services.STORED_FIELDS]
    data = audit.snapshot(result, names)
    data["scores"] = {str(no): str(score) for no, score in sorted(scores.items())}
    return data


def apply(plan: Plan, *, actor, partial: bool = False) -> Report:
    """Save every matched row's result in one transaction; nothing when a row is refused, unless `partial`.

    The same as prongsai.assessments.editing.save_ita_result for each row (the figures as given, an
    audit entry per result created or changed, the stored totals recomputed), written in bulk: a few
    queries per thousand rows plus the audit entries."""
    from prongsai.assessments import services

    if plan.refused and not partial:
        return Report(plan=plan, written=False)
    rows = plan.matched
    with transaction.atomic():
        existing = {r.agency_id: r for r in ITAResult.objects.select_for_update()
                    .filter(year=plan.year, agency_id__in=[row.agency.pk for row in rows])}
        old_scores: dict[int, dict[int, Decimal]] = defaultdict(dict)
        for rid, no, score in IndicatorScore.objects.filter(result__in=list(existing.values())).values_list(
                "result_id", "indicator", "score"):
            old_scores[rid][no] = score
        before = {aid: _snapshot(r, old_scores[r.pk]) for aid, r in existing.items()}
        new, changed = [], []
        for row in rows:
            s = row.sheet
            result = existing.get(row.agency.pk) or ITAResult(agency=row.agency, year=plan.year)
            result.iit, result.eit, result.oit, result.total, result.grade = s.iit, s.eit, s.oit, s.total, s.grade
            (changed if result.pk else new).append(result)
        ITAResult.objects.bulk_create(new, batch_size=500)
        if new and new[0].pk is None:  # databases that return no ids from bulk_create
            ids = dict(ITAResult.objects.filter(year=plan.year, agency_id__in=[r.agency_id for r in new])
                       .values_list("agency_id", "pk"))
            for result in new:
                result.pk = ids[result.agency_id]
        ITAResult.objects.bulk_update(changed, ["iit", "eit", "oit", "total", "grade"], batch_size=500)
        results = {r.agency_id: r for r in new + changed}
        IndicatorScore.objects.filter(result__in=changed).delete()
        IndicatorScore.objects.bulk_create(
            [IndicatorScore(result=results[row.agency.pk], indicator=no, score=score)
             for row in rows for no, score in sorted(row.sheet.indicators.items())], batch_size=1000)
        for row in rows:
            result = results[row.agency.pk]
            changes = audit.diff(before.get(row.agency.pk), _snapshot(result, row.sheet.indicators))
            if changes:
                action = "assessments.itaresult.updated" if row.agency.pk in before else "assessments.itaresult.created"
                audit.record(actor=actor, action=action, obj=result, agency=row.agency, changes=changes)
        services.recompute_many(ITAResult.objects.filter(pk__in=[r.pk for r in results.values()]))
        audit.record(actor=actor, action="onboarding.results.imported", obj=None, object_repr=plan.source[:300],
                     changes={"year": [None, plan.year], **{k: [None, v] for k, v in plan.counts().items()}})
    return Report(plan=plan, written=True)
