"""The fiscal-year workspace: an agency's staff edit the year in the browser (no YAML).

Every lookup goes through prongsai.agencies.access (outsiders: 404); every write needs
policy.EDIT_YEAR (members without it: 403) and goes through a service that audits it.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from prongsai.agencies import policy
from prongsai.agencies.access import get_agency_for_user
from prongsai.assessments import editing
from prongsai.audit.services import history
from prongsai.framework.catalogue import UnknownFrameworkYear, framework_for_plan, get_framework
from prongsai.lib import fiscal, thai
from prongsai.measures import rollover, services
from prongsai.measures.models import Evidence, Measure, YearPlan
from prongsai.web import pages
from prongsai.workspace import forms, spreadsheets

GET_POST = require_http_methods(["GET", "HEAD", "POST"])


def _plan(request, slug: str, year: int, perm: str = policy.VIEW) -> YearPlan:
    agency = get_agency_for_user(request.user, slug, perm)
    return get_object_or_404(YearPlan.objects.select_related("agency"), agency=agency, fiscal_year=year)


def _write_perm(request) -> str:
    return policy.VIEW if request.method in ("GET", "HEAD") else policy.EDIT_YEAR


def _measure(plan: YearPlan, pk: int) -> Measure:
    return get_object_or_404(Measure, plan=plan, pk=pk)


def _framework(year: int, family: str = "general"):
    try:
        return get_framework(year, family)
    except UnknownFrameworkYear:
        return None


def _plan_framework(plan: YearPlan):
    try:
        return framework_for_plan(plan)
    except UnknownFrameworkYear:
        return None


def _based_on(plan: YearPlan) -> int:
    """The ITA year whose scores the year's measures answer (as web.pages.year_page decides it)."""
    return int((plan.analysis or {}).get("based_on") or plan.fiscal_year - 1)


def _context(request, plan: YearPlan, **extra) -> dict:
    agency = plan.agency
    return {"agency": agency, "plan": plan, "can_edit": policy.can(request.user, agency, policy.EDIT_YEAR),
            "can_audit": policy.can(request.user, agency, policy.VIEW_AUDIT), **extra}


def _apply(form, exc: ValidationError) -> None:
    """A service's ValidationError onto the form: by field where the form has it, else on top."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _say(request, agency, text: str, level: int = messages.SUCCESS) -> None:
    """A message for the next page, its digits in the agency's style."""
    messages.add_message(request, level, thai.digits(text, agency.digits))


def _measures_url(plan: YearPlan) -> str:
    return reverse("workspace:measure_list", args=[plan.agency.slug, plan.fiscal_year])


# --- the year --------------------------------------------------------------------------------------

@login_required
@GET_POST
def year_new(request, slug: str):
    """Start a fiscal year: empty, or from an earlier year (rollover) after its preview is confirmed."""
    agency = get_agency_for_user(request.user, slug, policy.EDIT_YEAR)
    form = forms.StartYearForm(request.POST or None, agency=agency)
    preview = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["from_year"] is None:
                plan = services.start_year(actor=request.user, agency=agency, fiscal_year=data["fiscal_year"],
                                           framework_year=data["framework_year"])
            elif "confirm" not in request.POST:
                plan, preview = None, rollover.preview(agency=agency, fiscal_year=data["fiscal_year"],
                                                       from_year=data["from_year"])
            else:
                plan = rollover.start_from(actor=request.user, agency=agency, fiscal_year=data["fiscal_year"],
                                           from_year=data["from_year"])
        except ValidationError as exc:
            _apply(form, exc)
        else:
            if plan is not None:
                _say(request, agency, _("เริ่มปีงบประมาณ %(year)s แล้ว") % {"year": plan.fiscal_year})
                return redirect("web:year_detail", agency.slug, plan.fiscal_year)
    return render(request, "workspace/year_new.html", {"agency": agency, "form": form, "preview": preview})


