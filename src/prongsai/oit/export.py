"""The year's OIT answers for the NACC's ITAS form: one row per item (code, title, answer, URL,
explanation), as CSV (UTF-8 with a byte-order mark, so Excel reads the Thai) or XLSX. Both go through the
export rule of prongsai.lib.spreadsheets: an explanation such as =HYPERLINK(...) stays inert text."""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from prongsai.agencies.models import Agency
from prongsai.lib import spreadsheets
from prongsai.oit.services import public_items

HEADER = ["ข้อ", "ข้อมูล", "การเปิดเผยข้อมูล", "URL", "คำอธิบายเพิ่มเติม"]
FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def rows(*, agency: Agency, fiscal_year: int) -> list[list[str]]:
    """Every item of the year in order; several URLs of one item go on separate lines of its cell."""
    out = []
    for item in public_items(agency=agency, fiscal_year=fiscal_year):
        answer = {True: "มี", False: "ไม่มี"}.get(item.has, "")
        out.append([item.code, item.title, answer, "\n".join(item.urls), item.explanation])
    return out


def render(data: list[list[str]], fmt: str, *, title: str = "OIT", note: str = "") -> tuple[bytes, str]:
    """The rows as CSV or XLSX. `note` (which catalogue version the items are from: catalogue.version_note)
    goes into the workbook's description and a second sheet ที่มา; the CSV stays the bare table ITAS takes."""
    if fmt == "csv":
        return spreadsheets.csv_bytes([HEADER, *data]), FORMATS["csv"]
    if fmt == "xlsx":
        book = Workbook()
        if note:
            book.properties.description = note
            about = book.create_sheet("ที่มา")
            about.append([note])
            about.column_dimensions["A"].width = 100
        sheet = book.active
        sheet.title = title[:31]
        sheet.append(HEADER)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in data:
            sheet.append(row)
        for column, width in zip("ABCDE", (8, 60, 14, 60, 60)):
            sheet.column_dimensions[column].width = width
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.freeze_panes = "A2"
        return spreadsheets.workbook_bytes(book), FORMATS["xlsx"]
    raise ValueError(f"unknown export format {fmt!r}")
