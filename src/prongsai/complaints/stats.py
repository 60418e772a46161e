"""Complaint statistics per fiscal year: the figures OIT asks for, public and exact.

`statistics(agency=..., fiscal_year=...)` is the one entry point (the portal fills the OIT item for
complaint statistics from it). A complaint counts in the fiscal year of its receipt date. Its shape is
stable (`Stats`, also `Stats.as_dict()`):

    received                    complaints received in the year
    by_month                    12 MonthCount(year_ce, month, count), October to September
    by_category, by_channel,    {code: count} with every code of Complaint.Category / Channel / Status /
    by_status, by_outcome       Outcome, in that order (zeros included)
    acknowledged, acknowledged_in_time    acknowledged to the complainant / by the deadline
    concluded, concluded_in_time          concluded (or closed) / by the deadline
    median_days_to_acknowledge, median_days_to_conclude   calendar days from receipt, None when none

Public pages show counts below 3 as "< 3" (`public_cells`), and hide one more cell of a breakdown
("*") when only one was hidden, so that it cannot be worked back from the total.
"""

from __future__ import annotations

import datetime as dt
import io
import statistics as pystats
from dataclasses import asdict, dataclass
from xml.sax.saxutils import escape

from django.utils import timezone
from django.utils.translation import gettext as _

from prongsai.agencies.models import Agency
from prongsai.complaints.models import Complaint
from prongsai.lib import fiscal, spreadsheets, thai

SMALL = 3
HIDDEN = "< 3"
ALSO_HIDDEN = "*"


@dataclass(frozen=True)
class MonthCount:
    year_ce: int
    month: int
    count: int


@dataclass(frozen=True)
class Stats:
    agency_slug: str
    fiscal_year: int
    as_of: dt.date
    received: int
    by_month: list[MonthCount]
    by_category: dict[str, int]
    by_channel: dict[str, int]
    by_status: dict[str, int]
    by_outcome: dict[str, int]
    acknowledged: int
    acknowledged_in_time: int
    concluded: int
    concluded_in_time: int
    median_days_to_acknowledge: float | None
    median_days_to_conclude: float | None

    def as_dict(self) -> dict:
        data = asdict(self)
        data["as_of"] = self.as_of.isoformat()
        return data