@login_required
@require_safe
def dashboard(request, slug: str, year: int):
    plan = _plan(request, slug, year)
    today = timezone.localdate()
    progress = services.year_progress(plan=plan, today=today)
    round_rows = [{"round": fiscal.round_of(plan.fiscal_year, m), "progress": progress.by_round[m]}
                  for m in fiscal.ROUNDS]
    return render(request, "workspace/dashboard.html", _context(request, plan, progress=progress,
                                                               round_rows=round_rows, today=today))


# --- last year's ITA scores ------------------------------------------------------------------------

def _scores_page(request, plan: YearPlan, *, form=None, upload_form=None, sheet_errors=None, status=200):
    based_on = _based_on(plan)
    framework = _framework(based_on, plan.agency.family)
    result = plan.agency.ita_results.filter(year=based_on).prefetch_related("scores").first()
    if framework is not None and form is None:
        form = forms.ScoresForm(initial=forms.ScoresForm.initial_from(result), framework=framework,
                                style=plan.agency.digits)
    context = _context(request, plan, based_on=based_on, framework=framework, form=form, result=result,
                       upload_form=upload_form or forms.SheetUploadForm(), sheet_errors=sheet_errors or [],
                       entries=history(result) if result else [])
    return render(request, "workspace/scores.html", context, status=status)


def _saved_scores(request, plan: YearPlan, result) -> HttpResponse:
    view = pages.result_view(result)
    _say(request, plan.agency, _("บันทึกผลการประเมิน ITA ปี %(year)s แล้ว") % {"year": result.year})
    if view.evaluation and view.evaluation.mismatches:
        _say(request, plan.agency, level=messages.WARNING,
             text=_("ตัวเลขที่บันทึกบางรายการไม่ตรงกับการคำนวณตามเกณฑ์ ระบบเก็บตามที่กรอก ดูรายละเอียดด้านล่าง"))
    return redirect(reverse("web:year_detail", args=[plan.agency.slug, plan.fiscal_year]) + "#prior")


@login_required
@GET_POST
def scores(request, slug: str, year: int):
    plan = _plan(request, slug, year, policy.EDIT_YEAR)
    if request.method != "POST":
        return _scores_page(request, plan)
    based_on = _based_on(plan)
    framework = _framework(based_on, plan.agency.family)
    if framework is None:
        raise Http404("no framework for the year")
    form = forms.ScoresForm(request.POST, framework=framework, style=plan.agency.digits)
    if form.is_valid():
        try:
            result = editing.save_ita_result(actor=request.user, agency=plan.agency, framework=framework,
                                             year=based_on, **form.values())
        except ValidationError as exc:
            _apply(form, exc)
        else:
            return _saved_scores(request, plan, result)
    return _scores_page(request, plan, form=form)


@login_required
@require_POST
def scores_upload(request, slug: str, year: int):
    plan = _plan(request, slug, year, policy.EDIT_YEAR)
    based_on = _based_on(plan)
    framework = _framework(based_on, plan.agency.family)
    if framework is None:
        raise Http404("no framework for the year")
    upload_form = forms.SheetUploadForm(request.POST, request.FILES)
    errors: list[str] = []
    if upload_form.is_valid():
        try:
            sheet = spreadsheets.score_rows(upload_form.cleaned_data["file"], framework=framework)
            result = editing.save_ita_result(
                actor=request.user, agency=plan.agency, framework=framework, year=based_on,
                indicators=sheet.indicators, iit=sheet.iit, eit=sheet.eit, oit=sheet.oit, total=sheet.total,
                grade=sheet.grade)
        except spreadsheets.SpreadsheetError as exc:
            errors = [str(exc)]
        except editing.SheetInvalid as exc:
            errors = exc.errors
        except ValidationError as exc:
            errors = exc.messages
        else:
            return _saved_scores(request, plan, result)
    return _scores_page(request, plan, upload_form=upload_form, sheet_errors=errors)


