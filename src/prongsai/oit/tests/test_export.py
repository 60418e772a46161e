"""The ITAS export: CSV with a BOM and an XLSX that openpyxl and LibreOffice both open."""

import csv
import io
import shutil
import subprocess

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from prongsai.oit import services
from prongsai.workspace.tests.personas import assert_login_redirect


def _url(fmt, slug="tessaban-rae"):
    return reverse("oit:export", args=[slug, 2563, fmt])


@pytest.fixture
def answered(plan, planner, agency):
    services.save_answer(actor=planner, agency=agency, fiscal_year=2563, code="O2", has=True,
                         urls=["https://www.rae.go.th/exec", "https://www.rae.go.th/exec2"], explanation="เมนูผู้บริหาร")
    services.save_answer(actor=planner, agency=agency, fiscal_year=2563, code="O3", has=False, urls=[],
                         explanation="")


def test_it_exports_csv_with_a_bom_one_row_per_item(viewer_client, answered):
    response = viewer_client.get(_url("csv"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "itas-oit-tessaban-rae-2563.csv" in response["Content-Disposition"]
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["ข้อ", "ข้อมูล", "การเปิดเผยข้อมูล", "URL", "คำอธิบายเพิ่มเติม"]
    assert len(rows) == 44
    assert rows[2] == ["O2", "ข้อมูลผู้บริหาร", "มี", "https://www.rae.go.th/exec\nhttps://www.rae.go.th/exec2",
                       "เมนูผู้บริหาร"]
    assert rows[3][2] == "ไม่มี" and rows[1][2] == ""


def test_it_exports_xlsx_that_openpyxl_and_libreoffice_open(viewer_client, answered, tmp_path):
    response = viewer_client.get(_url("xlsx"))
    assert response.status_code == 200
    path = tmp_path / "itas.xlsx"
    path.write_bytes(response.content)
    sheet = load_workbook(path).active
    assert sheet.max_row == 44
    assert [c.value for c in sheet[3]][:3] == ["O2", "ข้อมูลผู้บริหาร", "มี"]
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed")
    profile = (tmp_path / "lo-profile").as_uri()
    done = subprocess.run([soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "csv",
                           "--outdir", str(tmp_path / "out"), str(path)], capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr
    converted = (tmp_path / "out" / "itas.csv").read_text(encoding="utf-8", errors="replace")
    assert "O43" in converted


def test_it_404s_an_unknown_format(viewer_client, answered):
    assert viewer_client.get(_url("pdf")).status_code == 404


def test_it_rejects_wrong_methods(viewer_client, answered):
    assert viewer_client.post(_url("csv")).status_code == 405


def test_it_sends_anonymous_visitors_to_login(anon_client, answered):
    assert_login_redirect(anon_client.get(_url("csv")))


def test_it_hides_other_agencies(outsider_client, answered):
    assert outsider_client.get(_url("csv")).status_code == 404


def test_the_xlsx_says_which_catalogue_version_the_items_are_from(viewer_client, answered, plan):
    from prongsai.framework.catalogue import framework_for_plan, version_note

    book = load_workbook(io.BytesIO(viewer_client.get(_url("xlsx")).content))
    note = version_note(framework_for_plan(plan), plan.agency.digits)
    assert "ฉบับที่" in note
    assert book.properties.description == note
    assert book["ที่มา"]["A1"].value == note
    assert book.worksheets[0]["A2"].value == "O1"  # the ITAS table stays the first sheet
