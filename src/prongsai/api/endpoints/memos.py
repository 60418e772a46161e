"""A year's round memos and their approval chain, through memos.services: draft (numbered from the
outgoing register), change a draft, send, sign, return, revise; the frozen report versions."""

from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.errors import ValidationError as InputError
from ninja.pagination import paginate

from prongsai.agencies import policy
from prongsai.api import lookups, serialize
from prongsai.api.endpoints.common import MEMO_WRITE, READ, FormatP, IdP, Page, RoundP, Rows, SlugP, YearP
from prongsai.api.errors import Conflict
from prongsai.api.schemas import (
    ApproverIn, InboxItemOut, MemoDetailOut, MemoDraftIn, MemoOut, MemoUpdateIn, PreparerIn, ReturnIn, SignIn,
    VersionOut,
)
from prongsai.measures import services as measure_services
from prongsai.memos import services
from prongsai.memos.models import Memo
from prongsai.reports import versions
from prongsai.reports.models import ReportVersion

router = Router(tags=["memos"])

YEAR = "/agencies/{slug}/years/{int:year}"
MEMO = YEAR + "/memos/{int:round}"
Status_ = Memo.Status


def _preparers(rows: list[PreparerIn]) -> list[services.SignerSpec]:
    return [services.SignerSpec(name=r.name.strip(), position=r.position.strip(), rank=r.rank.strip()) for r in rows]


def _approvers(agency, rows: list[ApproverIn]) -> list[services.ApproverChoice]:
    """Approvers by username, among the agency's approver members only (nobody else is revealed)."""
    members = {m.user.get_username(): m.user for m in services.approver_members(agency)}
    errors = [{"loc": ("body", "approvers", i, "username"), "type": "value_error", "ctx": {"error": _(
        "ไม่มีผู้บังคับบัญชาชื่อผู้ใช้ %(username)s ในหน่วยงานนี้") % {"username": row.username}}}
        for i, row in enumerate(rows) if row.username not in members]
    if errors:
        raise InputError(errors)
    return [services.ApproverChoice(user=members[row.username], position=row.position.strip()) for row in rows]


def _current_chain(memo: Memo) -> list[services.ApproverChoice]:
    signers = memo.approvers()
    if any(s.user is None for s in signers):
        raise InputError([{"loc": ("body", "approvers"), "type": "value_error", "ctx": {"error": _(
            "ลำดับผู้ลงนามเดิมมีผู้ที่ไม่ได้เป็นผู้ใช้ในระบบ กรุณาระบุ approvers ให้ครบ")}}])
    return [services.ApproverChoice(user=s.user, position=s.position) for s in signers]


def _fields(data) -> dict:
    return {"subject": data.subject.strip(), "addressee": data.addressee.strip(),
            "body": [p.strip() for p in data.body if p.strip()], "preface_date": data.preface_date,
            "report_preparer_name": data.report_preparer_name.strip(),
            "report_preparer_position": data.report_preparer_position.strip()}


def _require_state(memo: Memo, allowed: bool) -> None:
    if not allowed:
        raise Conflict(_("ทำรายการนี้ไม่ได้ เพราะบันทึกข้อความมีสถานะ “%(status)s”") % {
            "status": memo.get_status_display()})


def _detail(request, memo: Memo) -> dict:
    return serialize.memo_detail(request, memo)


@router.get(YEAR + "/memos", response={200: list[MemoOut], **READ}, summary="บันทึกข้อความของปี ตามรอบ")
@paginate(Page)
def memo_list(request, slug: SlugP, year: YearP):
    plan = lookups.plan(request, slug, year)
    rows = Memo.objects.filter(plan=plan, kind=Memo.Kind.ROUND).select_related("plan__agency").prefetch_related("signers__user")
    return Rows(rows.order_by("round"), lambda m: serialize.memo(request, m))


@router.post(YEAR + "/memos", response={201: MemoDetailOut, **MEMO_WRITE},
             summary="ร่างบันทึกข้อความของรอบ (ได้เลขจากทะเบียนหนังสือส่ง)")
def memo_draft(request, slug: SlugP, year: YearP, data: MemoDraftIn):
    plan = lookups.plan(request, slug, year, policy.DRAFT_MEMO)
    if Memo.objects.filter(plan=plan, round=data.round).exists():
        raise Conflict(_("รอบ %(months)s เดือนของปีนี้มีบันทึกข้อความแล้ว") % {"months": data.round})
    memo = services.draft_memo(
        plan=plan, round=data.round, by=lookups.caller(request), date=data.date,
        preparers=None if data.preparers is None else _preparers(data.preparers),
        approvers=None if data.approvers is None else _approvers(plan.agency, data.approvers),
        **_fields(data))
    return Status(201, _detail(request, memo))


@router.get(MEMO, response={200: MemoDetailOut, **READ}, summary="บันทึกข้อความ: สถานะ ลำดับผู้ลงนาม และฉบับอนุมัติ")
def memo_detail(request, slug: SlugP, year: YearP, round: RoundP):
    return _detail(request, lookups.memo(request, slug, year, round))


