"""The year's plan document: มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน ประจำปีงบประมาณ N.

    document = plan_report(data, entry=entry)    # data: the normalised year dict (docs/year-file.md)

In order: the approval memo (บันทึกข้อความ ขออนุมัติ, when `entry` has one), the cover, the preface
(คำนำ), part 1 the analysis of the previous year's ITA result (every indicator's score against the
pass mark, the urgent weak points and the points to improve, the summary paragraph), part 2 the
measures table, and the sign-off (ผู้จัดทำ, then the approver when the memo has one). Built from the
same year dict as the round report; wording from the `plan` section of wording/th.yaml, overridden by
`plan_<key>` in the agency's or the year's wording (docs/documents.md).

`entry` is shaped like a year file's `reports` entry without its round (see reports.documents):
{"memo": {number, date, subject, addressee, body, preparers, approvers}, "preface_date", "preparer"}.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Mapping

from prongsai.lib import fiscal, thai
from prongsai.reports import build, wording
from prongsai.reports.build import (
    COVER_LINE_SIZE, COVER_TITLE_SIZE, PREFACE_HEADING, PREPARER_SUFFIX, _body_paragraph, _Ctx, _header_cell,
    _location, _memo_section, _office, measures_table,
)
from prongsai.reports.document import Cell, Document, PageBreak, Paragraph, Section, Signature, Spacer, Table

APPROVER_SUFFIX = "ผู้อนุมัติ"
HEADING_SIZE = 18.0
SCORE_HEADER = ("ตัวชี้วัด", "เครื่องมือ", "คะแนน", "เกณฑ์ผ่าน", "ผลต่างจากเกณฑ์", "ผลการวิเคราะห์")
SCORE_WIDTHS = [6.2, 2.0, 1.9, 1.9, 2.4, 3.6]
PASSED = "ผ่านเกณฑ์"
URGENT = "ต้องแก้ไขโดยเร่งด่วน"
IMPROVE = "ต้องพัฒนาให้ดีขึ้น"
NO_SCORE = "-"
URGENT_HEADING = "ประเด็นข้อบกพร่องหรือจุดอ่อนที่จะต้องแก้ไขโดยเร่งด่วน"
IMPROVE_HEADING = "ประเด็นที่จะต้องพัฒนาให้ดีขึ้น"
NONE_ITEM = "- ไม่มี"
NO_RESULT = "ยังไม่มีผลการประเมิน ITA ประจำปี พ.ศ. {prior_year} ในระบบ จึงยังวิเคราะห์รายตัวชี้วัดไม่ได้"
TOTAL_LABEL = "คะแนนรวม"


def context(data: Mapping, *, kind: str) -> _Ctx:
    """The digit style, templates of `kind` ("plan" or "announcement") and placeholder values of a year."""
    fiscal_year = int(data["fiscal_year"])
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
        "round_label": "",
        "period": fiscal.round_of(fiscal_year, 12).period(style),
    }
    values["summary"] = build.analysis_summary_for(data, based_on=based_on) or ""
    return _Ctx(style=style, templates=wording.merged(data=data, kind=kind), values=values)


def plan_report(data: dict, *, entry: Mapping | None = None) -> Document:
    """The plan document of one year dict; with its approval memo in front when `entry` has a memo."""
    ctx = context(data, kind="plan")
    agency = data.get("agency") or {}
    entry = entry or {}
    memo = entry.get("memo")
    sections = []
    if memo:
        sections.append(_memo_section(ctx, agency=agency, memo=memo))
    sections += [
        _front_section(ctx, agency=agency, entry=entry),
        analysis_section(ctx, data=data),
        _measures_section(ctx, data=data, entry=entry),
    ]
    document = Document(
        title=ctx.fill("cover_title"),
        subject=(ctx.t(memo.get("subject")) if memo else "") or ctx.fill("memo_subject"),
        author=ctx.t(ctx.values["office"]),
        digits=ctx.style,
        sections=sections,
        # not yet approved: the line at the top of every page (a frozen version drops it)
        draft=build.DRAFT_NOTE if memo and build.is_draft(memo) else "",
    )
    return with_emblem(document, agency)


def with_emblem(document: Document, agency: Mapping) -> Document:
    """The agency's Garuda emblem on the letterheads, when the database has one (reports.emblem)."""
    from prongsai.reports import emblem

    return emblem.apply(document, emblem.for_slug(agency.get("slug")))


