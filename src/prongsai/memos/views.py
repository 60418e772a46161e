"""The memo pages: draft and edit a round memo or the year's plan memo (kind "plan", the same views
with their own URLs), send it along the chain, sign or return it, the approver's inbox, the outgoing
register, the agency's default chain and the frozen report files (and the announcement a plan memo's
approval issues).

Every lookup goes through memos.access (outsiders 404, members without the permission 403); every
write through memos.services.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from prongsai.agencies import policy
from prongsai.agencies.access import get_agency_for_user
from prongsai.audit.services import history
from prongsai.lib import paging, thai
from prongsai.measures import services as measure_services
from prongsai.memos import forms, services
from prongsai.memos.access import get_memo_for_user, get_plan_for_user, get_register_agency_for_user
from prongsai.memos.models import Memo, RegisterEntry
from prongsai.memos.services import MemoError
from prongsai.reports import build, documents, renderers, versions
from prongsai.reports.models import FORMATS, ReportVersion
from prongsai.reports.render_html import document_css, render_html_fragment
from prongsai.yearfile.services import export_year


def _detail_url(memo: Memo) -> str:
    return memo.get_absolute_url()


# ------------------------------------------------------------------------------------------- inbox

INBOX_PER_PAGE = 30


@login_required
@require_safe
def inbox(request):
    """The memos waiting for the user's signature and those returned to their agencies, each list a page
    at a time (a COUNT and one page of rows: the same queries for 3 agencies or 8,300)."""
    return render(request, "memos/inbox.html", {
        "steps": paging.paginate(request, services.awaiting_signature(request.user), per_page=INBOX_PER_PAGE,
                                 param="page"),
        "returned": paging.paginate(request, services.returned_for_revision(request.user),
                                    per_page=INBOX_PER_PAGE, param="returned", anchor="returned"),
    })


# ---------------------------------------------------------------------------------------- register

@login_required
@require_safe
def register(request, slug: str):
    agency = get_register_agency_for_user(request.user, slug)
    years = set(RegisterEntry.objects.filter(agency=agency).values_list("year", flat=True))
    current = services.register_year(timezone.localdate())
    try:
        year = int(thai.to_arabic(request.GET.get("year") or current))
    except ValueError:
        year = current
    entries = (RegisterEntry.objects.filter(agency=agency, year=year)
               .select_related("memo__plan", "created_by").order_by("number"))
    return render(request, "memos/register.html", {
        "agency": agency, "year": year, "years": sorted(years | {current}, reverse=True), "entries": entries,
    })


# ----------------------------------------------------------------------------------- default chain

@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def chain_settings(request, slug: str):
    agency = get_agency_for_user(request.user, slug, policy.EDIT_AGENCY)
    if request.method == "POST":
        formset = forms.approver_formset(agency=agency, data=request.POST)
        if formset.is_valid():
            try:
                services.set_default_chain(agency=agency, by=request.user, steps=formset.choices())
            except MemoError as exc:
                formset.non_form_errors().append(str(exc))
            else:
                messages.success(request, _("บันทึกลำดับผู้ลงนามเริ่มต้นแล้ว"))
                return redirect("memos:chain_settings", slug=agency.slug)
    else:
        formset = forms.approver_formset(agency=agency,
                                         initial=forms.approver_initial(services.default_chain(agency)))
    return render(request, "memos/chain.html", {"agency": agency, "formset": formset,
                                                "history": history(agency).filter(action="memos.chain.updated")})


# ------------------------------------------------------------------------------------ draft / edit

def _forms(request, *, agency, initial: dict, preparers: list, approvers: list, rounds=None):
    data = request.POST if request.method == "POST" else None
    return (
        forms.MemoForm(data, initial=initial, agency=agency, rounds=rounds),
        forms.preparer_formset(data=data, initial=forms.preparer_initial(preparers)),
        forms.approver_formset(agency=agency, data=data, initial=forms.approver_initial(approvers)),
    )


def _render_form(request, *, plan, memo, form, preparers, approvers, status=200, kind=Memo.Kind.ROUND):
    return render(request, "memos/memo_form.html", {
        "agency": plan.agency, "plan": plan, "memo": memo, "kind": kind, "form": form, "preparers": preparers,
        "approvers": approvers, "has_approver_members": bool(approvers.members),
    }, status=status)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def memo_new(request, slug: str, year: int, kind: str = Memo.Kind.ROUND):
    plan = get_plan_for_user(request.user, slug, year, policy.DRAFT_MEMO)
    agency = plan.agency
    if kind == Memo.Kind.PLAN:
        rounds = None
        existing = plan.memos.filter(kind=Memo.Kind.PLAN).first()
        if existing is not None:
            messages.info(request, _("ปีนี้มีบันทึกข้อความขออนุมัติมาตรการแล้ว"))
            return redirect(_detail_url(existing))
    else:
        rounds = forms.available_rounds(plan)
        if not rounds:
            messages.error(request, _("ปีนี้มีบันทึกข้อความครบทุกรอบแล้ว"))
            return redirect("web:year_detail", slug=agency.slug, year=plan.fiscal_year)
    me = services.default_preparer(agency, request.user)
    today = timezone.localdate()
    initial = {"date": today, "preface_date": today,
               "report_preparer_name": me.name, "report_preparer_position": me.position}
    if rounds:
        initial["round"] = rounds[0]
    form, preparers, approvers = _forms(request, agency=agency, initial=initial, preparers=[me],
                                        approvers=services.default_chain(agency), rounds=rounds)
    if request.method == "POST" and all([form.is_valid(), preparers.is_valid(), approvers.is_valid()]):
        try:
            memo = services.draft_memo(plan=plan, kind=kind, round=form.cleaned_data.get("round"),
                                       by=request.user, preparers=preparers.specs(),
                                       approvers=approvers.choices(), **form.memo_fields())
        except MemoError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("จัดทำร่างบันทึกข้อความแล้ว ได้เลขทะเบียนส่งที่ %(number)s")
                             % {"number": thai.digits(memo.number, agency.digits)})
            return redirect(_detail_url(memo))
    return _render_form(request, plan=plan, memo=None, form=form, preparers=preparers, approvers=approvers,
                        kind=kind)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def memo_edit(request, slug: str, year: int, round: int | None = None, kind: str = Memo.Kind.ROUND):
    memo = get_memo_for_user(request.user, slug, year, round, policy.DRAFT_MEMO, kind=kind)
    if not memo.is_editable:
        messages.error(request, _("แก้ไขได้เฉพาะบันทึกข้อความที่เป็นฉบับร่าง (สถานะตอนนี้: %(status)s)")
                       % {"status": memo.get_status_display()})
        return redirect(_detail_url(memo))
    agency = memo.plan.agency
    initial = {name: getattr(memo, name) for name in ("date", "subject", "addressee", "preface_date",
                                                      "report_preparer_name", "report_preparer_position")}
    initial["body"] = "\n\n".join(memo.body)
    form, preparers, approvers = _forms(request, agency=agency, initial=initial,
                                        preparers=_preparer_specs(memo), approvers=_approver_choices(memo))
    if request.method == "POST" and all([form.is_valid(), preparers.is_valid(), approvers.is_valid()]):
        try:
            services.update_memo(memo=memo, by=request.user, preparers=preparers.specs(),
                                 approvers=approvers.choices(), **form.memo_fields())
        except MemoError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("บันทึกการแก้ไขแล้ว"))
            return redirect(_detail_url(memo))
    return _render_form(request, plan=memo.plan, memo=memo, form=form, preparers=preparers, approvers=approvers,
                        kind=memo.kind)


def _preparer_specs(memo: Memo) -> list[services.SignerSpec]:
    return [services.SignerSpec(name=s.name, rank=s.rank, position=s.position) for s in memo.preparers()]


def _approver_choices(memo: Memo) -> list[services.ApproverChoice]:
    """The memo's chain as form rows; an imported signer (no user) is matched to the approver member
    whose linked person has the same name, else left for the planner to choose."""
    members = {m.person.name: m.user for m in services.approver_members(memo.plan.agency) if m.person}
    rows = []
    for signer in memo.approvers():
        user = signer.user or members.get(signer.name)
        if user is not None:
            person = services.linked_person(memo.plan.agency, user)
            same = person is not None and person.position == signer.position
            rows.append(services.ApproverChoice(user=user, position="" if same else signer.position))
    return rows


# ----------------------------------------------------------------------------------------- detail

def _report_document(memo: Memo, latest: ReportVersion | None):
    if latest is not None:
        return versions.document_for(latest)
    plan = memo.plan
    data = export_year(agency=plan.agency, fiscal_year=plan.fiscal_year)
    if memo.kind == Memo.Kind.ROUND:
        return build.round_report(data, round=memo.round)
    return documents.for_memo(memo, data)


def _announcement_context(memo: Memo) -> dict:
    """The plan memo page's announcement part: the issued announcement and its frozen files, or a
    preview of the one its approval will issue."""
    if memo.kind != Memo.Kind.PLAN:
        return {}
    announcement = (Memo.objects.filter(plan=memo.plan, kind=Memo.Kind.ANNOUNCEMENT)
                    .select_related("plan__agency").prefetch_related("signers").first())
    found = list(ReportVersion.objects.filter(memo=announcement).order_by("-number")) if announcement else []
    try:
        if found:
            document = versions.document_for(found[0])
        else:
            data = export_year(agency=memo.plan.agency, fiscal_year=memo.plan.fiscal_year)
            document = documents.build("announcement", data, entry=documents.preview_notice(memo))
        html = render_html_fragment(document)
    except ValueError:
        html = ""
    return {"announcement": announcement, "announcement_versions": found, "announcement_html": html,
            "announcement_signer": announcement.approvers()[0] if announcement and announcement.approvers() else None}


def _render_detail(request, memo: Memo, *, sign_form=None, return_form=None, status=200):
    agency, user = memo.plan.agency, request.user
    memo = Memo.objects.select_related("plan__agency").prefetch_related("signers__user").get(pk=memo.pk)
    current = memo.current_approver()
    my_turn = current is not None and current.user_id == user.pk and policy.can(user, agency, policy.SIGN_MEMO)
    memo_versions = list(ReportVersion.objects.filter(memo=memo).order_by("-number"))
    try:
        report_html = render_html_fragment(_report_document(memo, memo_versions[0] if memo_versions else None))
    except ValueError as exc:  # the year's data cannot make a report (e.g. a broken wording template)
        report_html, report_error = "", str(exc)
    else:
        report_error = ""
    return render(request, "memos/memo_detail.html", {
        "agency": agency, "plan": memo.plan, "memo": memo, "current": current, "my_turn": my_turn,
        "can_draft": policy.can(user, agency, policy.DRAFT_MEMO),
        "returned_by": next((s for s in memo.approvers() if s.status == s.Status.RETURNED), None),
        "sign_form": sign_form or forms.SignForm(), "return_form": return_form or forms.ReturnForm(),
        "versions": memo_versions, "formats": [(f, f.upper()) for f in FORMATS],
        "report_html": report_html, "report_error": report_error, "report_css": mark_safe(document_css()),
        "register_entries": memo.register_entries.order_by("id"), "history": history(memo),
        **_announcement_context(memo),
    }, status=status)


@login_required
@require_safe
def memo_detail(request, slug: str, year: int, round: int | None = None, kind: str = Memo.Kind.ROUND):
    return _render_detail(request, get_memo_for_user(request.user, slug, year, round, kind=kind))


# ------------------------------------------------------------------------------------ chain moves

def _act(request, memo: Memo, action, success: str):
    try:
        action()
    except MemoError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, success)
    return redirect(_detail_url(memo))


CONFIRM_MISSING = "missing-results"  # the confirm button's value: send although results are missing


@login_required
@require_POST
def memo_send(request, slug: str, year: int, round: int | None = None, kind: str = Memo.Kind.ROUND):
    """Send a draft to the chain. A round memo whose round has measures without a result asks first: the
    first POST shows them with a confirm button (its POST sends); with none missing it sends at once."""
    memo = get_memo_for_user(request.user, slug, year, round, policy.DRAFT_MEMO, kind=kind)
    missing = []
    if memo.is_round and memo.status == Memo.Status.DRAFT:
        missing = measure_services.missing_results(memo.plan, memo.round)
        if missing and request.POST.get("confirm") != CONFIRM_MISSING:
            return render(request, "memos/memo_send_confirm.html", {
                "agency": memo.plan.agency, "plan": memo.plan, "memo": memo, "missing": missing,
                "confirm": CONFIRM_MISSING,
            })
    return _act(request, memo, lambda: services.send_memo(memo=memo, by=request.user,
                                                          missing_confirmed=[m.title for m in missing]),
                _("ส่งบันทึกข้อความให้ผู้บังคับบัญชาลำดับแรกแล้ว"))


@login_required
@require_POST
def memo_revise(request, slug: str, year: int, round: int | None = None, kind: str = Memo.Kind.ROUND):
    memo = get_memo_for_user(request.user, slug, year, round, policy.DRAFT_MEMO, kind=kind)
    try:
        services.revise_memo(memo=memo, by=request.user)
    except MemoError as exc:
        messages.error(request, str(exc))
        return redirect(_detail_url(memo))
    messages.success(request, _("นำบันทึกข้อความกลับมาเป็นฉบับร่างแล้ว แก้ไขแล้วส่งอีกครั้ง"))
    return redirect(reverse(f"memos:{memo.url_name('memo_edit')}", args=memo.url_args()))


@login_required
@require_POST
def memo_sign(request, slug: str, year: int, round: int | None = None, kind: str = Memo.Kind.ROUND):
    memo = get_memo_for_user(request.user, slug, year, round, policy.SIGN_MEMO, kind=kind)
    form = forms.SignForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, memo, sign_form=form)
    try:
        version = services.sign_memo(memo=memo, by=request.user, comment=form.cleaned_data["comment"])
    except MemoError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("ลงนามแล้ว บันทึกข้อความได้รับอนุมัติและจัดเก็บรายงานฉบับอนุมัติแล้ว")
                         if version else _("ลงนามแล้ว ส่งต่อให้ผู้บังคับบัญชาลำดับถัดไป"))
    return redirect(_detail_url(memo))


@login_required
@require_POST
def memo_return(request, slug: str, year: int, round: int | None = None, kind: str = Memo.Kind.ROUND):
    memo = get_memo_for_user(request.user, slug, year, round, policy.SIGN_MEMO, kind=kind)
    form = forms.ReturnForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, memo, return_form=form)
    return _act(request, memo, lambda: services.return_memo(memo=memo, by=request.user,
                                                            reason=form.cleaned_data["reason"]),
                _("ส่งบันทึกข้อความกลับให้ผู้จัดทำแก้ไขแล้ว"))


# ---------------------------------------------------------------------------------- frozen files

@login_required
@require_safe
def version_file(request, slug: str, year: int, number: int, fmt: str, round: int | None = None,
                 kind: str = Memo.Kind.ROUND):
    """A frozen report file, as stored when the memo was approved (members of the agency only)."""
    memo = get_memo_for_user(request.user, slug, year, round, kind=kind)
    return versions.file_response(memo, number, fmt)


@login_required
@require_safe
def plan_live_document(request, slug: str, year: int, document: str, fmt: str):
    """The plan or the announcement as the year's data makes them now, with the plan memo's details
    (members of the agency; the approved, frozen files are the version files)."""
    from django.http import Http404, HttpResponse
    from django.utils.http import content_disposition_header

    plan = get_plan_for_user(request.user, slug, year)
    if document not in ("plan", "announcement") or fmt not in renderers.FORMATS:
        raise Http404("no such document")
    memo = plan.memos.filter(kind=Memo.Kind.PLAN).prefetch_related("signers").first()
    data = export_year(agency=plan.agency, fiscal_year=plan.fiscal_year)
    if document == "plan":
        entry = documents.entry_for(memo) if memo else None
    else:
        entry = documents.preview_notice(memo) if memo else None
    content = renderers.render(documents.build(document, data, entry=entry), fmt)
    spec = renderers.get_format(fmt)
    response = HttpResponse(content, content_type=spec.content_type)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"{plan.agency.slug}-{plan.fiscal_year}-{document}.{spec.extension}")
    return response
