"""Spreadsheets in and out of the workspace: reading uploaded XLSX/CSV tables, the ITA score template,
and the year's measures and results workbook (the report's column layout).

Reading never trusts the file: an XLSX must be a real workbook (checked by content), a CSV must be
UTF-8 (with or without BOM) or Windows Thai (cp874, what Excel in Thai writes), and a table needs a
heading row naming its required columns. Problems raise SpreadsheetError with a Thai message.
An XLSX is checked against the bounds of prongsai.lib.spreadsheets (parts, unpacked size, shared strings,
compression ratio, cells) before openpyxl opens it, and is then read in read-only mode with its rows and
cells counted as they stream; a CSV's cells are counted too.
Writing goes through the export rule of prongsai.lib.spreadsheets (no cell is ever a live formula).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from prongsai.assessments import editing
from prongsai.framework.catalogue import Framework
from prongsai.lib import spreadsheets as rules
from prongsai.measures import services as measure_services
from prongsai.measures.models import YearPlan
from prongsai.measures.services import sniff

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"
MAX_ROWS = 2000

FONT = "TH Sarabun New"
_HEAD_FONT = Font(name=FONT, size=16, bold=True)
_BODY_FONT = Font(name=FONT, size=16)
_HEAD_FILL = PatternFill("solid", fgColor="DDE4EE")
_THIN = Side(style="thin", color="808080")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP = Alignment(wrap_text=True, vertical="top")


class SpreadsheetError(ValueError):
    pass


# --- reading --------------------------------------------------------------------------------------

def _strip(rows: list[list[str]]) -> list[list[str]]:
    return [[cell.strip() for cell in row] for row in rows]


def _open_xlsx(upload):
    """The workbook in read-only mode, once its zip has passed the bounds (SpreadsheetError if not)."""
    try:
        return rules.open_xlsx(upload)
    except (rules.SpreadsheetTooLarge, rules.UnreadableSheet) as exc:
        raise SpreadsheetError(str(exc)) from None


def _sheet_cells(sheet) -> list[list[str]]:
    try:
        return _strip(rules.sheet_rows(sheet, max_rows=MAX_ROWS))
    except rules.SpreadsheetTooLarge as exc:
        raise SpreadsheetError(str(exc)) from None


def read_cells(upload, *, allow_csv: bool = True) -> list[list[str]]:
    """Every row of the first worksheet (XLSX) or of the CSV file, as lists of cell texts
    (prongsai.lib.spreadsheets.read_cells, at most MAX_ROWS rows)."""
    try:
        return _strip(rules.read_cells(upload, kind=sniff(upload), name=upload.name or "", max_rows=MAX_ROWS,
                                       allow_csv=allow_csv))
    except (rules.SpreadsheetTooLarge, rules.UnreadableSheet) as exc:
        raise SpreadsheetError(str(exc)) from None


@dataclass(frozen=True)
class Table:
    rows: list[tuple[int, dict[str, str]]]  # (row number as the spreadsheet shows it, {column key: text})


def find_table(cells: list[list[str]], *, columns: dict[str, str], required: tuple[str, ...]) -> Table:
    """The rows under the first heading row that names every required column ({key: heading});
    headings are compared without spaces. Empty rows are left out."""
    def norm(text: str) -> str:
        return "".join(text.split())

    wanted = {norm(heading): key for key, heading in columns.items()}
    for index, row in enumerate(cells):
        positions = {wanted[norm(c)]: i for i, c in enumerate(row) if norm(c) in wanted}
        if all(key in positions for key in required):
            out = []
            for number, data in enumerate(cells[index + 1:], start=index + 2):
                values = {key: (data[i] if i < len(data) else "") for key, i in positions.items()}
                if any(values.values()):
                    out.append((number, values))
            return Table(out)
    names = " ".join(f"“{columns[key]}”" for key in required)
    raise SpreadsheetError(_("ไฟล์: ไม่พบแถวหัวตารางที่มีคอลัมน์ %(names)s") % {"names": names})


# --- the ITA score template ------------------------------------------------------------------------

SCORE_COLUMNS = {"indicator": editing.INDICATOR_COLUMN, "name": editing.NAME_COLUMN, "score": editing.SCORE_COLUMN}


def score_rows(upload, *, framework: Framework) -> editing.ScoreSheet:
    """An uploaded score sheet (XLSX or CSV) read and checked against the year's framework."""
    table = find_table(read_cells(upload), columns=SCORE_COLUMNS, required=("indicator", "score"))
    return editing.read_score_rows(framework=framework, rows=table.rows)


