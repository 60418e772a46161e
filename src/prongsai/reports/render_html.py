"""Render a `reports.document.Document` to HTML: one self-contained file, or a fragment for a web page.

The file embeds the Sarabun Compat woff2 (regular and bold) as data: URIs under the family name
"TH Sarabun New", so it looks the same offline and on a machine without Thai fonts; a reader who has the
real TH Sarabun New gets it first (`local()`). Each model section is a named CSS page (size,
orientation and margins), sections start on a new page, header rows are a `<thead>` so browsers repeat
them on each printed page, and Thai line breaking is left to the browser (ICU dictionaries; shared
RENDERING.md: Chromium breaks exactly like the PDF path).

Every text goes through Django's escaping (format_html / escape); link targets other than http(s) and
mailto are dropped, so a `javascript:` URL typed into a year file cannot run.
"""

from __future__ import annotations

import base64
import threading
from importlib import resources
from pathlib import Path

from django.template.loader import render_to_string
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from . import layout
from .document import (
    Block, Cell, Document, Image, Letterhead, PageBreak, Paragraph, Run, Section, Signature, Spacer, Table,
)
from .render_docx import A4_CM, SIGNATURE_WIDTH, linkable, page_size, signature_lines

CONTENT_TYPE = "text/html; charset=utf-8"
TEMPLATE = "reports/document.html"
CSS_NAME = "document.css"
FONT_STYLES = (("Regular", "normal"), ("Bold", "bold"))
ROOT_CLASS = "prongsai-doc"
WORD_SHARE = 0.9  # a Thai word wider than this share of its container's printed width may still break


def render_html(document: Document) -> bytes:
    """The whole document as one HTML5 file (UTF-8), fonts and styles included."""
    context = {
        "document": document,
        "lang": document.lang,
        "font_faces": mark_safe(font_face_css(family=document.font_family)),
        "css": mark_safe(document_css()),
        "page_css": mark_safe(page_css(document)),
        "body": render_html_fragment(document, words=True),
    }
    return render_to_string(TEMPLATE, context).encode("utf-8")


def render_html_fragment(document: Document, *, words: bool = False) -> SafeString:
    """The document's body content (no <html>), styled by document_css() through its classes, for
    embedding in a web page. With `words`, every Thai word is marked up so that lines break only
    between words (see _words); the whole file always is, a fragment only when asked, since the marks
    split the text for anything that searches the page's source."""
    sections = format_html_join("\n", "{}", ((_section(s, index=i, document=document, words=words),)
                                             for i, s in enumerate(document.sections)))
    draft = format_html('<p class="draft-note" role="note">{}</p>\n', document.draft) if document.draft else ""
    return format_html(
        '<div class="{} digits-{}" lang="{}" style="font-family: {}; font-size: {}pt">\n{}{}\n{}</div>',
        ROOT_CLASS, document.digits, document.lang, _font_stack(document.font_family), _num(document.base_size),
        draft, sections, _stamp(document),
    )


def _stamp(document: Document) -> SafeString:
    """An approved version's stamp, once at the end (on screen and in print; page_css also prints its
    line at the foot of every page)."""
    stamp = document.stamp
    if stamp is None:
        return mark_safe("")
    code = ""
    if stamp.qr_url:
        from prongsai.portal import qr

        code = qr.svg(stamp.qr_url, title="คิวอาร์โค้ดไปยังหน้าตรวจสอบเอกสาร")
    return format_html('<footer class="doc-stamp">{}<p>{}</p></footer>\n', code, stamp.text)


def document_css() -> str:
    """The stylesheet for a rendered document (screen and print), without fonts and page sizes."""
    return resources.files("prongsai.reports").joinpath("templates", "reports", CSS_NAME).read_text("utf-8")


# ------------------------------------------------------------------------------------------------ body


def _num(value: float) -> str:
    return f"{value:.3f}".rstrip("0").rstrip(".")


def _font_stack(family: str) -> str:
    # A family name is ours (document.py default), but it still goes into an attribute: keep it tame.
    safe = "".join(ch for ch in family if ch.isalnum() or ch in " -_๙")
    return f"'{safe}', 'Sarabun Compat', serif"