def _front_section(ctx: _Ctx, *, agency: Mapping, entry: Mapping) -> Section:
    section = Section(name="cover", page_numbers=False)
    section.add(
        Spacer(6.0),
        Paragraph.text(ctx.fill("cover_title"), bold=True, align="center", size=COVER_TITLE_SIZE),
        Spacer(6.0),
        Paragraph.text(ctx.t(agency.get("name")), bold=True, align="center", size=COVER_TITLE_SIZE),
        Paragraph.text(ctx.t(_location(agency)), bold=True, align="center", size=COVER_LINE_SIZE),
        PageBreak(),
        Paragraph.text(PREFACE_HEADING, bold=True, align="center", size=COVER_LINE_SIZE, space_after=12,
                       keep_with_next=True),
    )
    for paragraph in ctx.fill_list("preface"):
        section.add(*_body_paragraph(paragraph))
    section.add(Spacer(1.0), Paragraph.text(ctx.t(_office(agency)), align="right"))
    if entry.get("preface_date"):
        section.add(Paragraph.text(ctx.date(entry["preface_date"]), align="right"))
    return section


# --- part 1: the analysis ----------------------------------------------------------------------------

def _heading(ctx: _Ctx, key: str) -> Paragraph:
    return Paragraph.text(ctx.fill(key), bold=True, align="center", size=HEADING_SIZE, space_after=8,
                          keep_with_next=True)


def score_text(ctx: _Ctx, value) -> str:
    """A score as the documents print it: two decimals, in the agency's digits ("๙๑.๒๐")."""
    if value is None:
        return NO_SCORE
    return ctx.t(f"{Decimal(str(value)):.2f}")


def _signed(ctx: _Ctx, value: Decimal) -> str:
    return ctx.t(f"+{value:.2f}" if value >= 0 else f"-{-value:.2f}")


def _stated(data: Mapping) -> dict[int, str] | None:
    """{indicator: status} from the year's stated analysis block, None when the year states none."""
    analysis = data.get("analysis") or {}
    if "urgent" not in analysis and "improve" not in analysis:
        return None
    out = {}
    for status, key in ((URGENT, "urgent"), (IMPROVE, "improve")):
        for item in analysis.get(key) or []:
            number = item["indicator"] if isinstance(item, Mapping) else item
            out[int(number)] = status
    return out


def analysis_section(ctx: _Ctx, *, data: Mapping) -> Section:
    """Part 1: the scores table of the analysed year, the weak points and the summary paragraph."""
    from prongsai.assessments.services import evaluate, gap_analysis
    from prongsai.framework.catalogue import version_note

    based_on = int(ctx.values["prior_year"])
    section = Section(name="analysis", page_numbers=True, page_number_start=1)
    section.add(_heading(ctx, "analysis_heading"))
    entry = next((r for r in data.get("ita_results") or [] if int(r.get("year", 0)) == based_on), None)
    scores = {int(no): Decimal(str(v)) for no, v in ((entry or {}).get("indicators") or {}).items() if v is not None}
    framework = build._framework(data, year=based_on)
    stated = _stated(data)
    if scores:
        urgent_below = (data.get("agency") or {}).get("urgent_below")
        gap = gap_analysis(framework=framework, indicators=scores,
                           urgent_below=Decimal(str(build.DEFAULT_URGENT_BELOW if urgent_below is None
                                                    else urgent_below)))
        statuses = stated if stated is not None else (
            {i.indicator: URGENT for i in gap.urgent} | {i.indicator: IMPROVE for i in gap.improve})
        result = evaluate(framework=framework, indicators=scores, iit=_dec(entry.get("iit")),
                          eit=_dec(entry.get("eit")), oit=_dec(entry.get("oit")), total=_dec(entry.get("total")),
                          grade=entry.get("grade") or None)
        section.add(*_body_paragraph(ctx.fill("analysis_intro")), Spacer(0.3))
        section.add(_scores_table(ctx, framework=framework, scores=scores, statuses=statuses,
                                  total=result.total, grade=result.grade))
        if framework.is_provisional:  # the document says so, as every page that depends on it does
            section.add(Paragraph.text(ctx.t("หมายเหตุ " + version_note(framework, "arabic")), space_before=3))
        section.add(Spacer(0.5))
        lost = {i.indicator: i for i in gap.items}
    else:
        section.add(*_body_paragraph(ctx.t(wording.fill(NO_RESULT, ctx.values))))
        statuses, lost = stated or {}, {}
    names = _weak_names(ctx, data=data, framework=framework)
    for heading, status in ((URGENT_HEADING, URGENT), (IMPROVE_HEADING, IMPROVE)):
        section.add(Paragraph.text(heading, bold=True, keep_with_next=True, space_before=6))
        numbers = [no for no, s in statuses.items() if s == status]
        numbers.sort(key=lambda no: (-(lost[no].lost if no in lost else 0), no))
        if not numbers:
            section.add(Paragraph.text(NONE_ITEM, left_indent=1.0))
        for no in numbers:
            line = f"- ตัวชี้วัดที่ {no} {names.get(no) or _indicator_name(framework, no)}"
            if no in lost:
                line += (f" ได้ {lost[no].score:.2f} คะแนน ต่ำกว่าเกณฑ์ผ่าน {lost[no].lost:.2f} คะแนน")
            section.add(Paragraph.text(ctx.t(line), left_indent=1.0))
    if ctx.values["summary"]:
        section.add(Spacer(0.4), *_body_paragraph(ctx.fill("analysis")))
    return section


