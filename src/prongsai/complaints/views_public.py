"""The public complaint pages under /a/<agency>/complaints/: no login.

- the intake form and its protection notice; the receipt page shows the code once (in the response to
  the POST: the code is never in a URL, a session, a redirect or a log);
- the status page: the code is POSTed, never put in the URL; the follow-up (reply, more files) carries a
  signed, 30-minute token instead of the code;
- the complaint guideline, the channels and the statistics (HTML with an SVG chart, CSV, XLSX).

Nothing about the visitor is stored: no IP address, no browser detail; rate limits count in memory only
(`ratelimit`). Every POST parameter is hidden from error reports (`sensitive_post_parameters`).
"""

from __future__ import annotations

from django.core import signing
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_http_methods, require_safe

from prongsai.agencies.models import Agency
from prongsai.complaints import ratelimit, services, stats
from prongsai.complaints.crypto import ComplaintKeyError
from prongsai.complaints.forms import CodeForm, PublicComplaintForm, ReplyForm
from prongsai.complaints.models import Complaint, Message
from prongsai.complaints.uploads import add_service_errors, bounded_uploads, in_thai, upload_handler
from prongsai.lib import fiscal

FOLLOW_UP_SALT = "prongsai.complaints.follow-up"
FOLLOW_UP_SECONDS = 30 * 60


def _agency(slug: str) -> Agency:
    return get_object_or_404(Agency, slug=slug)


def _private(response: HttpResponse) -> HttpResponse:
    """Pages with a code or a complaint's content: not kept by the browser or any cache."""
    patch_cache_control(response, no_store=True, no_cache=True, private=True, max_age=0)
    return response


# --- intake ----------------------------------------------------------------------------------------

@in_thai
@sensitive_post_parameters()
@require_http_methods(["GET", "HEAD", "POST"])
@bounded_uploads
@sensitive_variables()
def intake(request, slug: str):
    agency = _agency(slug)
    rules = services.settings_for(agency)
    context = {"agency": agency, "rules": rules, "limits": services.max_upload_summary()}
    if request.method != "POST":
        return _private(render(request, "complaints/intake.html", {**context, "form": PublicComplaintForm()}))
    form = PublicComplaintForm(request.POST, request.FILES)
    if form.is_robot:
        form.is_valid()
        form.add_error(None, _("ส่งเรื่องไม่สำเร็จ กรุณาเปิดหน้านี้ใหม่แล้วลองอีกครั้ง"))
        return _private(render(request, "complaints/intake.html", {**context, "form": form}, status=400))
    if ratelimit.submissions.blocked(request):
        return _private(render(request, "complaints/slow_down.html", {**context, "what": "submit"}, status=429))
    problems = upload_handler(request)
    if form.is_valid() and not problems:
        try:
            receipt = services.submit(agency=agency, category=form.cleaned_data["category"], text=form.text(),
                                      identity=form.identity(), uploads=form.cleaned_data["files"],
                                      intake_token=form.cleaned_data["token"])
        except services.DuplicateSubmission:
            return _private(render(request, "complaints/duplicate.html", context, status=409))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            ratelimit.submissions.add(request)
            return _private(render(request, "complaints/receipt.html", {**context, "receipt": receipt}))
    for problem in problems:
        form.add_error("files", problem)
    return _private(render(request, "complaints/intake.html", {**context, "form": form}, status=400))


# --- following a complaint up with its code ---------------------------------------------------------

def _follow_up_token(complaint: Complaint) -> str:
    return signing.dumps({"a": complaint.agency_id, "c": str(complaint.uid)}, salt=FOLLOW_UP_SALT)


def _from_token(agency: Agency, token: str) -> Complaint | None:
    try:
        data = signing.loads(token, salt=FOLLOW_UP_SALT, max_age=FOLLOW_UP_SECONDS)
    except signing.BadSignature:
        return None
    if data.get("a") != agency.pk:
        return None
    return Complaint.objects.filter(agency=agency, uid=data.get("c")).first()


@sensitive_variables()
def _status_page(request, agency: Agency, complaint: Complaint, *, reply_form=None, sent=False, status=200):
    try:
        thread = [(m, m.read_body(), [a.read_meta()["name"] for a in m.attachments.all()])
                  for m in complaint.messages.prefetch_related("attachments")]
        first_files = [a.read_meta()["name"] for a in complaint.attachments.filter(message__isnull=True)]
    except ComplaintKeyError:
        return _private(render(request, "complaints/unavailable.html", {"agency": agency}, status=503))
    steps = list(Complaint.Status)
    reached = steps.index(Complaint.Status(complaint.status))
    return _private(render(request, "complaints/status.html", {
        "agency": agency, "complaint": complaint, "thread": thread, "first_files": first_files,
        "steps": [(step, i < reached, i == reached) for i, step in enumerate(steps)],
        "token": _follow_up_token(complaint), "reply_form": reply_form or ReplyForm(), "sent": sent,
        "Sender": Message.Sender, "limits": services.max_upload_summary(),
    }, status=status))


