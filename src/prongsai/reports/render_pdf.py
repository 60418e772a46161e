"""PDF from a `Document`, with typst (PyPI `typst`, one self-contained library, no system dependencies).

The layout lives in one fixed typst file (typst/document.typ). The document travels to it as JSON in
`sys.inputs`, and the template shows every text as a typst *string*, so no user text is ever parsed as
typst markup: `#`, `*`, `$`, `<script>` and friends come out verbatim with no escaping step to get
wrong. Because the template never changes, one warm typst Compiler per process re-uses its parsed
template and font data (RENDERING.md: far faster than a new compiler per document).

Thai line breaking: typst's own Thai segmenter (an LSTM model) splits compounds that must stay whole
(ซื่อ|สัตย์, กำ|กับ, ผู้รับผิด|ชอบ: measured in docs/rendering.md). So Thai text is cut into words here
with PyThaiNLP's newmm, and the template sets each Thai word in an unbreakable box: lines then break
only between words. Boxes add no characters, so the PDF text layer stays exactly the text. A word
wider than the space it is set in (a long name in a narrow column) is not boxed, so that it can still
break instead of running over the cell border.
"""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from prongsai.reports import layout
from prongsai.reports.document import (
    Cell, Document, Image, Letterhead, PageBreak, Paragraph, Run, Section, Signature, Spacer, Stamp, Table,
)
from prongsai.reports.fonts import FAMILY, FontSet, ensure_fonts

CONTENT_TYPE = "application/pdf"
TEMPLATE = "document.typ"
A4_CM = (21.0, 29.7)
PT_PER_CM = 72 / 2.54
CELL_INSET_PT = 4.0  # left and right padding of a table cell
SIGNATURE_WIDTH = 0.55  # a signature block's share of the text width


class PdfRenderError(RuntimeError):
    """typst rejected the generated input (a bug in this module or the template, not in user data)."""


def template_path() -> Path:
    return Path(str(resources.files("prongsai.reports").joinpath("typst", TEMPLATE)))


# --- Thai words ------------------------------------------------------------------------------------

_THAI = re.compile("[\u0e00-\u0e7f]")
_SPACES = re.compile(r"(\s+)")


@lru_cache(maxsize=16384)
def _words(chunk: str) -> tuple[str, ...]:
    """newmm words of a text without whitespace (cached: agencies' texts repeat the same phrases)."""
    from pythainlp.tokenize import word_tokenize

    return tuple(word_tokenize(chunk, engine="newmm", keep_whitespace=True))


class Metrics:
    """Advance widths of Sarabun Compat (regular and bold), to tell whether a word fits a width."""

    def __init__(self, fontset: FontSet):
        from fontTools.ttLib import TTFont

        self._tables = {}
        for bold, style in ((False, "Regular"), (True, "Bold")):
            font = TTFont(fontset.ttf[style], lazy=True)
            cmap, hmtx, upm = font.getBestCmap(), font["hmtx"], font["head"].unitsPerEm
            self._tables[bold] = ({code: hmtx[name][0] / upm for code, name in cmap.items()},
                                  hmtx[".notdef"][0] / upm)
        self._cache: dict[tuple[str, bool], float] = {}

    def em(self, word: str, *, bold: bool = False) -> float:
        """The word's width in em (marks are zero-width, as in the font; no kerning in Thai)."""
        key = (word, bold)
        found = self._cache.get(key)
        if found is None:
            advances, missing = self._tables[bold]
            found = self._cache[key] = sum(advances.get(ord(ch), missing) for ch in word)
        return found

    def text_em(self, text: str, *, bold: bool = False) -> float:
        """Like em() for any text, uncached (long cell texts would only fill the cache)."""
        advances, missing = self._tables[bold]
        return sum(advances.get(ord(ch), missing) for ch in text)


_metrics: dict[Path, Metrics] = {}


def metrics(*, font_dir: Path | None = None) -> Metrics:
    fontset = ensure_fonts(font_dir=font_dir)
    found = _metrics.get(fontset.directory)
    if found is None:
        found = _metrics[fontset.directory] = Metrics(fontset)
    return found


@lru_cache(maxsize=4096)
def _tcc(word: str) -> tuple[str, ...]:
    from pythainlp.tokenize import subword_tokenize

    return tuple(subword_tokenize(word, engine="tcc"))


def _pieces(token: str, fits) -> list[str]:
    """A token too wide for its line, cut where it may break: Thai between character clusters (TCC),
    other text at URL-friendly places or between any two characters."""
    if _THAI.search(token):
        units = _tcc(token)
        pieces, current = [], ""
        for unit in units:
            if current and not fits(current + unit):
                pieces.append(current)
                current = ""
            current += unit
        return pieces + [current] if current else pieces
    return layout.break_points(token, fits=fits)