@login_required
@require_safe
def scores_template(request, slug: str, year: int, fmt: str):
    plan = _plan(request, slug, year)
    based_on = _based_on(plan)
    framework = _framework(based_on, plan.agency.family)
    if framework is None or fmt not in ("xlsx", "csv"):
        raise Http404("no template")
    if fmt == "xlsx":
        content, content_type = spreadsheets.score_template_xlsx(framework), spreadsheets.XLSX_TYPE
    else:
        content, content_type = spreadsheets.score_template_csv(framework), spreadsheets.CSV_TYPE
    return _attachment(content, content_type, f"ita-{based_on}-scores.{fmt}")


def _attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    response["X-Content-Type-Options"] = "nosniff"
    patch_cache_control(response, private=True, no_cache=True)
    return response


# --- measures ----------------------------------------------------------------------------------------

@login_required
@require_safe
def measure_list(request, slug: str, year: int):
    plan = _plan(request, slug, year)
    measures = list(plan.measures.prefetch_related("units"))
    return render(request, "workspace/measure_list.html", _context(request, plan, measures=measures))


@login_required
@GET_POST
def measure_new(request, slug: str, year: int):
    plan = _plan(request, slug, year, policy.EDIT_YEAR)
    form = forms.MeasureForm(request.POST or None, plan=plan, framework=_plan_framework(plan))
    if request.method == "POST" and form.is_valid():
        try:
            measure = services.create_measure(actor=request.user, plan=plan, **form.cleaned_data)
        except ValidationError as exc:
            _apply(form, exc)
        else:
            _say(request, plan.agency, _("เพิ่มมาตรการ “%(title)s” แล้ว") % {"title": measure.title})
            return redirect(_measures_url(plan))
    return render(request, "workspace/measure_form.html", _context(request, plan, form=form, measure=None))


@login_required
@GET_POST
def measure_edit(request, slug: str, year: int, pk: int):
    plan = _plan(request, slug, year, _write_perm(request))
    measure = _measure(plan, pk)
    initial = {name: getattr(measure, name) for name in services.MEASURE_FIELDS}
    initial["units"] = list(measure.units.all())
    form = forms.MeasureForm(request.POST or None, initial=initial, plan=plan,
                             framework=_plan_framework(plan))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_measure(actor=request.user, measure=measure, **form.cleaned_data)
        except ValidationError as exc:
            _apply(form, exc)
        else:
            _say(request, plan.agency, _("บันทึกมาตรการ “%(title)s” แล้ว") % {"title": form.cleaned_data["title"]})
            return redirect(_measures_url(plan))
    context = _context(request, plan, form=form, measure=measure)
    if not context["can_edit"]:
        for field in form.fields.values():
            field.disabled = True
    context["entries"] = history(measure) if context["can_audit"] else []
    context["round_links"] = [(m, fiscal.round_of(plan.fiscal_year, m).title(plan.agency.digits))
                              for m in sorted(measure.rounds)]
    return render(request, "workspace/measure_form.html", context)


@login_required
@GET_POST
def measure_delete(request, slug: str, year: int, pk: int):
    plan = _plan(request, slug, year, policy.EDIT_YEAR)
    measure = _measure(plan, pk)
    if request.method == "POST":
        title = measure.title
        services.delete_measure(actor=request.user, measure=measure)
        _say(request, plan.agency, _("ลบมาตรการ “%(title)s” แล้ว") % {"title": title})
        return redirect(_measures_url(plan))
    results = measure.results.count()
    return render(request, "workspace/measure_delete.html", _context(request, plan, measure=measure, results=results))


@login_required
@require_POST
def measure_move(request, slug: str, year: int, pk: int):
    plan = _plan(request, slug, year, policy.EDIT_YEAR)
    measure = _measure(plan, pk)
    form = forms.MoveForm(request.POST)
    if not form.is_valid():
        return HttpResponse(_("ทิศทางไม่ถูกต้อง"), status=400, content_type="text/plain; charset=utf-8")
    services.move_measure(actor=request.user, measure=measure, direction=form.cleaned_data["direction"])
    return redirect(_measures_url(plan) + f"#measure-{measure.pk}")


