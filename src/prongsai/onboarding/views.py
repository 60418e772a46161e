"""The operator's (superuser's) pages for bulk onboarding: agencies, and a year's ITA results, from one
table. Upload → preview (nothing written) → import (one transaction). Everyone else gets 404.

The uploaded file waits between preview and import in PRONGSAI_DATA_DIR/onboarding/, named by a random
token kept in the operator's session, and is deleted once imported."""

from __future__ import annotations

import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from prongsai.onboarding import agencies, results
from prongsai.onboarding.forms import ResultsUploadForm, UploadForm
from prongsai.onboarding.tables import MAX_ROWS

GET_POST = require_http_methods(["GET", "HEAD", "POST"])
SESSION_KEY = "prongsai.onboarding.uploads"
MAX_BYTES = 50 * 1024 * 1024


def _require_operator(request) -> None:
    if not (request.user.is_active and request.user.is_superuser):
        raise Http404("not found")


def _folder() -> Path:
    folder = Path(settings.DATA_DIR) / "onboarding"
    folder.mkdir(mode=0o700, exist_ok=True)
    return folder


def _keep(request, upload) -> str:
    token = secrets.token_urlsafe(16)
    suffix = ".csv" if (upload.name or "").lower().endswith(".csv") else ".xlsx"
    path = _folder() / f"{token}{suffix}"
    with path.open("wb") as fh:
        for chunk in upload.chunks():
            fh.write(chunk)
    uploads = request.session.get(SESSION_KEY, {})
    uploads[token] = {"path": path.name, "name": Path(upload.name or "upload").name[:200]}
    request.session[SESSION_KEY] = uploads
    return token


def _kept(request, token: str) -> tuple[Path, str] | None:
    entry = request.session.get(SESSION_KEY, {}).get(token or "")
    if not entry:
        return None
    path = _folder() / entry["path"]
    return (path, entry["name"]) if path.is_file() else None


def _forget(request, token: str) -> None:
    uploads = request.session.get(SESSION_KEY, {})
    entry = uploads.pop(token, None)
    request.session[SESSION_KEY] = uploads
    if entry:
        (_folder() / entry["path"]).unlink(missing_ok=True)


def _run(request, *, form_class, read, template: str, extra=None):
    _require_operator(request)
    context = {"max_rows": MAX_ROWS, "plan": None, "report": None, "error": None, "token": None}
    form = form_class()
    if request.method == "POST":
        action = request.POST.get("action")
        partial = request.POST.get("partial") == "1"
        if action == "apply":
            kept = _kept(request, request.POST.get("token", ""))
            form = form_class(initial={"year": request.POST.get("year")} if "year" in request.POST else None)
            if kept is None:
                context["error"] = _("ไม่พบไฟล์ที่ตรวจสอบไว้ กรุณาอัปโหลดใหม่")
            else:
                path, name = kept
                try:
                    with path.open("rb") as fh:
                        plan = read(fh, name, request.POST)
                except (agencies.ImportRefused, ValueError) as exc:
                    context["error"] = str(exc)
                else:
                    module = results if isinstance(plan, results.Plan) else agencies
                    report = module.apply(plan, actor=request.user, partial=partial)
                    context.update(plan=plan, report=report)
                    if report.written:
                        _forget(request, request.POST["token"])
                    else:
                        context["token"] = request.POST["token"]
        else:
            form = form_class(request.POST, request.FILES)
            if form.is_valid():
                upload = form.cleaned_data["file"]
                if upload.size > MAX_BYTES:
                    context["error"] = _("ไฟล์ใหญ่เกิน ๕๐ MB")
                else:
                    try:
                        plan = read(upload, upload.name, form.cleaned_data)
                    except agencies.ImportRefused as exc:
                        context["error"] = str(exc)
                    else:
                        context.update(plan=plan, token=_keep(request, upload))
    context["form"] = form
    if extra:
        context.update(extra)
    return render(request, template, context)


@login_required
@GET_POST
def import_agencies(request):
    return _run(request, form_class=UploadForm, template="onboarding/agencies.html",
                read=lambda fh, name, data: agencies.read_agencies(fh, name=name))


def _year(data) -> int:
    try:
        return int(data.get("year"))
    except (TypeError, ValueError):
        raise ValueError(_("ปีที่ประเมิน: กรุณาระบุปี พ.ศ.")) from None


@login_required
@GET_POST
def import_results(request):
    return _run(request, form_class=ResultsUploadForm, template="onboarding/results.html",
                read=lambda fh, name, data: results.read_results(fh, name=name, year=_year(data)))