def _months(fiscal_year: int) -> list[tuple[int, int]]:
    start = fiscal.start(fiscal_year)
    return [((start.year * 12 + start.month - 1 + i) // 12, (start.month - 1 + i) % 12 + 1) for i in range(12)]


def _median(values: list[int]) -> float | None:
    return float(pystats.median(values)) if values else None


def statistics(*, agency: Agency, fiscal_year: int, today: dt.date | None = None) -> Stats:
    fiscal_year = int(fiscal_year)
    rows = list(Complaint.objects.filter(
        agency=agency, received_on__gte=fiscal.start(fiscal_year), received_on__lte=fiscal.end(fiscal_year),
    ).only("received_on", "category", "channel", "status", "outcome", "acknowledge_due", "conclude_due",
           "acknowledged_at", "concluded_at"))
    month_counts = {key: 0 for key in _months(fiscal_year)}
    by_category = dict.fromkeys(Complaint.Category.values, 0)
    by_channel = dict.fromkeys(Complaint.Channel.values, 0)
    by_status = dict.fromkeys(Complaint.Status.values, 0)
    by_outcome = dict.fromkeys(Complaint.Outcome.values, 0)
    ack_days, conclude_days = [], []
    ack_in_time = conclude_in_time = 0
    for c in rows:
        month_counts[(c.received_on.year, c.received_on.month)] += 1
        by_category[c.category] += 1
        by_channel[c.channel] += 1
        by_status[c.status] += 1
        if c.outcome:
            by_outcome[c.outcome] += 1
        if c.acknowledged_at is not None:
            ack_days.append(c.days_to_acknowledge())
            ack_in_time += bool(c.acknowledged_in_time())
        if c.concluded_at is not None:
            conclude_days.append(c.days_to_conclude())
            conclude_in_time += bool(c.concluded_in_time())
    return Stats(
        agency_slug=agency.slug, fiscal_year=fiscal_year, as_of=today or timezone.localdate(), received=len(rows),
        by_month=[MonthCount(y, m, n) for (y, m), n in month_counts.items()],
        by_category=by_category, by_channel=by_channel, by_status=by_status, by_outcome=by_outcome,
        acknowledged=len(ack_days), acknowledged_in_time=ack_in_time,
        concluded=len(conclude_days), concluded_in_time=conclude_in_time,
        median_days_to_acknowledge=_median(ack_days), median_days_to_conclude=_median(conclude_days),
    )


# --- what the public sees --------------------------------------------------------------------------

def public_value(count: int) -> str:
    return HIDDEN if count < SMALL else str(count)


def public_cells(counts: dict) -> dict:
    """Display values of a breakdown for the public: "< 3" below 3; when exactly one cell is hidden that
    way, the smallest shown cell becomes "*" too (else total minus the rest would give it away)."""
    shown = {key: public_value(n) for key, n in counts.items()}
    hidden = [key for key, text in shown.items() if text == HIDDEN]
    if len(hidden) == 1:
        visible = [key for key in counts if shown[key] != HIDDEN]
        if visible:
            shown[min(visible, key=lambda k: counts[k])] = ALSO_HIDDEN
    return shown


def _median_text(value: float | None, count: int, style: str) -> str:
    if value is None or count < SMALL:
        return "–"
    text = f"{value:.1f}".removesuffix(".0")
    return thai.digits(text, style)


@dataclass(frozen=True)
class Row:
    section: str
    item: str
    value: str


def table_rows(stats: Stats, *, public: bool, style: str = thai.ARABIC) -> list[Row]:
    """The statistics as (section, item, value) rows: the page's tables, CSV and XLSX all use them."""
    def cells(counts: dict) -> dict:
        return public_cells(counts) if public else {k: str(v) for k, v in counts.items()}

    def one(count: int) -> str:
        return public_value(count) if public else str(count)

    rows = [Row(_("รวม"), _("เรื่องร้องเรียนที่รับในปีงบประมาณ"), one(stats.received))]
    months = cells({(m.year_ce, m.month): m.count for m in stats.by_month})
    for (year, month), text in months.items():
        rows.append(Row(_("รายเดือน"), thai.format_month_year(year, month, style), text))
    for section, choices, counts in (
        (_("ประเภทเรื่อง"), Complaint.Category, stats.by_category),
        (_("ช่องทาง"), Complaint.Channel, stats.by_channel),
        (_("สถานะ"), Complaint.Status, stats.by_status),
        (_("ผลการตรวจสอบ"), Complaint.Outcome, stats.by_outcome),
    ):
        for code, text in cells(counts).items():
            rows.append(Row(section, str(choices(code).label), text))
    timing = _("ระยะเวลา")
    rows += [
        Row(timing, _("แจ้งตอบรับผู้ร้องแล้ว"), one(stats.acknowledged)),
        Row(timing, _("แจ้งตอบรับภายในกำหนด"), one(stats.acknowledged_in_time)),
        Row(timing, _("ได้ข้อยุติแล้ว"), one(stats.concluded)),
        Row(timing, _("ได้ข้อยุติภายในกำหนด"), one(stats.concluded_in_time)),
        Row(timing, _("มัธยฐานจำนวนวันจนแจ้งตอบรับ"),
            _median_text(stats.median_days_to_acknowledge, stats.acknowledged if public else SMALL, thai.ARABIC)),
        Row(timing, _("มัธยฐานจำนวนวันจนได้ข้อยุติ"),
            _median_text(stats.median_days_to_conclude, stats.concluded if public else SMALL, thai.ARABIC)),
    ]
    return [Row(r.section, r.item, r.value if r.value in (HIDDEN, ALSO_HIDDEN, "–") else thai.digits(r.value, style))
            for r in rows]


def as_csv(stats: Stats, *, public: bool) -> bytes:
    out = io.StringIO()
    writer = spreadsheets.csv_writer(out)  # the export rule of prongsai.lib.spreadsheets
    writer.writerow([_("หมวด"), _("รายการ"), _("จำนวน")])
    for row in table_rows(stats, public=public, style=thai.ARABIC):
        writer.writerow([row.section, row.item, row.value])
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # BOM: Excel then opens the Thai text as UTF-8


def as_xlsx(stats: Stats, *, public: bool, agency_name: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = f"FY{stats.fiscal_year}"
    sheet.append([_("สถิติเรื่องร้องเรียนการทุจริต %(agency)s ปีงบประมาณ %(year)s") % {
        "agency": agency_name, "year": stats.fiscal_year}])
    sheet["A1"].font = Font(bold=True)
    sheet.append([_("ข้อมูล ณ วันที่ %(date)s") % {"date": thai.format_date(stats.as_of, thai.ARABIC)}])
    sheet.append([])
    sheet.append([_("หมวด"), _("รายการ"), _("จำนวน")])
    for cell in sheet[4]:
        cell.font = Font(bold=True)
    for row in table_rows(stats, public=public, style=thai.ARABIC):
        value = int(row.value) if row.value.isdigit() else row.value
        sheet.append([row.section, row.item, value])
    for column, width in (("A", 18), ("B", 36), ("C", 10)):
        sheet.column_dimensions[column].width = width
    return spreadsheets.workbook_bytes(book)


def month_chart_svg(stats: Stats, *, public: bool, style: str, title: str) -> str:
    """A bar chart of complaints received per month (server-side SVG, no script). Hidden months are
    drawn as a dashed outline labelled "< 3" (or "*"), whatever their count."""
    values = {(m.year_ce, m.month): m.count for m in stats.by_month}
    texts = public_cells(values) if public else {k: str(v) for k, v in values.items()}
    shown = [v for k, v in values.items() if texts[k] not in (HIDDEN, ALSO_HIDDEN)]
    top = max([SMALL, *shown])
    step = next(s * 10 ** e for e in range(12) for s in (1, 2, 5) if top / (s * 10 ** e) <= 6)
    top = ((top + step - 1) // step) * step
    width, height, left, bottom, topm = 720, 300, 48, 56, 24
    plot_w, plot_h = width - left - 12, height - bottom - topm
    bar_w = plot_w / 12
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
             f'aria-labelledby="month-chart-title"><title id="month-chart-title">{escape(title)}</title>']
    for tick in range(0, top + 1, step):
        y = topm + plot_h - plot_h * tick / top
        parts.append(f'<line class="grid" x1="{left}" x2="{width - 12}" y1="{y:.1f}" y2="{y:.1f}"/>')
        parts.append(f'<text class="tick" x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">'
                     f'{escape(thai.digits(tick, style))}</text>')
    for i, ((year, month), count) in enumerate(values.items()):
        x = left + i * bar_w + bar_w * 0.15
        w = bar_w * 0.7
        label = texts[(year, month)]
        if label in (HIDDEN, ALSO_HIDDEN):
            h = plot_h * SMALL / top
            parts.append(f'<rect class="bar hidden" x="{x:.1f}" y="{topm + plot_h - h:.1f}" width="{w:.1f}" '
                         f'height="{h:.1f}"/>')
            value_y = topm + plot_h - h - 4
        else:
            h = plot_h * count / top
            parts.append(f'<rect class="bar" x="{x:.1f}" y="{topm + plot_h - h:.1f}" width="{w:.1f}" '
                         f'height="{h:.1f}"/>')
            value_y = topm + plot_h - h - 4
        shown_label = label if label in (HIDDEN, ALSO_HIDDEN) else thai.digits(label, style)
        parts.append(f'<text class="value" x="{x + w / 2:.1f}" y="{value_y:.1f}" text-anchor="middle">'
                     f'{escape(shown_label)}</text>')
        parts.append(f'<text x="{x + w / 2:.1f}" y="{topm + plot_h + 18}" text-anchor="middle">'
                     f'{escape(thai.month_name(month, abbr=True))}</text>')
        if month in (10, 1):
            parts.append(f'<text class="tick" x="{x + w / 2:.1f}" y="{topm + plot_h + 36}" text-anchor="middle">'
                         f'{escape(thai.digits(thai.be_year(year), style))}</text>')
    parts.append(f'<line class="axis" x1="{left}" x2="{width - 12}" y1="{topm + plot_h}" y2="{topm + plot_h}"/>')
    parts.append("</svg>")
    return "".join(parts)


def oit_explanation(stats: Stats) -> str:
    """The explanation of the OIT item for complaint statistics: the year's public figures in one Thai
    paragraph, under the same rules as the public page ("< 3" below 3; the outcomes and the median only
    when at least 3 complaints were concluded, so that a hidden count is not given away), e.g.

        ปีงบประมาณ 2568: รับเรื่องร้องเรียนการทุจริตและประพฤติมิชอบ 5 เรื่อง แจ้งตอบรับผู้ร้องแล้ว 4 เรื่อง
        (ภายในกำหนด 4 เรื่อง) ได้ข้อยุติแล้ว < 3 เรื่อง (ภายในกำหนด < 3 เรื่อง) ...

    It holds no date, so it changes only when the figures do (OIT auto-fill then refreshes the item)."""
    v = public_value
    parts = [
        _("ปีงบประมาณ %(year)s: รับเรื่องร้องเรียนการทุจริตและประพฤติมิชอบ %(received)s เรื่อง")
        % {"year": stats.fiscal_year, "received": v(stats.received)},
        _("แจ้งตอบรับผู้ร้องแล้ว %(count)s เรื่อง (ภายในกำหนด %(in_time)s เรื่อง)")
        % {"count": v(stats.acknowledged), "in_time": v(stats.acknowledged_in_time)},
        _("ได้ข้อยุติแล้ว %(count)s เรื่อง (ภายในกำหนด %(in_time)s เรื่อง)")
        % {"count": v(stats.concluded), "in_time": v(stats.concluded_in_time)},
    ]
    if stats.concluded >= SMALL:
        outcomes = public_cells(stats.by_outcome)
        parts.append(_("ผลการตรวจสอบ: %(outcomes)s") % {"outcomes": ", ".join(
            f"{Complaint.Outcome(code).label} {text}" for code, text in outcomes.items())})
        parts.append(_("มัธยฐานจำนวนวันจนได้ข้อยุติ %(days)s วัน") % {
            "days": _median_text(stats.median_days_to_conclude, stats.concluded, thai.ARABIC)})
    note = _("(จำนวนที่น้อยกว่า 3 เรื่อง รวมถึงไม่มีเลย แสดงเป็น “< 3” เพื่อไม่ให้ระบุตัวผู้ร้องหรือผู้ถูกร้องได้ "
             "รายเดือน ประเภทเรื่อง ช่องทาง และระยะเวลา ดูได้ที่หน้าสถิติ พร้อมไฟล์ CSV และ Excel)")
    return " ".join([*parts, note])


def oit_links(agency: Agency, fiscal_year: int) -> dict[str, str]:
    """The public pages of the three OIT complaint items (guideline, channels, statistics), as paths."""
    from django.urls import reverse

    return {
        "guideline": reverse("complaints:guideline", args=[agency.slug]),
        "channels": reverse("complaints:channels", args=[agency.slug]),
        "statistics": reverse("complaints:public_statistics", args=[agency.slug, int(fiscal_year)]),
        "intake": reverse("complaints:intake", args=[agency.slug]),
    }