@login_required
@GET_POST
def measure_adopt(request, slug: str, year: int):
    plan = _plan(request, slug, year, policy.EDIT_YEAR)
    form = forms.AdoptForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            measure = services.adopt_measure(actor=request.user, plan=plan, key=form.cleaned_data["key"])
        except ValidationError as exc:
            _apply(form, exc)
        else:
            _say(request, plan.agency, _("คัดลอกมาตรการ “%(title)s” แล้ว แก้ไขให้ตรงกับหน่วยงานได้ที่นี่")
                             % {"title": measure.title})
            return redirect("workspace:measure_edit", plan.agency.slug, plan.fiscal_year, measure.pk)
    analysis = pages.year_page(plan, plan.agency).analysis
    gaps = [row.indicator for row in (analysis.urgent + analysis.improve)] if analysis else []
    suggestions = services.ranked_suggestions(gap_indicators=[no for no in gaps if no is not None])
    framework = _plan_framework(plan)
    names = {ind.no: ind.name for ind in framework.indicators} if framework else {}
    adopted = set(plan.measures.values_list("title", flat=True))
    return render(request, "workspace/measure_adopt.html", _context(
        request, plan, form=form, suggestions=suggestions, names=names, adopted=adopted, has_gaps=bool(gaps)))


# --- round results and evidence ---------------------------------------------------------------------

def _round_of(plan: YearPlan, measure: Measure, round: int) -> fiscal.Round:
    if round not in measure.rounds:
        raise Http404("the measure does not monitor this round")
    return fiscal.round_of(plan.fiscal_year, round)


def _round_page(request, plan, measure, round, *, form=None, link_form=None, file_form=None, status=200):
    rnd = _round_of(plan, measure, round)
    result = measure.results.filter(round=round).first()
    can_edit = policy.can(request.user, plan.agency, policy.EDIT_YEAR)
    if form is None:
        form = forms.RoundResultForm(instance=result)
    if not can_edit:
        for field in form.fields.values():
            field.disabled = True
    context = _context(
        request, plan, measure=measure, round=rnd, result=result, form=form,
        link_form=link_form or forms.EvidenceLinkForm(), file_form=file_form or forms.EvidenceFileForm(),
        evidence=list(result.evidence.all()) if result else [],
        status=services.round_status(result=result, round=rnd, today=timezone.localdate()),
        max_mb=services.max_upload_bytes() // (1024 * 1024),
    )
    context["entries"] = history(result) if result and context["can_audit"] else []
    return render(request, "workspace/round_result.html", context, status=status)


@login_required
@GET_POST
def round_result(request, slug: str, year: int, pk: int, round: int):
    plan = _plan(request, slug, year, _write_perm(request))
    measure = _measure(plan, pk)
    _round_of(plan, measure, round)
    if request.method != "POST":
        return _round_page(request, plan, measure, round)
    form = forms.RoundResultForm(request.POST)
    if form.is_valid():
        services.save_round_result(actor=request.user, measure=measure, round=round, **form.cleaned_data)
        _say(request, plan.agency, _("บันทึกผลการดำเนินงานแล้ว"))
        return redirect("workspace:round_result", plan.agency.slug, plan.fiscal_year, measure.pk, round)
    return _round_page(request, plan, measure, round, form=form)


@login_required
@require_POST
def round_result_delete(request, slug: str, year: int, pk: int, round: int):
    """Delete a round's result with its evidence (so the round can be dropped from the measure)."""
    plan = _plan(request, slug, year, policy.EDIT_YEAR)
    measure = _measure(plan, pk)
    result = get_object_or_404(measure.results, round=round)
    services.delete_round_result(actor=request.user, result=result)
    _say(request, plan.agency, _("ลบผลการดำเนินงานของรอบนี้แล้ว"))
    return redirect("workspace:measure_edit", plan.agency.slug, plan.fiscal_year, measure.pk)


@login_required
@require_POST
def evidence_add_link(request, slug: str, year: int, pk: int, round: int):
    plan = _plan(request, slug, year, policy.EDIT_YEAR)
    measure = _measure(plan, pk)
    _round_of(plan, measure, round)
    form = forms.EvidenceLinkForm(request.POST)
    if form.is_valid():
        services.add_evidence_link(actor=request.user, measure=measure, round=round, **form.cleaned_data)
        _say(request, plan.agency, _("เพิ่มลิงก์หลักฐานแล้ว"))
        return redirect(reverse("workspace:round_result", args=[slug, year, pk, round]) + "#evidence")
    return _round_page(request, plan, measure, round, link_form=form)