def _template_rows(framework: Framework) -> list[list]:
    rows: list[list] = [[editing.INDICATOR_COLUMN, editing.NAME_COLUMN, editing.SCORE_COLUMN]]
    rows += [[ind.no, f"{ind.name} ({ind.instrument})", None] for ind in framework.indicators]
    hints = {
        "iit": _("คะแนน IIT แบบถ่วงน้ำหนัก ตามที่ประกาศ (ไม่บังคับ)"),
        "eit": _("คะแนน EIT แบบถ่วงน้ำหนัก ตามที่ประกาศ (ไม่บังคับ)"),
        "oit": _("คะแนน OIT แบบถ่วงน้ำหนัก ตามที่ประกาศ (ไม่บังคับ)"),
        "total": _("คะแนนรวม ตามที่ประกาศ (ไม่บังคับ)"),
        "grade": _("ระดับผลการประเมิน: %(grades)s (ไม่บังคับ)") % {
            "grades": " / ".join(b.label for b in framework.bands)},
    }
    rows += [[editing.PART_LABELS[name], hint, None] for name, hint in hints.items()]
    return rows


def score_template_csv(framework: Framework) -> bytes:
    """The score template as CSV in UTF-8 with a BOM, so Excel opens the Thai text correctly."""
    return rules.csv_bytes(_template_rows(framework))


def _put(sheet, row: int, column: int, value, *, font=_BODY_FONT):
    cell = rules.put(sheet, row, column, value)  # the export rule: text stays text, never a formula
    cell.font = font
    cell.alignment = _WRAP
    cell.border = _BORDER
    return cell


def _to_bytes(book: Workbook) -> bytes:
    return rules.workbook_bytes(book)


def score_template_xlsx(framework: Framework) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = _("คะแนน ITA")
    rows = _template_rows(framework)
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            _put(sheet, r, c, value, font=_HEAD_FONT if r == 1 else _BODY_FONT)
    for c in range(1, 4):
        sheet.cell(row=1, column=c).fill = _HEAD_FILL
    sheet.column_dimensions["A"].width = 12
    sheet.column_dimensions["B"].width = 70
    sheet.column_dimensions["C"].width = 14
    sheet.freeze_panes = "A2"
    last_indicator = 1 + len(framework.indicators)
    check = DataValidation(type="decimal", operator="between", formula1="0", formula2="100", allow_blank=True,
                           showErrorMessage=True, errorTitle=_("คะแนน"), error=_("คะแนนต้องอยู่ระหว่าง 0 ถึง 100"))
    check.add(f"C2:C{last_indicator + 4}")
    sheet.add_data_validation(check)
    help_sheet = book.create_sheet(_("คำอธิบาย"))
    lines = [
        _("แบบกรอกคะแนน ITA ปี %(year)s") % {"year": framework.year},
        _("กรอกคะแนนของแต่ละตัวชี้วัด (0–100 ทศนิยมไม่เกิน 2 ตำแหน่ง) ในคอลัมน์ คะแนน ของแผ่นงานแรก"),
        _("แถว IIT / EIT / OIT / รวม / ระดับ ไม่บังคับ: กรอกเมื่อต้องการบันทึกตัวเลขตามที่ สำนักงาน ป.ป.ช. ประกาศ"),
        _("เว้นว่างได้ ตัวชี้วัดที่ไม่กรอกคะแนนจะไม่ถูกบันทึก ใช้เลขไทยหรือเลขอารบิกก็ได้"),
        _("คอลัมน์ ชื่อตัวชี้วัด มีไว้อ่านเท่านั้น ระบบใช้คอลัมน์ ตัวชี้วัด และ คะแนน"),
    ]
    for r, line in enumerate(lines, start=1):
        cell = help_sheet.cell(row=r, column=1, value=line)
        cell.font = _HEAD_FONT if r == 1 else _BODY_FONT
    help_sheet.column_dimensions["A"].width = 110
    return _to_bytes(book)


