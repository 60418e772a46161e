import csv
import io

from django.urls import reverse
from openpyxl import load_workbook

from prongsai.workspace.tests.personas import assert_login_redirect


def _url(fmt: str, slug: str = "tessaban-rae") -> str:
    return reverse("workspace:scores_template", args=[slug, 2563, fmt])


def test_it_downloads_the_xlsx_template_of_the_years_framework(viewer_client, plan):
    response = viewer_client.get(_url("xlsx"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == 'attachment; filename="ita-2562-scores.xlsx"'
    book = load_workbook(io.BytesIO(response.content))
    sheet = book.worksheets[0]
    assert [c.value for c in sheet[1]] == ["ตัวชี้วัด", "ชื่อตัวชี้วัด", "คะแนน"]
    assert [sheet.cell(row=r, column=1).value for r in range(2, 17)] == [
        1, 2, 3, 4, 5, 6, 7, 8, 9, 10, "IIT", "EIT", "OIT", "รวม", "ระดับ"]
    assert sheet["B10"].value == "การเปิดเผยข้อมูล (OIT)"
    assert "AA / A / B / C / D / E / F" in sheet["B16"].value
    assert book.worksheets[1].title == "คำอธิบาย"


def test_it_downloads_the_csv_template_in_utf8_with_bom(viewer_client, plan):
    response = viewer_client.get(_url("csv"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(b"\xef\xbb\xbf")  # Excel reads the BOM as "this is UTF-8"
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["ตัวชี้วัด", "ชื่อตัวชี้วัด", "คะแนน"]
    assert rows[1][:2] == ["1", "การปฏิบัติหน้าที่ (IIT)"]
    assert [r[0] for r in rows[11:]] == ["IIT", "EIT", "OIT", "รวม", "ระดับ"]


def test_it_knows_only_xlsx_and_csv(viewer_client, plan):
    assert viewer_client.get(_url("pdf")).status_code == 404


def test_it_rejects_wrong_methods(viewer_client, plan):
    assert viewer_client.post(_url("xlsx")).status_code == 405


def test_it_sends_anonymous_visitors_to_login(anon_client, plan):
    assert_login_redirect(anon_client.get(_url("xlsx")))


def test_it_hides_other_agencies(outsider_client, plan):
    assert outsider_client.get(_url("csv")).status_code == 404
