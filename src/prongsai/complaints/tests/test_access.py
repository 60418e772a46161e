"""The access matrix: roles x actions on the complaint officers' pages. Only the agency's complaint
officers read or change complaint content; the agency's other members (admins included) and superusers
get 403, other agencies' members (their complaint officers included) 404, anonymous visitors the login
page. Refused requests change nothing and show no content."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from prongsai.agencies.models import Membership
from prongsai.audit.models import AuditEntry
from prongsai.complaints.models import Complaint, ComplaintSettings, Message
from prongsai.web.tests import factories

from .conftest import IDENTITY, TEXT, client_for, pdf_upload, submit

pytestmark = pytest.mark.django_db
Role = Membership.Role

# role -> expected outcome on the officers' pages
ROLES = {
    "officer": "allowed",
    "admin": 403, "planner": 403, "approver": 403, "viewer": 403,
    "superuser": 403,
    "other_officer": 404, "other_admin": 404,
    "anonymous": "login",
}


def make_persona(role: str, agency, other_agency):
    if role == "anonymous":
        return None
    if role == "superuser":
        return User.objects.create_superuser("root", password="correct horse battery")
    if role.startswith("other_"):
        return factories.make_user(role, other_agency, {"other_officer": Role.COMPLAINT_OFFICER,
                                                        "other_admin": Role.ADMIN}[role])
    roles = {"officer": Role.COMPLAINT_OFFICER, "admin": Role.ADMIN, "planner": Role.PLANNER,
             "approver": Role.APPROVER, "viewer": Role.VIEWER}
    return factories.make_user(role, agency, roles[role])


def actions(agency, complaint, attachment):
    case = [agency.slug, complaint.uid]
    return {
        "list": ("get", reverse("complaints:case_list", args=[agency.slug]), None, 200),
        "read case": ("get", reverse("complaints:case", args=case), None, 200),
        "open attachment": ("get", reverse("complaints:attachment", args=[*case, attachment.uid]), None, 200),
        "move on": ("post", reverse("complaints:case_transition", args=case), {"to": "registered"}, 302),
        "send message": ("post", reverse("complaints:case_message", args=case), {"body": "ขอข้อมูลเพิ่ม"}, 302),
        "reveal identity": ("post", reverse("complaints:case_reveal", args=case), {"reason": "ต้องเชิญมาให้ถ้อยคำ"}, 200),
        "register by phone": ("get", reverse("complaints:case_new", args=[agency.slug]), None, 200),
        "statistics": ("get", reverse("complaints:staff_statistics", args=[agency.slug]), None, 200),
        "statistics csv": ("get", reverse("complaints:staff_statistics_file", args=[agency.slug, 2568, "csv"]),
                           None, 200),
    }


ACTIONS = ["list", "read case", "open attachment", "move on", "send message", "reveal identity",
           "register by phone", "statistics", "statistics csv"]


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("role", list(ROLES))
def test_it_lets_only_the_agencys_complaint_officers_in(agency, other_agency, role, action):
    receipt = submit(agency, identity=IDENTITY, uploads=[pdf_upload("ATTACHED-TEXT")])
    complaint = receipt.complaint
    attachment = complaint.attachments.get()
    user = make_persona(role, agency, other_agency)
    method, url, data, success = actions(agency, complaint, attachment)[action]
    response = getattr(client_for(user), method)(url, data or {})
    expected = ROLES[role]
    body = response.content
    if expected == "allowed":
        assert response.status_code == success
        return
    if expected == "login":
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    else:
        assert response.status_code == expected
    for secret in (TEXT["what"], IDENTITY["name"], "ATTACHED-TEXT"):
        assert secret.encode() not in body
    complaint.refresh_from_db()
    assert complaint.status == "received"
    assert not Message.objects.exists()
    assert not AuditEntry.objects.filter(action__in=["complaints.identity.revealed",
                                                     "complaints.attachment.opened"]).exists()


def test_it_shows_the_officer_the_content_but_the_identity_only_after_a_reason(agency):
    officer = factories.make_user("officer", agency, Role.COMPLAINT_OFFICER)
    complaint = submit(agency, identity=IDENTITY).complaint
    client = client_for(officer)
    page = client.get(reverse("complaints:case", args=[agency.slug, complaint.uid])).content.decode()
    assert TEXT["what"] in page
    assert IDENTITY["name"] not in page and IDENTITY["phone"] not in page
    refused = client.post(reverse("complaints:case_reveal", args=[agency.slug, complaint.uid]), {"reason": "  "})
    assert refused.status_code == 400
    assert "เหตุผลที่ต้องเปิดดูตัวตนผู้ร้อง: กรุณาระบุเหตุผล" in refused.content.decode()
    assert IDENTITY["name"] not in refused.content.decode()
    revealed = client.post(reverse("complaints:case_reveal", args=[agency.slug, complaint.uid]),
                           {"reason": "ต้องเชิญผู้ร้องมาให้ถ้อยคำ"})
    html = revealed.content.decode()
    assert IDENTITY["name"] in html and IDENTITY["citizen_id"] in html
    assert "no-store" in revealed["Cache-Control"]
    entry = AuditEntry.objects.get(action="complaints.identity.revealed")
    assert entry.actor == officer
    assert entry.changes == {"reason": [None, "ต้องเชิญผู้ร้องมาให้ถ้อยคำ"]}
    # the page after the reveal does not keep showing it
    again = client.get(reverse("complaints:case", args=[agency.slug, complaint.uid])).content.decode()
    assert IDENTITY["name"] not in again


def test_it_lets_an_agency_admin_change_the_settings_but_not_read_complaints(agency):
    admin = factories.make_user("admin", agency, Role.ADMIN)
    submit(agency)
    client = client_for(admin)
    url = reverse("complaints:settings", args=[agency.slug])
    assert client.get(url).status_code == 200
    response = client.post(url, {"acknowledge_days": 10, "conclude_days": 45, "retention_days": 730,
                                 "line_id": "@tessabanrae"})
    assert response.status_code == 302
    assert ComplaintSettings.objects.get(agency=agency).acknowledge_days == 10
    assert client.get(reverse("complaints:case_list", args=[agency.slug])).status_code == 403
    viewer = factories.make_user("viewer", agency, Role.VIEWER)
    assert client_for(viewer).get(url).status_code == 403


def test_it_registers_a_complaint_that_came_by_phone(agency):
    officer = factories.make_user("officer", agency, Role.COMPLAINT_OFFICER)
    response = client_for(officer).post(reverse("complaints:case_new", args=[agency.slug]), {
        "channel": "phone", "received_on": "2025-03-03", "category": "conduct", "anonymity": "anonymous",
        "what": "เจ้าหน้าที่เรียกเงินค่าดำเนินการ"})
    assert response.status_code == 200
    complaint = Complaint.objects.get()
    assert complaint.channel == "phone" and complaint.registered_by == officer
    assert str(complaint.received_on) == "2025-03-03"
    html = response.content.decode()
    assert "รหัสติดตามเรื่องสำหรับผู้ร้อง" in html and "no-store" in response["Cache-Control"]
    entry = AuditEntry.objects.get(action="complaints.complaint.received")
    assert entry.actor == officer and entry.changes["channel"] == [None, "phone"]
