"""Layout decisions the three renderers share, so that the PDF, the DOCX and the printed HTML keep and
break the same table rows.

    keeps = row_keeps(table, width_cm=25.7, page_text_height_cm=16.5)   # one bool per body row

A row is kept whole (moved to the next page when it does not fit) when its estimated height is at most
`table.keep_row_max` of the page's text height; a taller row may break across pages, so that it never
leaves more than that share of a page blank and never runs off a page. The estimate is cheap (no line
breaking): the width of each paragraph's text in the font's advance widths, divided by the cell's
width, rounded up, plus one line per paragraph. It only decides where a row may break, never what is
printed, so an estimate a line off costs at most a slightly different break.
"""

from __future__ import annotations

import math
import unicodedata

from prongsai.reports.document import Cell, Table

LINE_PITCH_EM = 1.301  # Word's single spacing for TH Sarabun New; the typst template and the CSS use it
CELL_INSET_X_PT = 4.0  # left and right cell padding (typst; Word's default is 0.19 cm = 5.4 pt)
CELL_INSET_Y_PT = 2.0
PT_PER_CM = 72 / 2.54
SLACK = 1.08  # lines break at spaces or words, not at the exact width: a little more than the ideal


def _metrics():
    from prongsai.reports.render_pdf import metrics

    return metrics()


def cell_height_pt(cell: Cell, *, width_pt: float, size: float, metrics=None) -> float:
    metrics = metrics or _metrics()
    height = 2 * CELL_INSET_Y_PT
    for p in cell.paragraphs:
        psize = p.size or size
        usable = max(1.0, width_pt - 2 * CELL_INSET_X_PT - p.left_indent * PT_PER_CM) / psize  # em
        widths = [0.0]
        for run in p.runs:
            for index, part in enumerate(run.text.split("\n")):
                if index:
                    widths.append(0.0)
                widths[-1] += metrics.em(part, bold=run.bold)
        lines = sum(max(1, math.ceil(em * SLACK / usable)) for em in widths)
        height += lines * LINE_PITCH_EM * psize + p.space_before + p.space_after
    return height


def placed(rows: list[list[Cell]], count: int) -> list[list[tuple[int, int]]]:
    """(first column, columns spanned) of every cell, placing cells around rowspans from above."""
    covered = [0] * count
    out = []
    for row in rows:
        col, here = 0, []
        for cell in row:
            while col < count and covered[col] > 0:
                col += 1
            span = max(1, min(cell.colspan, count - col))
            here.append((col, span))
            for c in range(col, col + span):
                covered[c] = cell.rowspan
            col += span
        covered = [max(0, c - 1) for c in covered]
        out.append(here)
    return out


def row_heights(table: Table, *, width_cm: float, base_size: float, metrics=None) -> list[float]:
    """Estimated height in pt of each body row (cells merged over several rows are left out)."""
    size = table.font_size or base_size
    total = sum(table.widths)
    columns = [w / total * width_cm * PT_PER_CM for w in table.widths]
    out = []
    for row, places in zip(table.body, placed(table.body, len(columns))):
        heights = [cell_height_pt(cell, width_pt=sum(columns[c:c + s]), size=size, metrics=metrics)
                   for cell, (c, s) in zip(row, places) if cell.rowspan == 1]
        out.append(max(heights, default=0.0))
    return out


def row_keeps(table: Table, *, width_cm: float, page_text_height_cm: float, base_size: float,
              metrics=None) -> list[bool]:
    """Whether each body row is kept whole on one page."""
    if not table.keep_rows_together:
        return [False] * len(table.body)
    limit = table.keep_row_max * page_text_height_cm * PT_PER_CM
    return [h <= limit for h in row_heights(table, width_cm=width_cm, base_size=base_size, metrics=metrics)]


# --- unbroken runs ---------------------------------------------------------------------------------

BREAK_AFTER = set("/-_.?&=#,;:+~)]}")


def clusters(text: str) -> list[str]:
    """The text cut into grapheme clusters, near enough: a combining mark stays with its base."""
    out: list[str] = []
    for ch in text:
        if out and (unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf")):
            out[-1] += ch
        else:
            out.append(ch)
    return out


def break_points(token: str, *, fits) -> list[str]:
    """A whitespace-free run too wide for its line cut into pieces that fit, preferring the places a
    URL breaks well (after / - _ . ? & =), else between any two clusters. The pieces join back to the
    run exactly; renderers put a break opportunity (no character) between them."""
    pieces: list[str] = []
    current, last_good = "", -1
    for cl in clusters(token):
        if current and not fits(current + cl):
            if 0 < last_good < len(current):
                pieces.append(current[:last_good])
                current = current[last_good:]
            else:
                pieces.append(current)
                current = ""
            last_good = -1
        current += cl
        if cl[-1] in BREAK_AFTER:
            last_good = len(current)
    if current:
        pieces.append(current)
    return pieces
