"""Catalogue files: YAML and XLSX round trips (the XLSX also through LibreOffice), and hostile YAML."""

import shutil
import subprocess

import pytest
from openpyxl import load_workbook

from prongsai.framework import formats, services, store
from prongsai.framework.models import Catalogue

pytestmark = pytest.mark.django_db
YEARS = list(store.shipped_files())


def _current(year):
    return services.find(year)


def _round_trip(row, fmt, content=None):
    content = content or services.export(row, fmt)
    proposal = services.propose(services.read_file(f"x.{fmt}", content), name=f"x.{fmt}")
    return proposal


@pytest.mark.parametrize("year", YEARS)
@pytest.mark.parametrize("fmt", ["yaml", "xlsx"])
def test_it_round_trips_every_shipped_catalogue(year, fmt):
    row = _current(year)
    proposal = _round_trip(row, fmt)
    assert proposal.data == row.data
    assert proposal.identical and proposal.changes == []


def test_it_writes_one_xlsx_sheet_per_part_and_text_never_as_a_formula(tmp_path):
    row = _current(2569)
    data = dict(row.data)
    items = [dict(i) for i in data["oit_items"]["items"]]
    items[0]["title_th"] = '=HYPERLINK("http://evil.example","x")'
    data["oit_items"] = {**data["oit_items"], "items": items}
    content = formats.write_xlsx(data)
    path = tmp_path / "c.xlsx"
    path.write_bytes(content)
    book = load_workbook(path)
    assert book.sheetnames == [formats.META, *formats.PARTS]
    cell = book["ข้อ OIT"]["B2"]
    assert cell.value.startswith("=HYPERLINK") and cell.data_type == "s"
    assert formats.read_xlsx("c.xlsx", content).data["oit_items"]["items"][0]["title_th"] == items[0]["title_th"]


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_it_reads_back_the_xlsx_after_libreoffice_opened_and_saved_it(tmp_path):
    row = _current(2569)
    source = tmp_path / "in" / "ita-2569.xlsx"
    source.parent.mkdir()
    source.write_bytes(services.export(row, "xlsx"))
    out = tmp_path / "out"
    subprocess.run([shutil.which("soffice"), f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless",
                    "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(out), str(source)],
                   check=True, capture_output=True, timeout=180)
    saved = (out / "ita-2569.xlsx").read_bytes()
    assert saved != source.read_bytes()  # really written by LibreOffice
    proposal = services.propose(services.read_file("ita-2569.xlsx", saved), name="ita-2569.xlsx")
    assert proposal.data == row.data and proposal.identical


def test_it_refuses_a_billion_laughs_file_fast_with_its_line():
    text = "a: &a ['x','x','x','x','x','x','x','x','x']\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)}]\n"
        for i in range(9))
    with pytest.raises(formats.CatalogueFileError) as caught:
        formats.read("bomb.yaml", text.encode())
    assert "line 1" in caught.value.place and "alias" in caught.value.message


def test_it_refuses_deep_nesting_without_a_recursion_error():
    with pytest.raises(formats.CatalogueFileError) as caught:
        formats.read("deep.yaml", ("[" * 500 + "]" * 500).encode())
    assert "ลึกเกิน" in caught.value.message and "line 1" in caught.value.place
