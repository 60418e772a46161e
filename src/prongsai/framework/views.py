"""The catalogue pages: the operator's list, export and import (difference first), and an agency's
version move. Thin: the rules are in services.py and measures.rollover."""

import base64

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from prongsai.agencies import policy
from prongsai.agencies.access import get_agency_for_user
from prongsai.framework import services
from prongsai.framework.forms import ImportForm
from prongsai.framework.models import Catalogue
from prongsai.measures import rollover
from prongsai.measures.models import YearPlan

SESSION_KEY = "framework.pending_import"
CONTENT_TYPES = {"yaml": "application/yaml; charset=utf-8",
                 "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def _editor(request) -> None:
    if not services.can_edit(request.user):
        raise Http404("no such page")


@login_required
@require_safe
def catalogue_list(request):
    _editor(request)
    rows = Catalogue.objects.order_by("-fiscal_year", "family", "-version").defer("data")
    return render(request, "framework/list.html", {"rows": rows})


@login_required
@require_safe
def catalogue_export(request, year: int, family: str, version: int, fmt: str):
    _editor(request)
    if fmt not in CONTENT_TYPES:
        raise Http404("no such format")
    row = get_object_or_404(Catalogue, fiscal_year=year, family=family, version=version)
    response = HttpResponse(services.export(row, fmt), content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"ita-{year}-{family}-v{version}.{fmt}")
    return response


@login_required
@require_http_methods(["GET", "POST"])
def catalogue_import(request):
    """Upload → the difference from the catalogue in use → confirm → one new version."""
    _editor(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    proposal = None
    if request.method == "POST" and "confirm" in request.POST:
        pending = request.session.get(SESSION_KEY)
        if not pending:
            messages.error(request, _("ไม่พบไฟล์ที่รอการยืนยัน กรุณาอัปโหลดอีกครั้ง"))
            return redirect("framework:import")
        try:
            proposal, row = services.import_file(
                pending["name"], base64.b64decode(pending["content"]), actor=request.user,
                year=pending["year"], status=pending["status"])
        except services.CatalogueError as exc:
            form = ImportForm()
            form.add_error(None, _("นำเข้าไม่ได้ (%(place)s): %(message)s") % {"place": exc.place, "message": exc.message})
        else:
            del request.session[SESSION_KEY]
            if row is None:
                messages.info(request, _("ไฟล์เหมือนฉบับปัจจุบัน ไม่มีการเปลี่ยนแปลง"))
            else:
                messages.success(request, _("นำเข้าเป็น %(label)s แล้ว") % {"label": row.label})
            return redirect("framework:list")
    elif request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > services.formats.MAX_BYTES:
            form.add_error("file", _("ไฟล์ใหญ่เกิน 2 MB"))
        else:
            content = upload.read()
            year, status = form.cleaned_data["year"], form.cleaned_data["status"] or None
            try:
                proposal = services.propose(services.read_file(upload.name, content), name=upload.name,
                                            year=year, status=status)
            except services.CatalogueError as exc:
                form.add_error("file", _("ไฟล์ไม่ถูกต้องที่ %(place)s: %(message)s")
                               % {"place": exc.place, "message": exc.message})
            else:
                request.session[SESSION_KEY] = {"name": upload.name, "year": year, "status": status,
                                                "content": base64.b64encode(content).decode()}
    return render(request, "framework/import.html", {"form": form, "proposal": proposal})


def _int_or_none(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@login_required
@require_http_methods(["GET", "POST"])
def plan_catalogue(request, slug: str, year: int):
    """Move an agency's year to another catalogue version, after its preview."""
    agency = get_agency_for_user(request.user, slug, policy.EDIT_YEAR)
    plan = get_object_or_404(YearPlan.objects.select_related("catalogue"), agency=agency, fiscal_year=year)
    candidates = Catalogue.objects.exclude(status=Catalogue.Status.DRAFT).filter(
        fiscal_year__lte=plan.framework_year, family__in={agency.family, "general"}).order_by(
        "-fiscal_year", "-version").defer("data")[:20]
    preview = error = None
    chosen = None
    status = 200
    if request.method == "POST":
        chosen = Catalogue.objects.exclude(status=Catalogue.Status.DRAFT).filter(
            pk=_int_or_none(request.POST.get("catalogue")), fiscal_year__lte=plan.framework_year).first()
        if chosen is None:
            return render(request, "framework/plan_catalogue.html", {
                "agency": agency, "plan": plan, "candidates": candidates, "preview": None, "chosen": None,
                "error": _("เลือกฉบับของเกณฑ์ที่จะใช้กับปีงบประมาณนี้")}, status=400)
        try:
            if "confirm" in request.POST:
                rollover.move(actor=request.user, plan=plan, catalogue=chosen)
                messages.success(request, _("ปีงบประมาณนี้ใช้ %(label)s แล้ว") % {"label": chosen.label})
                return redirect("web:year_detail", agency.slug, plan.fiscal_year)
            preview = rollover.move_preview(plan=plan, catalogue=chosen)
        except ValidationError as exc:
            error, status = " ".join(exc.messages), 400
    return render(request, "framework/plan_catalogue.html", {
        "agency": agency, "plan": plan, "candidates": candidates, "preview": preview, "chosen": chosen,
        "error": error}, status=status)
