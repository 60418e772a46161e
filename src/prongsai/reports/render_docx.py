"""Render a `reports.document.Document` to DOCX with python-docx.

Thai is a complex script: Word and LibreOffice take its font from `w:rFonts/@w:cs`, its size from
`w:szCs` and its weight from `w:bCs`, so the document defaults and every run name the font in all four
rFonts slots and carry both sizes and both weights (shared RENDERING.md, "python-docx specifics"). The
python-docx default template is Letter size, 1.15 line spacing, 10 pt after each paragraph, Arabic bidi
language and theme fonts that override explicit names: the template is cut down to the styles used here
and those settings are replaced.

Tables follow the model's HTML convention (a spanned position is absent from the following rows) and
become `w:gridSpan` / `w:vMerge` cells; column widths go into both `w:gridCol` (read by LibreOffice) and
`w:tcW` (read by Word). The body is written as plain lxml elements: python-docx's per-property API costs
about half a millisecond per table cell.
"""

from __future__ import annotations

import datetime as dt
import io
import threading
from copy import deepcopy
from dataclasses import dataclass

import docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.section import Section as DocxSection
from lxml import etree

from . import layout
from .document import (
    Block, Cell, Document, Image, Letterhead, PageBreak, Paragraph, Run, Section, Signature, Spacer, Table,
)

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
A4_CM = (21.0, 29.7)
TWIPS_PER_CM = 1440 / 2.54
LANG = "th-TH"
HEADER_DISTANCE_CM = 1.25
FOOTER_DISTANCE_CM = 1.0  # the page number sits inside the bottom margin, 1 cm above the paper edge
SIGNATURE_WIDTH = 0.55  # share of the text width a signature block takes (as in typst/document.typ)
CORE_PROPERTY_MAX = 255  # python-docx (and the OPC core properties' common readers) take at most this
NOTE_SIZE = 12.0  # the draft line at the top of each page
STAMP_SIZE = 10.0  # the approved version's stamp at the foot of each page
QR_HEIGHT_CM = 1.2
EMU_PER_CM = 360000

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
LINK_SCHEMES = ("http://", "https://", "mailto:")  # other targets (javascript:, file:) stay plain text
KEEP_STYLES = {"Normal", "DefaultParagraphFont", "TableNormal", "NoList", "TableGrid", "Footer", "FooterChar"}


def render_docx(document: Document) -> bytes:
    """The document as a .docx file: A4, TH Sarabun New, one DOCX section per model section."""
    out = docx.Document(io.BytesIO(_template(font=document.font_family, size=document.base_size)))
    body = out.element.body
    final_sectPr = body.find(w("sectPr"))
    body.remove(final_sectPr)
    sections = document.sections or [Section()]  # a DOCX body ends with the last section's properties
    sectPrs = []
    for index, section in enumerate(sections):
        writer = _BodyWriter(body, document=document, section=section, part=out.part)
        writer.write(section.blocks)
        if index < len(sections) - 1:
            sectPr = deepcopy(final_sectPr)
            writer.section_paragraph().find(w("pPr")).append(sectPr)
        else:
            sectPr = final_sectPr
            body.append(sectPr)
        _set_page(sectPr, section=section, document=document)
        sectPrs.append(sectPr)
    for sectPr, section in zip(sectPrs, sections):
        _set_footer(DocxSection(sectPr, out.part), section=section, document=document)
        _set_header(DocxSection(sectPr, out.part), document=document)
    _set_core_properties(out, document=document)
    buffer = io.BytesIO()
    out.save(buffer)
    return buffer.getvalue()


# ------------------------------------------------------------------------------------------- xml helpers


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def _el(parent, tag: str, **attrs: object):
    element = etree.SubElement(parent, w(tag))
    for key, value in attrs.items():
        element.set(w(key), str(value))
    return element


def _twips(cm: float) -> int:
    return round(cm * TWIPS_PER_CM)


