"""More than twenty broken catalogue files: each refused with its message and its place, nothing written."""

import copy
import io

import pytest
import yaml
from openpyxl import load_workbook

from prongsai.audit.models import AuditEntry
from prongsai.framework import formats, services
from prongsai.framework.models import Catalogue

pytestmark = pytest.mark.django_db


def _base() -> dict:
    return copy.deepcopy(services.find(2569).data)


def _yaml(data) -> bytes:
    return formats.write_yaml(data)


def _edit(change):
    def make():
        data = _base()
        change(data)
        return _yaml(data)
    return make


def _xlsx_edit(sheet, cell, value) -> bytes:
    book = load_workbook(io.BytesIO(formats.write_xlsx(_base())))
    book[sheet][cell] = value
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _items(d):
    return d["oit_items"]["items"]


CASES = [
    ("broken.yaml", b"year: 2569\nfamily: [general\n", "YAML", "line 3"),
    ("tab.yaml", b"year: 2569\n\tfamily: general\n", "YAML", "line 2"),
    ("bytes.yaml", b"year: 2569\n\xff\xfe", "UTF-8", "bytes.yaml"),
    ("empty.yaml", b"", "ว่าง", "empty.yaml"),
    ("list.yaml", b"- 1\n- 2\n", "ระดับบนสุด", "line 1"),
    ("tag.yaml", b"year: !!timestamp 2001-12-14\n", "ชนิดข้อมูล", "line 1"),
    ("python.yaml", b"year: !!python/object/apply:os.system ['true']\n", "ชนิดข้อมูล", "line 1"),
    ("dupkey.yaml", b"year: 2569\nyear: 2570\n", "ซ้ำ", "line 2"),
    ("dup-code.yaml", _edit(lambda d: _items(d)[1].update(code="O1")), "listed twice", "line"),
    ("weights.yaml", _edit(lambda d: d["weights"].update(OIT=30)), "must be 100", "line"),
    ("gap.yaml", _edit(lambda d: d["rating"]["bands"][1].update(max=90)), "0.01 below", "line"),
    ("overlap.yaml", _edit(lambda d: d["rating"]["bands"][1].update(max=96)), "0.01 below", "line"),
    ("unknown-previous.yaml", _edit(lambda d: _items(d)[0].update(previous=["O99"])), "O99", "line"),
    ("bad-previous.yaml", _edit(lambda d: _items(d)[0].update(previous=["12"])), "previous", "line"),
    ("family.yaml", _edit(lambda d: d.update(family="army")), "unknown family", "line"),
    ("far-year.yaml", _edit(lambda d: d.update(year=2600)), "ห่างจากปัจจุบัน", "line"),
    ("produces.yaml", _edit(lambda d: _items(d)[0].update(produces="coffee")), "produces", "line"),
    ("no-title.yaml", _edit(lambda d: _items(d)[2].pop("title_th")), "needs a title", "line"),
    ("status.yaml", _edit(lambda d: d.update(status="final")), "status", "line"),
    ("pass.yaml", _edit(lambda d: d["pass_mark"].update(value=120)), "pass_mark", "line"),
    ("unknown-key.yaml", _edit(lambda d: d.update(colour="blue")), "unknown field", "colour"),
    ("not-xlsx.xlsx", b"PK\x03\x04 this is not a zip", "XLSX", "not-xlsx.xlsx"),
    ("renamed.xlsx", b"year: 2569\n", "XLSX", "renamed.xlsx"),
    ("weights.xlsx", None, "must be 100", "sheet เกณฑ์ row"),
    ("band.xlsx", None, "ต้องเป็นตัวเลข", "sheet ระดับผลการประเมิน row 2 column B"),
    ("bool.xlsx", None, "TRUE หรือ FALSE", "sheet ข้อ OIT row 3 column K"),
    ("dup.xlsx", None, "listed twice", "sheet ข้อ OIT row 3"),
    ("column.xlsx", None, "คอลัมน์ที่ไม่รู้จัก", "sheet ตัวชี้วัด row 1"),
]


def _foreign_xlsx() -> bytes:
    from openpyxl import Workbook

    out = io.BytesIO()
    Workbook().save(out)
    return out.getvalue()


def _content(name, content):
    if callable(content):
        return content()
    if content is not None:
        return content
    if name == "weights.xlsx":
        book = load_workbook(io.BytesIO(formats.write_xlsx(_base())))
        sheet = book[formats.META]
        row = next(r for r in sheet.iter_rows() if r[0].value == "weights.OIT")
        row[1].value = 10
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()
    return {
        "band.xlsx": lambda: _xlsx_edit("ระดับผลการประเมิน", "B2", "ห้าสิบ"),
        "bool.xlsx": lambda: _xlsx_edit("ข้อ OIT", "K3", "maybe"),
        "dup.xlsx": lambda: _xlsx_edit("ข้อ OIT", "A3", "O1"),
        "column.xlsx": lambda: _xlsx_edit("ตัวชี้วัด", "H1", "colour"),
    }[name]()


@pytest.mark.parametrize("name, content, message, place", CASES, ids=[c[0] for c in CASES])
def test_it_refuses_a_broken_catalogue_naming_the_place_and_writes_nothing(name, content, message, place):
    before = (Catalogue.objects.count(), AuditEntry.objects.count())
    with pytest.raises(services.CatalogueError) as caught:
        services.import_file(name, _content(name, content), actor="test")
    assert message in caught.value.message or message in caught.value.place
    assert place in caught.value.place or place in caught.value.message
    assert (Catalogue.objects.count(), AuditEntry.objects.count()) == before


def test_it_refuses_a_foreign_xlsx_naming_the_missing_sheets():
    with pytest.raises(services.CatalogueError) as caught:
        services.import_file("budget.xlsx", _foreign_xlsx(), actor="test")
    assert "ไม่ใช่ไฟล์เกณฑ์ของ Prongsai" in caught.value.message and "ข้อ OIT" in caught.value.message


def test_the_yaml_errors_point_at_the_line_of_the_field():
    data = _base()
    _items(data)[1]["code"] = "O1"
    text = _yaml(data).decode()
    with pytest.raises(services.CatalogueError) as caught:
        services.import_file("dup.yaml", text.encode(), actor="test")
    line = int(caught.value.place.rsplit("line ", 1)[1])
    assert "code: O1" in text.splitlines()[line - 1]
    assert yaml.safe_load(text)["oit_items"]["items"][1]["code"] == "O1"
