"""Catalogue files: YAML and XLSX, both ways, with the place of every error.

A catalogue file holds the data format of docs/framework.md (the shipped year files) with `family` and
`status` at the top. YAML is read event by event first (bounded size, depth and node count, no anchors
or aliases, no tags beyond plain scalars), so a hostile file fails fast with its line. XLSX has one sheet
per part; its zip is checked for size before openpyxl parses it, and every error names sheet, row and
column. `locate(error)` turns a validation error's field path into that place.
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal

import yaml
from django.utils.translation import gettext as _

from prongsai.lib import spreadsheets

MAX_BYTES = 2 * 1024 * 1024  # a catalogue is about 60 KB
MAX_DEPTH = 12
MAX_NODES = 200_000
MAX_UNPACKED = 40 * 1024 * 1024
MAX_CELLS = 200_000


class CatalogueFileError(ValueError):
    """A catalogue file cannot be read; `place` names where (path and line, or sheet, row and column)."""

    def __init__(self, message: str, place: str = ""):
        self.message, self.place = message, place
        super().__init__(f"{place}: {message}" if place else message)


@dataclass
class Parsed:
    data: dict
    places: dict[str, str] = field(default_factory=dict)  # dotted field path -> "line 12" / "sheet X row 3 col B"

    def locate(self, field_path: str) -> str:
        parts = field_path.split(".")
        while parts:
            found = self.places.get(".".join(parts))
            if found:
                return found
            parts.pop()
        return ""


def read(name: str, content: bytes) -> Parsed:
    """Parse a catalogue file by its content (XLSX is a zip, anything else is read as YAML/JSON)."""
    if len(content) > MAX_BYTES:
        raise CatalogueFileError(_("ไฟล์ใหญ่เกิน %(mb)s MB") % {"mb": MAX_BYTES // (1024 * 1024)}, name)
    if content[:4] == b"PK\x03\x04":
        return read_xlsx(name, content)
    if name.lower().endswith((".xlsx", ".xlsm")):
        raise CatalogueFileError(_("ไม่ใช่ไฟล์ XLSX ที่ถูกต้อง"), name)
    return read_yaml(name, content)


# --- YAML ----------------------------------------------------------------------------------------------

_PLAIN_TAGS = {
    "tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float", "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
}


def read_yaml(name: str, content: bytes) -> Parsed:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CatalogueFileError(_("ไฟล์ต้องเป็นข้อความ UTF-8 (ไบต์ที่ %(pos)s)") % {"pos": exc.start}, name) from None
    _precheck(name, text)
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        raise CatalogueFileError(_yaml_problem(exc), _yaml_place(name, exc)) from None
    if node is None:
        raise CatalogueFileError(_("ไฟล์ว่าง"), name)
    places: dict[str, str] = {}
    data = _construct(name, node, "", places)
    if not isinstance(data, dict):
        raise CatalogueFileError(_("ต้องเป็นออบเจกต์ (key: value) ที่ระดับบนสุด"), f"{name} line 1")
    return Parsed(data, places)


def _precheck(name: str, text: str) -> None:
    """Walk the event stream (no recursion, no construction) to bound depth and size and refuse aliases."""
    depth = count = 0
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            count += 1
            line = event.start_mark.line + 1 if event.start_mark else 0
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                raise CatalogueFileError(_("ไม่รับ anchor และ alias ของ YAML (& และ *)"), f"{name} line {line}")
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    raise CatalogueFileError(_("ซ้อนกันลึกเกิน %(n)s ชั้น") % {"n": MAX_DEPTH}, f"{name} line {line}")
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
            if count > MAX_NODES:
                raise CatalogueFileError(_("มีข้อมูลมากเกินไป"), f"{name} line {line}")
    except yaml.YAMLError as exc:
        raise CatalogueFileError(_yaml_problem(exc), _yaml_place(name, exc)) from None


def _yaml_problem(exc) -> str:
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    return _("อ่าน YAML ไม่ได้: %(problem)s") % {"problem": problem}


def _yaml_place(name: str, exc) -> str:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    return f"{name} line {mark.line + 1} column {mark.column + 1}" if mark else name


def _construct(name, node, path, places):
    place = f"{name} line {node.start_mark.line + 1}"
    places.setdefault(path or "(top)", place)
    if not isinstance(node, yaml.ScalarNode) and node.tag not in ("tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"):
        raise CatalogueFileError(_("ไม่รับชนิดข้อมูล %(tag)s") % {"tag": node.tag}, place)
    if isinstance(node, yaml.MappingNode):
        out = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise CatalogueFileError(_("ชื่อ key ต้องเป็นข้อความ"), f"{name} line {key_node.start_mark.line + 1}")
            key = key_node.value
            if key in out:
                raise CatalogueFileError(_("key %(key)s ซ้ำ") % {"key": key},
                                         f"{name} line {key_node.start_mark.line + 1}")
            child = _child_path(path, key, out)
            out[key] = _construct(name, value_node, child, places)
        return out
    if isinstance(node, yaml.SequenceNode):
        items = []
        for index, value_node in enumerate(node.value):
            items.append(_construct(name, value_node, f"{path}.{index}" if path else str(index), places))
        return items
    if node.tag not in _PLAIN_TAGS:
        raise CatalogueFileError(_("ไม่รับชนิดข้อมูล %(tag)s") % {"tag": node.tag}, place)
    value = yaml.SafeLoader.construct_scalar(yaml.SafeLoader(""), node)
    resolved = {
        "tag:yaml.org,2002:int": lambda v: int(v.replace("_", ""), 0) if v.lower().startswith(("0x", "0o")) else int(v),
        "tag:yaml.org,2002:float": lambda v: Decimal(v),
        "tag:yaml.org,2002:bool": lambda v: v.lower() in ("true", "yes", "on", "y"),
        "tag:yaml.org,2002:null": lambda v: None,
    }.get(node.tag)
    try:
        return resolved(value) if resolved else value
    except (ValueError, ArithmeticError):
        raise CatalogueFileError(_("ค่า %(value)s อ่านไม่ได้") % {"value": value[:40]}, place) from None


def _child_path(path: str, key: str, siblings: dict) -> str:
    return f"{path}.{key}" if path else key


def write_yaml(data: dict) -> bytes:
    header = "# Prongsai ITA catalogue (docs/framework.md). Edit, then: prongsai framework import FILE\n"
    body = yaml.safe_dump(_plain(data), allow_unicode=True, sort_keys=False, width=110)
    return (header + body).encode("utf-8")


def _plain(value):
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


# --- XLSX ----------------------------------------------------------------------------------------------

META = "เกณฑ์"
# sheet name -> (top-level block, list key inside it, columns)
PARTS = {
    "ตัวชี้วัด": ("indicators", "items", ["no", "name_th", "instrument", "uncertain", "aliases", "note", "sources"]),
    "ตัวชี้วัดย่อย": ("sub_indicators", "items", ["code", "indicator", "name_th", "oit_items", "uncertain", "note",
                                               "sources"]),
    "ระดับผลการประเมิน": ("rating", "bands", ["label", "min", "max", "uncertain", "note"]),
    "ข้อ OIT": ("oit_items", "items", ["code", "title_th", "alt_titles_th", "sub_indicator", "indicator", "group",
                                     "subgroup", "detail_th", "produces", "previous", "uncertain", "note", "sources"]),
    "แหล่งข้อมูล": ("sources", None, ["key", "url", "q", "note"]),
}
LISTS = {"aliases", "alt_titles_th", "sources", "previous"}  # cells holding lists: one value per line
INTEGERS = {"no", "indicator"}
NUMBERS = {"min", "max"}
BOOLEANS = {"uncertain"}


def write_xlsx(data: dict) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    meta = book.active
    meta.title = META
    meta.append(["key", "value"])
    for key, value in _meta_rows(data):
        meta.append([key, value])
    for sheet_name, (block, list_key, columns) in PARTS.items():
        sheet = book.create_sheet(sheet_name)
        sheet.append(columns)
        for row in _part_rows(data, block, list_key):
            sheet.append([_cell_out(col, row.get(col)) for col in columns])
    for sheet in book.worksheets:
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for column in sheet.columns:
            letter = column[0].column_letter
            sheet.column_dimensions[letter].width = min(60, max(10, *(len(str(c.value or "")) for c in column)))
            for cell in column:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    # The export rule (prongsai.lib.spreadsheets): text stays text, "=..." is never written as a formula
    # (a quote-prefixed string cell, which reads back unchanged).
    return spreadsheets.workbook_bytes(book)


def _meta_rows(data: dict):
    parts = {block for block, _list_key, _cols in PARTS.values()}
    for key, value in data.items():
        if key in parts and isinstance(value, dict):
            list_key = next(lk for b, lk, _c in PARTS.values() if b == key)
            for sub, sub_value in value.items():
                if sub != list_key and list_key is not None:
                    yield f"{key}.{sub}", _meta_value(sub_value)
        elif isinstance(value, dict):
            for sub, sub_value in value.items():
                yield f"{key}.{sub}", _meta_value(sub_value)
        else:
            yield key, _meta_value(value)


def _meta_value(value):
    if isinstance(value, (list, dict)):
        return "json:" + json.dumps(_plain(value), ensure_ascii=False)
    return _plain(value)


def _part_rows(data: dict, block: str, list_key):
    node = data.get(block)
    if node is None:
        return []
    if list_key is None:  # sources: a mapping key -> {url, q, note}
        return [{"key": key, **value} for key, value in node.items()]
    return node.get(list_key) or []


def _cell_out(column: str, value):
    if value is None:
        return None
    if column in LISTS or (column == "oit_items" and isinstance(value, list)):
        return "\n".join(str(v) for v in value)
    return _plain(value)


def read_xlsx(name: str, content: bytes) -> Parsed:
    from openpyxl import load_workbook

    _check_zip(name, content)
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for foreign or broken files
        raise CatalogueFileError(_("เปิดไฟล์ XLSX ไม่ได้ (%(error)s)") % {"error": type(exc).__name__}, name) from None
    try:
        missing = [s for s in (META, *PARTS) if s not in book.sheetnames]
        if missing:
            raise CatalogueFileError(
                _("ไม่ใช่ไฟล์เกณฑ์ของ Prongsai: ไม่มีแผ่นงาน %(sheets)s") % {"sheets": ", ".join(missing)}, name)
        places: dict[str, str] = {}
        data = _read_meta(name, book[META], places)
        for sheet_name, (block, list_key, columns) in PARTS.items():
            _read_part(name, book[sheet_name], sheet_name, block, list_key, columns, data, places)
    finally:
        book.close()
    return Parsed(data, places)


def _check_zip(name: str, content: bytes) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        infos = archive.infolist()
    except zipfile.BadZipFile:
        raise CatalogueFileError(_("ไม่ใช่ไฟล์ XLSX ที่ถูกต้อง"), name) from None
    if len(infos) > 200 or sum(i.file_size for i in infos) > MAX_UNPACKED:
        raise CatalogueFileError(_("ไฟล์ XLSX เมื่อขยายแล้วใหญ่เกินไป"), name)


def _where(name, sheet, row, col=None) -> str:
    from openpyxl.utils import get_column_letter

    place = f"{name} sheet {sheet} row {row}"
    return f"{place} column {get_column_letter(col)}" if col else place


def _rows(name, sheet, sheet_name):
    count = 0
    for index, row in enumerate(sheet.iter_rows(values_only=True), start=1):
        count += len(row)
        if count > MAX_CELLS:
            raise CatalogueFileError(_("มีข้อมูลมากเกินไป"), _where(name, sheet_name, index))
        yield index, row


def _read_meta(name, sheet, places) -> dict:
    data: dict = {}
    for index, row in _rows(name, sheet, META):
        if index == 1 or not row or row[0] in (None, ""):
            continue
        key, value = str(row[0]).strip(), row[1] if len(row) > 1 else None
        place = _where(name, META, index, 2)
        if isinstance(value, str) and value.startswith("json:"):
            try:
                value = json.loads(value[5:], parse_float=Decimal)
            except json.JSONDecodeError as exc:
                raise CatalogueFileError(_("ค่า JSON อ่านไม่ได้: %(error)s") % {"error": exc.msg}, place) from None
        elif isinstance(value, float):
            value = Decimal(str(value))
        if "." in key:
            block, sub = key.split(".", 1)
            places.setdefault(block, place)
            target = data.setdefault(block, {})
            if not isinstance(target, dict):
                raise CatalogueFileError(_("key %(key)s ซ้ำ") % {"key": key}, _where(name, META, index, 1))
            target[sub] = value
        else:
            if key in data:
                raise CatalogueFileError(_("key %(key)s ซ้ำ") % {"key": key}, _where(name, META, index, 1))
            data[key] = value
        places[key] = place
    return data


def _read_part(name, sheet, sheet_name, block, list_key, columns, data, places) -> None:
    header = None
    items: list = []
    for index, row in _rows(name, sheet, sheet_name):
        if header is None:
            header = [str(c).strip() if c is not None else "" for c in row]
            unknown = [h for h in header if h and h not in columns]
            if unknown:
                raise CatalogueFileError(_("คอลัมน์ที่ไม่รู้จัก: %(cols)s (ที่ใช้ได้: %(known)s)")
                                         % {"cols": ", ".join(unknown), "known": ", ".join(columns)},
                                         _where(name, sheet_name, 1))
            key_col = columns[0]
            if key_col not in header:
                raise CatalogueFileError(_("ไม่มีคอลัมน์ %(col)s") % {"col": key_col}, _where(name, sheet_name, 1))
            continue
        if all(c in (None, "") for c in row):
            continue
        item = {}
        for col_index, (column, value) in enumerate(zip(header, row), start=1):
            if not column or value in (None, ""):
                continue
            item[column] = _cell_in(column, value, _where(name, sheet_name, index, col_index))
            places[_item_path(block, list_key, len(items), item, column)] = _where(name, sheet_name, index, col_index)
        places[_item_path(block, list_key, len(items), item)] = _where(name, sheet_name, index)
        items.append(item)
    if list_key is None:
        sources = {}
        for item in items:
            key = item.pop("key", None)
            if not key:
                continue
            sources[str(key)] = item
        if sources or block in data:
            data[block] = {**(data.get(block) or {}), **sources} if isinstance(data.get(block), dict) else sources
        return
    if items or block in data:
        target = data.setdefault(block, {})
        if not isinstance(target, dict):
            raise CatalogueFileError(_("key %(key)s ซ้ำ") % {"key": block}, _where(name, META, 1))
        target[list_key] = items


def _item_path(block, list_key, index, item, column=None) -> str:
    if list_key is None:
        base = f"{block}.{item.get('key', index)}"
    else:
        base = f"{block}.{list_key}.{index}"
    return f"{base}.{column}" if column else base


def _cell_in(column: str, value, place: str):
    if column in BOOLEANS:
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in ("true", "1", "yes", "ใช่"):
            return True
        if text in ("false", "0", "no", "ไม่ใช่"):
            return False
        raise CatalogueFileError(_("ต้องเป็น TRUE หรือ FALSE"), place)
    if column in ("sources", "previous"):
        return [part.strip() for part in str(value).replace(",", "\n").splitlines() if part.strip()]
    if column in LISTS:
        return [part.strip() for part in str(value).splitlines() if part.strip()]
    if column in INTEGERS:
        try:
            number = Decimal(str(value))
        except ArithmeticError:
            raise CatalogueFileError(_("ต้องเป็นจำนวนเต็ม"), place) from None
        if number != number.to_integral_value():
            raise CatalogueFileError(_("ต้องเป็นจำนวนเต็ม"), place)
        return int(number)
    if column in NUMBERS:
        if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
            try:
                return Decimal(str(value).strip())
            except ArithmeticError:
                raise CatalogueFileError(_("ต้องเป็นตัวเลข"), place) from None
        return Decimal(str(value))
    return str(value) if not isinstance(value, str) else value