def _half_points(pt: float) -> int:
    return round(pt * 2)


def _rPr(parent, *, font: str, size: float | None = None, bold: bool = False, italic: bool = False,
         underline: bool = False, lang: bool = False):
    """w:rPr in schema order: the font in all four slots, both weights, both sizes."""
    rPr = _el(parent, "rPr")
    _el(rPr, "rFonts", ascii=font, hAnsi=font, eastAsia=font, cs=font)
    if bold:
        _el(rPr, "b")
        _el(rPr, "bCs")
    if italic:
        _el(rPr, "i")
        _el(rPr, "iCs")
    if size is not None:
        _el(rPr, "sz", val=_half_points(size))
        _el(rPr, "szCs", val=_half_points(size))
    if underline:
        _el(rPr, "u", val="single")
    if lang:
        _el(rPr, "lang", val=LANG, eastAsia=LANG, bidi=LANG)
    return rPr


def _run(parent, text: str, *, font: str, size: float | None, bold: bool = False, italic: bool = False,
         underline: bool = False):
    r = _el(parent, "r")
    _rPr(r, font=font, size=size, bold=bold, italic=italic, underline=underline)
    for index, line in enumerate(text.split("\n")):
        if index:
            _el(r, "br")
        for part_index, part in enumerate(line.split("\t")):
            if part_index:
                _el(r, "tab")
            if part:
                t = _el(r, "t")
                t.text = part
                if part != part.strip():
                    t.set(XML_SPACE, "preserve")
    return r


def _p(parent, *, jc: str = "left", size: float | None = None, font: str = "", first_line: float = 0.0,
       left: float = 0.0, right: float = 0.0, before: float = 0.0, after: float = 0.0,
       keep_next: bool = False, keep_lines: bool = False, break_before: bool = False,
       exact_line_pt: float | None = None, dot_tab_cm: float | None = None):
    """A w:p with its w:pPr children in schema order; lengths in cm, spacing in pt."""
    p = _el(parent, "p")
    pPr = _el(p, "pPr")
    if keep_next:
        _el(pPr, "keepNext")
    if keep_lines:
        _el(pPr, "keepLines")
    if break_before:
        _el(pPr, "pageBreakBefore")
    if dot_tab_cm is not None:
        _el(_el(pPr, "tabs"), "tab", val="right", leader="dot", pos=_twips(dot_tab_cm))
    if before or after or exact_line_pt is not None:
        spacing = _el(pPr, "spacing", before=round(before * 20), after=round(after * 20))
        if exact_line_pt is not None:
            spacing.set(w("line"), str(round(exact_line_pt * 20)))
            spacing.set(w("lineRule"), "exact")
    if first_line or left or right:
        ind = _el(pPr, "ind", left=_twips(left), right=_twips(right))
        if first_line >= 0:
            ind.set(w("firstLine"), str(_twips(first_line)))
        else:
            ind.set(w("hanging"), str(_twips(-first_line)))
    if jc != "left":
        _el(pPr, "jc", val=jc)
    if size is not None:  # the paragraph mark's size: the height of an empty paragraph
        _rPr(pPr, font=font, size=size)
    return p


def linkable(url: str | None) -> bool:
    """Whether a run's URL becomes a link: only web and mail addresses do."""
    return bool(url) and url.strip().lower().startswith(LINK_SCHEMES)


def _jc(align: str, *, document: Document) -> str:
    if align == "justify":
        return "thaiDistribute" if document.lang == "th" else "both"
    return align


# ------------------------------------------------------------------------------------------------ body