@in_thai
@sensitive_post_parameters()
@require_http_methods(["GET", "HEAD", "POST"])
@bounded_uploads
@sensitive_variables()
def status(request, slug: str):
    agency = _agency(slug)
    if request.method != "POST":
        return _private(render(request, "complaints/status_code.html", {"agency": agency, "form": CodeForm()}))
    if "follow_up" in request.POST:
        return _reply(request, agency)
    if ratelimit.wrong_codes.blocked(request):
        return _private(render(request, "complaints/slow_down.html", {"agency": agency, "what": "code"}, status=429))
    form = CodeForm(request.POST)
    complaint = None
    if form.is_valid():
        complaint = services.find_by_code(agency=agency, code_text=form.cleaned_data["code"])
        if complaint is None:
            ratelimit.wrong_codes.add(request)
            form.add_error("code", _("รหัสติดตามเรื่อง: ไม่พบเรื่องที่ตรงกับรหัสนี้ กรุณาตรวจรหัสอีกครั้ง "
                                     "(ตัวเลข 25 หลักที่ได้รับตอนส่งเรื่อง)"))
    if complaint is None:
        return _private(render(request, "complaints/status_code.html", {"agency": agency, "form": form}, status=400))
    return _status_page(request, agency, complaint)


@sensitive_variables()
def _reply(request, agency: Agency):
    complaint = _from_token(agency, request.POST.get("follow_up", ""))
    if complaint is None:
        return _private(render(request, "complaints/status_code.html",
                               {"agency": agency, "form": CodeForm(), "expired": True}, status=400))
    form = ReplyForm(request.POST, request.FILES)
    problems = upload_handler(request)
    if form.is_valid() and not problems:
        try:
            services.post_message(complaint=complaint, sender=Message.Sender.COMPLAINANT,
                                  body=form.cleaned_data["body"], uploads=form.cleaned_data["files"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return _status_page(request, agency, complaint, sent=True)
    for problem in problems:
        form.add_error("files", problem)
    return _status_page(request, agency, complaint, reply_form=form, status=400)


# --- published pages for OIT -----------------------------------------------------------------------

@in_thai
@require_safe
def guideline(request, slug: str):
    agency = _agency(slug)
    return render(request, "complaints/guideline.html", {"agency": agency, "rules": services.settings_for(agency),
                                                         "categories": Complaint.Category.choices})


@in_thai
@require_safe
def channels(request, slug: str):
    agency = _agency(slug)
    return render(request, "complaints/channels.html", {"agency": agency, "rules": services.settings_for(agency)})


def _year(year: int) -> int:
    if not 2500 <= year <= 2700:
        raise Http404("no such fiscal year")
    return year


@in_thai
@require_safe
def statistics_current(request, slug: str):
    agency = _agency(slug)
    return redirect("complaints:public_statistics", slug=agency.slug, year=fiscal.of_date(timezone.localdate()))


@in_thai
@require_safe
def public_statistics(request, slug: str, year: int):
    agency = _agency(slug)
    figures = stats.statistics(agency=agency, fiscal_year=_year(year))
    title = _("จำนวนเรื่องร้องเรียนที่รับในแต่ละเดือน ปีงบประมาณ %(year)s") % {"year": year}
    current = fiscal.of_date(timezone.localdate())
    return render(request, "complaints/statistics_public.html", {
        "agency": agency, "stats": figures, "year": year, "public": True, "section": "statistics",
        "rows": stats.table_rows(figures, public=True, style=agency.digits),
        "chart": stats.month_chart_svg(figures, public=True, style=agency.digits, title=title),
        "chart_title": title, "years": [y for y in range(current, current - 5, -1)],
    })


@in_thai
@require_safe
def public_statistics_file(request, slug: str, year: int, fmt: str):
    agency = _agency(slug)
    figures = stats.statistics(agency=agency, fiscal_year=_year(year))
    return statistics_download(figures, agency=agency, fmt=fmt, public=True)


def statistics_download(figures, *, agency: Agency, fmt: str, public: bool) -> HttpResponse:
    name = f"complaint-statistics-{agency.slug}-{figures.fiscal_year}"
    if fmt == "csv":
        response = HttpResponse(stats.as_csv(figures, public=public), content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        response = HttpResponse(
            stats.as_xlsx(figures, public=public, agency_name=agency.name),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    else:
        raise Http404("unknown format")
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response
