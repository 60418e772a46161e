"""The officer's workflow as a state machine: the legal path, every illegal move refused with a Thai
message and nothing changed, register numbers, the conclusion's required parts, audit entries, and the
deadlines and overdue flags."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from prongsai.audit.models import AuditEntry
from prongsai.complaints import services
from prongsai.complaints.models import Complaint, ComplaintSettings, Message
from prongsai.lib import fiscal

from .conftest import client_for, submit

pytestmark = pytest.mark.django_db
Status = Complaint.Status
PATH = ["received", "registered", "acknowledged", "under_inquiry", "concluded", "closed"]
CONCLUSION = {"outcome": "substantiated", "reason": "พบเอกสารเสนอราคาซ้ำกัน"}


def walk(complaint, officer, until: str) -> Complaint:
    for target in PATH[PATH.index(complaint.status) + 1:PATH.index(until) + 1]:
        extra = CONCLUSION if target == "concluded" else {}
        complaint = services.transition(actor=officer, complaint=complaint, to=target, **extra)
    return complaint


def test_it_walks_the_whole_path_and_audits_every_step(agency, officer):
    complaint = walk(submit(agency).complaint, officer, "closed")
    assert complaint.status == "closed"
    assert complaint.registered_at and complaint.acknowledged_at and complaint.inquiry_started_at
    assert complaint.concluded_at and complaint.closed_at
    assert complaint.outcome == "substantiated"
    assert complaint.read_conclusion() == {"reason": "พบเอกสารเสนอราคาซ้ำกัน"}
    actions = list(AuditEntry.objects.filter(object_id=str(complaint.pk)).values_list("action", flat=True))
    assert actions[0] == "complaints.complaint.received"
    for target in PATH[1:]:
        assert f"complaints.complaint.{target}" in actions
    registered = AuditEntry.objects.get(action="complaints.complaint.registered")
    assert registered.actor == officer and registered.changes["status"] == ["received", "registered"]


def test_it_numbers_the_register_per_agency_and_fiscal_year(agency, other_agency, officer):
    first = walk(submit(agency).complaint, officer, "registered")
    second = walk(submit(agency).complaint, officer, "registered")
    elsewhere = walk(submit(other_agency).complaint, officer, "registered")
    year = fiscal.of_date(timezone.localdate())
    assert (first.register_year, first.register_number) == (year, 1)
    assert second.register_number == 2
    assert elsewhere.register_number == 1
    assert second.register_label == f"2/{year}"


ILLEGAL = [(current, target) for current in PATH for target in PATH
           if target != services.NEXT.get(current)]


@pytest.mark.parametrize("current,target", ILLEGAL)
def test_it_refuses_every_illegal_move_in_thai_and_changes_nothing(agency, officer, current, target):
    complaint = walk(submit(agency).complaint, officer, current)
    entries = AuditEntry.objects.count()
    with pytest.raises(services.TransitionError) as refused:
        services.transition(actor=officer, complaint=complaint, to=target, **CONCLUSION)
    message = refused.value.messages[0]
    assert "ไม่ได้" in message
    assert str(Status(target).label) in message
    complaint.refresh_from_db()
    assert complaint.status == current
    assert AuditEntry.objects.count() == entries


def test_it_shows_the_refusal_on_the_case_page(agency, officer):
    complaint = submit(agency).complaint
    response = client_for(officer).post(reverse("complaints:case_transition", args=[agency.slug, complaint.uid]),
                                        {"to": "closed"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "เปลี่ยนสถานะจาก “รับเรื่องแล้ว” เป็น “ปิดเรื่องแล้ว” ไม่ได้: ขั้นตอนถัดไปคือ “ลงทะเบียนรับเรื่องแล้ว”" in html
    complaint.refresh_from_db()
    assert complaint.status == "received"


def test_it_moves_a_case_on_through_the_page(agency, officer):
    complaint = submit(agency).complaint
    client = client_for(officer)
    url = reverse("complaints:case_transition", args=[agency.slug, complaint.uid])
    response = client.post(url, {"to": "registered"})
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == "registered"
    page = client.get(reverse("complaints:case", args=[agency.slug, complaint.uid])).content.decode()
    assert "เปลี่ยนสถานะเป็น “แจ้งตอบรับผู้ร้องแล้ว”" in page


def test_it_requires_the_outcome_and_reason_and_the_body_when_forwarded(agency, officer):
    complaint = walk(submit(agency).complaint, officer, "under_inquiry")
    client = client_for(officer)
    url = reverse("complaints:case_transition", args=[agency.slug, complaint.uid])
    html = client.post(url, {"to": "concluded"}).content.decode()
    assert "ผลการตรวจสอบ: กรุณาเลือกว่ามีมูล ไม่มีมูล หรือส่งต่อหน่วยงานอื่น" in html
    assert "เหตุผล: กรุณาระบุเหตุผลของข้อยุติ" in html
    html = client.post(url, {"to": "concluded", "outcome": "forwarded", "reason": "อยู่ในอำนาจ ป.ป.ช."}).content.decode()
    assert "ส่งต่อให้: กรุณาระบุหน่วยงานที่ส่งเรื่องต่อ" in html
    assert "อยู่ในอำนาจ ป.ป.ช." in html  # the input stays
    complaint.refresh_from_db()
    assert complaint.status == "under_inquiry"
    assert client.post(url, {"to": "concluded", "outcome": "forwarded", "reason": "อยู่ในอำนาจ ป.ป.ช.",
                             "forwarded_to": "สำนักงาน ป.ป.ช."}).status_code == 302
    complaint.refresh_from_db()
    assert complaint.outcome == "forwarded" and complaint.forwarded_to == "สำนักงาน ป.ป.ช."
    entry = AuditEntry.objects.get(action="complaints.complaint.concluded")
    assert entry.changes["forwarded_to"] == [None, "สำนักงาน ป.ป.ช."]
    assert "อยู่ในอำนาจ" not in str(entry.changes)  # the reason is content: sealed, not audited


def test_it_tells_the_complainant_on_acknowledgement(agency, officer):
    complaint = walk(submit(agency).complaint, officer, "acknowledged")
    message = Message.objects.get(complaint=complaint)
    assert message.sender == "officer" and message.officer == officer
    assert f"เลขรับที่ {complaint.register_label}" in message.read_body()


def test_it_refuses_messages_once_closed(agency, officer):
    complaint = walk(submit(agency).complaint, officer, "closed")
    with pytest.raises(services.ValidationError) as refused:
        services.post_message(complaint=complaint, sender="complainant", body="ยังไม่จบ")
    assert "เรื่องนี้ปิดแล้ว" in refused.value.messages[0]


# --- deadlines -------------------------------------------------------------------------------------

def test_it_sets_the_default_deadlines_from_the_receipt_date(agency):
    complaint = submit(agency, received_on=dt.date(2024, 12, 25)).complaint
    assert complaint.acknowledge_due == dt.date(2025, 1, 9)  # 15 days
    assert complaint.conclude_due == dt.date(2025, 2, 23)  # 60 days


def test_it_uses_the_agencys_own_deadlines(agency):
    ComplaintSettings.objects.create(agency=agency, acknowledge_days=7, conclude_days=30)
    complaint = submit(agency, received_on=dt.date(2025, 2, 20)).complaint
    assert complaint.acknowledge_due == dt.date(2025, 2, 27)
    assert complaint.conclude_due == dt.date(2025, 3, 22)


def test_it_flags_overdue_from_the_day_after_the_deadline(agency, officer):
    complaint = submit(agency, received_on=dt.date(2025, 1, 1)).complaint
    due = complaint.acknowledge_due
    assert not complaint.acknowledge_overdue(due)
    assert complaint.acknowledge_overdue(due + dt.timedelta(days=1))
    complaint = walk(complaint, officer, "registered")
    assert complaint.acknowledge_overdue(due + dt.timedelta(days=1))  # registered is not acknowledged
    complaint = walk(complaint, officer, "acknowledged")
    assert not complaint.acknowledge_overdue(due + dt.timedelta(days=1))
    assert not complaint.conclude_overdue(complaint.conclude_due)
    assert complaint.conclude_overdue(complaint.conclude_due + dt.timedelta(days=1))
    complaint = walk(complaint, officer, "concluded")
    assert not complaint.conclude_overdue(complaint.conclude_due + dt.timedelta(days=400))


def test_it_computes_whether_each_step_was_in_time(agency, officer):
    today = timezone.localdate()
    late = walk(submit(agency, received_on=today - dt.timedelta(days=20)).complaint, officer, "concluded")
    assert late.days_to_acknowledge() == 20 and late.acknowledged_in_time() is False
    assert late.days_to_conclude() == 20 and late.concluded_in_time() is True
    prompt = walk(submit(agency, received_on=today - dt.timedelta(days=15)).complaint, officer, "acknowledged")
    assert prompt.acknowledged_in_time() is True and prompt.concluded_in_time() is None


def test_it_lists_cases_with_deadlines_and_overdue_flags(agency, officer):
    today = timezone.localdate()
    late = submit(agency, received_on=today - dt.timedelta(days=16)).complaint
    fresh = submit(agency, received_on=today).complaint
    done = walk(submit(agency, received_on=today - dt.timedelta(days=100)).complaint, officer, "closed")
    client = client_for(officer)
    html = client.get(reverse("complaints:case_list", args=[agency.slug])).content.decode()
    assert html.count('class="overdue"') == 1
    assert str(late.uid) in html and str(fresh.uid) in html and str(done.uid) not in html
    overdue = client.get(reverse("complaints:case_list", args=[agency.slug]) + "?show=overdue").content.decode()
    assert str(late.uid) in overdue and str(fresh.uid) not in overdue
    everything = client.get(reverse("complaints:case_list", args=[agency.slug]) + "?show=all").content.decode()
    assert str(done.uid) in everything
