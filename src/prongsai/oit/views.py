"""The staff OIT checklist of an agency's fiscal year. Lookups go through agencies.access (outsiders:
404); writes need policy.EDIT_YEAR (others: 403) and go through oit.services, which audits them."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from prongsai.agencies import policy
from prongsai.agencies.access import get_agency_for_user
from prongsai.audit.services import history
from prongsai.framework.catalogue import framework_for_plan, version_note
from prongsai.lib import thai
from prongsai.measures.models import YearPlan
from prongsai.oit import export as itas
from prongsai.oit import services
from prongsai.oit.forms import AnswerForm
from prongsai.oit.models import OITAnswer


def _plan(request, slug: str, year: int, perm: str = policy.VIEW) -> YearPlan:
    agency = get_agency_for_user(request.user, slug, perm)
    return get_object_or_404(YearPlan.objects.select_related("agency"), agency=agency, fiscal_year=year)


def _context(request, plan: YearPlan, **extra) -> dict:
    agency = plan.agency
    return {"agency": agency, "plan": plan, "can_edit": policy.can(request.user, agency, policy.EDIT_YEAR),
            "can_audit": policy.can(request.user, agency, policy.VIEW_AUDIT), **extra}


def _say(request, agency, text: str, level: int = messages.SUCCESS) -> None:
    messages.add_message(request, level, thai.digits(text, agency.digits))


@login_required
@require_safe
def checklist(request, slug: str, year: int):
    plan = _plan(request, slug, year)
    data = services.checklist(agency=plan.agency, fiscal_year=plan.fiscal_year)
    produced = services.produced_items(data.framework) if data else {}
    return render(request, "oit/checklist.html", _context(request, plan, checklist=data, produced=produced))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def item_edit(request, slug: str, year: int, code: str):
    perm = policy.VIEW if request.method in ("GET", "HEAD") else policy.EDIT_YEAR
    plan = _plan(request, slug, year, perm)
    agency = plan.agency
    framework = services.framework_for(agency=agency, fiscal_year=plan.fiscal_year)
    try:
        item = framework.oit_item(code) if framework else None
    except ValueError:
        item = None
    if item is None:
        raise Http404("no such OIT item")
    answer = OITAnswer.objects.filter(agency=agency, fiscal_year=plan.fiscal_year, code=item.code).first()
    form = AnswerForm(request.POST or None, initial=AnswerForm.initial_for(answer))
    if request.method == "POST" and form.is_valid():
        try:
            services.save_answer(actor=request.user, agency=agency, fiscal_year=plan.fiscal_year, code=item.code,
                                 **form.cleaned_data)
        except ValidationError as exc:
            for name, errors in exc.message_dict.items() if hasattr(exc, "error_dict") else [(None, exc.messages)]:
                form.add_error(name if name in form.fields else None, errors)
        else:
            _say(request, agency, _("บันทึกคำตอบข้อ %(code)s แล้ว") % {"code": item.code})
            return redirect(f"{request.path.rsplit('items/', 1)[0]}#item-{item.code}")
    context = _context(request, plan, item=item, answer=answer, form=form,
                       checks=answer.checks.all()[:20] if answer else [],
                       produced=services.produced_kind(item))
    context["entries"] = history(answer) if answer and context["can_audit"] else []
    return render(request, "oit/item_form.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def carry_forward(request, slug: str, year: int):
    plan = _plan(request, slug, year, policy.EDIT_YEAR)
    try:
        codes = services.carry_forward(actor=request.user, agency=plan.agency, fiscal_year=plan.fiscal_year)
    except ValidationError as exc:
        _say(request, plan.agency, " ".join(exc.messages), messages.ERROR)
    else:
        _say(request, plan.agency, _("ยกคำตอบจากปีงบประมาณ %(prev)s มา %(n)s ข้อ") % {
            "prev": plan.fiscal_year - 1, "n": len(codes)})
    return redirect("oit:checklist", plan.agency.slug, plan.fiscal_year)


@login_required
@require_POST
def autofill(request, slug: str, year: int):
    plan = _plan(request, slug, year, policy.EDIT_YEAR)
    try:
        codes = services.autofill(actor=request.user, agency=plan.agency, fiscal_year=plan.fiscal_year,
                                  base_url=request.build_absolute_uri("/"))
    except ValidationError as exc:
        _say(request, plan.agency, " ".join(exc.messages), messages.ERROR)
    else:
        _say(request, plan.agency, _("เติมคำตอบข้อที่ระบบจัดทำให้ %(n)s ข้อ") % {"n": len(codes)})
    return redirect("oit:checklist", plan.agency.slug, plan.fiscal_year)


@login_required
@require_safe
def export(request, slug: str, year: int, fmt: str):
    plan = _plan(request, slug, year)
    if fmt not in itas.FORMATS:
        raise Http404("unknown format")
    rows = itas.rows(agency=plan.agency, fiscal_year=plan.fiscal_year)
    note = version_note(framework_for_plan(plan), plan.agency.digits)
    content, content_type = itas.render(rows, fmt, title=f"OIT {plan.fiscal_year}", note=note)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(
        True, f"itas-oit-{plan.agency.slug}-{plan.fiscal_year}.{fmt}")
    return response
