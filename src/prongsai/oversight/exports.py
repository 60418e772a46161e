"""Every table of the roll-up as rows, and as CSV or XLSX (through prongsai.lib.spreadsheets, which
keeps formula-like text from being read as a formula). Numbers are written as numbers."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from prongsai.lib import spreadsheets

TABLES = ("completeness", "totals", "kinds", "indicators", "change", "agencies")
FORMATS = ("csv", "xlsx")


@dataclass
class Table:
    key: str
    title: str
    headers: list[str]
    rows: list[list]


def completeness_table(c) -> Table:
    headers = [_("กลุ่ม"), _("จำนวนหน่วยงาน")]
    for m in c.metrics:
        headers += [f"{m.label}: " + _("ต้องมี"), f"{m.label}: " + _("มีแล้ว")]
        if m.on_time is not None:
            headers.append(f"{m.label}: " + _("ทันกำหนด"))
    rows = []
    for row in [*c.rows, c.total]:
        line = [row.label, row.agencies]
        for m in c.metrics:
            counts = row.counts[m.key]
            line += [counts.expected, counts.done]
            if m.on_time is not None:
                line.append(counts.on_time)
        rows.append(line)
    return Table("completeness", _("ความครบถ้วนของเอกสาร ปีงบประมาณ %(year)s") % {"year": c.fy}, headers, rows)


def _box_rows(boxes) -> list[list]:
    return [[b.label, b.n, b.low, b.q1, b.median, b.q3, b.high, b.mean] for b in boxes]


def _box_headers(first: str) -> list[str]:
    return [first, _("จำนวน"), _("ต่ำสุด"), _("ควอร์ไทล์ที่ ๑"), _("มัธยฐาน"), _("ควอร์ไทล์ที่ ๓"), _("สูงสุด"),
            _("ค่าเฉลี่ย")]


def totals_table(r) -> Table:
    return Table("totals", _("การกระจายของคะแนนรวม ITA ปี %(year)s ตามพื้นที่") % {"year": r.year},
                 _box_headers(_("กลุ่ม")), _box_rows([*r.by_group, r.overall]))


def kinds_table(r) -> Table:
    return Table("kinds", _("การกระจายของคะแนนรวม ITA ปี %(year)s ตามประเภทหน่วยงาน") % {"year": r.year},
                 _box_headers(_("ประเภท")), _box_rows(r.by_kind))


def indicators_table(r) -> Table:
    headers = [_("ตัวชี้วัดที่"), _("ชื่อตัวชี้วัด"), _("จำนวน"), _("ค่าเฉลี่ย"), _("ต่ำสุด"), _("สูงสุด"),
               _("ต่ำกว่าเกณฑ์ผ่าน")]
    headers += [label for _key, label in r.kinds]
    rows = [[i.no, i.name, i.n, i.mean, i.low, i.high, i.below, *[i.by_kind.get(k) for k, _l in r.kinds]]
            for i in r.indicators]
    return Table("indicators", _("คะแนนรายตัวชี้วัด ITA ปี %(year)s") % {"year": r.year}, headers, rows)


def change_table(r) -> Table:
    headers = [_("กลุ่ม"), _("จำนวนที่มีคะแนน"), _("ค่าเฉลี่ยปีนี้"), _("ค่าเฉลี่ยปีก่อน"), _("เปลี่ยนแปลง"),
               _("จำนวนที่เทียบได้"), _("ดีขึ้น"), _("ลดลง")]
    rows = [[c.label, c.n, c.mean, c.previous_mean, c.change, c.paired, c.up, c.down] for c in r.change]
    return Table("change", _("การเปลี่ยนแปลงจากปีก่อน ITA ปี %(year)s") % {"year": r.year}, headers, rows)


def agencies_table(agencies, title: str) -> Table:
    headers = [_("หน่วยงาน"), _("รหัส"), _("ประเภท"), _("อำเภอ"), _("จังหวัด"), _("slug")]
    rows = [[a.name, a.code, a.get_kind_display(), a.district, a.province, a.slug] for a in agencies]
    return Table("agencies", title, headers, rows)


def _plain(value):
    if value is None:
        return ""
    if isinstance(value, (int, float, Decimal)):
        return value
    return str(value)  # lazy translations (choice labels) and other objects as their text


def as_csv(table: Table) -> bytes:
    return spreadsheets.csv_bytes([[str(h) for h in table.headers], *([_plain(v) for v in row] for row in table.rows)])


def as_xlsx(table: Table) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = table.key[:31]
    sheet.append([str(table.title)])
    sheet["A1"].font = Font(bold=True)
    sheet.append([str(h) for h in table.headers])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in table.rows:
        sheet.append([_plain(v) for v in row])
    return spreadsheets.workbook_bytes(book)
