"""The ITAS export under the one export rule (issue 10, item 3): an explanation typed as a formula stays
inert text in the CSV and in the XLSX, as openpyxl reads it and as LibreOffice opens it."""

import csv
import io
import shutil
import subprocess

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from prongsai.oit import services

EVIL = '=HYPERLINK("http://evil.example","x")'


@pytest.fixture
def evil(plan, planner, agency):
    services.save_answer(actor=planner, agency=agency, fiscal_year=2563, code="O2", has=True,
                         urls=["https://www.rae.go.th/exec"], explanation=EVIL)
    services.save_answer(actor=planner, agency=agency, fiscal_year=2563, code="O3", has=True,
                         urls=["https://www.rae.go.th/plan"], explanation="-2+3")


def _get(client, fmt):
    response = client.get(reverse("oit:export", args=["tessaban-rae", 2563, fmt]))
    assert response.status_code == 200
    return response.content


def test_the_csv_holds_the_explanation_as_text_behind_an_apostrophe(viewer_client, evil):
    rows = list(csv.reader(io.StringIO(_get(viewer_client, "csv").decode("utf-8-sig"))))
    assert rows[2][0] == "O2" and rows[2][4] == "'" + EVIL
    assert rows[3][4] == "'-2+3"
    assert not [cell for row in rows for cell in row if cell[:1] in ("=", "+", "-", "@")]


def test_the_xlsx_holds_the_explanation_as_a_string_cell_never_a_formula(viewer_client, evil, tmp_path):
    sheet = load_workbook(io.BytesIO(_get(viewer_client, "xlsx"))).active
    cell = sheet["E3"]
    assert sheet["A3"].value == "O2"
    assert cell.value == EVIL  # the text itself, unchanged
    assert cell.data_type == "s" and cell.quotePrefix  # a quote-prefixed string: Excel shows it as text
    assert sheet["E4"].value == "-2+3" and sheet["E4"].data_type == "s"
    assert not [c.coordinate for row in sheet.iter_rows() for c in row if c.data_type == "f"]


def test_libreoffice_opens_both_exports_without_evaluating_the_formula(viewer_client, evil, tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed")
    (tmp_path / "itas.xlsx").write_bytes(_get(viewer_client, "xlsx"))
    (tmp_path / "itas-csv.csv").write_bytes(_get(viewer_client, "csv"))
    profile = (tmp_path / "lo-profile").as_uri()

    def convert(name, target):
        done = subprocess.run([soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", target,
                               "--outdir", str(tmp_path / "out"), str(tmp_path / name)],
                              capture_output=True, text=True, timeout=180)
        assert done.returncode == 0, done.stderr

    convert("itas.xlsx", "csv")  # evaluated, HYPERLINK would come out as its label "x"
    assert EVIL.replace('"', '""') in (tmp_path / "out" / "itas.csv").read_text(encoding="utf-8", errors="replace")
    convert("itas-csv.csv", "xlsx")  # LibreOffice's CSV import, as a person opening the download would
    sheet = load_workbook(tmp_path / "out" / "itas-csv.xlsx").active
    assert not [c.coordinate for row in sheet.iter_rows() for c in row if c.data_type == "f"]
    assert "evil.example" in str(sheet["E3"].value)
