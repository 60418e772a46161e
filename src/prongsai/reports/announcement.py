"""The executive's announcement (ประกาศ) of the year's measures, in the ประกาศ form.

    document = announcement(data, notice=notice)

The form (ระเบียบสำนักนายกรัฐมนตรีว่าด้วยงานสารบรรณ, ประกาศ): "ประกาศ<agency>" and "เรื่อง <title>" centred,
a short rule, the text (justified, first-line indent), the measures by name, the closing "จึงประกาศให้
ทราบโดยทั่วกัน", "ประกาศ ณ วันที่ <day> <month> พ.ศ. <year>", the executive's signature block ((name),
position; no "ลงชื่อ" line), then the annex (เอกสารแนบท้ายประกาศ): the measures table, landscape.
Wording from the `announcement` section of wording/th.yaml, overridden by `announcement_<key>`.

`notice` is {"date": date or None, "signer": {name, rank, position} or None}: the date of the
executive's signature and the executive (reports.documents makes it from the announcement memo).
Without a date the date line is left to fill in by hand; without a signer the agency's person holding
`agency.executive_title` signs, else the title alone is printed.
"""

from __future__ import annotations

import dataclasses
from typing import Mapping

from prongsai.lib import thai
from prongsai.reports import document as model
from prongsai.reports.build import _as_date, _body_paragraph, measures_table
from prongsai.reports.document import Document, Paragraph, Section, Signature, Spacer
from prongsai.reports.build import DRAFT_NOTE
from prongsai.reports.plan import context, with_emblem

HEADING_SIZE = 18.0
RULE = "-" * 24
DATE_BLANK = "ประกาศ ณ วันที่ ........ เดือน .................... พ.ศ. ........"
DATE_INDENT = 5.0  # cm: the date line starts near the middle of the text, as in the form
MEASURE_INDENT = 2.5
NAME_BLANK = "." * 30  # no executive in the data: the name is written by hand


def notice_date(value, style: str) -> str:
    """"ประกาศ ณ วันที่ ๑๕ ธันวาคม พ.ศ. ๒๕๖๙" (the form writes พ.ศ. before the year)."""
    day = _as_date(value)
    if day is None:
        return DATE_BLANK
    return thai.digits(f"ประกาศ ณ วันที่ {day.day} {thai.month_name(day.month)} พ.ศ. {thai.be_year(day)}", style)


def executive(data: Mapping) -> dict:
    """The person who holds the agency's executive title, or the title alone."""
    agency = data.get("agency") or {}
    title = agency.get("executive_title") or ""
    for person in agency.get("people") or []:
        if title and person.get("position") == title:
            return {"name": person.get("name", ""), "rank": person.get("rank", ""), "position": title}
    return {"name": "", "rank": "", "position": title}


def _head(heading: Paragraph):
    """The ประกาศ letterhead: the Garuda emblem (3 cm) centred at the top and the title under it, through
    the document model's Letterhead (the renderers draw the emblem); a plain centred title without it."""
    letterhead = getattr(model, "Letterhead", None)
    if letterhead is None:
        return heading
    names = {f.name for f in dataclasses.fields(letterhead)}
    if "title" in names:
        return letterhead(title=heading, position="top")
    own = {f.name: getattr(heading, f.name) for f in dataclasses.fields(Paragraph) if f.name in names}
    return letterhead(**own, position="top")


def announcement(data: dict, *, notice: Mapping | None = None) -> Document:
    ctx = context(data, kind="announcement")
    agency = data.get("agency") or {}
    notice = notice or {}
    signer = notice.get("signer") or executive(data)
    measures = data.get("measures") or []
    heading = ctx.t(f"ประกาศ{agency.get('name', '')}")
    title = ctx.fill("title")

    section = Section(name="announcement", page_numbers=False, margin_top=1.5)
    section.add(
        _head(Paragraph.text(heading, bold=True, align="center", size=HEADING_SIZE, space_before=6)),
        Paragraph.text(f"เรื่อง {title}", bold=True, align="center"),
        Paragraph.text(RULE, align="center", space_after=6),
    )
    for paragraph in ctx.fill_list("body"):
        section.add(*_body_paragraph(paragraph))
    for number, measure in enumerate(measures, start=1):
        section.add(Paragraph.text(ctx.t(f"{number}. {measure.get('title', '')}"), left_indent=MEASURE_INDENT))
    for paragraph in ctx.fill_list("after_measures"):
        section.add(*_body_paragraph(paragraph))
    section.add(
        Spacer(0.6),
        Paragraph.text(notice_date(notice.get("date"), ctx.style), left_indent=DATE_INDENT, keep_with_next=True),
        Spacer(1.6),
        Signature(name=ctx.t(signer.get("name")) or NAME_BLANK, position=ctx.t(signer.get("position")),
                  rank=ctx.t(signer.get("rank")), sign_line=False, position_label="", align="right"),
    )

    annex = Section(name="annex", landscape=True, page_numbers=False)
    annex.add(
        Paragraph.text(ctx.fill("annex_heading"), bold=True, align="center", size=HEADING_SIZE, space_after=8,
                       keep_with_next=True),
        measures_table(ctx, measures=measures, fiscal_year=int(data["fiscal_year"])),
    )
    document = Document(title=f"{heading} เรื่อง {title}", subject=title, author=heading, digits=ctx.style,
                        sections=[section, annex], draft="" if notice.get("date") else DRAFT_NOTE)
    return with_emblem(document, agency)
