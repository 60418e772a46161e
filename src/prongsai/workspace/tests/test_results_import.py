import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from prongsai.audit.models import AuditEntry
from prongsai.measures.models import RoundResult
from prongsai.workspace.tests import files
from prongsai.workspace.tests.personas import assert_login_redirect, audit_actions

URL = reverse("workspace:results_import", args=["tessaban-rae", 2563])
EXPORT = reverse("workspace:year_export", args=["tessaban-rae", 2563])


def _exported(client, edit) -> SimpleUploadedFile:
    """The year's export, changed by `edit(sheet)` as a person would in Excel."""
    book = load_workbook(io.BytesIO(client.get(EXPORT).content))
    edit(book["ผลการดำเนินงาน"])
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("ผลการดำเนินงาน.xlsx", out.getvalue())


def test_it_round_trips_the_export_and_records_new_results(planner_client, plan):
    def fill(sheet):
        sheet["D3"] = "จัดทำรายงานการใช้จ่ายงบประมาณรอบ ๑๒ เดือน"  # การใช้งบประมาณ, round 12
        sheet["E3"] = "ตุลาคม ๒๕๖๒ – กันยายน ๒๕๖๓"
        sheet["C4"] = "การเปิดเผยข้อมูลสาธารณะ"  # its own label in the results table
        sheet["D4"] = "เผยแพร่ข้อมูลครบ ๓๓ รายการ"

    response = planner_client.post(URL, {"file": _exported(planner_client, fill)})
    assert response.status_code == 302
    budget, disclosure = plan.measures.order_by("order")
    twelve = RoundResult.objects.get(measure=budget, round=12)
    assert twelve.details == "จัดทำรายงานการใช้จ่ายงบประมาณรอบ ๑๒ เดือน"
    assert twelve.period == "ตุลาคม ๒๕๖๒ – กันยายน ๒๕๖๓" and twelve.label == ""
    other = RoundResult.objects.get(measure=disclosure, round=12)
    assert other.label == "การเปิดเผยข้อมูลสาธารณะ"
    assert audit_actions(twelve) == ["measures.roundresult.created"]
    assert AuditEntry.objects.get(object_id=str(twelve.pk)).changes["source"][1] == "นำเข้าจากไฟล์ Excel แถวที่ 3"
    six = budget.results.get(round=6)
    assert audit_actions(six) == []  # unchanged rows write nothing
    page = planner_client.get(response["Location"]).content.decode()
    assert "นำเข้าผลการดำเนินงานแล้ว: เพิ่ม ๒ รายการ แก้ไข ๐ รายการ ไม่เปลี่ยนแปลง ๑ รายการ" in page


def test_it_names_bad_rows_and_columns_and_writes_nothing(planner_client, plan):
    before = AuditEntry.objects.count()

    def spoil(sheet):
        sheet["D3"] = "จะไม่ถูกบันทึก"
        sheet["A4"] = "M999999"
        sheet["B2"] = "๙"  # round 9 is not monitored by การใช้งบประมาณ
        sheet["E3"] = "ก" * 301

    response = planner_client.post(URL, {"file": _exported(planner_client, spoil)})
    assert response.status_code == 200
    html = response.content.decode()
    assert "แถวที่ ๒ คอลัมน์ รอบ (เดือน): มาตรการ การใช้งบประมาณ ไม่ได้ติดตามผลรอบ ๙ เดือน" in html
    assert "แถวที่ ๓ คอลัมน์ ระยะเวลาการดำเนินงาน: ยาวเกิน ๓๐๐ ตัวอักษร" in html
    assert "แถวที่ ๔ คอลัมน์ รหัสมาตรการ: ไม่พบมาตรการรหัส M๙๙๙๙๙๙ ในปีงบประมาณนี้" in html
    assert not RoundResult.objects.filter(round=12).exists()
    assert AuditEntry.objects.count() == before


def test_it_refuses_a_file_that_is_not_the_export(planner_client, plan):
    html = planner_client.post(URL, {"file": SimpleUploadedFile("x.xlsx", files.xlsx_bytes())}).content.decode()
    assert "ไฟล์: ไม่มีแผ่นงาน “ผลการดำเนินงาน”" in html
    html = planner_client.post(URL, {"file": SimpleUploadedFile("x.xlsx", files.PDF)}).content.decode()
    assert "ไฟล์: ต้องเป็นไฟล์ Excel (.xlsx) ที่ส่งออกจากระบบ" in html


def test_it_rejects_wrong_methods(planner_client, plan):
    assert planner_client.put(URL).status_code == 405


def test_it_sends_anonymous_visitors_to_login(anon_client, plan):
    assert_login_redirect(anon_client.get(URL))


def test_it_forbids_read_only_members(viewer_client, plan):
    assert viewer_client.get(URL).status_code == 403
    assert viewer_client.post(URL, {"file": SimpleUploadedFile("x.xlsx", files.xlsx_bytes())}).status_code == 403


def test_it_hides_other_agencies(outsider_client, plan):
    assert outsider_client.post(URL, {"file": SimpleUploadedFile("x.xlsx", files.xlsx_bytes())}).status_code == 404
