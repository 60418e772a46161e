"""The memo register and approval chain: every write to a memo, its signers, the outgoing register and
the default chain goes through these functions (views, the API and commands alike).

Each runs in one transaction, checks the permission policy, and writes an audit entry in that
transaction. A memo's status changes only in `transition`, along `Memo.TRANSITIONS`; a move the
rules do not allow raises MemoError, whose text is a Thai message naming the two states.

    memo = draft_memo(plan=plan, round=6, by=planner, approvers=[ApproverChoice(user=a1), ...])
    send_memo(memo=memo, by=planner)                 # draft → in_review: first approver's inbox
    sign_memo(memo=memo, by=a1, comment="ทราบ")       # the last signature approves and freezes the report
    plan_memo = draft_memo(plan=plan, kind="plan", by=planner)   # the year's plan, the same way; its last
                                                     # signature also issues the announcement (ประกาศ)
    return_memo(memo=memo, by=a2, reason="...")      # in_review → returned
    revise_memo(memo=memo, by=planner)               # returned → draft
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Exists, Max, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from prongsai.agencies import policy
from prongsai.agencies.access import agencies_for
from prongsai.agencies.models import Agency, Membership, Person
from prongsai.audit import services as audit
from prongsai.lib import fiscal, thai
from prongsai.measures import limits
from prongsai.measures.models import YearPlan
from prongsai.memos.models import AgencyChainStep, Memo, RegisterCounter, RegisterEntry, Signer

Status = Memo.Status

# The audit action of each allowed move.
TRANSITION_ACTIONS = {
    (Status.DRAFT, Status.IN_REVIEW): "memos.memo.sent",
    (Status.IN_REVIEW, Status.APPROVED): "memos.memo.approved",
    (Status.IN_REVIEW, Status.RETURNED): "memos.memo.returned",
    (Status.RETURNED, Status.DRAFT): "memos.memo.revised",
}

MEMO_FIELDS = ["kind", "round", "number", "date", "subject", "addressee", "body", "preface_date", "report_preparer_name",
               "report_preparer_position", "status"]


class MemoError(Exception):
    """An action the memo rules do not allow. str() is the Thai message for the user."""


@dataclass(frozen=True)
class SignerSpec:
    """A name as printed in the memo."""

    name: str
    position: str
    rank: str = ""


@dataclass(frozen=True)
class ApproverChoice:
    """One step of a chain: an approver member, and the position to print when the member has no
    linked person (or to print instead of the person's)."""

    user: object
    position: str = ""


# --------------------------------------------------------------------------------------------- lookups

def approver_members(agency: Agency) -> QuerySet[Membership]:
    """The agency's members holding the approver role, with their linked person."""
    return (Membership.objects.filter(agency=agency, role=Membership.Role.APPROVER, user__is_active=True)
            .select_related("user", "person").order_by("person__order", "user__first_name", "user__username"))


def linked_person(agency: Agency, user) -> Person | None:
    """The person a user is in an agency (any of their memberships there may carry the link)."""
    membership = (Membership.objects.filter(agency=agency, user=user, person__isnull=False)
                  .select_related("person").order_by("id").first())
    return membership.person if membership else None


def display_name(user) -> str:
    return user.get_full_name() or user.get_username()


def approver_identity(agency: Agency, choice: ApproverChoice) -> SignerSpec:
    """Name, rank and position for the memo: from the member's linked person, or the user's full name
    with the position given. MemoError when the user is no approver of the agency or has no position."""
    user = choice.user
    if not Membership.objects.filter(agency=agency, user=user, role=Membership.Role.APPROVER).exists():
        raise MemoError(_("ผู้บังคับบัญชา: %(name)s ไม่ได้มีบทบาทผู้บังคับบัญชาในหน่วยงานนี้")
                        % {"name": display_name(user)})
    person = linked_person(agency, user)
    position = (choice.position or "").strip()
    if person is not None:
        return SignerSpec(name=person.name, rank=person.rank, position=position or person.position)
    if not position:
        raise MemoError(_("ตำแหน่ง: กรุณากรอกตำแหน่งของ %(name)s (ยังไม่ได้ผูกกับรายชื่อบุคลากร)")
                        % {"name": display_name(user)})
    return SignerSpec(name=display_name(user), position=position)


def default_preparer(agency: Agency, user) -> SignerSpec:
    """The drafting user as the memo's preparer: their linked person, else their name (no position)."""
    person = linked_person(agency, user)
    if person is not None:
        return SignerSpec(name=person.name, rank=person.rank, position=person.position)
    return SignerSpec(name=display_name(user), position="")


def default_chain(agency: Agency) -> list[ApproverChoice]:
    return [ApproverChoice(user=step.user, position=step.position)
            for step in AgencyChainStep.objects.filter(agency=agency).select_related("user")]


def awaiting_signature(user) -> QuerySet[Signer]:
    """The approver steps waiting for this user's signature now (their turn), across their agencies."""
    earlier_pending = Signer.objects.filter(memo=OuterRef("memo"), role=Signer.Role.APPROVER,
                                            status=Signer.Status.PENDING, order__lt=OuterRef("order"))
    return (Signer.objects.filter(user=user, role=Signer.Role.APPROVER, status=Signer.Status.PENDING,
                                  memo__status=Status.IN_REVIEW, memo__plan__agency__in=agencies_for(user))
            .exclude(Exists(earlier_pending))
            .select_related("memo__plan__agency").order_by("memo__date", "memo_id"))


def returned_for_revision(user) -> QuerySet[Memo]:
    """Returned memos of the agencies where the user may draft memos."""
    agencies = policy.agencies_where(user, policy.DRAFT_MEMO)  # one subquery, whatever their number
    return (Memo.objects.filter(status=Status.RETURNED, plan__agency__in=agencies)
            .select_related("plan__agency").order_by("plan__agency__name", "-plan__fiscal_year", "round"))


def resolved_subject(memo: Memo) -> str:
    """The memo's subject as the report prints it (the wording template's when the memo has none)."""
    from prongsai.reports import build, plan as plan_document
    from prongsai.yearfile.services import export_year

    if memo.subject:
        return thai.digits(memo.subject, memo.plan.agency.digits)
    data = export_year(agency=memo.plan.agency, fiscal_year=memo.plan.fiscal_year)
    if memo.kind == Memo.Kind.ROUND:
        return build.round_report(data, round=memo.round).subject
    ctx = plan_document.context(data, kind="plan" if memo.kind == Memo.Kind.PLAN else "announcement")
    return ctx.fill("memo_subject" if memo.kind == Memo.Kind.PLAN else "title")


# ------------------------------------------------------------------------------------------ register

def register_year(day: dt.date) -> int:
    """The register runs through the calendar year: its BE number."""
    return thai.be_year(day)


def _locked_counter(agency: Agency, year: int) -> RegisterCounter:
    counter = RegisterCounter.objects.select_for_update().filter(agency=agency, year=year).first()
    if counter is None:
        try:
            with transaction.atomic():
                RegisterCounter.objects.create(agency=agency, year=year)
        except IntegrityError:
            pass  # a concurrent request created it first; its row is what we lock below
        counter = RegisterCounter.objects.select_for_update().get(agency=agency, year=year)
    return counter


def allocate_number(*, agency: Agency, day: dt.date, subject: str, by, memo: Memo | None = None) -> RegisterEntry:
    """The next number of the agency's outgoing register for the calendar year of `day`, written as a
    register line. The year's counter row stays locked until the caller's transaction ends, so
    concurrent requests queue. Numbers carried by memos of that year that are not in the register
    (imported from a year file) are skipped: the next number is max(counter, those numbers) + 1."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("allocate_number() must be called inside transaction.atomic()")
    year = register_year(day)
    counter = _locked_counter(agency, year)
    imported = (Memo.objects.filter(plan__agency=agency, date__year=thai.ce_year(year), register_entries=None)
                .aggregate(n=Max("number"))["n"] or 0)
    registered = RegisterEntry.objects.filter(agency=agency, year=year).aggregate(n=Max("number"))["n"] or 0
    number = max(counter.last, imported, registered) + 1
    counter.last = number
    counter.save(update_fields=["last"])
    entry = RegisterEntry.objects.create(agency=agency, year=year, number=number, memo=memo,
                                         subject=subject[:limits.MEMO_SUBJECT], date=day, created_by=_user(by))
    audit.record(actor=by, action="memos.register.allocated", obj=entry, agency=agency,
                 changes={"year": [None, year], "number": [None, number], "subject": [None, entry.subject]})
    return entry


# --------------------------------------------------------------------------------------- transitions

def transition(*, memo: Memo, to: str, by, changes: dict | None = None) -> Memo:
    """The one place a memo's status changes. MemoError (Thai) for a move not in Memo.TRANSITIONS."""
    current = memo.status
    if to not in Memo.TRANSITIONS[current]:
        raise MemoError(_("ไม่สามารถเปลี่ยนสถานะบันทึกข้อความจาก “%(current)s” เป็น “%(to)s” ได้")
                        % {"current": Status(current).label, "to": Status(to).label})
    with transaction.atomic():
        memo.status = to
        memo.save(update_fields=["status"])
        audit.record(actor=by, action=TRANSITION_ACTIONS[(current, to)], obj=memo,
                     agency=memo.plan.agency, changes={"status": [current, to], **(changes or {})})
    return memo


def _locked(memo: Memo) -> Memo:
    return Memo.objects.select_for_update().select_related("plan__agency").get(pk=memo.pk)


def _user(by):
    return by if getattr(by, "pk", None) is not None and getattr(by, "is_authenticated", False) else None


def _signer_rows(memo: Memo, preparers: list[SignerSpec], approvers: list[tuple[ApproverChoice, SignerSpec]]):
    rows = [Signer(memo=memo, role=Signer.Role.PREPARER, order=i, name=s.name, rank=s.rank, position=s.position)
            for i, s in enumerate(preparers, start=1)]
    rows += [Signer(memo=memo, role=Signer.Role.APPROVER, order=i, name=s.name, rank=s.rank, position=s.position,
                    user=choice.user)
             for i, (choice, s) in enumerate(approvers, start=1)]
    return rows


def _chain(agency: Agency, approvers: list[ApproverChoice]) -> list[tuple[ApproverChoice, SignerSpec]]:
    seen = set()
    chain = []
    for choice in approvers:
        if choice.user.pk in seen:
            raise MemoError(_("ผู้บังคับบัญชา: เลือก %(name)s ซ้ำกัน แต่ละคนลงนามได้ครั้งเดียว")
                            % {"name": display_name(choice.user)})
        seen.add(choice.user.pk)
        chain.append((choice, approver_identity(agency, choice)))
    return chain


def _signers_summary(memo: Memo) -> dict:
    signers = list(memo.signers.order_by("role", "order"))
    return {
        "preparers": [s.name for s in signers if s.role == Signer.Role.PREPARER],
        "approvers": [s.name for s in signers if s.role == Signer.Role.APPROVER],
    }


# --------------------------------------------------------------------------------------- the drafts

def check_lengths(agency: Agency, *, subject: str = "", addressee: str = "", body: list[str] | None = None,
                  preparers: list[SignerSpec] = (), chain: list[tuple[ApproverChoice, SignerSpec]] = (),
                  report_preparer_name: str = "", report_preparer_position: str = "") -> None:
    """MemoError naming the first text over its limit (measures.limits), as the forms and the API check it."""
    style = agency.digits
    errors = limits.check({"subject": subject, "addressee": addressee, "report_preparer_name": report_preparer_name,
                           "report_preparer_position": report_preparer_position}, limits.MEMO, style)
    paragraphs = list(body or [])
    if len(paragraphs) > limits.MEMO_PARAGRAPHS:
        errors["body"] = limits.too_many_paragraphs(_("ข้อความ"), limits.MEMO_PARAGRAPHS, len(paragraphs), style)
    for index, paragraph in enumerate(paragraphs, start=1):
        if limits.length(paragraph) > limits.MEMO_PARAGRAPH:
            label = _("ข้อความ ย่อหน้าที่ %(n)s") % {"n": thai.digits(index, style)}
            errors.setdefault("body", limits.too_long(label, limits.MEMO_PARAGRAPH, limits.length(paragraph), style))
    for who, specs in ((_("ผู้เสนอ"), list(preparers)), (_("ผู้บังคับบัญชา"), [spec for _c, spec in chain])):
        for spec in specs:
            found = limits.check({"name": spec.name, "rank": spec.rank, "position": spec.position}, {
                name: (limit, f"{who} {label}") for name, (limit, label) in limits.SIGNER.items()}, style)
            for message in found.values():
                errors.setdefault(f"signer:{message}", message)
    if errors:
        raise MemoError("\n".join(errors.values()))


def _exists_message(agency: Agency, kind: str, round: int | None) -> str:
    if kind == Memo.Kind.PLAN:
        return _("ประเภท: ปีนี้มีบันทึกข้อความขออนุมัติมาตรการแล้ว")
    return _("รอบ: รอบ %(months)s เดือนของปีนี้มีบันทึกข้อความแล้ว") % {"months": thai.digits(round, agency.digits)}


def draft_memo(*, plan: YearPlan, round: int | None = None, by, kind: str = Memo.Kind.ROUND,
               date: dt.date | None = None, subject: str = "",
               addressee: str = "", body: list[str] | None = None, preparers: list[SignerSpec] | None = None,
               approvers: list[ApproverChoice] | None = None, preface_date: dt.date | None = None,
               report_preparer_name: str = "", report_preparer_position: str = "") -> Memo:
    """A new draft memo of the year, numbered from the outgoing register: a round's report memo
    (kind "round", with its round), or the plan's approval memo (kind "plan", one per year, no round).
    Preparers default to the drafting user (their linked person), approvers to the agency's default chain.
    Announcements are not drafted: the plan memo's approval issues them (issue_announcement)."""
    agency = plan.agency
    policy.require(by, agency, policy.DRAFT_MEMO)
    if kind == Memo.Kind.ROUND:
        fiscal.check_round(round)
    elif kind == Memo.Kind.PLAN:
        if round is not None:
            raise MemoError(_("รอบ: บันทึกข้อความขออนุมัติมาตรการไม่มีรอบการรายงาน"))
    else:
        raise MemoError(_("ประเภท: จัดทำร่างได้เฉพาะบันทึกข้อความรายงานผลรายรอบหรือบันทึกข้อความขออนุมัติมาตรการ"))
    day = date or timezone.localdate()
    if preparers is None:
        preparers = [default_preparer(agency, by)]
    chain = _chain(agency, default_chain(agency) if approvers is None else approvers)
    check_lengths(agency, subject=subject, addressee=addressee, body=body, preparers=preparers, chain=chain,
                  report_preparer_name=report_preparer_name, report_preparer_position=report_preparer_position)
    with transaction.atomic():
        if Memo.objects.filter(plan=plan, kind=kind, round=round).exists():
            raise MemoError(_exists_message(agency, kind, round))
        try:
            with transaction.atomic():
                memo = Memo.objects.create(
                    plan=plan, kind=kind, round=round, date=day, subject=subject, addressee=addressee, body=list(body or []),
                    preface_date=preface_date, report_preparer_name=report_preparer_name,
                    report_preparer_position=report_preparer_position, created_by=_user(by),
                )
        except IntegrityError:
            raise MemoError(_exists_message(agency, kind, round)) from None
        Signer.objects.bulk_create(_signer_rows(memo, preparers, chain))
        entry = allocate_number(agency=agency, day=day, subject=resolved_subject(memo), by=by, memo=memo)
        memo.number = entry.number
        memo.save(update_fields=["number"])
        audit.record(actor=by, action="memos.memo.drafted", obj=memo, agency=agency,
                     changes={**audit.diff(None, audit.snapshot(memo, MEMO_FIELDS)),
                              **audit.diff(None, _signers_summary(memo))})
    return memo


def update_memo(*, memo: Memo, by, date: dt.date, subject: str = "", addressee: str = "",
                body: list[str] | None = None, preparers: list[SignerSpec], approvers: list[ApproverChoice],
                preface_date: dt.date | None = None, report_preparer_name: str = "",
                report_preparer_position: str = "") -> Memo:
    """Change a draft. Its register line follows the new subject and date; a date in another calendar
    year gets a number of that year's register (the old line stays, cancelled). An imported memo
    keeps the number its year file gave it."""
    agency = memo.plan.agency
    policy.require(by, agency, policy.DRAFT_MEMO)
    chain = _chain(agency, approvers)
    check_lengths(agency, subject=subject, addressee=addressee, body=body, preparers=preparers, chain=chain,
                  report_preparer_name=report_preparer_name, report_preparer_position=report_preparer_position)
    with transaction.atomic():
        memo = _locked(memo)
        if not memo.is_editable:
            raise MemoError(_("แก้ไขได้เฉพาะบันทึกข้อความที่เป็นฉบับร่าง (สถานะตอนนี้: %(status)s)")
                            % {"status": memo.get_status_display()})
        before = {**audit.snapshot(memo, MEMO_FIELDS), **_signers_summary(memo)}
        memo.date, memo.subject, memo.addressee, memo.body = date, subject, addressee, list(body or [])
        memo.preface_date = preface_date
        memo.report_preparer_name, memo.report_preparer_position = report_preparer_name, report_preparer_position
        memo.save()
        memo.signers.all().delete()
        Signer.objects.bulk_create(_signer_rows(memo, preparers, chain))
        _follow_register(memo, by)
        after = {**audit.snapshot(memo, MEMO_FIELDS), **_signers_summary(memo)}
        changes = audit.diff(before, after)
        if changes:
            audit.record(actor=by, action="memos.memo.updated", obj=memo, agency=agency, changes=changes)
    return memo


def _follow_register(memo: Memo, by) -> None:
    """Keep the memo's register line in step with its subject and date. A memo numbered outside the
    register (imported from a year file) keeps its number; one without a number gets the next."""
    agency = memo.plan.agency
    subject = resolved_subject(memo)
    entry = RegisterEntry.objects.filter(memo=memo, cancelled=False).order_by("-id").first()
    if entry is None and memo.number is not None:
        return
    if entry is not None and entry.year == register_year(memo.date):
        if (entry.subject, entry.date) != (subject[:limits.MEMO_SUBJECT], memo.date):
            entry.subject, entry.date = subject[:limits.MEMO_SUBJECT], memo.date
            entry.save(update_fields=["subject", "date"])
        return
    if entry is not None:
        entry.cancelled = True
        entry.save(update_fields=["cancelled"])
        audit.record(actor=by, action="memos.register.cancelled", obj=entry, agency=agency,
                     changes={"cancelled": [False, True]})
    memo.number = allocate_number(agency=agency, day=memo.date, subject=subject, by=by, memo=memo).number
    memo.save(update_fields=["number"])


# ------------------------------------------------------------------------------------ the chain moves

def send_memo(*, memo: Memo, by, missing_confirmed: list[str] | None = None) -> Memo:
    """Draft → in review: the chain starts again from the first approver (every step pending).
    `missing_confirmed`: the titles of the measures without a result for the round that the sender was
    shown and confirmed (memos.views.memo_send), kept in the audit entry."""
    agency = memo.plan.agency
    policy.require(by, agency, policy.DRAFT_MEMO)
    with transaction.atomic():
        memo = _locked(memo)
        if memo.status != Status.DRAFT:
            return transition(memo=memo, to=Status.IN_REVIEW, by=by)  # raises the Thai state error
        approvers = memo.approvers()
        if not memo.preparers():
            raise MemoError(_("ผู้เสนอ: กรุณาระบุผู้จัดทำ/ผู้เสนออย่างน้อยหนึ่งคนก่อนส่ง"))
        if not approvers:
            raise MemoError(_("ผู้บังคับบัญชา: กรุณาระบุผู้บังคับบัญชาอย่างน้อยหนึ่งคนก่อนส่ง"))
        for signer in approvers:
            if signer.user is None or not policy.can(signer.user, agency, policy.SIGN_MEMO):
                raise MemoError(_("ผู้บังคับบัญชา: %(name)s ยังไม่ได้เป็นผู้ใช้ที่มีสิทธิ์ลงนามในระบบ "
                                  "กรุณาแก้ไขลำดับผู้ลงนามก่อนส่ง") % {"name": signer.name})
        if memo.number is None or memo.date is None:  # imported without them: numbered now
            memo.date = memo.date or timezone.localdate()
            memo.save(update_fields=["date"])
            _follow_register(memo, by)
        Signer.objects.filter(memo=memo, role=Signer.Role.APPROVER).update(
            status=Signer.Status.PENDING, comment="", signed_on=None, signed_at=None, return_reason="")
        changes = {"approvers": [None, [s.name for s in approvers]]}
        if missing_confirmed:
            changes["sent_without_results"] = [None, list(missing_confirmed)]
        transition(memo=memo, to=Status.IN_REVIEW, by=by, changes=changes)
    return memo


def _current_step(memo: Memo, by) -> Signer:
    if memo.status != Status.IN_REVIEW:
        raise MemoError(_("บันทึกข้อความนี้ไม่ได้อยู่ระหว่างเสนอลงนาม (สถานะตอนนี้: %(status)s)")
                        % {"status": memo.get_status_display()})
    policy.require(by, memo.plan.agency, policy.SIGN_MEMO)
    current = memo.current_approver()
    if current is None or current.user_id != by.pk:
        raise PermissionDenied("not this user's turn in the chain")
    return current


def sign_memo(*, memo: Memo, by, comment: str):
    """The current approver comments and signs. The last signature approves the memo and freezes the
    report as a version (returned; None before the last). For a plan memo it also issues the
    announcement (ประกาศ), signed by that last approver, and freezes it too (issue_announcement)."""
    comment = (comment or "").strip()
    if not comment:
        raise MemoError(_("ความเห็น: กรุณากรอกความเห็นก่อนลงนาม"))
    if limits.length(comment) > limits.SIGNER_COMMENT:
        raise MemoError(limits.too_long(_("ความเห็น"), limits.SIGNER_COMMENT, limits.length(comment),
                                        memo.plan.agency.digits))
    version = None
    frozen = []
    try:
        with transaction.atomic():
            memo = _locked(memo)
            signer = _current_step(memo, by)
            signer.status, signer.comment = Signer.Status.SIGNED, comment
            signer.signed_on, signer.signed_at = timezone.localdate(), timezone.now()
            signer.save(update_fields=["status", "comment", "signed_on", "signed_at"])
            audit.record(actor=by, action="memos.memo.signed", obj=memo, agency=memo.plan.agency,
                         changes={"signer": [None, signer.name], "order": [None, signer.order],
                                  "comment": [None, comment]})
            memo = Memo.objects.select_related("plan__agency").get(pk=memo.pk)
            if all(s.status == Signer.Status.SIGNED for s in memo.approvers()):
                from prongsai.reports.versions import freeze

                transition(memo=memo, to=Status.APPROVED, by=by)
                try:
                    version = freeze(memo=memo, by=by)
                    frozen.append(version)
                    if memo.kind == Memo.Kind.PLAN:
                        announcement = issue_announcement(plan_memo=memo, signer=signer, by=by)
                        frozen.append(freeze(memo=announcement, by=by))
                except ValueError as exc:  # the year's data cannot make a report (e.g. a broken wording)
                    raise MemoError(_("จัดทำรายงานฉบับอนุมัติไม่ได้ จึงยังไม่ได้ลงนาม: %(error)s")
                                    % {"error": exc}) from exc
    except BaseException:
        from prongsai.reports.versions import discard_files

        for done in frozen:
            discard_files(done)
        raise
    return version


def issue_announcement(*, plan_memo: Memo, signer: Signer, by) -> Memo:
    """The executive's announcement (ประกาศ) of the approved plan: an approved memo of kind
    "announcement", dated the day of the plan memo's last signature and signed by that approver.
    Called by sign_memo inside its transaction; the caller freezes it. Audited."""
    if plan_memo.kind != Memo.Kind.PLAN or plan_memo.status != Status.APPROVED:
        raise MemoError(_("ออกประกาศได้เมื่อบันทึกข้อความขออนุมัติมาตรการได้รับอนุมัติแล้วเท่านั้น"))
    agency = plan_memo.plan.agency
    if Memo.objects.filter(plan=plan_memo.plan, kind=Memo.Kind.ANNOUNCEMENT).exists():
        raise MemoError(_("ปีนี้ออกประกาศมาตรการแล้ว"))
    announcement = Memo.objects.create(
        plan=plan_memo.plan, kind=Memo.Kind.ANNOUNCEMENT, round=None, date=signer.signed_on,
        status=Status.APPROVED, created_by=_user(by),
    )
    Signer.objects.create(
        memo=announcement, role=Signer.Role.APPROVER, order=1, name=signer.name, rank=signer.rank,
        position=signer.position, user=signer.user, status=Signer.Status.SIGNED, comment="",
        signed_on=signer.signed_on, signed_at=signer.signed_at,
    )
    audit.record(actor=by, action="memos.announcement.issued", obj=announcement, agency=agency,
                 changes={"kind": [None, Memo.Kind.ANNOUNCEMENT], "date": [None, str(signer.signed_on)],
                          "signer": [None, signer.name], "plan_memo": [None, plan_memo.pk]})
    return announcement


def return_memo(*, memo: Memo, by, reason: str) -> Memo:
    """The current approver returns the memo to the planner with a reason."""
    reason = (reason or "").strip()
    if not reason:
        raise MemoError(_("เหตุผลที่ส่งกลับ: กรุณากรอกเหตุผลที่ส่งกลับให้แก้ไข"))
    if limits.length(reason) > limits.RETURN_REASON:
        raise MemoError(limits.too_long(_("เหตุผลที่ส่งกลับ"), limits.RETURN_REASON, limits.length(reason),
                                        memo.plan.agency.digits))
    with transaction.atomic():
        memo = _locked(memo)
        signer = _current_step(memo, by)
        signer.status, signer.return_reason, signer.signed_at = Signer.Status.RETURNED, reason, timezone.now()
        signer.save(update_fields=["status", "return_reason", "signed_at"])
        transition(memo=memo, to=Status.RETURNED, by=by,
                   changes={"signer": [None, signer.name], "reason": [None, reason]})
    return memo


def revise_memo(*, memo: Memo, by) -> Memo:
    """Returned → draft: the planner takes the memo back to edit it."""
    policy.require(by, memo.plan.agency, policy.DRAFT_MEMO)
    with transaction.atomic():
        return transition(memo=_locked(memo), to=Status.DRAFT, by=by)


# ------------------------------------------------------------------------------------ default chain

def set_default_chain(*, agency: Agency, by, steps: list[ApproverChoice]) -> list[AgencyChainStep]:
    """Replace the agency's default chain (agency admins)."""
    policy.require(by, agency, policy.EDIT_AGENCY)
    chain = _chain(agency, steps)
    with transaction.atomic():
        before = [f"{s.user.get_username()}: {s.position}".rstrip(": ")
                  for s in AgencyChainStep.objects.filter(agency=agency).select_related("user")]
        AgencyChainStep.objects.filter(agency=agency).delete()
        rows = AgencyChainStep.objects.bulk_create(
            AgencyChainStep(agency=agency, order=i, user=choice.user, position=(choice.position or "").strip())
            for i, (choice, _spec) in enumerate(chain, start=1)
        )
        after = [f"{s.user.get_username()}: {s.position}".rstrip(": ") for s in rows]
        if before != after:
            audit.record(actor=by, action="memos.chain.updated", obj=agency, agency=agency,
                         changes={"chain": [before, after]})
    return rows