def _section(section: Section, *, index: int, document: Document, words: bool = False) -> SafeString:
    width, height = page_size(section)
    style = (
        f"--page-width: {_num(width)}cm; --page-height: {_num(height)}cm; "
        f"--margin-top: {_num(section.margin_top)}cm; --margin-right: {_num(section.margin_right)}cm; "
        f"--margin-bottom: {_num(section.margin_bottom)}cm; --margin-left: {_num(section.margin_left)}cm"
    )
    classes = f"doc-section page-{index} {'landscape' if section.landscape else 'portrait'}"
    ctx = _Ctx(document=document, width_cm=width - section.margin_left - section.margin_right,
               height_cm=height - section.margin_top - section.margin_bottom, words=words)
    blocks = format_html_join("\n", "{}", ((_block(b, ctx=ctx),) for b in section.blocks))
    return format_html('<section class="{}" id="{}" style="{}">\n{}\n</section>', classes,
                       section.name or f"section-{index + 1}", style, blocks)


class _Ctx:
    """What a block needs to know of where it is: the document and its section's text size."""

    def __init__(self, *, document: Document, width_cm: float, height_cm: float, words: bool = False):
        self.document, self.width_cm, self.height_cm, self.words = document, width_cm, height_cm, words
        self._metrics = None

    @property
    def metrics(self):
        if self._metrics is None:
            from .render_pdf import metrics

            self._metrics = metrics()
        return self._metrics


def _block(block: Block, *, ctx: _Ctx) -> SafeString:
    if isinstance(block, Letterhead):
        return _letterhead(block, ctx=ctx)
    if isinstance(block, Paragraph):
        return _paragraph(block, ctx=ctx, width_cm=ctx.width_cm)
    if isinstance(block, Table):
        return _table(block, ctx=ctx)
    if isinstance(block, Signature):
        return _signature(block, ctx=ctx)
    if isinstance(block, Spacer):
        return format_html('<div class="spacer" style="height: {}cm"></div>', _num(block.height))
    if isinstance(block, PageBreak):
        return mark_safe('<div class="page-break"></div>')
    if isinstance(block, Image):
        return format_html('<p class="image align-{}">{}</p>', block.align, _img(block))
    raise TypeError(f"not a document block: {block!r}")


def _img(image: Image) -> SafeString:
    return format_html('<img src="data:image/png;base64,{}" alt="{}" style="height: {}cm">',
                       base64.b64encode(image.png).decode("ascii"), image.alt, _num(image.height))


def _letterhead(head: Letterhead, *, ctx: _Ctx) -> SafeString:
    """As in the PDF: "left" puts the emblem at the top left and the title centred on the page beside
    it; "top" puts the emblem centred above the title; no emblem, the title alone."""
    title = _paragraph(head, ctx=ctx, width_cm=ctx.width_cm) if head.runs else mark_safe("")
    if head.emblem is None:
        return title
    if head.position == "top":
        return format_html('<div class="letterhead top"><p class="image align-center">{}</p>{}</div>',
                           _img(head.emblem), title)
    return format_html('<div class="letterhead left" style="--emblem: {}cm"><div class="emblem">{}</div>'
                       '<div class="title">{}</div><div></div></div>', _num(head.emblem.height), _img(head.emblem),
                       title)


def _paragraph(para: Paragraph, *, ctx: _Ctx, width_cm: float, align: str | None = None) -> SafeString:
    document = ctx.document
    styles = []
    if para.size is not None and para.size != document.base_size:
        styles.append(f"font-size: {_num(para.size)}pt")
    if para.first_line_indent:
        styles.append(f"text-indent: {_num(para.first_line_indent)}cm")
    if para.left_indent:
        styles.append(f"margin-left: {_num(para.left_indent)}cm")
    if para.space_before:
        styles.append(f"margin-top: {_num(para.space_before)}pt")
    if para.space_after:
        styles.append(f"margin-bottom: {_num(para.space_after)}pt")
    classes = f"align-{align or para.align}" + (" keep-with-next" if para.keep_with_next else "")
    size = para.size or document.base_size
    limit = (width_cm - para.left_indent - max(0.0, para.first_line_indent)) * layout.PT_PER_CM / size * WORD_SHARE
    runs = format_html_join("", "{}", ((_run(r, ctx=ctx, limit_em=limit),) for r in para.runs))
    if not para.runs or not para.plain:
        runs = mark_safe("<br>")  # an empty paragraph keeps its line, as in DOCX and PDF
    if styles:
        return format_html('<p class="{}" style="{}">{}</p>', classes, "; ".join(styles), runs)
    return format_html('<p class="{}">{}</p>', classes, runs)