class _BodyWriter:
    """Appends one model section's blocks to w:body."""

    def __init__(self, body, *, document: Document, section: Section, part):
        self.body = body
        self.document = document
        self.font = document.font_family
        self.part = part
        self.break_pending = False
        width, height = page_size(section)
        self.text_width = width - section.margin_left - section.margin_right
        self.text_height = height - section.margin_top - section.margin_bottom

    def write(self, blocks: list[Block]) -> None:
        for index, block in enumerate(blocks):
            if isinstance(block, PageBreak):
                self.break_pending = index < len(blocks) - 1  # a section break already starts a page
            elif isinstance(block, Letterhead):
                self.letterhead(block)
            elif isinstance(block, Paragraph):
                self.paragraph(self.body, block, size=None)
            elif isinstance(block, Table):
                self.table(block)
            elif isinstance(block, Signature):
                self.signature(block)
            elif isinstance(block, Spacer):
                self.spacer(block)
            elif isinstance(block, Image):
                self.image(self.body, block)
            else:
                raise TypeError(f"not a document block: {block!r}")

    def section_paragraph(self):
        """The section's last w:p, which will carry its w:sectPr; a 1 pt one if the section ends
        with a table or is empty."""
        last = self.body[-1] if len(self.body) else None
        if last is None or last.tag != w("p"):
            last = self._tiny()
        if last.find(w("pPr")) is None:
            last.insert(0, etree.Element(w("pPr")))
        return last

    def _break(self) -> bool:
        pending, self.break_pending = self.break_pending, False
        return pending

    def _tiny(self):
        return _p(self.body, size=1, font=self.font, exact_line_pt=1, break_before=self._break())

    def paragraph(self, parent, para: Paragraph, *, size: float | None, align: str | None = None):
        size = para.size if para.size is not None else size
        mark_size = size if size is not None and size != self.document.base_size else None
        p = _p(
            parent, jc=_jc(align or para.align, document=self.document), size=mark_size, font=self.font,
            first_line=para.first_line_indent, left=para.left_indent, before=para.space_before,
            after=para.space_after, keep_next=para.keep_with_next,
            break_before=parent is self.body and self._break(),
        )
        for run in para.runs:
            self._text_run(p, run, size=mark_size)
        return p

    def _text_run(self, p, run: Run, *, size: float | None) -> None:
        parent, link = p, linkable(run.url)
        if link:
            parent = _el(p, "hyperlink")
            parent.set(f"{{{R}}}id", self.part.relate_to(run.url.strip(), RT.HYPERLINK, is_external=True))
        _run(parent, run.text, font=self.font, size=size, bold=run.bold, italic=run.italic,
             underline=run.underline or link)

    def image(self, parent, image: Image, *, jc: str | None = None):
        """A paragraph holding the picture inline, `image.height` high."""
        p = _p(parent, jc=jc or image.align, break_before=parent is self.body and self._break())
        r = _el(p, "r")
        inline = self.part.new_pic_inline(io.BytesIO(image.png), height=round(image.height * EMU_PER_CM))
        _el(r, "drawing").append(inline)
        return p

    def letterhead(self, head: Letterhead) -> None:
        """position "left": a borderless row of three cells (emblem | title centred | as wide as the
        emblem), so the title stays centred on the page; "top": the emblem centred above the title."""
        if head.emblem is None:
            self.paragraph(self.body, head, size=None)
            return
        if head.position == "top":
            self.image(self.body, head.emblem, jc="center")
            self.paragraph(self.body, head, size=None)
            return
        side = head.emblem.height + 0.1
        self.table(Table(widths=[side, self.text_width - 2 * side, side], header=[], frame=False, body=[[
            Cell([]), Cell([head], valign="middle"), Cell([]),
        ]]), emblem=head.emblem)

    def spacer(self, spacer: Spacer) -> None:
        _p(self.body, size=1, font=self.font, exact_line_pt=spacer.height / 2.54 * 72,
           break_before=self._break())

    def signature(self, signature: Signature) -> None:
        """A block of SIGNATURE_WIDTH of the text width placed with indents, lines centred. A dotted
        line is a right tab stop with a dot leader at the block's right edge, so it fills the block."""
        width = self.text_width * SIGNATURE_WIDTH
        left = {"right": self.text_width - width, "center": (self.text_width - width) / 2, "left": 0.0}[
            signature.align]
        lines = signature_lines(signature=signature)
        for index, line in enumerate(lines):
            p = _p(
                self.body, jc="left" if line.dots or line.left else "center", left=left,
                right=self.text_width - left - width, keep_next=index < len(lines) - 1, keep_lines=True,
                break_before=self._break(), dot_tab_cm=left + width if line.dots else None,
            )
            text = f"{line.text}\t{line.after}" if line.dots else line.text
            _run(p, text, font=self.font, size=None)

    def table(self, table: Table, *, emblem: Image | None = None) -> None:
        if not table.header and not table.body:
            return  # Word rejects a w:tbl without rows
        if len(self.body) and self.body[-1].tag == w("tbl"):
            self._tiny()  # two adjacent w:tbl would merge into one table
        widths = scaled_twips(table.widths, total_cm=self.text_width)
        keeps = layout.row_keeps(table, width_cm=self.text_width, page_text_height_cm=self.text_height,
                                 base_size=self.document.base_size)
        tbl = _el(self.body, "tbl")
        tblPr = _el(tbl, "tblPr")
        if table.frame:
            _el(tblPr, "tblStyle", val="TableGrid")
        _el(tblPr, "tblW", w=sum(widths), type="dxa")
        if not table.frame:  # a layout grid: no borders, no cell margins
            borders = _el(tblPr, "tblBorders")
            for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
                _el(borders, side, val="nil")
        _el(tblPr, "tblLayout", type="fixed")
        if not table.frame:
            margins = _el(tblPr, "tblCellMar")
            for side in ("left", "right"):
                _el(margins, side, w=0, type="dxa")
        _el(tblPr, "tblLook", val="04A0", firstRow=1, lastRow=0, firstColumn=1, lastColumn=0, noHBand=0,
            noVBand=1)
        grid = _el(tbl, "tblGrid")
        for width in widths:
            _el(grid, "gridCol", w=width)
        break_before = self._break()
        for group, is_header, group_keeps in ((table.header, True, [True] * len(table.header)),
                                              (table.body, False, keeps)):
            for slots, keep in zip(grid_rows(rows=group, columns=len(widths)), group_keeps):
                tr = _el(tbl, "tr")
                trPr = _el(tr, "trPr")
                # a row kept whole (short enough, layout.row_keeps); any other row may break across
                # pages, so Word never cuts a row taller than the page
                if keep and table.keep_rows_together:
                    _el(trPr, "cantSplit")
                if is_header:
                    _el(trPr, "tblHeader")
                for slot in slots:
                    self._cell(tr, slot=slot, widths=widths, size=table.font_size)
        if emblem is not None:  # the letterhead's first cell
            self.image(tbl.find(w("tr")).find(w("tc")), emblem, jc="left")
            first_tc = tbl.find(w("tr")).find(w("tc"))
            first_tc.remove(first_tc.findall(w("p"))[0])  # the empty paragraph before the picture
        if break_before:
            # LibreOffice and Word read a break before the first paragraph as a break before the table.
            first = tbl.find(".//" + w("pPr"))
            position = sum(1 for child in first if child.tag in (w("keepNext"), w("keepLines")))
            first.insert(position, etree.Element(w("pageBreakBefore")))

    def _cell(self, tr, *, slot: GridSlot, widths: list[int], size: float | None) -> None:
        tc = _el(tr, "tc")
        tcPr = _el(tc, "tcPr")
        _el(tcPr, "tcW", w=sum(widths[slot.column:slot.column + slot.colspan]), type="dxa")
        if slot.colspan > 1:
            _el(tcPr, "gridSpan", val=slot.colspan)
        if slot.merge == "restart":
            _el(tcPr, "vMerge", val="restart")
        elif slot.merge == "continue":
            _el(tcPr, "vMerge")
        cell = slot.cell
        if cell is not None and cell.valign == "middle":
            _el(tcPr, "vAlign", val="center")
        paragraphs = cell.paragraphs if cell is not None else []
        for para in paragraphs or [Paragraph([])]:
            align = cell.align if cell is not None and para.align == "left" else para.align
            self.paragraph(tc, para, size=size, align=align)


