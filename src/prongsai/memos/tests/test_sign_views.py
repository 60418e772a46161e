"""Signing and returning on the memo page: only the current approver, in order, with a comment or a
reason; the form keeps what was typed when it is refused."""

from django.urls import reverse

from prongsai.audit.models import AuditEntry
from prongsai.memos.models import Memo, Signer
from prongsai.memos.tests import helpers
from prongsai.memos.tests.conftest import client_for
from prongsai.reports.models import ReportVersion

SLUG, YEAR, ROUND = "tessaban-rae", 2563, 6


def _url(name):
    return reverse(f"memos:{name}", args=[SLUG, YEAR, ROUND])


def _messages(response):
    return [str(m) for m in response.wsgi_request._messages]


def test_it_signs_the_current_step_and_moves_on(plan, planner, default_chain):
    memo = helpers.sent(plan, planner)
    response = client_for(default_chain[0]).post(_url("memo_sign"), {"comment": "เห็นควรเสนอปลัด"})
    assert response.status_code == 302 and response["Location"] == _url("memo_detail")
    assert _messages(response) == ["ลงนามแล้ว ส่งต่อให้ผู้บังคับบัญชาลำดับถัดไป"]
    signer = Memo.objects.get(pk=memo.pk).approvers()[0]
    assert (signer.status, signer.comment) == (Signer.Status.SIGNED, "เห็นควรเสนอปลัด")
    assert signer.signed_on is not None and signer.signed_at is not None
    entry = AuditEntry.objects.get(action="memos.memo.signed")
    assert (entry.actor, entry.changes["comment"]) == (default_chain[0], [None, "เห็นควรเสนอปลัด"])
    assert Memo.objects.get(pk=memo.pk).status == "in_review"


def test_the_last_signature_approves_and_freezes(plan, planner, default_chain):
    memo = helpers.sent(plan, planner)
    for user, comment in zip(default_chain[:2], helpers.COMMENTS):
        client_for(user).post(_url("memo_sign"), {"comment": comment})
    response = client_for(default_chain[2]).post(_url("memo_sign"), {"comment": "ทราบ"})
    assert _messages(response) == ["ลงนามแล้ว บันทึกข้อความได้รับอนุมัติและจัดเก็บรายงานฉบับอนุมัติแล้ว"]
    assert Memo.objects.get(pk=memo.pk).status == "approved"
    assert ReportVersion.objects.filter(memo=memo).count() == 1


def test_someone_else_than_the_current_approver_cannot_sign(plan, planner, default_chain, admin):
    memo = helpers.sent(plan, planner)
    for user in (default_chain[1], default_chain[2], planner, admin):
        assert client_for(user).post(_url("memo_sign"), {"comment": "ข้ามลำดับ"}).status_code == 403
        assert client_for(user).post(_url("memo_return"), {"reason": "ข้ามลำดับ"}).status_code == 403
    assert [s.status for s in Memo.objects.get(pk=memo.pk).approvers()] == ["pending"] * 3
    assert not AuditEntry.objects.filter(action__in=["memos.memo.signed", "memos.memo.returned"]).exists()


def test_a_comment_is_needed_and_the_form_keeps_the_reason(plan, planner, default_chain):
    helpers.sent(plan, planner)
    client = client_for(default_chain[0])
    response = client.post(_url("memo_sign"), {"comment": "   "})
    assert response.status_code == 200
    assert "ความเห็น: กรุณากรอกความเห็นก่อนลงนาม (เช่น ทราบ หรือ เห็นชอบ)" in response.content.decode()
    response = client.post(_url("memo_return"), {"reason": ""})
    assert "เหตุผลที่ส่งกลับ: กรุณากรอกเหตุผลที่ส่งกลับให้แก้ไข" in response.content.decode()
    long_comment = "ท" * 2001
    response = client.post(_url("memo_sign"), {"comment": long_comment})
    assert "ความเห็น: ยาวเกินไป (๒,๐๐๑ ตัวอักษร) ยาวได้ไม่เกิน ๒,๐๐๐ ตัวอักษร" in response.content.decode()
    assert long_comment in response.content.decode()
    assert Memo.objects.get(plan=plan, round=ROUND).approvers()[0].status == "pending"


def test_it_returns_with_a_reason(plan, planner, default_chain):
    memo = helpers.sent(plan, planner)
    client_for(default_chain[0]).post(_url("memo_sign"), {"comment": "ทราบ"})
    response = client_for(default_chain[1]).post(_url("memo_return"), {"reason": "ตารางผลรอบ ๖ ยังไม่ครบ"})
    assert response.status_code == 302 and _messages(response) == ["ส่งบันทึกข้อความกลับให้ผู้จัดทำแก้ไขแล้ว"]
    memo.refresh_from_db()
    assert memo.status == "returned"
    assert memo.approvers()[1].return_reason == "ตารางผลรอบ ๖ ยังไม่ครบ"
    entry = AuditEntry.objects.get(action="memos.memo.returned")
    assert entry.changes == {"status": ["in_review", "returned"], "signer": [None, "ทวี จันทเสนา"],
                             "reason": [None, "ตารางผลรอบ ๖ ยังไม่ครบ"]}


def test_signing_a_draft_is_refused_in_thai(plan, planner, default_chain):
    helpers.draft(plan, planner)
    response = client_for(default_chain[0]).post(_url("memo_sign"), {"comment": "ทราบ"})
    assert response.status_code == 302
    assert _messages(response) == ["บันทึกข้อความนี้ไม่ได้อยู่ระหว่างเสนอลงนาม (สถานะตอนนี้: ฉบับร่าง)"]
    assert not AuditEntry.objects.filter(action="memos.memo.signed").exists()


def test_an_approved_memo_cannot_be_signed_again(plan, planner, default_chain):
    memo = helpers.approved(plan, planner, default_chain)
    response = client_for(default_chain[2]).post(_url("memo_sign"), {"comment": "อีกครั้ง"})
    assert _messages(response) == ["บันทึกข้อความนี้ไม่ได้อยู่ระหว่างเสนอลงนาม (สถานะตอนนี้: อนุมัติแล้ว)"]
    assert Memo.objects.get(pk=memo.pk).approvers()[2].comment == "ทราบ"
