"""The memo services: the explicit state machine, drafting defaults, the chain rules."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation

from prongsai.agencies.models import Membership
from prongsai.audit.models import AuditEntry
from prongsai.memos import services
from prongsai.memos.models import Memo, RegisterEntry, Signer
from prongsai.memos.services import ApproverChoice, MemoError, SignerSpec
from prongsai.memos.tests import helpers
from prongsai.reports.models import ReportVersion
from prongsai.web.tests import factories

Status = Memo.Status


@pytest.fixture(autouse=True)
def _thai():
    with translation.override("th"):
        yield


def test_the_transitions_are_exactly_the_documented_ones():
    assert {k: set(v) for k, v in Memo.TRANSITIONS.items()} == {
        Status.DRAFT: {Status.IN_REVIEW},
        Status.IN_REVIEW: {Status.APPROVED, Status.RETURNED},
        Status.RETURNED: {Status.DRAFT},
        Status.APPROVED: set(),
    }
    assert set(services.TRANSITION_ACTIONS) == {(a, b) for a, targets in Memo.TRANSITIONS.items() for b in targets}


@pytest.mark.parametrize("start, to", [
    (Status.DRAFT, Status.APPROVED), (Status.DRAFT, Status.RETURNED), (Status.IN_REVIEW, Status.DRAFT),
    (Status.RETURNED, Status.IN_REVIEW), (Status.RETURNED, Status.APPROVED), (Status.APPROVED, Status.DRAFT),
    (Status.APPROVED, Status.IN_REVIEW), (Status.DRAFT, Status.DRAFT),
])
def test_it_refuses_an_illegal_move_with_a_thai_message(plan, planner, start, to):
    memo = helpers.draft(plan, planner)
    Memo.objects.filter(pk=memo.pk).update(status=start)
    memo.refresh_from_db()
    entries = AuditEntry.objects.count()
    with pytest.raises(MemoError) as error:
        services.transition(memo=memo, to=to, by=planner)
    assert str(error.value) == (f"ไม่สามารถเปลี่ยนสถานะบันทึกข้อความจาก “{Status(start).label}” "
                                f"เป็น “{Status(to).label}” ได้")
    memo.refresh_from_db()
    assert memo.status == start and AuditEntry.objects.count() == entries


def test_a_legal_move_is_saved_and_audited(plan, planner):
    memo = helpers.draft(plan, planner)
    services.transition(memo=memo, to=Status.IN_REVIEW, by=planner)
    memo.refresh_from_db()
    assert memo.status == Status.IN_REVIEW
    entry = AuditEntry.objects.filter(object_type="memos.memo", object_id=str(memo.pk)).last()
    assert (entry.action, entry.actor, entry.changes) == ("memos.memo.sent", planner,
                                                          {"status": ["draft", "in_review"]})


def test_a_draft_takes_its_defaults_from_the_user_and_the_agency_chain(plan, planner, default_chain):
    memo = services.draft_memo(plan=plan, round=6, by=planner)
    assert memo.date is not None and memo.number == 1 and memo.created_by == planner
    assert [(s.name, s.position) for s in memo.preparers()] == [
        ("นางสาวปราณี จันทไชย", "นักวิชาการตรวจสอบภายในชำนาญการ")]
    assert [s.user for s in memo.approvers()] == default_chain
    assert memo.approvers()[2].name == "นางครสวรรค์ สุพัฒนานนท์"  # no linked person: the user's full name
    entry = RegisterEntry.objects.get(memo=memo)
    assert entry.number == 1 and entry.year == memo.date.year + 543
    # The register keeps the subject as the memo prints it (the wording template's).
    assert entry.subject.startswith("รายงานผลการดำเนินการตามมาตรการเพื่อส่งเสริมคุณธรรมและความโปร่งใส")
    assert "(รอบ ๖ เดือน)" in entry.subject
    drafted = AuditEntry.objects.get(action="memos.memo.drafted")
    assert drafted.changes["number"] == [None, 1]
    assert drafted.changes["approvers"][1] == [s.name for s in memo.approvers()]


def test_a_preparer_without_a_linked_person_is_the_users_name(plan, agency):
    user = factories.make_user("nolink", agency, Membership.Role.PLANNER)
    user.first_name, user.last_name = "สมศรี", "ใจงาม"
    user.save()
    memo = services.draft_memo(plan=plan, round=6, by=user, approvers=[])
    assert [(s.name, s.position) for s in memo.preparers()] == [("สมศรี ใจงาม", "")]


def test_an_approver_without_a_person_needs_a_position(agency, approvers):
    with pytest.raises(MemoError, match="ตำแหน่ง: กรุณากรอกตำแหน่งของ นางครสวรรค์ สุพัฒนานนท์"):
        services.approver_identity(agency, ApproverChoice(user=approvers[2]))
    spec = services.approver_identity(agency, ApproverChoice(user=approvers[2], position="นายกเทศมนตรี"))
    assert spec == SignerSpec(name="นางครสวรรค์ สุพัฒนานนท์", position="นายกเทศมนตรี")
    assert services.approver_identity(agency, ApproverChoice(user=approvers[1])) == SignerSpec(
        name="ทวี จันทเสนา", rank="จ.อ.", position="ปลัดเทศบาลตำบลแร่")


def test_only_approver_members_of_the_agency_may_be_in_a_chain(plan, planner, outsider, viewer):
    for user in (outsider, viewer, planner):
        with pytest.raises(MemoError, match="ไม่ได้มีบทบาทผู้บังคับบัญชาในหน่วยงานนี้"):
            helpers.draft(plan, planner, approvers=[ApproverChoice(user=user, position="ปลัด")])
    assert not Memo.objects.filter(plan=plan).exists() and not RegisterEntry.objects.exists()


def test_the_same_approver_cannot_sign_twice(plan, planner, approvers):
    twice = [ApproverChoice(user=approvers[0]), ApproverChoice(user=approvers[0])]
    with pytest.raises(MemoError, match="ซ้ำกัน"):
        helpers.draft(plan, planner, approvers=twice)


def test_a_round_has_one_memo(plan, planner):
    helpers.draft(plan, planner)
    with pytest.raises(MemoError, match="มีบันทึกข้อความแล้ว"):
        helpers.draft(plan, planner)
    assert RegisterEntry.objects.count() == 1


def test_only_planners_draft_and_send(plan, planner, viewer, approvers):
    with pytest.raises(PermissionDenied):
        helpers.draft(plan, viewer)
    memo = helpers.draft(plan, planner, approvers=[ApproverChoice(user=approvers[0])])
    with pytest.raises(PermissionDenied):
        services.send_memo(memo=memo, by=approvers[0])


def test_sending_needs_approvers_who_are_users(plan, planner, default_chain):
    memo = helpers.draft(plan, planner, approvers=[])
    with pytest.raises(MemoError, match="ผู้บังคับบัญชา: กรุณาระบุผู้บังคับบัญชาอย่างน้อยหนึ่งคนก่อนส่ง"):
        services.send_memo(memo=memo, by=planner)
    imported = factories.make_memo(plan, round=12)  # its approver has no user (as a year file gives it)
    with pytest.raises(MemoError, match="นางครสวรรค์ สุพัฒนานนท์ ยังไม่ได้เป็นผู้ใช้ที่มีสิทธิ์ลงนามในระบบ"):
        services.send_memo(memo=imported, by=planner)
    assert Memo.objects.get(pk=imported.pk).status == Status.DRAFT


def test_approvers_act_only_on_their_own_step_in_order(plan, planner, default_chain):
    first, second, third = default_chain
    memo = helpers.sent(plan, planner)
    for user in (second, third, planner):
        with pytest.raises(PermissionDenied):
            services.sign_memo(memo=memo, by=user, comment="ข้ามลำดับ")
        with pytest.raises(PermissionDenied):
            services.return_memo(memo=memo, by=user, reason="ข้ามลำดับ")
    assert services.sign_memo(memo=memo, by=first, comment="ทราบ") is None
    with pytest.raises(PermissionDenied):
        services.sign_memo(memo=memo, by=first, comment="ซ้ำ")  # already signed: no longer their turn
    assert [s.status for s in Memo.objects.get(pk=memo.pk).approvers()] == ["signed", "pending", "pending"]


def test_an_approver_who_lost_the_role_cannot_sign(plan, planner, default_chain):
    memo = helpers.sent(plan, planner)
    Membership.objects.filter(user=default_chain[0], role=Membership.Role.APPROVER).update(
        role=Membership.Role.VIEWER)
    with pytest.raises(PermissionDenied):
        services.sign_memo(memo=memo, by=default_chain[0], comment="ทราบ")


def test_signing_and_returning_need_text(plan, planner, default_chain):
    memo = helpers.sent(plan, planner)
    with pytest.raises(MemoError, match="ความเห็น: กรุณากรอกความเห็นก่อนลงนาม"):
        services.sign_memo(memo=memo, by=default_chain[0], comment="  ")
    with pytest.raises(MemoError, match="เหตุผลที่ส่งกลับ: กรุณากรอกเหตุผลที่ส่งกลับให้แก้ไข"):
        services.return_memo(memo=memo, by=default_chain[0], reason="")
    assert Memo.objects.get(pk=memo.pk).status == Status.IN_REVIEW


def test_signing_a_memo_not_in_review_is_refused_in_thai(plan, planner, default_chain):
    memo = helpers.draft(plan, planner)
    with pytest.raises(MemoError, match="บันทึกข้อความนี้ไม่ได้อยู่ระหว่างเสนอลงนาม \\(สถานะตอนนี้: ฉบับร่าง\\)"):
        services.sign_memo(memo=memo, by=default_chain[0], comment="ทราบ")


def test_an_approved_memo_is_read_only(plan, planner, default_chain):
    memo = helpers.approved(plan, planner, default_chain)
    assert memo.status == Status.APPROVED
    with pytest.raises(MemoError, match="แก้ไขได้เฉพาะบันทึกข้อความที่เป็นฉบับร่าง"):
        services.update_memo(memo=memo, by=planner, date=memo.date, subject="แก้", preparers=[], approvers=[])
    with pytest.raises(MemoError, match="จาก “อนุมัติแล้ว” เป็น “อยู่ระหว่างเสนอลงนาม”"):
        services.send_memo(memo=memo, by=planner)
    with pytest.raises(MemoError, match="จาก “อนุมัติแล้ว” เป็น “ฉบับร่าง”"):
        services.revise_memo(memo=memo, by=planner)
    memo.refresh_from_db()
    assert memo.subject == "" and ReportVersion.objects.filter(memo=memo).count() == 1


def test_editing_a_draft_follows_the_register_and_a_new_year_gets_a_new_number(plan, planner, default_chain):
    memo = helpers.draft(plan, planner, date=dt.date(2020, 12, 28))
    helpers.draft(plan, planner, round=12, date=dt.date(2020, 12, 29))
    chain = [ApproverChoice(user=default_chain[1])]
    preparers = [SignerSpec(name="นายปราโมทย์ แกมนิรัตน์", position="หัวหน้าสำนักงานปลัด")]
    services.update_memo(memo=memo, by=planner, date=dt.date(2020, 12, 30), subject="เรื่องใหม่ 1",
                         preparers=preparers, approvers=chain)
    memo.refresh_from_db()
    assert memo.number == 1 and [s.user for s in memo.approvers()] == [default_chain[1]]
    assert [s.name for s in memo.preparers()] == ["นายปราโมทย์ แกมนิรัตน์"]
    entry = RegisterEntry.objects.get(memo=memo)
    assert (entry.subject, entry.date) == ("เรื่องใหม่ ๑", dt.date(2020, 12, 30))
    update = AuditEntry.objects.filter(action="memos.memo.updated").last()
    assert update.changes["subject"] == ["", "เรื่องใหม่ 1"]
    assert update.changes["approvers"] == [
        ["นายวัชร สำนับ", "ทวี จันทเสนา", "นางครสวรรค์ สุพัฒนานนท์"], ["ทวี จันทเสนา"]]

    # Into 2564: the 2563 number is cancelled (never given again) and the memo gets 2564's first number.
    services.update_memo(memo=memo, by=planner, date=dt.date(2021, 1, 4), subject="เรื่องใหม่ 1",
                         preparers=preparers, approvers=chain)
    memo.refresh_from_db()
    assert memo.number == 1
    assert list(RegisterEntry.objects.filter(memo=memo).order_by("id").values_list("year", "number", "cancelled")) == [
        (2563, 1, True), (2564, 1, False)]
    assert helpers.draft(plan, planner, round=9, date=dt.date(2020, 12, 31)).number == 3


def test_a_failed_freeze_leaves_the_memo_in_review_and_no_files(plan, planner, default_chain, settings):
    memo = helpers.sent(plan, planner)
    services.sign_memo(memo=memo, by=default_chain[0], comment="ทราบ")
    services.sign_memo(memo=memo, by=default_chain[1], comment="ทราบ")
    # A year whose data the report builder cannot use: the wording has an unknown placeholder.
    plan.wording = {"memo_subject": "{nosuchplaceholder}"}
    plan.save()
    with pytest.raises(MemoError, match="จัดทำรายงานฉบับอนุมัติไม่ได้ จึงยังไม่ได้ลงนาม: .*nosuchplaceholder"):
        services.sign_memo(memo=memo, by=default_chain[2], comment="ทราบ")
    memo.refresh_from_db()
    assert memo.status == Status.IN_REVIEW
    assert [s.status for s in memo.approvers()] == ["signed", "signed", "pending"]
    assert not ReportVersion.objects.exists()
    media = settings.MEDIA_ROOT / "reports"
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))


def test_the_default_chain_is_set_by_agency_admins(agency, admin, planner, approvers):
    with pytest.raises(PermissionDenied):
        services.set_default_chain(agency=agency, by=planner, steps=[ApproverChoice(user=approvers[0])])
    services.set_default_chain(agency=agency, by=admin, steps=[
        ApproverChoice(user=approvers[2], position="นายก"), ApproverChoice(user=approvers[0])])
    assert services.default_chain(agency) == [ApproverChoice(user=approvers[2], position="นายก"),
                                              ApproverChoice(user=approvers[0], position="")]
    entry = AuditEntry.objects.get(action="memos.chain.updated")
    assert entry.changes == {"chain": [[], ["khonsawan: นายก", "watchara"]]}


def test_the_inbox_holds_only_the_current_step(plan, planner, default_chain):
    first, second, _third = default_chain
    memo = helpers.sent(plan, planner)
    assert [s.memo for s in services.awaiting_signature(first)] == [memo]
    assert list(services.awaiting_signature(second)) == []
    services.sign_memo(memo=memo, by=first, comment="ทราบ")
    assert list(services.awaiting_signature(first)) == []
    assert [s.memo for s in services.awaiting_signature(second)] == [memo]
    Membership.objects.filter(user=second).delete()  # no longer a member: nothing of the agency is shown
    assert list(services.awaiting_signature(second)) == []


def test_signers_keep_their_statuses_per_step(plan, planner, default_chain):
    memo = helpers.sent(plan, planner)
    services.sign_memo(memo=memo, by=default_chain[0], comment="ทราบ")
    services.return_memo(memo=memo, by=default_chain[1], reason="แก้ตาราง")
    memo.refresh_from_db()
    assert memo.status == Status.RETURNED
    assert [(s.status, s.return_reason) for s in memo.approvers()] == [
        (Signer.Status.SIGNED, ""), (Signer.Status.RETURNED, "แก้ตาราง"), (Signer.Status.PENDING, "")]


def test_an_imported_memo_keeps_its_number_when_edited_and_sent(plan, planner, default_chain):
    memo = factories.make_memo(plan, round=6)  # number 277 from a year file, no register line
    chain = [ApproverChoice(user=u, position="นายก" if i == 2 else "") for i, u in enumerate(default_chain)]
    services.update_memo(memo=memo, by=planner, date=memo.date, subject="แก้เรื่อง", approvers=chain,
                         preparers=[SignerSpec(name="นางสาวปราณี จันทไชย", position="นักวิชาการ")])
    services.send_memo(memo=memo, by=planner)
    memo.refresh_from_db()
    assert (memo.number, memo.status) == (277, Status.IN_REVIEW)
    assert not RegisterEntry.objects.exists()


def test_an_imported_memo_without_a_number_gets_one_when_sent(plan, planner, default_chain):
    memo = factories.make_memo(plan, round=6, number=None, date=None)
    Signer.objects.filter(memo=memo, role="approver").update(user=default_chain[0])
    services.send_memo(memo=memo, by=planner)
    memo.refresh_from_db()
    entry = RegisterEntry.objects.get(memo=memo)
    assert memo.number == entry.number == 1 and memo.date == entry.date