@login_required
@require_POST
def evidence_add_file(request, slug: str, year: int, pk: int, round: int):
    plan = _plan(request, slug, year, policy.EDIT_YEAR)
    measure = _measure(plan, pk)
    _round_of(plan, measure, round)
    form = forms.EvidenceFileForm(request.POST, request.FILES)
    if form.is_valid():
        services.add_evidence_file(actor=request.user, measure=measure, round=round,
                                   upload=form.cleaned_data["file"], title=form.cleaned_data["title"])
        _say(request, plan.agency, _("แนบไฟล์หลักฐานแล้ว"))
        return redirect(reverse("workspace:round_result", args=[slug, year, pk, round]) + "#evidence")
    return _round_page(request, plan, measure, round, file_form=form)


def _evidence(plan: YearPlan, pk: int) -> Evidence:
    return get_object_or_404(Evidence.objects.select_related("result__measure"), pk=pk,
                             result__measure__plan=plan)


@login_required
@require_POST
def evidence_delete(request, slug: str, year: int, pk: int):
    plan = _plan(request, slug, year, policy.EDIT_YEAR)
    evidence = _evidence(plan, pk)
    result = evidence.result
    services.delete_evidence(actor=request.user, evidence=evidence)
    _say(request, plan.agency, _("ลบหลักฐานแล้ว"))
    return redirect(reverse("workspace:round_result", args=[slug, year, result.measure_id, result.round]) + "#evidence")


@login_required
@require_safe
def evidence_download(request, slug: str, year: int, pk: int):
    """An evidence file, to the agency's members only, always as a download (never shown inline)."""
    plan = _plan(request, slug, year)
    evidence = _evidence(plan, pk)
    if not evidence.file:
        raise Http404("this evidence is a link")
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError:
        raise Http404("the stored file is missing") from None
    extension = evidence.file.name.rsplit(".", 1)[-1].lower()
    stem = "".join(ch for ch in (evidence.title or f"evidence-{evidence.pk}") if ch.isprintable() and ch not in '/\\"')
    response = FileResponse(handle, as_attachment=True, filename=f"{stem[:100] or 'evidence'}.{extension}",
                            content_type=services.evidence_content_type(evidence))
    response["X-Content-Type-Options"] = "nosniff"
    patch_cache_control(response, private=True, no_cache=True)
    return response


# --- Excel -----------------------------------------------------------------------------------------------

@login_required
@require_safe
def year_export(request, slug: str, year: int):
    plan = _plan(request, slug, year)
    return _attachment(spreadsheets.year_workbook(plan), spreadsheets.XLSX_TYPE,
                       f"{plan.agency.slug}-{plan.fiscal_year}-measures.xlsx")


@login_required
@GET_POST
def results_import(request, slug: str, year: int):
    plan = _plan(request, slug, year, policy.EDIT_YEAR)
    form = forms.SheetUploadForm(request.POST or None, request.FILES or None, accept=".xlsx")
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            rows = spreadsheets.results_rows(form.cleaned_data["file"])
            outcome = services.import_results(actor=request.user, plan=plan, rows=rows)
        except spreadsheets.SpreadsheetError as exc:
            errors = [str(exc)]
        except services.ImportInvalid as exc:
            errors = exc.errors
        else:
            _say(request, plan.agency, _("นำเข้าผลการดำเนินงานแล้ว: เพิ่ม %(created)s รายการ แก้ไข %(updated)s รายการ "
                                        "ไม่เปลี่ยนแปลง %(unchanged)s รายการ") % vars(outcome))
            return redirect("workspace:dashboard", plan.agency.slug, plan.fiscal_year)
    return render(request, "workspace/results_import.html", _context(request, plan, form=form, errors=errors))