# --- the year's measures and results ---------------------------------------------------------------

MEASURE_HEADINGS = ("ตัวชี้วัด/มาตรการ", "แนวทางการปฏิบัติ", "ขั้นตอน/วิธีการปฏิบัติ", "ผู้รับผิดชอบ", "การกำกับติดตาม")
MEASURE_WIDTHS = (30, 45, 45, 25, 28)
RESULT_WIDTHS = {"key": 10, "round": 10, "label": 28, "details": 45, "period": 22, "outputs": 30,
                 "outcomes": 30, "remarks": 28}
MEASURES_SHEET = "มาตรการ"
RESULTS_SHEET = "ผลการดำเนินงาน"


def _page_setup(sheet) -> None:
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "1:1"


def year_workbook(plan: YearPlan) -> bytes:
    """Sheet มาตรการ: the 5 columns of the report's measures table, in table order. Sheet
    ผลการดำเนินงาน: one row per measure × monitored round with a (hidden) measure key, the round and
    the report's results columns; `import_results` reads it back."""
    book = Workbook()
    measures_sheet = book.active
    measures_sheet.title = MEASURES_SHEET
    for c, heading in enumerate(MEASURE_HEADINGS, start=1):
        _put(measures_sheet, 1, c, heading, font=_HEAD_FONT).fill = _HEAD_FILL
        measures_sheet.column_dimensions[get_column_letter(c)].width = MEASURE_WIDTHS[c - 1]
    measures = list(plan.measures.prefetch_related("results"))
    for r, m in enumerate(measures, start=2):
        for c, value in enumerate((m.title, m.guideline, m.steps, m.responsible, m.monitoring), start=1):
            _put(measures_sheet, r, c, value)
    measures_sheet.freeze_panes = "A2"
    _page_setup(measures_sheet)

    results_sheet = book.create_sheet(RESULTS_SHEET)
    keys = [key for key, _heading in measure_services.RESULT_COLUMNS]
    for c, (key, heading) in enumerate(measure_services.RESULT_COLUMNS, start=1):
        _put(results_sheet, 1, c, heading, font=_HEAD_FONT).fill = _HEAD_FILL
        results_sheet.column_dimensions[get_column_letter(c)].width = RESULT_WIDTHS[key]
    results_sheet.column_dimensions["A"].hidden = True
    row = 2
    for m in measures:
        results = {r.round: r for r in m.results.all()}
        for months in sorted(m.rounds):
            result = results.get(months)
            values = {"key": measure_services.measure_key(m), "round": months,
                      "label": (result.label if result else "") or m.title}
            for name in ("details", "period", "outputs", "outcomes", "remarks"):
                values[name] = getattr(result, name) if result else ""
            for c, key in enumerate(keys, start=1):
                _put(results_sheet, row, c, values[key])
            row += 1
    results_sheet.freeze_panes = "C2"
    _page_setup(results_sheet)
    book.properties.title = f"{plan.agency.name} {plan.fiscal_year}"
    return _to_bytes(book)


def results_rows(upload) -> list[tuple[int, dict]]:
    """The rows of the sheet ผลการดำเนินงาน of an uploaded workbook (the export's layout)."""
    if sniff(upload) != "xlsx":
        raise SpreadsheetError(_("ไฟล์: ต้องเป็นไฟล์ Excel (.xlsx) ที่ส่งออกจากระบบ"))
    book = _open_xlsx(upload)
    try:
        if RESULTS_SHEET not in book.sheetnames:
            raise SpreadsheetError(_("ไฟล์: ไม่มีแผ่นงาน “%(name)s”") % {"name": RESULTS_SHEET})
        cells = _sheet_cells(book[RESULTS_SHEET])
    finally:
        book.close()
    columns = dict(measure_services.RESULT_COLUMNS)
    return find_table(cells, columns=columns, required=("key", "round")).rows

