"""The one rule for every CSV and XLSX that Prongsai writes, and the bounds on every spreadsheet it reads.

Writing (OWASP "CSV Injection"): a text that a spreadsheet program would take for a formula is never
written as one.

- A text is formula-like when its first character, or its first character after leading white space, is
  one of = + - @, a tab, a carriage return or a line feed, or the full-width ＝ ＋ － ＠ (which Excel in
  East Asian locales folds to their ASCII forms).
- CSV (`csv_writer`): a formula-like text gets a leading apostrophe ('), which spreadsheet programs show
  as text. The csv module quotes fields holding separators, quotes or line breaks, so a cell cannot
  break out into the next one.
- XLSX (`workbook_bytes`): every text cell is stored as a string cell (never type "f"); a formula-like
  one is also marked quote-prefixed, Excel's own flag for "typed with a leading apostrophe", so Excel and
  LibreOffice show it as text and copy it as text, and a program reading the file gets the text back
  unchanged (the year workbook and the framework files round-trip).
- Numbers stay numbers: an int, float or Decimal (a negative score, a count) is written as it is, and so
  is a text that is nothing but a plain decimal number ("-5", "+3.25"), which no program evaluates.

Reading (`check_xlsx_bounds`, `count_cells`): an uploaded XLSX is a zip; its directory tells how large
every part unpacks before anything is unpacked. A file with too many parts, too much unpacked, a part
that unpacks more than MAX_RATIO times its packed size, shared strings over MAX_SHARED_STRINGS or more
cells than MAX_CELLS (counted by streaming through the worksheets' XML) is refused before openpyxl
parses it, with a Thai message. openpyxl then reads it in read-only mode, and the rows are counted
again as they stream (`bounded_rows`). Figures: bench/spreadsheet_bomb.py.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from decimal import Decimal
from typing import Iterable, Iterator

from django.utils.translation import gettext as _

FORMULA_PREFIXES = frozenset("=+-@\t\r\n\uff1d\uff0b\uff0d\uff20")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?", re.ASCII)
# What openpyxl refuses in a cell (control characters other than tab, line feed and carriage return).
_ILLEGAL = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")


def formula_like(text: str) -> bool:
    """True when a spreadsheet program could take this text for a formula (see the module's rule)."""
    if not text:
        return False
    if _PLAIN_NUMBER.fullmatch(text):
        return False
    if text[0] in FORMULA_PREFIXES:
        return True
    stripped = text.lstrip()
    return bool(stripped) and stripped[0] in FORMULA_PREFIXES and not _PLAIN_NUMBER.fullmatch(stripped)


def neutralise(text: str) -> str:
    """The text as a CSV cell: a leading apostrophe when it is formula-like, else unchanged."""
    return "'" + text if formula_like(text) else text


def csv_value(value):
    """One CSV cell: numbers as they are, None as empty, any text through `neutralise`."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float, Decimal)):
        return value
    return neutralise(str(value))


class SafeWriter:
    """csv.writer with the export rule applied to every cell."""

    def __init__(self, fh, **kwargs):
        self._writer = csv.writer(fh, **kwargs)

    def writerow(self, row: Iterable):
        return self._writer.writerow([csv_value(v) for v in row])

    def writerows(self, rows: Iterable[Iterable]) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(fh, **kwargs) -> SafeWriter:
    """The only way Prongsai writes CSV: `csv_writer(buffer, lineterminator="\\r\\n").writerow([...])`."""
    return SafeWriter(fh, **kwargs)


def csv_bytes(rows: Iterable[Iterable], **kwargs) -> bytes:
    """Rows as CSV in UTF-8 with a byte-order mark (so Excel reads the Thai), CRLF line ends."""
    kwargs.setdefault("lineterminator", "\r\n")
    buffer = io.StringIO()
    csv_writer(buffer, **kwargs).writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def safe_cell(cell) -> None:
    """Apply the rule to one openpyxl cell in place: a text is a string cell, quote-prefixed when
    formula-like, without the control characters XLSX cannot hold."""
    value = cell.value
    if isinstance(value, str):
        clean = _ILLEGAL.sub("", value)
        if clean != value:
            cell.value = clean
        cell.data_type = "s"  # openpyxl makes any text starting with "=" a formula (type "f")
        if formula_like(clean):
            cell.quotePrefix = True


def put(sheet, row: int, column: int, value):
    """Write one value at (row, column) under the rule; returns the cell."""
    cell = sheet.cell(row=row, column=column)
    cell.value = _ILLEGAL.sub("", value) if isinstance(value, str) else value
    safe_cell(cell)
    return cell


def make_safe(book) -> None:
    """Apply the rule to every cell of every worksheet of an openpyxl workbook."""
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                safe_cell(cell)


def workbook_bytes(book) -> bytes:
    """The only way Prongsai saves an XLSX: every cell made safe, then the file's bytes."""
    make_safe(book)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --- reading: bounds before parsing ---------------------------------------------------------------

MAX_ENTRIES = 500  # parts in the zip (Excel writes ~10-20; a workbook with images a few dozen)
MAX_UNPACKED = 50 * 1024 * 1024  # all parts together, unpacked
MAX_SHARED_STRINGS = 16 * 1024 * 1024  # xl/sharedStrings.xml, which openpyxl reads whole even in read-only mode
MAX_PART = 16 * 1024 * 1024  # any other part that is not a worksheet (styles, workbook, theme...)
MAX_RATIO = 100  # unpacked / packed, for a part that unpacks to more than RATIO_FLOOR
RATIO_FLOOR = 1024 * 1024
MAX_CELLS = 200_000  # cells in all worksheets (2,000 rows of 100 columns)
_CHUNK = 1024 * 1024


class SpreadsheetTooLarge(ValueError):
    """An uploaded spreadsheet over a bound; the message is Thai and starts with the field's name."""


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.0f}"