@router.put(MEMO, response={200: MemoDetailOut, **MEMO_WRITE}, summary="แก้ไขร่างบันทึกข้อความ (เฉพาะฉบับร่าง)")
def memo_update(request, slug: SlugP, year: YearP, round: RoundP, data: MemoUpdateIn):
    memo = lookups.memo(request, slug, year, round, policy.DRAFT_MEMO)
    _require_state(memo, memo.is_editable)
    agency = memo.plan.agency
    preparers = (_preparers(data.preparers) if data.preparers is not None else
                 [services.SignerSpec(name=s.name, position=s.position, rank=s.rank) for s in memo.preparers()])
    approvers = _approvers(agency, data.approvers) if data.approvers is not None else _current_chain(memo)
    memo = services.update_memo(memo=memo, by=lookups.caller(request), date=data.date, preparers=preparers,
                                approvers=approvers, **_fields(data))
    return _detail(request, memo)


@router.post(MEMO + "/send", response={200: MemoDetailOut, **MEMO_WRITE}, summary="ส่งให้ผู้บังคับบัญชาลำดับแรก",
             description="เมื่อมาตรการที่ติดตามในรอบนี้ยังไม่มีผลการดำเนินงาน ตอบ 409 พร้อมรายชื่อมาตรการ "
                         "ส่งได้เมื่อระบุ confirm_missing=true (เหมือนหน้าเว็บที่ขอให้ยืนยันก่อนส่ง)")
def memo_send(request, slug: SlugP, year: YearP, round: RoundP, confirm_missing: bool = False):
    memo = lookups.memo(request, slug, year, round, policy.DRAFT_MEMO)
    _require_state(memo, memo.status == Status_.DRAFT)
    missing = measure_services.missing_results(memo.plan, memo.round) if memo.approvers() else []
    if missing and not confirm_missing:
        raise Conflict(_("มาตรการที่ยังไม่มีผลการดำเนินงานรอบนี้: %(titles)s ส่งอีกครั้งพร้อม confirm_missing=true "
                         "เพื่อยืนยันส่งโดยยังไม่มีผลของมาตรการเหล่านี้") % {
            "titles": "; ".join(f"{m.order}. {m.title}" for m in missing)})
    return _detail(request, services.send_memo(memo=memo, by=lookups.caller(request),
                                               missing_confirmed=[m.title for m in missing]))


@router.post(MEMO + "/sign", response={200: MemoDetailOut, **MEMO_WRITE},
             summary="ลงนามพร้อมความเห็น (ผู้บังคับบัญชาที่ถึงลำดับ) ผู้ลงนามคนสุดท้ายอนุมัติและจัดเก็บรายงาน")
def memo_sign(request, slug: SlugP, year: YearP, round: RoundP, data: SignIn):
    memo = lookups.memo(request, slug, year, round, policy.SIGN_MEMO)
    _require_state(memo, memo.status == Status_.IN_REVIEW)
    services.sign_memo(memo=memo, by=lookups.caller(request), comment=data.comment)
    return _detail(request, memo)


@router.post(MEMO + "/return", response={200: MemoDetailOut, **MEMO_WRITE},
             summary="ส่งกลับให้ผู้จัดทำแก้ไข พร้อมเหตุผล (ผู้บังคับบัญชาที่ถึงลำดับ)")
def memo_return(request, slug: SlugP, year: YearP, round: RoundP, data: ReturnIn):
    memo = lookups.memo(request, slug, year, round, policy.SIGN_MEMO)
    _require_state(memo, memo.status == Status_.IN_REVIEW)
    return _detail(request, services.return_memo(memo=memo, by=lookups.caller(request), reason=data.reason))


@router.post(MEMO + "/revise", response={200: MemoDetailOut, **MEMO_WRITE},
             summary="นำบันทึกข้อความที่ถูกส่งกลับมาเป็นฉบับร่างเพื่อแก้ไข")
def memo_revise(request, slug: SlugP, year: YearP, round: RoundP):
    memo = lookups.memo(request, slug, year, round, policy.DRAFT_MEMO)
    _require_state(memo, memo.status == Status_.RETURNED)
    return _detail(request, services.revise_memo(memo=memo, by=lookups.caller(request)))


@router.get(MEMO + "/versions", response={200: list[VersionOut], **READ},
            summary="รายงานฉบับอนุมัติ (PDF DOCX HTML) พร้อม SHA-256")
@paginate(Page)
def version_list(request, slug: SlugP, year: YearP, round: RoundP):
    memo = lookups.memo(request, slug, year, round)
    rows = ReportVersion.objects.filter(memo=memo).select_related("memo__plan__agency", "created_by")
    return Rows(rows.order_by("number"), lambda v: serialize.version(request, v))


@router.get(MEMO + "/versions/{int:number}/{fmt}", response={200: None, **READ}, url_name="version_file",
            summary="ไฟล์รายงานฉบับอนุมัติ (fmt: pdf, docx, html) ตรวจ SHA-256 ก่อนส่ง")
def version_file(request, slug: SlugP, year: YearP, round: RoundP, number: IdP, fmt: FormatP):
    memo = lookups.memo(request, slug, year, round)
    return versions.file_response(memo, number, fmt)


@router.get("/inbox", response={200: list[InboxItemOut], **READ}, summary="บันทึกข้อความที่รอให้ผู้ใช้ลงนาม")
@paginate(Page)
def inbox(request):
    steps = services.awaiting_signature(lookups.caller(request))
    return [{"agency": step.memo.plan.agency.slug, "memo": serialize.memo(request, step.memo)} for step in steps]
