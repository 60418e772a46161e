"""Reading a large table from an uploaded or named CSV / XLSX file (thousands of rows).

The workspace's reader (prongsai.workspace.spreadsheets) stops at 2,000 rows, for one agency's sheets; this
one reads up to MAX_ROWS. Both use prongsai.lib.spreadsheets.read_cells: an XLSX must be a real workbook
(checked by content) within the zip bounds, a CSV UTF-8 (with or without BOM) or Windows Thai (cp874), and
the heading row must name the required columns.
Problems raise TableError with a Thai message.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from prongsai.lib import spreadsheets
from prongsai.measures.services import sniff

MAX_ROWS = 20000
MAX_COLUMNS = 30  # an agency list or a results sheet has a dozen or so


class TableError(ValueError):
    pass


def read_cells(fh, name: str) -> list[list[str]]:
    """Every row of the first worksheet (XLSX) or of the CSV file, as lists of cell texts with their
    white space collapsed; the same reader and bounds as every upload (prongsai.lib.spreadsheets),
    with room for MAX_ROWS rows of MAX_COLUMNS cells."""
    try:
        rows = spreadsheets.read_cells(fh, kind=sniff(fh), name=name, max_rows=MAX_ROWS + 1,
                                       max_cells=(MAX_ROWS + 1) * MAX_COLUMNS)
    except spreadsheets.SpreadsheetTooLarge as exc:
        raise TableError(f"{exc} {_('แบ่งเป็นหลายไฟล์')}") from None
    except spreadsheets.UnreadableSheet as exc:
        raise TableError(str(exc)) from None
    return [[" ".join(cell.split()) for cell in row] for row in rows]


def heading_key(text: str) -> str:
    return "".join(str(text).split()).lower()


@dataclass(frozen=True)
class Table:
    headings: dict[str, str]  # column key -> the heading as the file writes it
    columns: dict[str, int]  # column key -> index
    rows: list[tuple[int, list[str]]]  # (row number as the spreadsheet shows it, cells)

    def value(self, cells: list[str], key: str) -> str:
        index = self.columns.get(key)
        return cells[index] if index is not None and index < len(cells) else ""


def find_table(cells: list[list[str]], *, match, required: dict[str, str], scan: int = 20) -> Table:
    """The rows under the heading row: the first of the first `scan` rows in which `match(heading)`
    (-> a column key or None) finds every key of `required` ({key: heading to name in the message}).
    Empty rows are left out. Raises TableError naming the missing columns of the best candidate."""
    best: tuple[int, dict] = (-1, {})
    for index, row in enumerate(cells[:scan]):
        columns: dict[str, int] = {}
        headings: dict[str, str] = {}
        for i, cell in enumerate(row):
            key = match(cell) if cell else None
            if key and key not in columns:
                columns[key] = i
                headings[key] = cell
        if all(key in columns for key in required):
            body = [(number, row) for number, row in enumerate(cells[index + 1:], start=index + 2)
                    if any(c.strip() for c in row)]
            return Table(headings=headings, columns=columns, rows=body)
        if len(columns) > len(best[1]):
            best = (index, columns)
    missing = [name for key, name in required.items() if key not in best[1]]
    if best[0] < 0:
        raise TableError(_("ไฟล์: ไม่พบแถวหัวตาราง ต้องมีคอลัมน์ %(names)s")
                         % {"names": " ".join(f"“{n}”" for n in required.values())})
    raise TableError(_("ไฟล์: แถวหัวตาราง (แถวที่ %(row)s) ไม่มีคอลัมน์ %(names)s")
                     % {"row": best[0] + 1, "names": " ".join(f"“{n}”" for n in missing)})