def _is_worksheet(name: str) -> bool:
    return name.startswith("xl/worksheets/") and name.endswith(".xml")


def check_xlsx_bounds(fh, *, field: str | None = None, max_cells: int = MAX_CELLS) -> None:
    """Refuse an XLSX (a file object at any position; left at its start) whose zip directory or
    worksheets go over a bound, reading no more than the directory and the worksheets' XML in 1 MB
    chunks. Raises SpreadsheetTooLarge; a file that is not a zip at all is left to the caller."""
    label = field or _("ไฟล์")
    fh.seek(0)
    try:
        with zipfile.ZipFile(fh) as archive:
            infos = archive.infolist()
            if len(infos) > MAX_ENTRIES:
                raise SpreadsheetTooLarge(_("%(field)s: ไฟล์ Excel มีส่วนประกอบ %(count)s ส่วน เกิน %(max)s ส่วนที่ระบบรับได้")
                                          % {"field": label, "count": len(infos), "max": MAX_ENTRIES})
            total = sum(info.file_size for info in infos)
            if total > MAX_UNPACKED:
                raise SpreadsheetTooLarge(
                    _("%(field)s: ไฟล์ Excel เมื่อขยายแล้วมีขนาด %(size)s MB เกิน %(max)s MB ที่ระบบรับได้")
                    % {"field": label, "size": _mb(total), "max": _mb(MAX_UNPACKED)})
            for info in infos:
                limit = MAX_SHARED_STRINGS if info.filename == "xl/sharedStrings.xml" else MAX_PART
                if not _is_worksheet(info.filename) and info.file_size > limit:
                    raise SpreadsheetTooLarge(
                        _("%(field)s: ส่วน %(part)s ของไฟล์ Excel เมื่อขยายแล้วมีขนาด %(size)s MB เกิน %(max)s MB")
                        % {"field": label, "part": info.filename, "size": _mb(info.file_size), "max": _mb(limit)})
                if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
                    raise SpreadsheetTooLarge(
                        _("%(field)s: ส่วน %(part)s ของไฟล์ Excel ถูกบีบอัดไว้เกิน %(max)s เท่า "
                          "(ลักษณะของไฟล์ระเบิด) ระบบจึงไม่เปิด")
                        % {"field": label, "part": info.filename, "max": MAX_RATIO})
            cells = 0
            for info in infos:
                if _is_worksheet(info.filename):
                    cells += count_cells(archive, info, limit=max_cells)
                    if cells > max_cells:
                        raise SpreadsheetTooLarge(
                            _("%(field)s: ไฟล์ Excel มีเกิน %(max)s ช่องข้อมูล ที่ระบบรับได้")
                            % {"field": label, "max": f"{max_cells:,}"})
    except zipfile.BadZipFile:
        return  # not a zip: the caller's content check says what it is
    finally:
        fh.seek(0)


_CELL_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]{0,15}:)?c[\s>/]")
_OVERLAP = 32  # longer than any cell tag the pattern matches