def _dec(value):
    return None if value is None else Decimal(str(value))


def _indicator_name(framework, no: int) -> str:
    try:
        return framework.indicator(no).name
    except ValueError:
        return ""


def _weak_names(ctx: _Ctx, *, data: Mapping, framework) -> dict[int, str]:
    """The agency's own labels of the stated analysis items ({indicator, label})."""
    analysis = data.get("analysis") or {}
    return {int(item["indicator"]): item["label"] for key in ("urgent", "improve") for item in analysis.get(key) or []
            if isinstance(item, Mapping) and item.get("label")}


def _scores_table(ctx: _Ctx, *, framework, scores: dict[int, Decimal], statuses: dict[int, str], total, grade) -> Table:
    pass_mark = framework.pass_mark
    header = [[_header_cell(text) for text in SCORE_HEADER]]
    body = []
    for indicator in framework.indicators:
        score = scores.get(indicator.no)
        if score is None:
            status, diff = "", NO_SCORE
        else:
            status = statuses.get(indicator.no) or (PASSED if score >= pass_mark else "")
            diff = _signed(ctx, score - pass_mark)
        body.append([
            Cell.text(ctx.t(f"{indicator.no}. {indicator.name}")),
            Cell.text(indicator.instrument, align="center"),
            Cell.text(score_text(ctx, score), align="center"),
            Cell.text(score_text(ctx, pass_mark), align="center"),
            Cell.text(diff, align="center"),
            Cell.text(status),
        ])
    if total is not None:
        body.append([
            Cell.text(TOTAL_LABEL, bold=True, colspan=2),
            Cell.text(score_text(ctx, total), bold=True, align="center"),
            Cell.text(score_text(ctx, pass_mark), align="center"),
            Cell.text(_signed(ctx, Decimal(str(total)) - pass_mark), align="center"),
            Cell.text(ctx.t(grade or ""), bold=True),
        ])
    return Table(widths=SCORE_WIDTHS, header=header, body=body)


# --- part 2: the measures and the sign-off -----------------------------------------------------------

def _measures_section(ctx: _Ctx, *, data: Mapping, entry: Mapping) -> Section:
    section = Section(name="measures", landscape=True, page_numbers=True)
    section.add(_heading(ctx, "measures_heading"))
    section.add(*_body_paragraph(ctx.fill("measures_intro")), Spacer(0.3))
    section.add(measures_table(ctx, measures=data.get("measures") or [], fiscal_year=int(data["fiscal_year"])))
    preparer = entry.get("preparer") or {}
    if preparer.get("name"):
        section.add(Spacer(1.0), Signature(
            name=ctx.t(preparer["name"]), position=ctx.t(preparer.get("position")),
            rank=ctx.t(preparer.get("rank")), suffix=PREPARER_SUFFIX,
        ))
    approvers = ((entry.get("memo") or {}).get("approvers")) or []
    if approvers:
        last = approvers[-1]
        section.add(Spacer(0.8), Signature(
            name=ctx.t(last.get("name")), position=ctx.t(last.get("position")), rank=ctx.t(last.get("rank")),
            suffix=APPROVER_SUFFIX, date=ctx.date(last.get("date")),
        ))
    return section
