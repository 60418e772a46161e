"""The signed-in web pages: an agency's data, its ITA years and their round reports.

Every agency lookup goes through prongsai.agencies.access, so outsiders get 404.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q, prefetch_related_objects
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import content_disposition_header, http_date
from django.views.decorators.http import require_safe

from prongsai.agencies.access import agencies_for, get_agency_for_user
from prongsai.measures.models import YearPlan
from prongsai.reports import build, fonts, renderers
from prongsai.web import pages
from prongsai.yearfile.services import export_year

FONT_MAX_AGE = 7 * 24 * 3600


@login_required
@require_safe
def agency_list(request):
    """The user's agencies, 50 a page, searchable by name or code (an operator may have thousands)."""
    text = " ".join(request.GET.get("q", "").split())[:100]
    agencies = agencies_for(request.user).order_by("name", "pk")
    if text:
        agencies = agencies.filter(Q(name__icontains=text) | Q(code=text) | Q(slug=text))
    page = Paginator(agencies, AGENCIES_PER_PAGE).get_page(request.GET.get("page") or "1")
    rows = list(page.object_list)
    prefetch_related_objects(rows, "years")
    return render(request, "web/agency_list.html", {
        "agencies": rows, "page": page, "q": text,
        "page_params": ("?" + urlencode({"q": text})) if text else "",
    })


AGENCIES_PER_PAGE = 50


@login_required
@require_safe
def agency_detail(request, slug: str):
    agency = get_agency_for_user(request.user, slug)
    units = agency.units.prefetch_related("people")
    results = [pages.result_view(r) for r in agency.ita_results.prefetch_related("scores")]
    return render(request, "web/agency_detail.html", {
        "agency": agency,
        "units": units,
        "people_without_unit": agency.people.filter(unit=None),
        "years": agency.years.all(),
        "results": results,
    })


@login_required
@require_safe
def year_detail(request, slug: str, year: int):
    agency = get_agency_for_user(request.user, slug)
    plan = get_object_or_404(YearPlan, agency=agency, fiscal_year=year)
    page = pages.year_page(plan, agency)
    formats = [(name, name.upper()) for name in renderers.FORMATS]
    return render(request, "web/year_detail.html", {"agency": agency, "plan": plan, "page": page, "formats": formats})


@login_required
@require_safe
def round_report(request, slug: str, year: int, round: int, fmt: str):
    """The round report (memo, cover, preface, analysis, measures, results) as a PDF, DOCX or HTML file,
    built from the year's data like `prongsai report` does. Only rounds with a memo have a report."""
    agency = get_agency_for_user(request.user, slug)
    plan = get_object_or_404(YearPlan, agency=agency, fiscal_year=year)
    if fmt not in renderers.FORMATS or not plan.memos.filter(round=round).exists():
        raise Http404("no such report")
    document = build.round_report(export_year(agency=agency, fiscal_year=year), round=round)
    spec = renderers.get_format(fmt)
    response = HttpResponse(renderers.render(document, fmt), content_type=spec.content_type)
    filename = f"{agency.slug}-{year}-round{round}.{spec.extension}"
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    patch_cache_control(response, private=True, no_cache=True)
    return response


@require_safe
def font(request, style: str):
    """The Thai UI font (Sarabun Compat, built from Debian's Laksaman). Public: the login page uses it."""
    if style not in fonts.STYLES:
        raise Http404("no such font style")
    try:
        path = fonts.ensure_fonts().woff2[style]
    except fonts.FontsMissing as exc:
        raise Http404("the Thai font is not installed") from exc
    modified = int(path.stat().st_mtime)
    response = get_conditional_response(request, last_modified=modified)
    if response is None:
        response = FileResponse(path.open("rb"), content_type="font/woff2")
    response["Last-Modified"] = http_date(modified)
    patch_cache_control(response, public=True, max_age=FONT_MAX_AGE)
    return response