# ------------------------------------------------------------------------------------------ signatures


@dataclass(frozen=True)
class SignatureLine:
    """One line of a signature block: `text`, then (when `dots`) a dotted leader that fills the line up
    to `after`. Lines are centred in the block, except a written comment (`left`)."""

    text: str
    dots: bool = False
    after: str = ""
    left: bool = False


def signature_lines(*, signature: Signature) -> list[SignatureLine]:
    """The lines of a signature block, top to bottom. The DOCX and HTML renderers share them, and they
    follow the PDF template (typst/document.typ)."""
    s = signature
    lines: list[SignatureLine] = []
    if s.heading is not None:
        # left whether or not a comment follows: the blocks of one chain line up alike
        lines.append(SignatureLine(s.heading, dots=s.comment == "", left=True))
    if s.comment == "":
        lines.append(SignatureLine("", dots=True))
    elif s.comment is not None:
        lines.extend(SignatureLine(line, left=True) for line in s.comment.split("\n"))
    if s.sign_line:
        rank = f" {s.rank} " if s.rank else ""
        lines.append(SignatureLine("ลงชื่อ" + rank, dots=True, after=f" {s.suffix}" if s.suffix else ""))
    lines.append(SignatureLine(f"({s.name})"))
    if s.position:
        lines.append(SignatureLine(f"{s.position_label} {s.position}"))
    if s.date:
        lines.append(SignatureLine(f"วันที่ {s.date}"))
    if s.signed:
        lines.append(SignatureLine(s.signed))
    return lines


