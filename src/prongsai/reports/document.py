"""One document model, three renderers.

A report is built once as this structure (by `prongsai.reports.build`), with all wording filled in and
every digit already in the agency's style; the DOCX, PDF (typst) and HTML renderers only lay it out.
So the three formats can never disagree on content.

Units: lengths in centimetres, font sizes in points.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, Union

Align = Literal["left", "center", "right", "justify"]

BASE_SIZE = 16.0  # TH Sarabun 16 pt, the official size
FONT_FAMILY = "TH Sarabun New"  # the name documents ask for; see reports.fonts for what we ship


@dataclass
class Run:
    text: str
    bold: bool = False
    italic: bool = False
    underline: bool = False
    url: str | None = None  # a link; its text is shown as is


@dataclass
class Paragraph:
    runs: list[Run]
    align: Align = "left"
    size: float | None = None  # None = BASE_SIZE
    first_line_indent: float = 0.0  # cm, added to the first line; negative = a hanging indent
    left_indent: float = 0.0  # cm, every line
    space_before: float = 0.0  # pt
    space_after: float = 0.0  # pt
    keep_with_next: bool = False

    @classmethod
    def text(cls, text: str, bold: bool = False, **kwargs) -> Paragraph:
        return cls([Run(text, bold=bold)], **kwargs)

    @property
    def plain(self) -> str:
        return "".join(run.text for run in self.runs)


@dataclass
class Cell:
    paragraphs: list[Paragraph]
    colspan: int = 1
    rowspan: int = 1
    align: Align = "left"
    valign: Literal["top", "middle"] = "top"

    @classmethod
    def text(cls, text: str, bold: bool = False, align: Align = "left", **kwargs) -> Cell:
        """A cell from plain text; each line of the text becomes a paragraph."""
        lines = text.split("\n") if text else [""]
        return cls([Paragraph.text(line, bold=bold, align=align) for line in lines], align=align, **kwargs)

    @property
    def plain(self) -> str:
        return "\n".join(p.plain for p in self.paragraphs)


@dataclass
class Table:
    """Column widths are relative (they are scaled to the text width). `header` rows repeat on every
    page. A cell with rowspan/colspan > 1 covers the cells to its right/below: those positions are
    simply absent from the following rows (HTML's convention). A body rowspan prints its text once, on
    the page where it starts: builders merge only within one record (never across measures).

    Rows flow: no text is ever dropped. With `keep_rows_together`, a row whose estimated height is at
    most `keep_row_max` of the page's text height is kept whole (moved to the next page when it does not
    fit); a taller row starts where it is and continues on the next page, under the repeated header.
    Without it, every row may break. `frame=False` makes a layout grid: no borders, no cell padding,
    no header (the memo's ที่ | วันที่ line)."""

    widths: list[float]
    header: list[list[Cell]]
    body: list[list[Cell]]
    font_size: float | None = None
    keep_rows_together: bool = True
    keep_row_max: float = 0.25
    frame: bool = True


@dataclass
class Signature:
    """A signature block, placed in the right half of the page, lines centred:

        [heading .........]            e.g. ความเห็นผู้บังคับบัญชา (None = no heading)
        [comment lines]                 comment text, or dotted lines when comment == ""
        ลงชื่อ [rank] ............ [suffix]
        (name)
        ตำแหน่ง position
        [วันที่ date]
    """

    name: str
    position: str
    heading: str | None = None
    comment: str | None = None  # None: no comment area; "": dotted lines to write by hand
    sign_line: bool = True
    rank: str = ""
    suffix: str = ""  # e.g. ผู้จัดทำ
    date: str = ""  # already formatted; empty = no date line
    position_label: str = "ตำแหน่ง"
    align: Literal["right", "center", "left"] = "right"
    signed: str = ""  # under the block, e.g. "ลงนามในระบบ ๒๐ เมษายน ๒๕๖๖ เวลา ๑๐.๓๐ น." (approval in Prongsai)


@dataclass
class Image:
    """A raster image: PNG bytes, drawn `height` cm high (width from its aspect ratio)."""

    png: bytes
    height: float
    align: Literal["left", "center", "right"] = "center"
    alt: str = ""


@dataclass
class Letterhead(Paragraph):
    """The head of an official form (ระเบียบงานสารบรรณ): the form's title (this paragraph) with the
    Garuda emblem.

    position "left": the emblem at the top left, the title centred on the page at the emblem's middle
    (บันทึกข้อความ: 1.5 cm). position "top": the emblem centred, the title centred under it (ประกาศ,
    คำสั่ง: 3 cm). Without an emblem only the title is drawn (nothing in the emblem's place), so a
    renderer or a reader that knows only paragraphs still gets the title. reports.emblem.apply fills
    `emblem` at the regulation's height for the position."""

    emblem: Image | None = None
    position: Literal["left", "top"] = "left"


@dataclass
class PageBreak:
    pass


@dataclass
class Spacer:
    height: float = 0.5  # cm


Block = Union[Paragraph, Table, Signature, PageBreak, Spacer, Image, Letterhead]


@dataclass
class Section:
    """A run of pages with one layout. A new section starts on a new page."""

    blocks: list[Block] = field(default_factory=list)
    landscape: bool = False
    margin_top: float = 2.5
    margin_bottom: float = 2.0
    margin_left: float = 3.0
    margin_right: float = 2.0
    page_numbers: bool = True
    name: str = ""  # e.g. "memo", "report": renderers may use it as an anchor/id
    page_number_start: int | None = None  # None: the page count goes on; a number restarts it here

    def add(self, *blocks: Block) -> Section:
        self.blocks.extend(blocks)
        return self


@dataclass
class Stamp:
    """The footer of an approved (frozen) version: one small line of text (the version, its short
    hash, where to verify it) and a QR code of `qr_url` at the right of it."""

    text: str
    qr_url: str = ""


@dataclass
class Document:
    title: str
    sections: list[Section]
    lang: str = "th"
    digits: str = "thai"  # the style already applied to the text; renderers use it for page numbers
    font_family: str = FONT_FAMILY
    base_size: float = BASE_SIZE
    subject: str = ""
    author: str = ""
    draft: str = ""  # non-empty: a draft, and this line is printed at the top of every page
    stamp: Stamp | None = None  # the approved version's footer on every page

    def iter_blocks(self):
        for section in self.sections:
            yield from section.blocks
