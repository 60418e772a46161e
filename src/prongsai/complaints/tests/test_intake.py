"""The public intake form: anonymous and confidential complaints, the receipt page, the honeypot, the
one-time form token, size and content limits, and the submission rate limit."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from prongsai.audit.models import AuditEntry
from prongsai.complaints import codes, services
from prongsai.complaints.models import Attachment, Complaint

from .conftest import IDENTITY, TEXT, client_for, pdf_upload

pytestmark = pytest.mark.django_db


def form_data(client, agency, **overrides) -> dict:
    page = client.get(reverse("complaints:intake", args=[agency.slug]))
    html = page.content.decode()
    token = re.search(r'name="token" value="([0-9a-f]{32})"', html).group(1)
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    data = {"csrfmiddlewaretoken": csrf, "token": token, "category": "procurement", "anonymity": "anonymous", **TEXT}
    data.update(overrides)
    return data


def code_on(page) -> str:
    return re.search(r'<p class="code" id="receipt-code">([\d-]+)</p>', page.content.decode()).group(1)


def test_it_shows_the_form_with_the_protection_notice(agency):
    page = client_for().get(reverse("complaints:intake", args=[agency.slug]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "เราปกป้องผู้ร้องเรียนอย่างไร" in html
    assert "ไม่เก็บหมายเลข IP" in html
    assert 'enctype="multipart/form-data"' in html and "csrfmiddlewaretoken" in html
    assert "no-store" in page["Cache-Control"]


def test_it_takes_an_anonymous_complaint_with_a_file_and_shows_the_code_once(agency):
    client = client_for()
    data = form_data(client, agency, files=[pdf_upload("EVIDENCE-1")])
    page = client.post(reverse("complaints:intake", args=[agency.slug]), data)
    assert page.status_code == 200
    code = code_on(page)
    assert re.fullmatch(r"\d{5}(-\d{5}){4}", code)
    complaint = Complaint.objects.get()
    assert complaint.channel == "web" and complaint.status == "received" and not complaint.identified
    assert complaint.identity is None
    assert complaint.read_content()["what"] == TEXT["what"]
    assert services.find_by_code(agency=agency, code_text=code) == complaint
    assert Attachment.objects.get().read_meta()["name"] == "หลักฐาน.pdf"
    assert "no-store" in page["Cache-Control"]
    # The code is not kept in a readable form anywhere: only its hash and index.
    assert codes.normalize(code) not in complaint.code_hash
    entry = AuditEntry.objects.get(action="complaints.complaint.received")
    assert entry.actor is None and entry.changes["channel"] == [None, "web"]


def test_it_keeps_the_identity_of_a_confidential_complaint_sealed(agency):
    client = client_for()
    data = form_data(client, agency, anonymity="confidential", **IDENTITY)
    assert client.post(reverse("complaints:intake", args=[agency.slug]), data).status_code == 200
    complaint = Complaint.objects.get()
    assert complaint.identified
    assert complaint.read_identity() == IDENTITY
    assert IDENTITY["name"].encode() not in bytes(complaint.identity)


@pytest.mark.parametrize("field,value,message", [
    ("citizen_id", "1101700230709", "เลขประจำตัวประชาชน: ต้องเป็นตัวเลข 13 หลักที่ถูกต้อง"),
    ("email", "not-an-email", "อีเมล: รูปแบบอีเมลไม่ถูกต้อง"),
    ("phone", "12ab", "หมายเลขโทรศัพท์:"),
])
def test_it_names_the_field_in_thai_and_keeps_the_input(agency, field, value, message):
    client = client_for()
    data = form_data(client, agency, anonymity="confidential", name="มานี", **{field: value})
    page = client.post(reverse("complaints:intake", args=[agency.slug]), data)
    html = page.content.decode()
    assert page.status_code == 400
    assert message in html
    assert TEXT["what"] in html  # what was written stays in the form
    assert 'role="alert"' in html  # the error summary
    assert not Complaint.objects.exists()


def test_it_accepts_a_citizen_id_typed_in_thai_digits_with_dashes(agency):
    client = client_for()
    data = form_data(client, agency, anonymity="confidential", name="มานี", citizen_id="๑-๑๐๑๗-๐๐๒๓๐-๗๐-๘")
    assert client.post(reverse("complaints:intake", args=[agency.slug]), data).status_code == 200
    assert Complaint.objects.get().read_identity()["citizen_id"] == "1101700230708"


def test_it_requires_what_happened_and_a_category(agency):
    client = client_for()
    data = form_data(client, agency, what="", category="")
    html = client.post(reverse("complaints:intake", args=[agency.slug]), data).content.decode()
    assert "เกิดอะไรขึ้น: กรุณาเล่าเรื่องที่ต้องการร้องเรียน" in html
    assert "ประเภทเรื่อง: กรุณาเลือกว่าเรื่องเกี่ยวกับอะไร" in html


def test_it_refuses_identity_typed_under_anonymous_instead_of_dropping_it(agency):
    client = client_for()
    data = form_data(client, agency, anonymity="anonymous", phone="0812345678")
    html = client.post(reverse("complaints:intake", args=[agency.slug]), data).content.decode()
    assert "ท่านเลือก “ไม่บอกชื่อ” แต่กรอกชื่อหรือช่องทางติดต่อไว้" in html
    assert not Complaint.objects.exists()


def test_it_stores_nothing_when_the_honeypot_is_filled(agency):
    client = client_for()
    data = form_data(client, agency, homepage="http://spam.example")
    assert client.post(reverse("complaints:intake", args=[agency.slug]), data).status_code == 400
    assert not Complaint.objects.exists()


def test_it_makes_one_complaint_when_the_same_form_is_sent_twice(agency):
    client = client_for()
    data = form_data(client, agency)
    assert client.post(reverse("complaints:intake", args=[agency.slug]), data).status_code == 200
    again = client.post(reverse("complaints:intake", args=[agency.slug]), data)
    assert again.status_code == 409
    assert "แบบฟอร์มนี้ถูกส่งไปแล้ว" in again.content.decode()
    assert Complaint.objects.count() == 1


def test_it_checks_attachments_by_content(agency, settings):
    client = client_for()
    fake = SimpleUploadedFile("photo.pdf", b"MZ\x90\x00 not a pdf at all", content_type="application/pdf")
    data = form_data(client, agency, files=[fake])
    html = client.post(reverse("complaints:intake", args=[agency.slug]), data).content.decode()
    assert "photo.pdf" in html and "เนื้อหาของไฟล์ไม่ใช่ PDF" in html
    assert not Complaint.objects.exists()
    assert not [p for p in settings.PRONGSAI_COMPLAINT_FILES_DIR.rglob("*") if p.is_file()]


def test_it_names_a_file_over_the_size_limit_and_keeps_nothing(agency, settings):
    settings.PRONGSAI_COMPLAINT_MAX_FILE_MB = 1
    client = client_for()
    big = SimpleUploadedFile("ใหญ่.pdf", b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 10), content_type="application/pdf")
    data = form_data(client, agency, files=[big])
    page = client.post(reverse("complaints:intake", args=[agency.slug]), data)
    assert page.status_code == 400
    assert "ไฟล์แนบ: ไฟล์ ใหญ่.pdf มีขนาดเกิน 1 MB" in page.content.decode()
    assert not Complaint.objects.exists()


def test_it_limits_submissions_per_address_without_storing_the_address(agency, settings):
    settings.PRONGSAI_COMPLAINT_SUBMIT_LIMIT = 2
    client = client_for()
    for _ in range(2):
        assert client.post(reverse("complaints:intake", args=[agency.slug]), form_data(client, agency)).status_code == 200
    third = client.post(reverse("complaints:intake", args=[agency.slug]), form_data(client, agency))
    assert third.status_code == 429
    other = client_for()
    assert other.post(reverse("complaints:intake", args=[agency.slug]), form_data(other, agency),
                      REMOTE_ADDR="10.9.8.7").status_code == 200
    assert Complaint.objects.count() == 3
    stored = " ".join(str(v) for row in Complaint.objects.values() for v in row.values())
    assert "127.0.0.1" not in stored and "10.9.8.7" not in stored


def test_it_checks_the_csrf_token(agency):
    client = client_for()
    client.handler.enforce_csrf_checks = True
    data = form_data(client, agency)
    assert client.post(reverse("complaints:intake", args=[agency.slug]), data).status_code == 200
    stranger = client_for()
    stranger.handler.enforce_csrf_checks = True
    data = {"token": "a" * 32, "category": "procurement", "anonymity": "anonymous", **TEXT}
    assert stranger.post(reverse("complaints:intake", args=[agency.slug]), data).status_code == 403
    assert Complaint.objects.count() == 1


def test_it_is_404_for_an_unknown_agency(db):
    assert client_for().get(reverse("complaints:intake", args=["nobody"])).status_code == 404