# ----------------------------------------------------------------------------------------------- tables


@dataclass(frozen=True)
class GridSlot:
    """One w:tc of a table row: a model cell, a continuation of a cell merged from above, or a filler."""

    column: int
    colspan: int
    cell: Cell | None  # None: a continuation or an empty filler
    merge: str | None  # "restart", "continue" or None


def grid_rows(*, rows: list[list[Cell]], columns: int) -> list[list[GridSlot]]:
    """Place cells given in HTML's convention on a grid of `columns`, row by row.

    Spans are clipped to the grid and to `rows` (a header's rowspan never reaches into the body, as in
    HTML's thead), and short rows are filled with empty cells so that every row covers every column.
    """
    below: dict[tuple[int, int], tuple[int, int]] = {}  # (row, column) -> (colspan, rows still to cover)
    out: list[list[GridSlot]] = []
    for r, row in enumerate(rows):
        slots: list[GridSlot] = []
        cells = iter(row)
        column = 0
        while column < columns:
            if (r, column) in below:
                colspan, left = below.pop((r, column))
                if left > 1:
                    below[(r + 1, column)] = (colspan, left - 1)
                slots.append(GridSlot(column, colspan, None, "continue"))
                column += colspan
                continue
            cell = next(cells, None)
            if cell is None:
                slots.append(GridSlot(column, 1, None, None))
                column += 1
                continue
            free = 0
            while column + free < columns and (r, column + free) not in below:
                free += 1
            colspan = max(1, min(cell.colspan, free))
            rowspan = max(1, min(cell.rowspan, len(rows) - r))
            if rowspan > 1:
                below[(r + 1, column)] = (colspan, rowspan - 1)
            slots.append(GridSlot(column, colspan, cell, "restart" if rowspan > 1 else None))
            column += colspan
        out.append(slots)
    return out


def scaled_twips(widths: list[float], *, total_cm: float) -> list[int]:
    """Relative column widths scaled to `total_cm`, in twips, summing exactly to the total."""
    total = _twips(total_cm)
    scale = total / sum(widths)
    out = [round(width * scale) for width in widths]
    out[-1] += total - sum(out)
    return out


