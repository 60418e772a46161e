import io
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from prongsai.assessments.models import ITAResult
from prongsai.audit.models import AuditEntry
from prongsai.framework.catalogue import get_framework
from prongsai.web.tests import factories
from prongsai.workspace import spreadsheets
from prongsai.workspace.tests.personas import assert_login_redirect, audit_actions

URL = reverse("workspace:scores_upload", args=["tessaban-rae", 2563])


def _xlsx(scores: dict, extra: dict | None = None) -> SimpleUploadedFile:
    """The downloadable template, filled in as a person would (column C), parts by their row label."""
    book = load_workbook(io.BytesIO(spreadsheets.score_template_xlsx(get_framework(2562))))
    sheet = book.worksheets[0]
    for row in sheet.iter_rows(min_row=2):
        label = row[0].value
        if label in scores:
            row[2].value = scores[label]
        if extra and label in extra:
            row[2].value = extra[label]
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("คะแนน.xlsx", out.getvalue())


def _csv(text: str, encoding: str = "utf-8-sig", name: str = "scores.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(encoding))


def test_it_imports_the_filled_in_template(planner_client, agency):
    factories.make_plan(agency, 2563)
    scores = {no: float(s) for no, s in factories.SCORES_2562.items()}
    scores[9] = "๖๐.๒๕"  # Thai digits typed as text
    response = planner_client.post(URL, {"file": _xlsx(scores, {"รวม": 83.54, "ระดับ": "B", "IIT": 25.49})})
    assert response.status_code == 302
    result = ITAResult.objects.get(agency=agency, year=2562)
    assert {s.indicator: s.score for s in result.scores.all()} == {
        no: Decimal(s) for no, s in factories.SCORES_2562.items()}
    assert (result.total, result.grade, result.iit, result.eit) == (Decimal("83.54"), "B", Decimal("25.49"), None)
    assert audit_actions(result) == ["assessments.itaresult.created"]


def test_it_imports_a_csv_saved_by_thai_excel(planner_client, agency):
    factories.make_plan(agency, 2563)
    text = "ตัวชี้วัด,คะแนน\r\n๑,๙๑.๒๐\r\n2,80.15\r\nรวม,84.40\r\n"
    response = planner_client.post(URL, {"file": _csv(text, encoding="cp874")})
    assert response.status_code == 302
    result = ITAResult.objects.get(agency=agency, year=2562)
    assert {s.indicator: s.score for s in result.scores.all()} == {1: Decimal("91.20"), 2: Decimal("80.15")}
    assert result.total == Decimal("84.40")


def test_it_names_every_bad_row_and_column_and_writes_nothing(planner_client, agency, plan):
    before = AuditEntry.objects.count()
    text = "ตัวชี้วัด,ชื่อตัวชี้วัด,คะแนน\n1,,95\n11,,80\n3,,หนึ่งร้อย\n3,,70\nระดับ,,Z\n"
    response = planner_client.post(URL, {"file": _csv(text)})
    assert response.status_code == 200
    html = response.content.decode()
    assert "ไม่ได้บันทึกข้อมูลจากไฟล์" in html
    assert "แถวที่ ๓ คอลัมน์ ตัวชี้วัด: เกณฑ์ ITA ปี ๒๕๖๒ ไม่มีตัวชี้วัดที่ ๑๑" in html
    assert "แถวที่ ๔ คอลัมน์ คะแนน: “หนึ่งร้อย” ไม่ใช่ตัวเลข" in html
    assert "แถวที่ ๕ คอลัมน์ ตัวชี้วัด: ซ้ำกับแถวที่ ๔" in html
    assert "แถวที่ ๖ คอลัมน์ คะแนน: ระดับ “Z” ไม่มีในเกณฑ์ปี ๒๕๖๒" in html
    assert ITAResult.objects.get(agency=agency, year=2562).scores.get(indicator=1).score == Decimal("91.20")
    assert AuditEntry.objects.count() == before


def test_it_refuses_a_file_without_the_heading_row(planner_client, plan):
    html = planner_client.post(URL, {"file": _csv("a,b\n1,2\n")}).content.decode()
    assert "ไม่พบแถวหัวตารางที่มีคอลัมน์ “ตัวชี้วัด” “คะแนน”" in html


def test_it_refuses_a_file_that_is_not_a_spreadsheet(planner_client, plan):
    upload = SimpleUploadedFile("scores.xlsx", b"%PDF-1.4 not a workbook")
    html = planner_client.post(URL, {"file": upload}).content.decode()
    assert "ไฟล์: ต้องเป็นไฟล์ XLSX หรือ CSV" in html


def test_it_asks_for_a_file(planner_client, plan):
    html = planner_client.post(URL, {}).content.decode()
    assert "ไฟล์: กรุณาเลือกไฟล์" in html


def test_it_rejects_wrong_methods(planner_client, plan):
    assert planner_client.get(URL).status_code == 405


def test_it_sends_anonymous_visitors_to_login(anon_client, plan):
    assert_login_redirect(anon_client.post(URL, {"file": _csv("ตัวชี้วัด,คะแนน\n1,10\n")}))


def test_it_forbids_read_only_members(viewer_client, agency, plan):
    assert viewer_client.post(URL, {"file": _csv("ตัวชี้วัด,คะแนน\n1,10\n")}).status_code == 403
    assert ITAResult.objects.get(agency=agency, year=2562).scores.get(indicator=1).score == Decimal("91.20")


def test_it_hides_other_agencies(outsider_client, agency, plan):
    assert outsider_client.post(URL, {"file": _csv("ตัวชี้วัด,คะแนน\n1,10\n")}).status_code == 404
