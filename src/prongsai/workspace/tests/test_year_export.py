import io
import shutil
import subprocess
from pathlib import Path

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from prongsai.workspace.tests.personas import assert_login_redirect

URL = reverse("workspace:year_export", args=["tessaban-rae", 2563])


def test_it_exports_measures_and_results_in_the_reports_columns(viewer_client, plan):
    response = viewer_client.get(URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == 'attachment; filename="tessaban-rae-2563-measures.xlsx"'
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["มาตรการ", "ผลการดำเนินงาน"]
    measures = book["มาตรการ"]
    assert [c.value for c in measures[1]] == [
        "ตัวชี้วัด/มาตรการ", "แนวทางการปฏิบัติ", "ขั้นตอน/วิธีการปฏิบัติ", "ผู้รับผิดชอบ", "การกำกับติดตาม"]
    assert [c.value for c in measures[2]] == [
        "การใช้งบประมาณ", "- จัดทำแผนการใช้จ่ายงบประมาณประจำปีและเผยแพร่ในเว็บไซต์",
        "1. จัดทำคำสั่งมอบหมายงาน\n2. ผู้บริหารลงนามในคำสั่ง", "สำนักปลัด และกองคลัง", "รายงานผลการดำเนินงาน"]
    assert measures["A3"].value == "การเปิดเผยข้อมูล"
    results = book["ผลการดำเนินงาน"]
    assert [c.value for c in results[1]] == [
        "รหัสมาตรการ", "รอบ (เดือน)", "ตัวชี้วัด", "รายละเอียดการดำเนินงาน", "ระยะเวลาการดำเนินงาน", "ผลผลิต",
        "ผลลัพธ์", "หมายเหตุ"]
    assert results.column_dimensions["A"].hidden
    budget, disclosure = plan.measures.order_by("order")
    rows = [[c.value for c in row] for row in results.iter_rows(min_row=2)]
    assert [r[:3] for r in rows] == [
        [f"M{budget.pk}", 6, "การใช้งบประมาณ"], [f"M{budget.pk}", 12, "การใช้งบประมาณ"],
        [f"M{disclosure.pk}", 12, "การเปิดเผยข้อมูล"]]
    assert rows[0][3:] == ["จัดทำแผนการใช้จ่ายงบประมาณประจำปีและประชาสัมพันธ์บนเว็บไซต์", "เดือนเมษายน 2563",
                           "แผนการใช้จ่ายงบประมาณประจำปี 2563", "มีการเผยแพร่แผนบนเว็บไซต์สำนักงาน",
                           "ดำเนินการครบ 12 เรื่อง"]
    assert rows[1][3:] == [None] * 5  # round 12 not recorded yet: empty cells to fill in


def test_it_never_turns_text_into_a_formula(viewer_client, plan):
    measure = plan.measures.get(order=1)
    measure.title = '=HYPERLINK("http://evil.example","x")'
    measure.save()
    book = load_workbook(io.BytesIO(viewer_client.get(URL).content))
    cell = book["มาตรการ"]["A2"]
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_opens_the_workbook(viewer_client, plan, tmp_path):
    if not Path("/usr/lib/libreoffice/program/libsclo.so").exists():
        pytest.skip("LibreOffice Calc is not installed (Debian package libreoffice-calc-nogui)")
    xlsx = tmp_path / "year.xlsx"
    xlsx.write_bytes(viewer_client.get(URL).content)
    profile = tmp_path / "lo-profile"
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(xlsx)],
        check=True, capture_output=True, timeout=180,
    )
    text = subprocess.run(["pdftotext", str(tmp_path / "year.pdf"), "-"], capture_output=True, text=True,
                          check=True).stdout
    squeezed = "".join(text.split())  # pdftotext may reorder stacked Thai marks: compare plain words
    assert "แนวทางการปฏิบัติ" in squeezed and "การใช้งบประมาณ" in squeezed  # sheet มาตรการ
    assert "รายละเอียดการดำเนินงาน" in squeezed and "มีการเผยแพร่แผนบนเว็บไซต์สำนักงาน" in squeezed  # results
    assert f"M{plan.measures.get(order=1).pk}" not in squeezed  # the key column is hidden
    pages = subprocess.run(["pdfinfo", str(tmp_path / "year.pdf")], capture_output=True, text=True).stdout
    assert "Pages:           2" in pages  # each sheet fits one landscape page wide


def test_it_rejects_wrong_methods(viewer_client, plan):
    assert viewer_client.post(URL).status_code == 405


def test_it_sends_anonymous_visitors_to_login(anon_client, plan):
    assert_login_redirect(anon_client.get(URL))


def test_it_hides_other_agencies(outsider_client, plan):
    assert outsider_client.get(URL).status_code == 404