def segments(text: str, *, fits=lambda word: True) -> list:
    """A text as the template's segments: a str is one Thai word (set unbreakable); a list is other
    text (spaces, Latin, digits, punctuation), which typst breaks by its own rules, and when it holds
    several pieces the template adds a break opportunity (no character) between them. A whitespace-free
    run wider than the line (`fits` says no: a long URL, a word wider than a narrow column) is cut into
    pieces that fit, so it breaks at the cell edge instead of running over it. newmm never joins
    across whitespace, so each space-free chunk is cut (and cached) on its own."""
    if not text:
        return []
    out: list = []
    plain: list[str] = [""]

    def add_plain(token: str) -> None:
        if token.isspace() or fits(token):
            plain[-1] += token
        else:
            first, *rest = _pieces(token, fits) or [token]
            plain[-1] += first
            plain.extend(rest)

    def flush() -> None:
        if plain != [""]:
            out.append([piece for piece in plain if piece] or [""])
            plain[:] = [""]

    for chunk in _SPACES.split(text):
        if not chunk:
            continue
        if chunk.isspace() or not _THAI.search(chunk):
            add_plain(chunk)
            continue
        for token in _words(chunk):
            if _THAI.search(token) and fits(token):
                flush()
                out.append(token)
            else:
                add_plain(token)
    flush()
    return out


# --- Document -> JSON ------------------------------------------------------------------------------

_cell_columns = layout.placed  # (first column, columns spanned) of every cell


def png_size(png: bytes) -> tuple[int, int]:
    """(width, height) in pixels from a PNG's IHDR chunk."""
    if png[:8] != b"\x89PNG\r\n\x1a\n" or png[12:16] != b"IHDR":
        raise ValueError("not a PNG image")
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


def png_as_svg(png: bytes) -> str:
    """A PNG wrapped in an SVG as a data: URI. sys.inputs carries only text, and typst's SVG reader
    decodes the embedded raster, which goes into the PDF as an image of its own."""
    import base64

    width, height = png_size(png)
    data = base64.b64encode(png).decode("ascii")
    return (f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
            f'width="{width}" height="{height}" viewBox="0 0 {width} {height}"><image width="{width}" '
            f'height="{height}" xlink:href="data:image/png;base64,{data}"/></svg>')


def qr_svg(url: str) -> str:
    import segno

    return segno.make(url, error="m", micro=False).svg_inline(scale=4, border=0, dark="#000", light=None)


@dataclass
class _Writer:
    metrics: Metrics
    base_size: float

    def runs(self, runs: list[Run], *, width_pt: float, size: float) -> list[dict]:
        out = []
        for run in runs:
            limit = width_pt / size  # em
            fits = lambda word, bold=run.bold: self.metrics.em(word, bold=bold) <= limit  # noqa: E731
            out.append({"s": segments(run.text, fits=fits), "b": run.bold, "i": run.italic,
                        "u": run.underline, "url": run.url or None})
        return out

    def paragraph(self, p: Paragraph, *, width_pt: float, size: float | None = None, align: str | None = None) -> dict:
        size = p.size or size or self.base_size
        usable = width_pt - (p.left_indent + max(0.0, p.first_line_indent)) * PT_PER_CM
        return {
            "k": "p", "runs": self.runs(p.runs, width_pt=usable, size=size), "align": align or p.align,
            "size": p.size, "indent": p.first_line_indent, "left": p.left_indent, "above": p.space_before,
            "below": p.space_after, "keep": p.keep_with_next,
        }

    def cell(self, cell: Cell, *, width_pt: float, size: float) -> dict:
        # a cell's alignment is the default of its paragraphs
        paragraphs = [self.paragraph(p, width_pt=width_pt, size=size,
                                     align=cell.align if p.align == "left" else p.align)
                      for p in cell.paragraphs]
        return {"ps": paragraphs, "cs": cell.colspan, "rs": cell.rowspan, "align": cell.align, "valign": cell.valign}

    def table(self, table: Table, *, width_pt: float, height_pt: float) -> dict:
        size = table.font_size or self.base_size
        total = sum(table.widths)
        columns = [w / total * width_pt for w in table.widths]
        inset = CELL_INSET_PT if table.frame else 0.0
        rows = table.header + table.body
        placed = _cell_columns(rows, len(columns))
        out = []
        for row, places in zip(rows, placed):
            out.append([self.cell(cell, size=size, width_pt=sum(columns[col:col + span]) - 2 * inset)
                        for cell, (col, span) in zip(row, places)])
        keeps = layout.row_keeps(table, width_cm=width_pt / PT_PER_CM, page_text_height_cm=height_pt / PT_PER_CM,
                                 base_size=self.base_size, metrics=self.metrics)
        return {"k": "table", "widths": table.widths, "size": table.font_size, "frame": table.frame,
                "inset": inset, "header": out[:len(table.header)], "body": out[len(table.header):],
                "keeps": keeps}

    def signature(self, s: Signature, *, width_pt: float) -> dict:
        comment = s.comment
        limit = SIGNATURE_WIDTH * width_pt / self.base_size
        fits = lambda word: self.metrics.em(word) <= limit  # noqa: E731
        if comment:
            comment = segments(comment, fits=fits)
        return {
            "k": "sig", "name": s.name, "position": s.position, "heading": s.heading, "comment": comment,
            "sign": s.sign_line, "rank": s.rank, "suffix": s.suffix, "date": s.date,
            "position_label": s.position_label, "align": s.align, "width": SIGNATURE_WIDTH,
            "signed": segments(s.signed, fits=fits) if s.signed else None,
        }

    def image(self, image: Image) -> dict:
        return {"k": "img", "svg": png_as_svg(image.png), "h": image.height, "align": image.align}

    def letterhead(self, head: Letterhead, *, width_pt: float) -> dict:
        title = self.paragraph(head, width_pt=width_pt) if head.runs else None
        if head.emblem is None:
            return title or {"k": "space", "h": 0}
        return {"k": "head", "pos": head.position, "title": title, "img": self.image(head.emblem)}

    def block(self, block, *, width_pt: float, height_pt: float) -> dict:
        if isinstance(block, Letterhead):
            return self.letterhead(block, width_pt=width_pt)
        if isinstance(block, Paragraph):
            return self.paragraph(block, width_pt=width_pt)
        if isinstance(block, Table):
            return self.table(block, width_pt=width_pt, height_pt=height_pt)
        if isinstance(block, Signature):
            return self.signature(block, width_pt=width_pt)
        if isinstance(block, PageBreak):
            return {"k": "break"}
        if isinstance(block, Spacer):
            return {"k": "space", "h": block.height}
        if isinstance(block, Image):
            return self.image(block)
        raise TypeError(f"unknown block type {type(block).__name__}")

    def section(self, section: Section) -> dict:
        page_width, page_height = (A4_CM[1], A4_CM[0]) if section.landscape else A4_CM
        width_pt = (page_width - section.margin_left - section.margin_right) * PT_PER_CM
        height_pt = (page_height - section.margin_top - section.margin_bottom) * PT_PER_CM
        return {
            "landscape": section.landscape, "numbers": section.page_numbers, "start": section.page_number_start,
            "mt": section.margin_top, "mb": section.margin_bottom, "ml": section.margin_left,
            "mr": section.margin_right,
            "blocks": [self.block(b, width_pt=width_pt, height_pt=height_pt) for b in section.blocks],
        }