def _words(text: str, *, ctx: _Ctx, limit_em: float, bold: bool = False) -> SafeString:
    """The text with each Thai word (PyThaiNLP newmm, as in the PDF) in a span that does not break and
    a <wbr> after it: browsers' own Thai breaking splits compounds (ผู้รับ|ผิดชอบ), at every width and
    in print. A word wider than its container is left free to break, and a run too wide for the line
    (a long URL) gets <wbr> at the places it breaks well (and overflow-wrap: anywhere). Neither adds a
    character to the text."""
    from .render_pdf import segments

    if not text:
        return mark_safe("")
    if not ctx.words:
        return mark_safe(escape(text).replace("\n", "<br>"))
    fits = lambda word: ctx.metrics.em(word, bold=bold) <= limit_em  # noqa: E731
    out = []
    for seg in segments(text, fits=fits):
        if isinstance(seg, str):
            out.append(f'<span class="w">{escape(seg)}</span><wbr>')
        else:
            out.append("<wbr>".join(str(escape(piece)).replace("\n", "<br>") for piece in seg))
    return mark_safe("".join(out))


def _run(run: Run, *, ctx: _Ctx, limit_em: float) -> SafeString:
    html = _words(run.text, ctx=ctx, limit_em=limit_em, bold=run.bold)
    if run.bold:
        html = format_html("<strong>{}</strong>", html)
    if run.italic:
        html = format_html("<em>{}</em>", html)
    if run.underline:
        html = format_html("<u>{}</u>", html)
    if linkable(run.url):
        html = format_html('<a href="{}" rel="noopener">{}</a>', run.url.strip(), html)
    return html


def _table(table: Table, *, ctx: _Ctx) -> SafeString:
    total = sum(table.widths)
    cols = format_html_join("", '<col style="width: {}%">', ((_num(w / total * 100),) for w in table.widths))
    classes = "doc-table" + (" keep-rows" if table.keep_rows_together else "") + ("" if table.frame else " layout")
    style = f"font-size: {_num(table.font_size)}pt" if table.font_size else ""
    widths = [w / total * ctx.width_cm for w in table.widths]
    parts = [format_html("<colgroup>{}</colgroup>", cols)]
    if table.header:
        parts.append(format_html("<thead>{}</thead>", _rows(table.header, tag="th", ctx=ctx, widths=widths)))
    keeps = layout.row_keeps(table, width_cm=ctx.width_cm, page_text_height_cm=ctx.height_cm,
                             base_size=ctx.document.base_size, metrics=ctx.metrics)
    parts.append(format_html("<tbody>{}</tbody>", _rows(table.body, tag="td", ctx=ctx, widths=widths, keeps=keeps)))
    inner = mark_safe("".join(parts))
    if style:
        return format_html('<table class="{}" style="{}">{}</table>', classes, style, inner)
    return format_html('<table class="{}">{}</table>', classes, inner)


def _rows(rows: list[list[Cell]], *, tag: str, ctx: _Ctx, widths: list[float],
          keeps: list[bool] | None = None) -> SafeString:
    """Rows kept whole (layout.row_keeps) get class "keep" (break-inside: avoid); the others may break
    across printed pages, as in the PDF and the DOCX."""
    out = []
    for index, (row, places) in enumerate(zip(rows, layout.placed(rows, len(widths)))):
        cells = "".join(_cell(cell, tag=tag, ctx=ctx, width_cm=sum(widths[c:c + span]) - 0.38)
                        for cell, (c, span) in zip(row, places))
        keep = ' class="keep"' if keeps is not None and keeps[index] else ""
        out.append(f"<tr{keep}>{cells}</tr>")
    return mark_safe("\n".join(out))


def _cell(cell: Cell, *, tag: str, ctx: _Ctx, width_cm: float) -> str:
    attrs = ""
    if cell.rowspan > 1:
        attrs += f' rowspan="{int(cell.rowspan)}"'
    if cell.colspan > 1:
        attrs += f' colspan="{int(cell.colspan)}"'
    if tag == "th":
        attrs += ' scope="col"'
    classes = f"valign-{cell.valign}"
    paragraphs = "".join(
        _paragraph(p, ctx=ctx, width_cm=width_cm, align=cell.align if p.align == "left" else p.align)
        for p in cell.paragraphs or [Paragraph([])]
    )
    return f'<{tag} class="{classes}"{attrs}>{paragraphs}</{tag}>'


