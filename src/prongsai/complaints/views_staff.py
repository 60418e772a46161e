"""The complaint officers' pages under /agencies/<agency>/complaints/.

Only the agency's complaint officers (policy.HANDLE_COMPLAINTS) open them: other agencies' members get
404, the agency's other members (admins included) and superusers 403. The settings page is also open to
those who edit the agency (it holds no complaint content). Pages with content are never cached.
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from prongsai.lib import paging
from prongsai.agencies import policy
from prongsai.agencies.access import get_agency_for_user
from prongsai.audit.services import history
from prongsai.complaints import services, stats
from prongsai.complaints.crypto import ComplaintKeyError
from prongsai.complaints.forms import OfficerMessageForm, RevealForm, SettingsForm, StaffComplaintForm, TransitionForm
from prongsai.complaints.models import Attachment, Complaint, Message
from prongsai.complaints.uploads import add_service_errors, bounded_uploads, upload_handler
from prongsai.complaints.views_public import statistics_download
from prongsai.lib import fiscal, thai
from prongsai.measures.services import UPLOAD_KINDS

Status = Complaint.Status


def _agency(request, slug: str):
    return get_agency_for_user(request.user, slug, policy.HANDLE_COMPLAINTS)


def _complaint(request, slug: str, uid: uuid.UUID) -> Complaint:
    agency = _agency(request, slug)
    return get_object_or_404(Complaint.objects.select_related("agency"), agency=agency, uid=uid)


def _private(response: HttpResponse) -> HttpResponse:
    patch_cache_control(response, no_store=True, no_cache=True, private=True, max_age=0)
    return response


def _key_error(request, agency, exc: ComplaintKeyError) -> HttpResponse:
    return _private(render(request, "complaints/key_error.html", {"agency": agency, "error": str(exc)}, status=503))


def _case_url(complaint: Complaint) -> str:
    return reverse("complaints:case", args=[complaint.agency.slug, complaint.uid])


# --- list ------------------------------------------------------------------------------------------

SHOW = {"open": _("เรื่องที่ยังไม่ได้ข้อยุติ"), "overdue": _("เรื่องที่เลยกำหนด"), "all": _("ทุกเรื่อง")}


CASES_PER_PAGE = 50


@login_required
@require_safe
def case_list(request, slug: str):
    """The agency's cases, oldest first, 50 a page: open ones (the default), overdue ones or all. The
    filters and both counts are SQL (Complaint.open_q / overdue_q), so the page runs the same queries
    whatever the number of complaints."""
    agency = _agency(request, slug)
    show = request.GET.get("show") if request.GET.get("show") in SHOW else "open"
    today = timezone.localdate()
    everything = Complaint.objects.filter(agency=agency)
    complaints = everything.order_by("received_on", "id").defer("content", "identity", "conclusion")
    if show == "open":
        complaints = complaints.filter(Complaint.open_q())
    elif show == "overdue":
        complaints = complaints.filter(Complaint.overdue_q(today))
    counts = everything.aggregate(open=Count("pk", filter=Complaint.open_q()),
                                  overdue=Count("pk", filter=Complaint.overdue_q(today)))
    pages = paging.paginate(request, complaints, per_page=CASES_PER_PAGE, style=agency.digits)
    rows = [(c, c.acknowledge_overdue(today), c.conclude_overdue(today)) for c in pages.rows]
    return _private(render(request, "complaints/case_list.html", {
        "agency": agency, "rows": rows, "pages": pages, "show": show, "shows": SHOW, "show_label": SHOW[show],
        "today": today, "counts": counts, "overdue_count": counts["overdue"],
    }))


# --- one case --------------------------------------------------------------------------------------

@sensitive_variables()
def _render_case(request, complaint: Complaint, *, transition_form=None, message_form=None, reveal_form=None,
                 identity=None, revealed=False, status=200):
    agency = complaint.agency
    try:
        content = complaint.read_content()
        conclusion = complaint.read_conclusion()
        thread = [(m, m.read_body(), [(a, a.read_meta()) for a in m.attachments.all()])
                  for m in complaint.messages.select_related("officer").prefetch_related("attachments")]
        first_files = [(a, a.read_meta()) for a in complaint.attachments.filter(message__isnull=True)]
    except ComplaintKeyError as exc:
        return _key_error(request, agency, exc)
    target = services.allowed_next(complaint)
    today = timezone.localdate()
    return _private(render(request, "complaints/case_detail.html", {
        "agency": agency, "complaint": complaint, "content": content, "conclusion": conclusion, "thread": thread,
        "first_files": first_files, "target": target, "target_label": Status(target).label if target else "",
        "transition_form": transition_form or (TransitionForm(target=target) if target else None),
        "message_form": message_form or OfficerMessageForm(), "reveal_form": reveal_form or RevealForm(),
        "identity": identity, "revealed": revealed, "today": today,
        "ack_overdue": complaint.acknowledge_overdue(today), "conclude_overdue": complaint.conclude_overdue(today),
        "entries": _days(history(complaint)), "Sender": Message.Sender, "limits": services.max_upload_summary(),
    }, status=status))


def _days(entries):
    """The case's audit entries, each with its local `day`: the case page shows dates only (a web
    complaint keeps no time of day, docs/complaints.md)."""
    entries = list(entries)
    for entry in entries:
        entry.day = timezone.localdate(entry.created_at)
    return entries


@login_required
@require_safe
def case_detail(request, slug: str, uid: uuid.UUID):
    return _render_case(request, _complaint(request, slug, uid))


@login_required
@sensitive_post_parameters()
@require_POST
@sensitive_variables()
def case_transition(request, slug: str, uid: uuid.UUID):
    complaint = _complaint(request, slug, uid)
    target = request.POST.get("to", "")
    form = TransitionForm(request.POST, target=target)
    if form.is_valid():
        try:
            services.transition(actor=request.user, complaint=complaint, to=target,
                                message=form.cleaned_data.get("message", ""),
                                outcome=form.cleaned_data.get("outcome", ""),
                                reason=form.cleaned_data.get("reason", ""),
                                forwarded_to=form.cleaned_data.get("forwarded_to", ""))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("เปลี่ยนสถานะเป็น “%(status)s” แล้ว") % {"status": Status(target).label})
            return redirect(_case_url(complaint))
    complaint.refresh_from_db()
    if target != services.allowed_next(complaint):
        # The form on the page is for the right next step; the refusal shows as a message above it.
        for error in form.non_field_errors():
            messages.error(request, error)
        return _render_case(request, complaint, status=400)
    return _render_case(request, complaint, transition_form=form, status=400)


@login_required
@sensitive_post_parameters()
@require_POST
@bounded_uploads
@sensitive_variables()
def case_message(request, slug: str, uid: uuid.UUID):
    complaint = _complaint(request, slug, uid)
    form = OfficerMessageForm(request.POST, request.FILES)
    problems = upload_handler(request)
    if form.is_valid() and not problems:
        try:
            services.post_message(complaint=complaint, sender=Message.Sender.OFFICER, officer=request.user,
                                  body=form.cleaned_data["body"], uploads=form.cleaned_data["files"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("ส่งข้อความถึงผู้ร้องแล้ว"))
            return redirect(_case_url(complaint))
    for problem in problems:
        form.add_error("files", problem)
    return _render_case(request, complaint, message_form=form, status=400)


@login_required
@sensitive_post_parameters()
@require_POST
@sensitive_variables()
def case_reveal(request, slug: str, uid: uuid.UUID):
    complaint = _complaint(request, slug, uid)
    form = RevealForm(request.POST)
    if form.is_valid():
        try:
            identity = services.reveal_identity(actor=request.user, complaint=complaint,
                                                reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        except ComplaintKeyError as exc:
            return _key_error(request, complaint.agency, exc)
        else:
            return _render_case(request, complaint, identity=identity, revealed=True)
    return _render_case(request, complaint, reveal_form=form, status=400)


@login_required
@require_safe
@sensitive_variables()
def attachment_download(request, slug: str, uid: uuid.UUID, file_uid: uuid.UUID):
    complaint = _complaint(request, slug, uid)
    attachment = get_object_or_404(Attachment, complaint=complaint, uid=file_uid)
    try:
        meta, data = services.read_attachment(actor=request.user, attachment=attachment)
    except ComplaintKeyError as exc:
        return _key_error(request, complaint.agency, exc)
    response = HttpResponse(data, content_type=UPLOAD_KINDS.get(attachment.kind, ((), "application/octet-stream"))[1])
    response["Content-Disposition"] = content_disposition_header(True, meta["name"])
    return _private(response)


# --- a complaint that came by phone, letter, walk-in, Facebook or LINE --------------------------------

@login_required
@sensitive_post_parameters()
@require_http_methods(["GET", "HEAD", "POST"])
@bounded_uploads
@sensitive_variables()
def case_new(request, slug: str):
    agency = _agency(request, slug)
    context = {"agency": agency, "limits": services.max_upload_summary()}
    if request.method != "POST":
        return _private(render(request, "complaints/case_new.html", {**context, "form": StaffComplaintForm()}))
    form = StaffComplaintForm(request.POST, request.FILES)
    problems = upload_handler(request)
    if form.is_valid() and not problems:
        try:
            receipt = services.submit(agency=agency, category=form.cleaned_data["category"], text=form.text(),
                                      identity=form.identity(), uploads=form.cleaned_data["files"],
                                      channel=form.cleaned_data["channel"],
                                      received_on=form.cleaned_data["received_on"], actor=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return _private(render(request, "complaints/case_new_done.html", {**context, "receipt": receipt}))
    for problem in problems:
        form.add_error("files", problem)
    return _private(render(request, "complaints/case_new.html", {**context, "form": form}, status=400))


# --- statistics and settings -----------------------------------------------------------------------

def _year_param(request) -> int:
    current = fiscal.of_date(timezone.localdate())
    try:
        year = int(thai.to_arabic(request.GET.get("year") or current))
    except ValueError:
        return current
    return year if 2500 <= year <= 2700 else current


@login_required
@require_safe
def staff_statistics(request, slug: str):
    agency = _agency(request, slug)
    year = _year_param(request)
    figures = stats.statistics(agency=agency, fiscal_year=year)
    title = _("จำนวนเรื่องร้องเรียนที่รับในแต่ละเดือน ปีงบประมาณ %(year)s") % {"year": year}
    current = fiscal.of_date(timezone.localdate())
    return render(request, "complaints/statistics_staff.html", {
        "agency": agency, "stats": figures, "year": year, "years": list(range(current, current - 5, -1)),
        "rows": stats.table_rows(figures, public=False, style=agency.digits),
        "chart": stats.month_chart_svg(figures, public=False, style=agency.digits, title=title),
        "chart_title": title, "links": stats.oit_links(agency, year),
    })


@login_required
@require_safe
def staff_statistics_file(request, slug: str, year: int, fmt: str):
    agency = _agency(request, slug)
    if not 2500 <= year <= 2700:
        raise Http404("no such fiscal year")
    return statistics_download(stats.statistics(agency=agency, fiscal_year=year), agency=agency, fmt=fmt,
                               public=False)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def settings_view(request, slug: str):
    agency = get_agency_for_user(request.user, slug, policy.VIEW)
    if not (policy.can(request.user, agency, policy.HANDLE_COMPLAINTS)
            or policy.can(request.user, agency, policy.EDIT_AGENCY)):
        raise PermissionDenied(policy.HANDLE_COMPLAINTS)
    current = services.settings_for(agency)
    form = SettingsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            services.update_settings(actor=request.user, agency=agency, values=values)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("บันทึกการตั้งค่าเรื่องร้องเรียนแล้ว"))
            return redirect("complaints:settings", slug=agency.slug)
    return render(request, "complaints/settings.html", {
        "agency": agency, "form": form, "can_handle": policy.can(request.user, agency, policy.HANDLE_COMPLAINTS),
    }, status=400 if form.errors else 200)
