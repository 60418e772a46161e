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

from .document import Block, Cell, Document, PageBreak, Paragraph, Run, Section, Signature, Spacer, Table
from .render_docx import A4_CM, SIGNATURE_WIDTH, linkable, page_size, signature_lines

CONTENT_TYPE = "text/html; charset=utf-8"
TEMPLATE = "reports/document.html"
CSS_NAME = "document.css"
FONT_STYLES = (("Regular", "normal"), ("Bold", "bold"))
ROOT_CLASS = "prongsai-doc"


def render_html(document: Document) -> bytes:
    """The whole document as one HTML5 file (UTF-8), fonts and styles included."""
    context = {
        "document": document,
        "lang": document.lang,
        "font_faces": mark_safe(font_face_css(family=document.font_family)),
        "css": mark_safe(document_css()),
        "page_css": mark_safe(page_css(document)),
        "body": render_html_fragment(document),
    }
    return render_to_string(TEMPLATE, context).encode("utf-8")


def render_html_fragment(document: Document) -> SafeString:
    """The document's body content (no <html>), styled by document_css() through its classes, for
    embedding in a web page."""
    sections = format_html_join("\n", "{}", ((_section(s, index=i, document=document),)
                                             for i, s in enumerate(document.sections)))
    return format_html(
        '<div class="{} digits-{}" lang="{}" style="font-family: {}; font-size: {}pt">\n{}\n</div>',
        ROOT_CLASS, document.digits, document.lang, _font_stack(document.font_family), _num(document.base_size),
        sections,
    )


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


def _section(section: Section, *, index: int, document: Document) -> SafeString:
    width, height = page_size(section)
    style = (
        f"--page-width: {_num(width)}cm; --page-height: {_num(height)}cm; "
        f"--margin-top: {_num(section.margin_top)}cm; --margin-right: {_num(section.margin_right)}cm; "
        f"--margin-bottom: {_num(section.margin_bottom)}cm; --margin-left: {_num(section.margin_left)}cm"
    )
    classes = f"doc-section page-{index} {'landscape' if section.landscape else 'portrait'}"
    blocks = format_html_join("\n", "{}", ((_block(b, document=document),) for b in section.blocks))
    return format_html('<section class="{}" id="{}" style="{}">\n{}\n</section>', classes,
                       section.name or f"section-{index + 1}", style, blocks)


def _block(block: Block, *, document: Document) -> SafeString:
    if isinstance(block, Paragraph):
        return _paragraph(block, document=document)
    if isinstance(block, Table):
        return _table(block, document=document)
    if isinstance(block, Signature):
        return _signature(block)
    if isinstance(block, Spacer):
        return format_html('<div class="spacer" style="height: {}cm"></div>', _num(block.height))
    if isinstance(block, PageBreak):
        return mark_safe('<div class="page-break"></div>')
    raise TypeError(f"not a document block: {block!r}")


def _paragraph(para: Paragraph, *, document: Document, align: str | None = None) -> SafeString:
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
    runs = format_html_join("", "{}", ((_run(r),) for r in para.runs))
    if not para.runs or not para.plain:
        runs = mark_safe("<br>")  # an empty paragraph keeps its line, as in DOCX and PDF
    if styles:
        return format_html('<p class="{}" style="{}">{}</p>', classes, "; ".join(styles), runs)
    return format_html('<p class="{}">{}</p>', classes, runs)


def _run(run: Run) -> SafeString:
    html = mark_safe(escape(run.text).replace("\n", "<br>"))
    if run.bold:
        html = format_html("<strong>{}</strong>", html)
    if run.italic:
        html = format_html("<em>{}</em>", html)
    if run.underline:
        html = format_html("<u>{}</u>", html)
    if linkable(run.url):
        html = format_html('<a href="{}" rel="noopener">{}</a>', run.url.strip(), html)
    return html


def _table(table: Table, *, document: Document) -> SafeString:
    total = sum(table.widths)
    cols = format_html_join("", '<col style="width: {}%">', ((_num(w / total * 100),) for w in table.widths))
    classes = "doc-table" + (" keep-rows" if table.keep_rows_together else "")
    style = f"font-size: {_num(table.font_size)}pt" if table.font_size else ""
    parts = [format_html("<colgroup>{}</colgroup>", cols)]
    if table.header:
        parts.append(format_html("<thead>{}</thead>", _rows(table.header, tag="th", document=document)))
    parts.append(format_html("<tbody>{}</tbody>", _rows(table.body, tag="td", document=document)))
    inner = mark_safe("".join(parts))
    if style:
        return format_html('<table class="{}" style="{}">{}</table>', classes, style, inner)
    return format_html('<table class="{}">{}</table>', classes, inner)


def _rows(rows: list[list[Cell]], *, tag: str, document: Document) -> SafeString:
    out = []
    for row in rows:
        cells = "".join(_cell(cell, tag=tag, document=document) for cell in row)
        out.append(f"<tr>{cells}</tr>")
    return mark_safe("\n".join(out))


def _cell(cell: Cell, *, tag: str, document: Document) -> str:
    attrs = ""
    if cell.rowspan > 1:
        attrs += f' rowspan="{int(cell.rowspan)}"'
    if cell.colspan > 1:
        attrs += f' colspan="{int(cell.colspan)}"'
    if tag == "th":
        attrs += ' scope="col"'
    classes = f"valign-{cell.valign}"
    paragraphs = "".join(
        _paragraph(p, document=document, align=cell.align if p.align == "left" else p.align)
        for p in cell.paragraphs or [Paragraph([])]
    )
    return f'<{tag} class="{classes}"{attrs}>{paragraphs}</{tag}>'


def _signature(signature: Signature) -> SafeString:
    lines = []
    for line in signature_lines(signature=signature):
        if line.dots:
            lines.append(format_html(
                '<p class="sig-line dotted"><span>{}</span><span class="fill" aria-hidden="true"></span>'
                "<span>{}</span></p>", line.text, line.after))
        else:
            lines.append(format_html('<p class="sig-line{}">{}</p>', " left" if line.left else "", line.text))
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
        rules.append(
            f"@page page-{index} {{ size: {size}; margin: {_num(section.margin_top)}cm "
            f"{_num(section.margin_right)}cm {_num(section.margin_bottom)}cm {_num(section.margin_left)}cm;"
            f"{increment}{number} }}"
        )
        rules.append(f".{ROOT_CLASS} .page-{index} {{ page: page-{index}; }}")
    if resets:
        rules.insert(0, f":root {{ counter-reset: {' '.join(resets)}; }}")
    return "\n".join(rules)