# ----------------------------------------------------------------------------------- template and pages

_template_lock = threading.Lock()
_templates: dict[tuple[str, float], bytes] = {}


def _template(*, font: str, size: float) -> bytes:
    """python-docx's default template cut down to the styles used here, with Thai defaults (cached)."""
    key = (font, size)
    with _template_lock:
        if key not in _templates:
            out = docx.Document()
            _reset_styles(out, font=font, size=size)
            for lang in out.settings.element.iter(w("themeFontLang")):
                for attr in ("val", "eastAsia", "bidi"):
                    lang.set(w(attr), LANG)
            _font_table(out, font=font)
            buffer = io.BytesIO()
            out.save(buffer)
            _templates[key] = buffer.getvalue()
        return _templates[key]


def _font_table(out, *, font: str) -> None:
    """The font table lists only our font, as a Thai one (charset 0xDE): where TH Sarabun New is not
    installed, Word then substitutes a font that has Thai (the template listed Calibri, Cambria, MS Mincho…)."""
    fonts = etree.Element(w("fonts"), nsmap={"w": W})
    entry = _el(fonts, "font", name=font)
    _el(entry, "charset", val="DE")
    _el(entry, "family", val="swiss")
    _el(entry, "pitch", val="variable")
    out.part.part_related_by(RT.FONT_TABLE)._blob = etree.tostring(
        fonts, xml_declaration=True, encoding="UTF-8", standalone=True)


def _reset_styles(out, *, font: str, size: float) -> None:
    styles = out.styles.element
    for style in styles.findall(w("style")):
        if style.get(w("styleId")) not in KEEP_STYLES:
            styles.remove(style)
    for style in styles.findall(w("style")):
        for old in style.findall(w("rPr")) + style.findall(w("pPr")):
            style.remove(old)  # Footer's tab stops are for Letter paper; Table Grid's spacing is moot
    defaults = styles.find(w("docDefaults"))
    rPr_default = defaults.find(w("rPrDefault"))
    rPr_default.remove(rPr_default.find(w("rPr")))
    _rPr(rPr_default, font=font, size=size, lang=True)
    pPr_default = defaults.find(w("pPrDefault"))
    pPr_default.remove(pPr_default.find(w("pPr")))
    _el(_el(pPr_default, "pPr"), "spacing", before=0, after=0, line=240, lineRule="auto")
    normal = next(s for s in styles.findall(w("style")) if s.get(w("styleId")) == "Normal")
    _rPr(normal, font=font, size=size, lang=True)


def page_size(section: Section) -> tuple[float, float]:
    """(width, height) in cm of an A4 page in the section's orientation."""
    width, height = A4_CM
    return (height, width) if section.landscape else (width, height)


def _set_page(sectPr, *, section: Section, document: Document) -> None:
    """Page size, margins and numbering of one section.

    Thai numerals come from the section's number format (`w:pgNumType/@w:fmt="thaiNumbers"`), which
    Word's PAGE field follows. LibreOffice 7.4 ignores that format and prints Arabic digits. It maps the
    field switch `\\* ThaiArabic` to Thai *letters* (ก ข ค), which would be wrong, so no switch is used.
    """
    for child in list(sectPr):
        if child.tag in (w("pgSz"), w("pgMar"), w("pgNumType"), w("type")):
            sectPr.remove(child)
    width, height = page_size(section)
    new = [etree.Element(w("type"))]
    new[0].set(w("val"), "nextPage")
    pgSz = etree.Element(w("pgSz"))
    pgSz.set(w("w"), str(_twips(width)))
    pgSz.set(w("h"), str(_twips(height)))
    if section.landscape:
        pgSz.set(w("orient"), "landscape")
    new.append(pgSz)
    pgMar = etree.Element(w("pgMar"))
    for key, cm in (("top", section.margin_top), ("right", section.margin_right),
                    ("bottom", section.margin_bottom), ("left", section.margin_left),
                    ("header", HEADER_DISTANCE_CM), ("footer", FOOTER_DISTANCE_CM), ("gutter", 0)):
        pgMar.set(w(key), str(_twips(cm)))
    new.append(pgMar)
    numbering = {}
    if document.digits == "thai":
        numbering["fmt"] = "thaiNumbers"
    if section.page_number_start is not None:
        numbering["start"] = str(section.page_number_start)
    if numbering:
        pgNumType = etree.Element(w("pgNumType"))
        for key, value in numbering.items():
            pgNumType.set(w(key), value)
        new.append(pgNumType)
    anchor = sectPr.find(w("cols"))
    for element in new:
        if anchor is not None:
            anchor.addprevious(element)
        else:
            sectPr.append(element)