def count_cells(archive: zipfile.ZipFile, info: zipfile.ZipInfo, *, limit: int = MAX_CELLS) -> int:
    """How many <c> (cell) elements a worksheet part holds, streamed in 1 MB chunks (never parsed);
    counting stops once past `limit`."""
    count, tail = 0, b""
    with archive.open(info) as part:
        while True:
            chunk = part.read(_CHUNK)
            data = tail + chunk
            if not chunk:
                return count + len(_CELL_TAG.findall(data))
            # A tag that starts in the last bytes is counted with the next chunk, which begins with them.
            keep = max(0, len(data) - _OVERLAP)
            count += sum(1 for match in _CELL_TAG.finditer(data) if match.start() < keep)
            tail = data[keep:]
            if count > limit:
                return count


def bounded_rows(rows: Iterable[tuple], *, max_rows: int, field: str | None = None,
                 max_cells: int = MAX_CELLS) -> Iterator[tuple]:
    """The rows of a read-only worksheet, stopping with SpreadsheetTooLarge past `max_rows` rows or
    MAX_CELLS cells (padding included: a worksheet's stated dimension can pad every row)."""
    label = field or _("ไฟล์")
    cells = 0
    for number, row in enumerate(rows, start=1):
        if number > max_rows:
            raise SpreadsheetTooLarge(_("%(field)s: มีเกิน %(max)s แถว") % {"field": label, "max": max_rows})
        cells += len(row)
        if cells > max_cells:
            raise SpreadsheetTooLarge(_("%(field)s: ไฟล์มีเกิน %(max)s ช่องข้อมูล ที่ระบบรับได้")
                                      % {"field": label, "max": f"{max_cells:,}"})
        yield row


# --- reading a table of cells --------------------------------------------------------------------

class UnreadableSheet(ValueError):
    """An upload that is not a readable XLSX or CSV; the message is Thai and starts with ไฟล์."""


def cell_text(value) -> str:
    """A cell value read by openpyxl as the text a person sees (numbers without a trailing .0)."""
    import datetime as dt

    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else format(value, ".10g")
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    return str(value)


def open_xlsx(fh, *, max_cells: int = MAX_CELLS):
    """The workbook in read-only mode once its zip has passed the bounds (SpreadsheetTooLarge if not;
    UnreadableSheet for a damaged one). The caller closes it."""
    from openpyxl import load_workbook

    check_xlsx_bounds(fh, max_cells=max_cells)
    try:
        return load_workbook(fh, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged workbook
        raise UnreadableSheet(_("ไฟล์: เปิดไฟล์ Excel ไม่ได้ (%(error)s)") % {"error": exc}) from None


def sheet_rows(sheet, *, max_rows: int, max_cells: int = MAX_CELLS) -> list[list[str]]:
    """Every row of a read-only worksheet as cell texts, within the bounds."""
    return [[cell_text(v) for v in row]
            for row in bounded_rows(sheet.iter_rows(values_only=True), max_rows=max_rows, max_cells=max_cells)]


def csv_rows(data: bytes, *, max_rows: int, max_cells: int = MAX_CELLS) -> list[list[str]]:
    """The rows of a CSV file: UTF-8 (with or without BOM) or Windows Thai (cp874), the separator
    sniffed among , ; and tab."""
    for encoding in ("utf-8-sig", "cp874"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise UnreadableSheet(_("ไฟล์: อ่านตัวอักษรในไฟล์ CSV ไม่ได้ (บันทึกเป็น CSV UTF-8)"))
    if "\x00" in text:
        raise UnreadableSheet(_("ไฟล์: ไม่ใช่ไฟล์ CSV"))
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return [list(row) for row in bounded_rows(csv.reader(io.StringIO(text), dialect), max_rows=max_rows,
                                              max_cells=max_cells)]


def read_cells(fh, *, kind: str | None, name: str, max_rows: int, max_cells: int = MAX_CELLS,
               allow_csv: bool = True) -> list[list[str]]:
    """Every row of the first worksheet (an XLSX by content: `kind` from the content check) or of the
    CSV file (by its name), as lists of cell texts. SpreadsheetTooLarge or UnreadableSheet otherwise."""
    if kind == "xlsx":
        book = open_xlsx(fh, max_cells=max_cells)
        try:
            return sheet_rows(book.worksheets[0], max_rows=max_rows, max_cells=max_cells)
        finally:
            book.close()
    if kind is not None or not allow_csv or not name.lower().endswith(".csv"):
        wanted = _("XLSX หรือ CSV") if allow_csv else _("XLSX")
        raise UnreadableSheet(_("ไฟล์: ต้องเป็นไฟล์ %(kind)s") % {"kind": wanted})
    return csv_rows(fh.read(), max_rows=max_rows, max_cells=max_cells)
