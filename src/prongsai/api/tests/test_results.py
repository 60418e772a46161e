import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from prongsai.api.tests.conftest import OTHER, db_state, field_errors
from prongsai.audit.models import AuditEntry
from prongsai.measures.models import Evidence, RoundResult

YEAR = "agencies/tessaban-rae/years/2563"
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n%%EOF\n"
TEXTS = {"label": "", "details": "ประชุมชี้แจงเจ้าหน้าที่", "period": "มกราคม 2563", "outputs": "รายงานการประชุม",
         "outcomes": "เจ้าหน้าที่เข้าใจแนวทาง", "remarks": ""}


@pytest.fixture
def budget(plan):
    return plan.measures.get(order=1)  # rounds 6 and 12; round 6 has a result with one link


def _round(measure, round: int) -> str:
    return f"{YEAR}/measures/{measure.pk}/rounds/{round}"


def test_it_gives_a_recorded_round_with_its_evidence(clients, budget):
    body = clients["viewer"].get(_round(budget, 6)).json()
    assert body["recorded"] is True and body["status"] == "done"
    assert body["period"] == "เดือนเมษายน 2563" and body["start"] == "2019-10-01" and body["end"] == "2020-03-31"
    [link] = body["evidence"]
    assert link["url"] == "https://www.rae.go.th/plan-2563.pdf" and link["has_file"] is False
    assert link["download_url"] is None


def test_it_gives_an_unrecorded_round_as_empty(clients, budget):
    body = clients["viewer"].get(_round(budget, 12)).json()
    assert body["recorded"] is False and body["details"] == "" and body["evidence"] == []
    assert body["status"] == "overdue"


def test_it_records_a_round_result(clients, budget):
    response = clients["planner"].put(_round(budget, 12), TEXTS)
    assert response.status_code == 200, response.content
    assert response.json()["recorded"] is True and response.json()["status"] == "done"
    result = RoundResult.objects.get(measure=budget, round=12)
    assert result.details == "ประชุมชี้แจงเจ้าหน้าที่" and result.outputs == "รายงานการประชุม"
    assert AuditEntry.objects.filter(action="measures.roundresult.created").count() == 1


def test_it_deletes_a_round_result(clients, budget):
    assert clients["planner"].delete(_round(budget, 6)).status_code == 204
    assert not RoundResult.objects.filter(measure=budget, round=6).exists()
    assert clients["planner"].delete(_round(budget, 6)).status_code == 404


def test_it_adds_and_lists_evidence_links(clients, budget):
    response = clients["planner"].post(_round(budget, 12) + "/evidence",
                                       {"url": "https://rae.go.th/meeting.pdf", "title": "รายงานการประชุม"})
    assert response.status_code == 201, response.content
    listing = clients["viewer"].get(_round(budget, 12) + "/evidence").json()
    assert listing["count"] == 1 and listing["items"][0]["title"] == "รายงานการประชุม"
    errors = field_errors(clients["planner"].post(_round(budget, 12) + "/evidence", {"url": "ftp://x"}))
    assert errors == {"body.url": ["ลิงก์: ต้องขึ้นต้นด้วย http:// หรือ https://"]}
    assert Evidence.objects.filter(result__measure=budget, result__round=12).count() == 1


def test_it_uploads_downloads_and_deletes_an_evidence_file(clients, budget):
    upload = SimpleUploadedFile("แผน.pdf", PDF, content_type="application/pdf")
    response = clients["planner"].client.post(f"/api/v1/{_round(budget, 6)}/evidence/file",
                                              {"file": upload, "title": "แผนฉบับลงนาม"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["has_file"] and body["sha256"] == hashlib.sha256(PDF).hexdigest()
    download = clients["viewer"].client.get(body["download_url"])
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert download["Content-Type"] == "application/pdf"
    assert clients["outsider"].client.get(body["download_url"]).status_code == 404
    assert clients["viewer"].delete(f"{YEAR}/evidence/{body['id']}").status_code == 403
    assert clients["planner"].delete(f"{YEAR}/evidence/{body['id']}").status_code == 204
    assert not Evidence.objects.filter(pk=body["id"]).exists()


def test_it_refuses_an_impostor_file(clients, budget):
    before = db_state()
    upload = SimpleUploadedFile("report.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = clients["planner"].client.post(f"/api/v1/{_round(budget, 6)}/evidence/file", {"file": upload})
    assert field_errors(response) == {"body.file": ["ไฟล์: เนื้อหาของไฟล์ไม่ใช่ PDF, PNG, JPEG, DOCX หรือ XLSX"]}
    assert db_state() == before


def test_it_knows_only_the_measures_rounds(clients, budget):
    assert clients["planner"].get(_round(budget, 3)).status_code == 404
    assert clients["planner"].put(_round(budget, 3), TEXTS).status_code == 404


def test_it_explains_bad_results_in_thai(clients, budget):
    before = db_state()
    errors = field_errors(clients["planner"].put(_round(budget, 12), {**TEXTS, "period": "ก" * 301, "details": 5}))
    assert errors == {"body.period": ["ยาวได้ไม่เกิน 300 ตัวอักษร"], "body.details": ["ต้องเป็นข้อความ"]}
    assert db_state() == before


def test_it_refuses_outsiders_readers_and_anonymous(clients, budget, other_plan):
    before = db_state()
    evidence = Evidence.objects.get(result__measure=budget)
    assert clients["outsider"].get(_round(budget, 6)).status_code == 404
    assert clients["outsider"].put(_round(budget, 6), TEXTS).status_code == 404
    assert clients["outsider"].delete(f"{YEAR}/evidence/{evidence.pk}").status_code == 404
    assert clients["viewer"].put(_round(budget, 6), TEXTS).status_code == 403
    assert clients["approver"].post(_round(budget, 6) + "/evidence", {"url": "https://x.th"}).status_code == 403
    assert clients["anonymous"].get(_round(budget, 6)).status_code == 401
    foreign = other_plan.measures.get(order=1)
    foreign_evidence = Evidence.objects.get(result__measure=foreign)
    assert clients["planner"].get(_round(foreign, 6)).status_code == 404
    assert clients["planner"].put(_round(foreign, 6), TEXTS).status_code == 404
    assert clients["planner"].delete(f"{YEAR}/evidence/{foreign_evidence.pk}").status_code == 404
    assert clients["planner"].get(f"agencies/{OTHER}/years/2563/measures/{foreign.pk}/rounds/6").status_code == 404
    assert db_state() == before