def _signature(signature: Signature, *, ctx: _Ctx) -> SafeString:
    limit = SIGNATURE_WIDTH * ctx.width_cm * layout.PT_PER_CM / ctx.document.base_size * WORD_SHARE
    lines = []
    for line in signature_lines(signature=signature):
        text = _words(line.text, ctx=ctx, limit_em=limit)
        if line.dots:
            lines.append(format_html(
                '<p class="sig-line dotted"><span>{}</span><span class="fill" aria-hidden="true"></span>'
                "<span>{}</span></p>", text, line.after))
        else:
            lines.append(format_html('<p class="sig-line{}">{}</p>', " left" if line.left else "", text))
    return format_html('<div class="signature sig-{}" style="width: {}%">{}</div>', signature.align,
                       _num(SIGNATURE_WIDTH * 100), mark_safe("".join(lines)))


# ------------------------------------------------------------------------------------ fonts and pages

_font_lock = threading.Lock()
_font_cache: dict[tuple[Path, float], str] = {}


def font_face_css(*, family: str) -> str:
    """@font-face rules for `family` (regular and bold): the reader's own copy first, else the embedded
    Sarabun Compat woff2 as a data: URI."""
    from .fonts import ensure_fonts

    fontset = ensure_fonts()
    rules = []
    for style, weight in FONT_STYLES:
        path = fontset.woff2[style]
        rules.append(
            "@font-face { font-family: \"%s\"; font-style: normal; font-weight: %s; font-display: block; "
            "src: local(\"%s\"), url(data:font/woff2;base64,%s) format(\"woff2\"); }"
            % (_css_string(family), weight, _css_string(family + ("" if style == "Regular" else " Bold")),
               _base64(path))
        )
    return "\n".join(rules)


def _css_string(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3c ")


def _base64(path: Path) -> str:
    key = (path, path.stat().st_mtime)
    with _font_lock:
        if key not in _font_cache:
            _font_cache[key] = base64.b64encode(path.read_bytes()).decode("ascii")
        return _font_cache[key]


def page_css(document: Document) -> str:
    """One named @page per section: A4 in its orientation, its margins, its page numbers.

    Chromium resets the `page` counter on every page of a named page, not once, so a section that
    restarts the numbering (`page_number_start`) starts a counter of its own instead: every page from
    there on increments it, and it starts at `page_number_start - 1` (checked with Chromium 156).
    """
    width, height = A4_CM
    counter_style = "thai" if document.digits == "thai" else "decimal"
    font = _font_stack(document.font_family)  # margin boxes do not inherit the document's font
    counter, resets, rules = "page", [], []
    for index, section in enumerate(document.sections):
        if section.page_number_start is not None:
            counter = f"pages-{index}"
            resets.append(f"{counter} {int(section.page_number_start) - 1}")
        size = f"{_num(height)}cm {_num(width)}cm" if section.landscape else f"{_num(width)}cm {_num(height)}cm"
        increment = f" counter-increment: {counter} 1;" if counter != "page" else ""
        number = (
            f" @bottom-center {{ content: counter({counter}, {counter_style}); vertical-align: bottom; "
            f"padding-bottom: 1cm; font-size: {_num(document.base_size)}pt; }}"
            if section.page_numbers else ""
        )
        if document.draft:
            number += (f' @top-center {{ content: "{_css_string(document.draft)}"; font-family: {font}; font-weight: bold; '
                       f"font-size: 12pt; vertical-align: bottom; padding-bottom: 0.4cm; }}")
        if document.stamp is not None:
            number += (f' @bottom-left {{ content: "{_css_string(document.stamp.text)}"; font-family: {font}; font-size: 10pt; '
                       f"vertical-align: bottom; padding-bottom: 0.6cm; }}")
        rules.append(
            f"@page page-{index} {{ size: {size}; margin: {_num(section.margin_top)}cm "
            f"{_num(section.margin_right)}cm {_num(section.margin_bottom)}cm {_num(section.margin_left)}cm;"
            f"{increment}{number} }}"
        )
        rules.append(f".{ROOT_CLASS} .page-{index} {{ page: page-{index}; }}")
    if resets:
        rules.insert(0, f":root {{ counter-reset: {' '.join(resets)}; }}")
    return "\n".join(rules)
