"""Receipt codes: their strength and shape, following a complaint up with one (status, officer messages,
replies with files), the rate limit on wrong codes, and that a code never reaches a URL, a query, a log
or an error report."""

from __future__ import annotations

import logging
import math
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.views.debug import ExceptionReporter

from prongsai.complaints import codes, services
from prongsai.complaints.models import Attachment, Message

from .conftest import client_for, pdf_upload, submit

pytestmark = pytest.mark.django_db


def status_url(agency) -> str:
    return reverse("complaints:status", args=[agency.slug])


def test_it_makes_codes_of_at_least_80_bits_in_five_groups_of_five_digits():
    assert codes.DIGITS * math.log2(10) >= 80
    made = {codes.new_code() for _ in range(2000)}
    assert len(made) == 2000
    assert all(re.fullmatch(r"\d{25}", code) for code in made)
    # every digit turns up in every position: the code is not partly fixed
    assert all(len({code[i] for code in made}) == 10 for i in range(25))
    assert re.fullmatch(r"\d{5}(-\d{5}){4}", codes.grouped(next(iter(made))))


def test_it_reads_codes_typed_with_thai_digits_spaces_or_dashes():
    code = "4821390577318640229175530"
    assert codes.normalize("48213 90577 31864 02291 75530") == code
    assert codes.normalize("๔๘๒๑๓-๙๐๕๗๗-๓๑๘๖๔-๐๒๒๙๑-๗๕๕๓๐") == code
    assert codes.normalize(code[:-1]) is None
    assert codes.normalize(code + "1") is None


def test_it_shows_the_status_and_the_officers_messages_for_the_right_code(agency, officer):
    receipt = submit(agency)
    services.transition(actor=officer, complaint=receipt.complaint, to="registered")
    services.transition(actor=officer, complaint=receipt.complaint, to="acknowledged",
                        message="ได้รับเรื่องแล้ว กำลังตรวจสอบเอกสารจัดซื้อ")
    page = client_for().post(status_url(agency), {"code": receipt.grouped_code.replace("-", " ")})
    html = page.content.decode()
    assert page.status_code == 200
    assert "แจ้งตอบรับผู้ร้องแล้ว" in html
    assert "ได้รับเรื่องแล้ว กำลังตรวจสอบเอกสารจัดซื้อ" in html
    assert "no-store" in page["Cache-Control"]
    # the complainant's own text is not shown back (a shoulder-surfer with the code learns little)
    assert "ผู้รับเหมารายเดียว" not in html


def test_it_lets_the_complainant_reply_and_add_a_file_which_the_officer_reads(agency, officer):
    receipt = submit(agency)
    client = client_for()
    page = client.post(status_url(agency), {"code": receipt.code})
    token = re.search(r'name="follow_up" value="([^"]+)"', page.content.decode()).group(1)
    reply = client.post(status_url(agency), {"follow_up": token, "body": "มีใบเสร็จเพิ่มเติม",
                                             "files": [pdf_upload("RECEIPT-2", "ใบเสร็จ.pdf")]})
    assert reply.status_code == 200
    assert "ส่งข้อความถึงเจ้าหน้าที่แล้ว" in reply.content.decode()
    message = Message.objects.get()
    assert message.sender == "complainant" and message.read_body() == "มีใบเสร็จเพิ่มเติม"
    assert Attachment.objects.get(message=message).read_meta()["name"] == "ใบเสร็จ.pdf"
    case = client_for(officer).get(reverse("complaints:case", args=[agency.slug, receipt.complaint.uid]))
    assert "มีใบเสร็จเพิ่มเติม" in case.content.decode() and "ใบเสร็จ.pdf" in case.content.decode()


def test_it_refuses_a_forged_follow_up_token(agency):
    submit(agency)
    page = client_for().post(status_url(agency), {"follow_up": "forged:token", "body": "แทรก"})
    assert page.status_code == 400
    assert "กรุณากรอกรหัสติดตามเรื่องอีกครั้ง" in page.content.decode()
    assert not Message.objects.exists()


