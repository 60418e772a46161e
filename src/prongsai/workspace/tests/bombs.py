"""Hostile XLSX files, built on the fly (never stored): a real workbook from openpyxl whose parts are then
swapped for huge ones that compress to almost nothing. Used by test_spreadsheet_bounds and
bench/spreadsheet_bomb.py."""

from __future__ import annotations

import io
import zipfile

from openpyxl import Workbook

SST_HEAD = b'<?xml version="1.0" encoding="UTF-8"?>\n<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
SST_TYPE = (b'<Override PartName="/xl/sharedStrings.xml" '
            b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>')
SST_REL = (b'<Relationship Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" '
           b'Target="sharedStrings.xml" Id="rId99"/>')
SHEET_HEAD = (b'<?xml version="1.0" encoding="UTF-8"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/'
              b'spreadsheetml/2006/main"><sheetData>')


def _base() -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["ตัวชี้วัด", "คะแนน"])  # text cells: openpyxl writes xl/sharedStrings.xml and its relation
    sheet.append([1, 90])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def replace_parts(parts: dict[str, object]) -> bytes:
    """The base workbook with the named parts replaced (or added): each value is bytes, or a callable
    that writes the part to the open zip entry it is given (so a 200 MB part is never in memory)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(_base())) as source, \
            zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for info in source.infolist():
            if info.filename not in parts:
                target.writestr(info.filename, source.read(info.filename))
        for name, content in parts.items():
            with target.open(name, "w", force_zip64=True) as entry:
                if callable(content):
                    content(entry)
                else:
                    entry.write(content)
    return out.getvalue()


def shared_strings_bomb(unpacked_mb: int = 200) -> bytes:
    """sharedStrings.xml of `unpacked_mb` MB (one long string repeated): about 700 KB packed for 200 MB."""
    item = b"<si><t>" + b"A" * 1000 + b"</t></si>"
    items = unpacked_mb * 1024 * 1024 // len(item)  # so the part unpacks to just about unpacked_mb

    def write(entry):
        entry.write(SST_HEAD)
        block = item * 1000
        for _ in range(items // 1000):
            entry.write(block)
        entry.write(item * (items % 1000))
        entry.write(b"</sst>")

    with zipfile.ZipFile(io.BytesIO(_base())) as base:
        types = base.read("[Content_Types].xml").replace(b"</Types>", SST_TYPE + b"</Types>")
        rels = base.read("xl/_rels/workbook.xml.rels").replace(b"</Relationships>", SST_REL + b"</Relationships>")
    # The workbook names the part as its shared strings, so openpyxl reads it whole when it opens the file.
    return replace_parts({"[Content_Types].xml": types, "xl/_rels/workbook.xml.rels": rels,
                          "xl/sharedStrings.xml": write})


def many_cells(cells: int) -> bytes:
    """A first worksheet of `cells` empty cells (about 12 bytes each unpacked)."""
    row = b'<row r="1">' + b"<c/>" * 100 + b"</row>"

    def write(entry):
        entry.write(SHEET_HEAD)
        for _ in range(cells // 100):
            entry.write(row)
        entry.write(b"</sheetData></worksheet>")

    return replace_parts({"xl/worksheets/sheet1.xml": write})


def padded_part(unpacked_mb: int) -> bytes:
    """An extra part of zeros: over the compression ratio while far under the size bounds."""
    return replace_parts({"xl/media/padding.bin": b"\0" * (unpacked_mb * 1024 * 1024)})


def many_parts(count: int) -> bytes:
    return replace_parts({f"customXml/item{n}.xml": b"<a/>" for n in range(count)})