def _stamp(stamp: Stamp | None) -> dict | None:
    if stamp is None:
        return None
    return {"text": stamp.text, "qr": qr_svg(stamp.qr_url) if stamp.qr_url else None}


def document_json(document: Document, *, font_dir: Path | None = None) -> str:
    """The JSON the typst template reads. The font is always the compat family that ships with us:
    typst does not read fontconfig, so the "TH Sarabun New" name would find nothing."""
    writer = _Writer(metrics=metrics(font_dir=font_dir), base_size=document.base_size)
    return json.dumps({
        "title": document.title, "author": document.author, "subject": document.subject,
        "lang": document.lang, "digits": document.digits, "font": FAMILY, "size": document.base_size,
        "draft": document.draft, "stamp": _stamp(document.stamp),
        "sections": [writer.section(s) for s in document.sections],
    }, ensure_ascii=False)


# --- compiling -------------------------------------------------------------------------------------

@dataclass
class _Engine:
    compiler: object
    lock: threading.Lock


_engines: dict[Path, _Engine] = {}
_engines_lock = threading.Lock()


def engine(*, font_dir: Path | None = None) -> _Engine:
    """The process's warm typst Compiler for a font directory (created on first use)."""
    import typst

    fontset = ensure_fonts(font_dir=font_dir)
    with _engines_lock:
        found = _engines.get(fontset.directory)
        if found is None:
            fonts = typst.Fonts(include_system_fonts=False, include_embedded_fonts=True,
                                font_paths=[str(fontset.directory)])
            template = template_path()
            compiler = typst.Compiler(str(template), root=str(template.parent), font_paths=fonts,
                                      ignore_system_fonts=True)
            found = _Engine(compiler=compiler, lock=threading.Lock())
            _engines[fontset.directory] = found
        return found


def compile_json(payload: str, *, font_dir: Path | None = None) -> bytes:
    """Compile the template with a prepared document JSON (the bare engine step, also used by the bench)."""
    import typst

    eng = engine(font_dir=font_dir)
    with eng.lock:  # one Compiler is not meant for concurrent compiles
        try:
            # pdf_tags off: tagged PDFs make poppler 22.12 print "Suspects object is wrong type"
            return eng.compiler.compile(format="pdf", sys_inputs={"document": payload}, pdf_tags=False)
        except typst.TypstError as exc:
            raise PdfRenderError(f"typst: {exc.message}\n{exc.diagnostic}") from exc


def render_pdf(document: Document, *, font_dir: Path | None = None) -> bytes:
    """The document as PDF bytes (A4, Sarabun Compat embedded)."""
    from prongsai.reports.pdf_text import fix_text_layer  # the text layer every reader reads right

    return fix_text_layer(compile_json(document_json(document, font_dir=font_dir), font_dir=font_dir))