def test_it_does_not_open_a_complaint_at_another_agencys_page(agency, other_agency):
    receipt = submit(agency)
    assert services.find_by_code(agency=other_agency, code_text=receipt.code) is None
    page = client_for().post(status_url(other_agency), {"code": receipt.code})
    assert page.status_code == 400
    assert "ไม่พบเรื่องที่ตรงกับรหัสนี้" in page.content.decode()


def test_it_rate_limits_wrong_codes_and_then_refuses_even_the_right_one(agency, settings):
    settings.PRONGSAI_COMPLAINT_CODE_LIMIT = 3
    receipt = submit(agency)
    client = client_for()
    wrong = "1" * 25 if receipt.code != "1" * 25 else "2" * 25
    for _ in range(3):
        assert client.post(status_url(agency), {"code": wrong}).status_code == 400
    blocked = client.post(status_url(agency), {"code": receipt.code})
    assert blocked.status_code == 429
    assert "กรุณารอประมาณ 15 นาที" in blocked.content.decode()
    # another address is not affected
    assert client_for().post(status_url(agency), {"code": receipt.code}, REMOTE_ADDR="10.1.2.3").status_code == 200


def test_it_does_not_look_a_code_up_from_the_url(agency):
    receipt = submit(agency)
    page = client_for().get(status_url(agency) + f"?code={receipt.code}")
    assert page.status_code == 200
    assert "สถานะเรื่องร้องเรียนของท่าน" not in page.content.decode()
    assert 'method="post"' in page.content.decode()


def _seen(code: str, texts) -> bool:
    return any(code in text or codes.grouped(code) in text for text in texts)


def test_it_keeps_codes_out_of_logs_and_queries(agency, officer, caplog, settings):
    caplog.set_level(logging.DEBUG)
    client = client_for()
    page = client.get(reverse("complaints:intake", args=[agency.slug]))
    token = re.search(r'name="token" value="([0-9a-f]{32})"', page.content.decode()).group(1)
    with CaptureQueriesContext(connection) as queries:
        receipt_page = client.post(reverse("complaints:intake", args=[agency.slug]), {
            "token": token, "category": "finance", "anonymity": "anonymous", "what": "เบิกเงินเท็จ"})
        code = codes.normalize(re.search(r'id="receipt-code">([\d-]+)<', receipt_page.content.decode()).group(1))
        client.post(status_url(agency), {"code": "9" * 25})
        page = client.post(status_url(agency), {"code": code})
        token = re.search(r'name="follow_up" value="([^"]+)"', page.content.decode()).group(1)
        client.post(status_url(agency), {"follow_up": token, "body": "เพิ่มเติม"})
    assert page.status_code == 200
    assert not _seen(code, [q["sql"] for q in queries.captured_queries])
    assert not _seen(code, [record.getMessage() for record in caplog.records])
    assert not _seen(code, [str(record.args) for record in caplog.records])


def test_it_keeps_codes_out_of_error_reports(agency, caplog, settings):
    """An error while a code is being looked up (here: the key setting is broken) produces the report
    Django would e-mail to ADMINS; neither the POSTed code nor the local variables holding it are in it."""
    receipt = submit(agency)
    settings.PRONGSAI_COMPLAINT_KEYS = "broken"
    from prongsai.complaints import crypto
    crypto.forget()
    client = client_for()
    client.raise_request_exception = False
    caplog.set_level(logging.ERROR, logger="django.request")
    response = client.post(status_url(agency), {"code": receipt.code})
    assert response.status_code == 500
    [record] = [r for r in caplog.records if r.name == "django.request"]
    reporter = ExceptionReporter(record.request, *record.exc_info, is_email=True)
    texts = [reporter.get_traceback_text(), reporter.get_traceback_html()]
    assert "complaints/status" in texts[0]  # it is the report of that request
    assert "find_by_code" in texts[0]  # raised while looking the code up
    assert not _seen(receipt.code, texts)