def _set_footer(docx_section: DocxSection, *, section: Section, document: Document) -> None:
    """Every section gets its own footer: a centred PAGE field, or nothing; an approved version's
    stamp (its QR code, then the line saying which version and where to verify it) under it."""
    footer = docx_section.footer
    footer.is_linked_to_previous = False
    p = footer.paragraphs[0]._p
    font = document.font_family
    if section.page_numbers:
        _el(p.get_or_add_pPr(), "jc", val="center")
        _el(_run(p, "", font=font, size=None), "fldChar", fldCharType="begin")
        instr = _el(_run(p, "", font=font, size=None), "instrText")
        instr.text = " PAGE "
        instr.set(XML_SPACE, "preserve")
        _el(_run(p, "", font=font, size=None), "fldChar", fldCharType="separate")
        _run(p, "๑" if document.digits == "thai" else "1", font=font, size=None)
        _el(_run(p, "", font=font, size=None), "fldChar", fldCharType="end")
    stamp = document.stamp
    if stamp is None:
        return
    parent = p.getparent()
    line = _p(parent, size=STAMP_SIZE, font=font)
    if stamp.qr_url:
        import segno

        buffer = io.BytesIO()
        segno.make(stamp.qr_url, error="m", micro=False).save(buffer, kind="png", scale=8, border=1)
        inline = footer.part.new_pic_inline(io.BytesIO(buffer.getvalue()), height=round(QR_HEIGHT_CM * EMU_PER_CM))
        _el(_el(line, "r"), "drawing").append(inline)
        _run(line, " ", font=font, size=STAMP_SIZE)
    _run(line, stamp.text, font=font, size=STAMP_SIZE)


def _set_header(docx_section: DocxSection, *, document: Document) -> None:
    """A draft says so at the top of every page; otherwise each section's header stays empty."""
    header = docx_section.header
    header.is_linked_to_previous = False
    if not document.draft:
        return
    p = header.paragraphs[0]._p
    _el(p.get_or_add_pPr(), "jc", val="center")
    _run(p, document.draft, font=document.font_family, size=NOTE_SIZE, bold=True)


def shorten(text: str, limit: int = CORE_PROPERTY_MAX) -> str:
    """A core property value within `limit` characters: cut at a space where one is near the end,
    with an ellipsis. The document's own text (the memo's เรื่อง) is never shortened."""
    text = " ".join((text or "").split())
    if len(text) <= limit:
        return text
    cut = text[:limit - 1]
    space = cut.rfind(" ")
    if space > limit * 0.8:
        cut = cut[:space]
    return cut.rstrip() + "…"


def _set_core_properties(out, *, document: Document) -> None:
    props = out.core_properties
    props.title = shorten(document.title)
    props.subject = shorten(document.subject)
    props.author = document.author
    props.last_modified_by = document.author
    props.comments = ""
    props.language = LANG if document.lang == "th" else document.lang
    props.revision = 1
    props.created = props.modified = dt.datetime.now(dt.timezone.utc).replace(microsecond=0, tzinfo=None)
