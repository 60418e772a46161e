"""Issue 10 item 9: a complaint keeps the date of receipt only, everywhere: no field of the complaint,
its attachments, its messages or its audit entries holds a time of day after a citizen's submission or
reply, the audit chain still verifies, and the officer's case page shows dates only."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from prongsai.audit import services as audit
from prongsai.audit.models import AuditEntry
from prongsai.complaints import services
from prongsai.complaints.models import Attachment, Complaint, Message

from .conftest import TEXT, client_for, pdf_upload
from .test_intake import code_on, form_data

pytestmark = pytest.mark.django_db

# Moments of the day that a submission could otherwise leave behind.
MOMENT = re.compile(r"\d{1,2}:\d{2}")


def _time_bearing_values(instance) -> list[tuple[str, object]]:
    """Every concrete field value of the row that holds a time of day (a datetime not at local midnight,
    or text that looks like a clock time)."""
    found = []
    for field in instance._meta.concrete_fields:
        value = getattr(instance, field.attname)
        if isinstance(value, dt.datetime):
            local = timezone.localtime(value)
            if local.time() != dt.time.min:
                found.append((field.name, value))
        elif isinstance(value, str) and MOMENT.search(value):
            found.append((field.name, value))
    return found


def _entries_of(complaint):
    return list(AuditEntry.objects.filter(object_type="complaints.complaint", object_id=str(complaint.pk)))


def test_a_web_submission_and_a_citizen_reply_keep_no_time_of_day(agency, officer):
    client = client_for()
    page = client.post(reverse("complaints:intake", args=[agency.slug]),
                       form_data(client, agency, files=[pdf_upload("EVIDENCE-1")]))
    assert page.status_code == 200
    complaint = Complaint.objects.get()
    services.post_message(complaint=complaint, sender=Message.Sender.COMPLAINANT, body="ขอเพิ่มเติมข้อมูล",
                          uploads=[pdf_upload("MORE", name="เพิ่มเติม.pdf")])
    rows = [complaint, *Attachment.objects.filter(complaint=complaint), *Message.objects.filter(complaint=complaint)]
    entries = _entries_of(complaint)
    assert [e.action for e in entries] == ["complaints.complaint.received", "complaints.message.from_complainant"]
    assert {name: values for row in rows + entries if (values := _time_bearing_values(row))
            for name in [f"{row._meta.label}:{row.pk}"]} == {}
    for entry in entries:
        assert timezone.localdate(entry.created_at) == complaint.received_on
        assert not MOMENT.search(str(entry.changes))
    assert audit.verify() == []
    assert code_on(page)


def test_officer_actions_keep_their_time_and_the_chain_verifies_across_both(agency, officer):
    receipt = services.submit(agency=agency, category="procurement", text=TEXT)
    services.transition(actor=officer, complaint=receipt.complaint, to="registered")
    received, registered = _entries_of(receipt.complaint)
    assert timezone.localtime(received.created_at).time() == dt.time.min
    assert registered.created_at > received.created_at  # an officer's step keeps when it was done
    assert audit.verify() == []


def test_the_case_page_shows_dates_only(agency, officer, officer_client):
    receipt = services.submit(agency=agency, category="procurement", text=TEXT)
    complaint = services.transition(actor=officer, complaint=receipt.complaint, to="registered")
    complaint = services.transition(actor=officer, complaint=complaint, to="acknowledged")
    html = officer_client.get(reverse("complaints:case", args=[agency.slug, complaint.uid])).content.decode()
    history = html[html.index('id="audit-history-h"'):]
    assert "complaints.complaint.received" in history and "complaints.complaint.acknowledged" in history
    # No clock time anywhere on the page: Thai digits (๑๔:๓๐) or Arabic (14:30).
    assert not re.search(r"[0-9๐-๙]{1,2}:[0-9๐-๙]{2}", html)
    assert "แจ้งแล้วเมื่อ" in html
