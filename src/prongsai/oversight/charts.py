"""Server-side SVG charts of the roll-up (no script, no chart library): horizontal box plots on a 0-100
axis with the pass mark, and histograms. Every chart has a <title> and an aria-label, and the page shows
the same figures in a table next to it."""

from __future__ import annotations

from decimal import Decimal
from xml.sax.saxutils import escape, quoteattr

WIDTH = 720
LABEL = 190
RIGHT = 20
ROW = 26
TOP = 10
AXIS = 30


def _x(value, left: int = LABEL, width: int = WIDTH) -> float:
    return left + float(value) / 100 * (width - left - RIGHT)


def _f(value: float) -> str:
    return f"{value:.1f}"


def _axis(height: int, top: int, left: int = LABEL) -> list[str]:
    out = []
    for tick in range(0, 101, 10):
        x = _f(_x(tick, left))
        out.append(f'<line x1="{x}" y1="{top}" x2="{x}" y2="{height - AXIS}" stroke="#ddd"/>')
        out.append(f'<text x="{x}" y="{height - AXIS + 16}" text-anchor="middle" font-size="11">{tick}</text>')
    return out


def box_plot(boxes, *, title: str, pass_mark: Decimal | None = None, link=None) -> str:
    """One horizontal box (min, quartiles, max; the mean as a dot) per Box with values; `link(box)` gives
    an optional URL for its label."""
    boxes = [b for b in boxes if b.n]
    height = TOP + ROW * max(len(boxes), 1) + AXIS
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="100%" role="img" '
             f'aria-label={quoteattr(title)} class="chart box-plot" font-family="sans-serif">',
             f"<title>{escape(title)}</title>", *_axis(height, TOP)]
    if pass_mark is not None:
        x = _f(_x(pass_mark))
        parts.append(f'<line x1="{x}" y1="{TOP}" x2="{x}" y2="{height - AXIS}" stroke="#b00" stroke-dasharray="4 3"/>')
    for index, b in enumerate(boxes):
        y = TOP + ROW * index
        mid = y + ROW / 2
        label = escape(b.label if len(b.label) <= 28 else b.label[:27] + "…")
        text = f'<text x="{LABEL - 8}" y="{_f(mid + 4)}" text-anchor="end" font-size="12">{label} ({b.n})</text>'
        url = link(b) if link else None
        parts.append(f'<a href={quoteattr(url)}>{text}</a>' if url else text)
        parts.append(f'<line x1="{_f(_x(b.low))}" y1="{_f(mid)}" x2="{_f(_x(b.high))}" y2="{_f(mid)}" stroke="#333"/>')
        parts.append(f'<rect x="{_f(_x(b.q1))}" y="{_f(y + 5)}" width="{_f(max(_x(b.q3) - _x(b.q1), 1))}" '
                     f'height="{ROW - 10}" fill="#9ecae1" stroke="#333">'
                     f'<title>{escape(b.label)}: {b.low}–{b.high}, Q1 {b.q1}, median {b.median}, Q3 {b.q3}</title></rect>')
        parts.append(f'<line x1="{_f(_x(b.median))}" y1="{_f(y + 5)}" x2="{_f(_x(b.median))}" y2="{_f(y + ROW - 5)}" '
                     'stroke="#000" stroke-width="2"/>')
        parts.append(f'<circle cx="{_f(_x(b.mean))}" cy="{_f(mid)}" r="3" fill="#fff" stroke="#000"/>')
    parts.append("</svg>")
    return "".join(parts)


def histogram(counts: list[int], *, title: str, width: int = WIDTH, height: int = 160, step: int | None = None) -> str:
    """Bars over 0-100 in len(counts) equal bins, the count above each bar."""
    step = step or 100 // len(counts)
    left, top = 30, 16
    peak = max(counts) or 1
    inner = height - top - AXIS
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" role="img" '
             f'aria-label={quoteattr(title)} class="chart histogram" font-family="sans-serif">',
             f"<title>{escape(title)}</title>", *_axis(height, top, left)]
    for index, count in enumerate(counts):
        x1, x2 = _x(index * step, left, width), _x(min((index + 1) * step, 100), left, width)
        h = inner * count / peak
        parts.append(f'<rect x="{_f(x1 + 1)}" y="{_f(top + inner - h)}" width="{_f(max(x2 - x1 - 2, 1))}" '
                     f'height="{_f(h)}" fill="#6baed6"><title>{index * step}–{(index + 1) * step}: {count}</title></rect>')
        if count:
            parts.append(f'<text x="{_f((x1 + x2) / 2)}" y="{_f(top + inner - h - 3)}" text-anchor="middle" '
                         f'font-size="10">{count}</text>')
    parts.append("</svg>")
    return "".join(parts)
