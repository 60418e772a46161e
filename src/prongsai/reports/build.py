"""From a normalised year dict (docs/year-file.md) to the round report `Document`.

The round report is what agencies publish after each monitoring round: a covering memo
(บันทึกข้อความ), a cover, the preface (คำนำ), the analysis paragraph, the measures table, the results
table and the preparer's signature, in that order (as in the reference report of เทศบาลตำบลแร่ 2563).
Every text goes through lib.thai.digits in the agency's digit style; dates through lib.thai.format_date.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from dataclasses import dataclass
from typing import Any, Mapping

from prongsai.lib import fiscal, thai
from prongsai.reports import wording
from prongsai.reports.document import (
    Cell, Document, Letterhead, PageBreak, Paragraph, Run, Section, Signature, Spacer, Table,
)

MEMO_HEADING = "บันทึกข้อความ"
MEMO_HEADING_SIZE = 29.0
COVER_TITLE_SIZE = 24.0
COVER_LINE_SIZE = 20.0
APPROVER_HEADING = "ความเห็นผู้บังคับบัญชา"
DRAFT_NOTE = "ฉบับร่าง ยังไม่ผ่านการอนุมัติ"  # = reports.approval.DRAFT_NOTE
PREFACE_HEADING = "คำนำ"
PREPARER_SUFFIX = "ผู้จัดทำ"
BODY_INDENT = 2.5  # cm, first line of a memo or report paragraph
DEFAULT_MONITORING = "รายงานผลการดำเนินงานตามมาตรการ"
DEFAULT_URGENT_BELOW = 75

MEASURE_HEADER = ("ตัวชี้วัด/มาตรการ", "แนวทางการปฏิบัติ", "ขั้นตอน/วิธีการปฏิบัติ", "ผู้รับผิดชอบ", "การกำกับติดตาม")
MEASURE_WIDTHS = [4.0, 6.0, 6.0, 3.6, 4.0]
MERGED_MEASURE_COLUMNS = ()  # no merging across measures: a merged cell prints once, not on every page
SUBJECT_HANG = 0.83  # cm: the width of a bold "เรื่อง " at 16 pt, so the subject's lines align
RESULT_WIDTHS = [3.8, 6.2, 3.0, 4.2, 4.6, 2.8]
NO_MONITORED = "ไม่มีมาตรการที่กำหนดให้กำกับติดตามผลการดำเนินการใน{round_label}"


class NoReportForRound(ValueError):
    """The year has no `reports` entry (memo data) for the requested round."""

    def __init__(self, *, round: int, available: list[int], fiscal_year: int):
        self.round, self.available = round, available
        have = ", ".join(str(r) for r in available) if available else "none"
        super().__init__(
            f"fiscal year {fiscal_year} has no report entry for round {round}; "
            f"rounds with a `reports` entry: {have}"
        )


@dataclass(frozen=True)
class _Ctx:
    """What every part of the report needs: the digit style and the filled-in wording."""

    style: str
    templates: dict
    values: dict

    def t(self, text: Any) -> str:
        return thai.digits("" if text is None else str(text), self.style)

    def fill(self, key: str) -> str:
        return self.t(wording.fill(self.templates[key], self.values))

    def fill_list(self, key: str) -> list[str]:
        return [self.t(wording.fill(item, self.values)) for item in self.templates[key]]

    def date(self, value: Any) -> str:
        return thai.format_date(_as_date(value), self.style)


def _as_date(value: Any) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def _lines(text: str) -> list[str]:
    return text.split("\n") if text else []


def _body_paragraph(text: str) -> list[Paragraph]:
    """One template or data paragraph; its own line breaks become paragraphs of the same style."""
    return [Paragraph.text(line, align="justify", first_line_indent=BODY_INDENT) for line in _lines(text)]


def _location(agency: Mapping) -> str:
    parts = []
    if agency.get("district"):
        parts.append(f"อำเภอ{agency['district']}")
    if agency.get("province"):
        parts.append(f"จังหวัด{agency['province']}")
    return " ".join(parts)


def _office(agency: Mapping) -> str:
    return agency.get("office_name") or f"สำนักงาน{agency.get('name', '')}"


_AUTO = object()


def round_report(data: dict, *, round: int, emblem: bytes | None | object = _AUTO) -> Document:
    """The round report of `round` months (3, 6, 9, 12) for one year dict. `emblem`: the agency's
    emblem PNG for the memo's letterhead; by default the one stored for the agency's slug, if the
    database has it (reports.emblem.for_slug). A memo whose chain has not all signed (an approver
    without a date, or no approver) is a draft and says so on every page (Document.draft)."""
    fiscal_year = int(data["fiscal_year"])
    rnd = fiscal.round_of(fiscal_year, round)
    report = _report_entry(data, round=rnd.months, fiscal_year=fiscal_year)
    agency = data.get("agency") or {}
    style = agency.get("digits") or thai.THAI
    analysis = data.get("analysis") or {}
    based_on = int(analysis.get("based_on") or fiscal_year - 1)
    values = {
        "agency": agency.get("name", ""),
        "office": _office(agency),
        "location": _location(agency),
        "district": agency.get("district", ""),
        "province": agency.get("province", ""),
        "fiscal_year": str(fiscal_year),
        "prior_year": str(based_on),
        "round_label": rnd.label(style),
        "period": rnd.period(style),
    }
    values["summary"] = analysis_summary_for(data, based_on=based_on) or ""
    ctx = _Ctx(style=style, templates=wording.merged(data=data), values=values)
    memo = report.get("memo") or {}
    title = f"{ctx.fill('cover_title')} {rnd.label(style)}"
    document = Document(
        title=title,
        subject=ctx.t(memo.get("subject")) or ctx.fill("memo_subject"),
        author=ctx.t(values["office"]),
        digits=style,
        sections=[
            _memo_section(ctx, agency=agency, memo=memo),
            _front_section(ctx, rnd=rnd, agency=agency, report=report),
            _report_section(ctx, data=data, rnd=rnd, report=report, has_summary=bool(values["summary"])),
        ],
        draft=DRAFT_NOTE if is_draft(memo) else "",
    )
    from prongsai.reports import emblem as emblems

    return emblems.apply(document, emblems.for_slug(agency.get("slug")) if emblem is _AUTO else emblem)


def is_draft(memo: Mapping) -> bool:
    """Not yet approved: no approver, or an approver without a date (the rule the importer uses)."""
    approvers = memo.get("approvers") or []
    return not approvers or not all(a.get("date") for a in approvers)


def _report_entry(data: Mapping, *, round: int, fiscal_year: int) -> dict:
    entries = data.get("reports") or []
    for entry in entries:
        if int(entry.get("round", 0)) == round:
            return entry
    raise NoReportForRound(round=round, available=sorted(int(e["round"]) for e in entries if e.get("round")),
                           fiscal_year=fiscal_year)


# --- (a) the covering memo -------------------------------------------------------------------------

def _field(label: str, value: str) -> Paragraph:
    return Paragraph([Run(label, bold=True), Run(f" {value}" if value else "")])


def _memo_section(ctx: _Ctx, *, agency: Mapping, memo: Mapping) -> Section:
    """บันทึกข้อความ as the regulation lays it out: the emblem at the top left with the title centred
    beside it (reports.emblem fills the letterhead), ส่วนราชการ, then ที่ and วันที่ on one line (วันที่
    from the middle), เรื่อง with its wrapped lines aligned under the subject (a hanging indent), เรียน."""
    office_line = " ".join(p for p in (_office(agency), _location(agency)) if p)
    prefix = agency.get("doc_prefix") or ""
    number = "" if memo.get("number") in (None, "") else str(memo["number"])
    doc_no = f"{prefix}/{number}" if prefix else number
    body = [ctx.t(p) for p in memo["body"]] if memo.get("body") else ctx.fill_list("memo_body")
    section = Section(name="memo", page_numbers=False, margin_left=3.0, margin_right=2.0)
    subject = _field("เรื่อง", ctx.t(memo.get("subject")) or ctx.fill("memo_subject"))
    subject.left_indent, subject.first_line_indent = SUBJECT_HANG, -SUBJECT_HANG
    section.add(
        Letterhead.text(MEMO_HEADING, bold=True, align="center", size=MEMO_HEADING_SIZE, space_after=6,
                        position="left"),
        _field("ส่วนราชการ", ctx.t(office_line)),
        Table(widths=[1, 1], header=[], frame=False, body=[[
            Cell([_field("ที่", ctx.t(doc_no))]), Cell([_field("วันที่", ctx.date(memo.get("date")))]),
        ]]),
        subject,
        _field("เรียน", ctx.t(memo.get("addressee") or agency.get("executive_title") or "")),
        Spacer(0.3),
    )
    for paragraph in body:
        section.add(*_body_paragraph(paragraph))
    for person in memo.get("preparers") or []:
        section.add(Spacer(0.6), Signature(
            name=ctx.t(person.get("name")), position=ctx.t(person.get("position")), rank=ctx.t(person.get("rank")),
        ))
    for person in memo.get("approvers") or []:
        section.add(Spacer(0.6), Signature(
            name=ctx.t(person.get("name")), position=ctx.t(person.get("position")),
            heading=APPROVER_HEADING, comment=ctx.t(person.get("comment") or ""),
            rank=ctx.t(person.get("rank")), date=ctx.date(person.get("date")),
        ))
    return section


# --- (b) cover and (c) preface ---------------------------------------------------------------------

def _front_section(ctx: _Ctx, *, rnd: fiscal.Round, agency: Mapping, report: Mapping) -> Section:
    section = Section(name="cover", page_numbers=False)
    section.add(
        Spacer(5.0),
        Paragraph.text(ctx.fill("cover_title"), bold=True, align="center", size=COVER_TITLE_SIZE),
        Paragraph.text(rnd.title(ctx.style), bold=True, align="center", size=COVER_LINE_SIZE, space_before=6),
        Spacer(6.0),
        Paragraph.text(ctx.t(agency.get("name")), bold=True, align="center", size=COVER_TITLE_SIZE),
        Paragraph.text(ctx.t(_location(agency)), bold=True, align="center", size=COVER_LINE_SIZE),
        PageBreak(),
        Paragraph.text(PREFACE_HEADING, bold=True, align="center", size=COVER_LINE_SIZE, space_after=12,
                       keep_with_next=True),
    )
    for paragraph in ctx.fill_list("preface"):
        section.add(*_body_paragraph(paragraph))
    section.add(
        Spacer(1.0),
        Paragraph.text(ctx.t(_office(agency)), align="right"),
        Paragraph.text(ctx.date(report.get("preface_date")), align="right"),
    )
    return section


# --- (d) analysis, (e) measures, (f) results, (g) preparer --------------------------------------------

def _report_section(ctx: _Ctx, *, data: Mapping, rnd: fiscal.Round, report: Mapping, has_summary: bool) -> Section:
    section = Section(name="report", landscape=True, page_numbers=True, page_number_start=1)
    measures = data.get("measures") or []
    if has_summary:
        section.add(*_body_paragraph(ctx.fill("analysis")), Spacer(0.4))
    section.add(measures_table(ctx, measures=measures, fiscal_year=rnd.fiscal_year), Spacer(0.6))
    results = results_table(ctx, measures=measures, rnd=rnd)
    if results.body:
        intro = _body_paragraph(ctx.fill("results_intro"))
        if intro:  # kept on the page of the table's first rows (the 0.3 cm below it as its spacing)
            intro[-1].keep_with_next, intro[-1].space_after = True, 0.3 * 72 / 2.54
        section.add(*intro, results)
    else:  # no measure is monitored in this round: a sentence, not an empty table
        section.add(*_body_paragraph(ctx.t(NO_MONITORED.format(round_label=rnd.label(ctx.style)))))
    preparer = report.get("preparer") or {}
    if preparer.get("name"):
        section.add(Spacer(1.0), Signature(
            name=ctx.t(preparer["name"]), position=ctx.t(preparer.get("position")),
            rank=ctx.t(preparer.get("rank")), suffix=PREPARER_SUFFIX,
        ))
    return section


def _header_cell(text: str, **kwargs) -> Cell:
    return Cell.text(text, bold=True, align="center", valign="middle", **kwargs)


def _monitoring(ctx: _Ctx, measure: Mapping, *, fiscal_year: int) -> str:
    """The monitoring text, then one line per round: "-รอบ ๖ เดือน"."""
    lines = [measure.get("monitoring") or DEFAULT_MONITORING]
    lines += [f"-{fiscal.round_of(fiscal_year, r).label(ctx.style)}" for r in sorted(measure.get("rounds") or [])]
    return ctx.t("\n".join(lines))


def measures_table(ctx: _Ctx, *, measures: list, fiscal_year: int) -> Table:
    rows = [
        [ctx.t(m.get("title")), ctx.t(m.get("guideline")), ctx.t(m.get("steps")),
         ctx.t(m.get("responsible")), _monitoring(ctx, m, fiscal_year=fiscal_year)]
        for m in measures
    ]
    return Table(
        widths=MEASURE_WIDTHS,
        header=[[_header_cell(text) for text in MEASURE_HEADER]],
        body=[[Cell.text(text) for text in row] for row in rows],  # one row per measure, nothing merged
    )


def merge_identical(rows: list[list[str]], *, columns: tuple[int, ...]) -> list[list[Cell]]:
    """Cells of the rows; in `columns`, a non-empty text repeated in consecutive rows becomes one cell
    with a rowspan, and the covered positions are left out of the following rows. Not used for the
    measures table any more (a merged cell prints once, on its first page, and merging joined
    different measures): only for rows of one record."""
    cells: list[list[Cell | None]] = [[Cell.text(text) for text in row] for row in rows]
    for col in columns:
        start = 0
        while start < len(rows):
            end = start + 1
            while end < len(rows) and rows[start][col] and rows[end][col] == rows[start][col]:
                end += 1
            if end - start > 1:
                cells[start][col].rowspan = end - start
                for covered in range(start + 1, end):
                    cells[covered][col] = None
            start = end
    return [[cell for cell in row if cell is not None] for row in cells]


def results_table(ctx: _Ctx, *, measures: list, rnd: fiscal.Round) -> Table:
    header = [
        [_header_cell("ตัวชี้วัด", rowspan=2), _header_cell("รายละเอียดการดำเนินงาน", rowspan=2),
         _header_cell("ระยะเวลาการดำเนินงาน", rowspan=2), _header_cell("ผลการดำเนินการ", colspan=2),
         _header_cell("หมายเหตุ", rowspan=2)],
        [_header_cell("ผลผลิต"), _header_cell("ผลลัพธ์")],
    ]
    body = []
    for measure in measures:
        if rnd.months not in [int(r) for r in measure.get("rounds") or []]:
            continue
        results = [r for r in measure.get("results") or [] if int(r.get("round", 0)) == rnd.months]
        if not results:  # an empty row, as the warning says: no system sentence in the official table
            body.append([Cell.text(ctx.t(measure.get("title"))), *[Cell.text("") for _ in range(5)]])
            continue
        for result in results:
            body.append([
                Cell.text(ctx.t(result.get("label") or measure.get("title"))),
                Cell.text(ctx.t(result.get("details"))),
                Cell.text(ctx.t(result.get("period"))),
                Cell.text(ctx.t(result.get("outputs"))),
                Cell.text(ctx.t(result.get("outcomes"))),
                _remarks_cell(ctx, result),
            ])
    return Table(widths=RESULT_WIDTHS, header=header, body=body)


def _remarks_cell(ctx: _Ctx, result: Mapping) -> Cell:
    """หมายเหตุ: the remarks, then one line per piece of evidence (a link when it has a URL)."""
    paragraphs = [Paragraph.text(line) for line in _lines(ctx.t(result.get("remarks")))]
    for item in result.get("evidence") or []:
        url = item.get("url") or None
        paragraphs.append(Paragraph([Run(ctx.t(item.get("title")) or url or "", url=url)]))
    return Cell(paragraphs or [Paragraph.text("")])


# --- the analysis summary --------------------------------------------------------------------------

def _framework(data: Mapping, *, year: int):
    from prongsai.framework.catalogue import UnknownFrameworkYear, get_framework

    try:
        return get_framework(year)
    except UnknownFrameworkYear:
        return get_framework(int(data.get("framework_year") or data["fiscal_year"]))


def analysis_summary_for(data: Mapping, *, based_on: int) -> str | None:
    """The {summary} of the analysis paragraph: from the year's `analysis` block when it lists items
    (a number names the framework's indicator, {indicator, label} uses the label), else computed by
    gap analysis from the ita_results of `based_on`. None when there is neither."""
    from prongsai.assessments.services import analysis_summary, gap_analysis

    analysis = data.get("analysis") or {}
    if "urgent" in analysis or "improve" in analysis:
        def name(item) -> str:
            if isinstance(item, Mapping):
                if item.get("label"):
                    return str(item["label"])
                item = item["indicator"]
            return _framework(data, year=based_on).indicator(int(item)).name

        return analysis_summary(urgent_names=[name(i) for i in analysis.get("urgent") or []],
                                improve_names=[name(i) for i in analysis.get("improve") or []])
    entry = next((r for r in data.get("ita_results") or [] if int(r.get("year", 0)) == based_on), None)
    if not entry or not entry.get("indicators"):
        return None
    urgent_below = (data.get("agency") or {}).get("urgent_below")
    framework = _framework(data, year=based_on)
    known = {int(no): Decimal(str(score)) for no, score in entry["indicators"].items() if score is not None}
    gap = gap_analysis(
        framework=framework, indicators=known,
        urgent_below=Decimal(str(DEFAULT_URGENT_BELOW if urgent_below is None else urgent_below)),
    )
    unknown = [i for i in framework.indicators if i.no not in known]
    if not unknown or not known:
        if not known:
            return None
        return analysis_summary(urgent_names=[i.name for i in gap.urgent], improve_names=[i.name for i in gap.improve])
    # Partial scores: say which indicators are not known, never that all passed.
    return _partial_summary(gap, known=len(known), total=len(framework.indicators), unknown=unknown)


def _partial_summary(gap, *, known: int, total: int, unknown: list) -> str:
    from prongsai.assessments.services import INDICATOR_WORD, analysis_summary

    names = " ".join(i.name if i.name.startswith(INDICATOR_WORD) else INDICATOR_WORD + i.name for i in unknown)
    unknown_text = f"ยังไม่ทราบผลคะแนนของ {names}"
    if gap.urgent or gap.improve:
        found = analysis_summary(urgent_names=[i.name for i in gap.urgent], improve_names=[i.name for i in gap.improve])
        return f"{found} ทั้งนี้ {unknown_text}"
    return (f"ตัวชี้วัดที่ทราบผลคะแนน ({known} จาก {total} ตัวชี้วัด) ผ่านเกณฑ์ "
            f"และ{unknown_text}")
