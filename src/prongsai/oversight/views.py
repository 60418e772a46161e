"""Oversight pages (/oversight/…: signed in, one's own scopes only, 404 outside), the public national
overview (/overview/…, published material only) with its open data, and the public agency directory (/a/).

Views only read query parameters and call services/pages; every table is a fixed number of queries."""

from __future__ import annotations

import json

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from prongsai.agencies import geography
from prongsai.agencies.models import Agency
from prongsai.assessments.models import ITAResult
from prongsai.oversight import access, exports, pages, services
from prongsai.oversight.models import OversightScope, province_spellings

PER_PAGE = 50
PUBLIC_MAX_AGE = 300


# --- parameters ----------------------------------------------------------------------------------------

def _year(request, place: services.Place) -> int:
    raw = request.GET.get("year", "")
    if not raw:
        return services.default_year(place)
    try:
        year = int(raw)
    except ValueError:
        raise Http404("bad year") from None
    if not 2500 <= year <= 2700:
        raise Http404("bad year")
    return year


def _place(request, base: Q, level: str) -> services.Place:
    province = request.GET.get("province", "").strip()
    district = request.GET.get("district", "").strip()
    if district and not province and level == "nation":
        raise Http404("a district needs its province")
    place = services.Place(base=base, province=province, district=district, level=level)
    if (province or district) and not place.agencies().exists():
        raise Http404("nothing of the scope there")  # outside the scope, or no such place
    return place


def _page_number(request) -> str:
    return request.GET.get("page") or "1"


def _download(content: bytes, *, name: str, fmt: str) -> HttpResponse:
    types = {"csv": "text/csv; charset=utf-8",
             "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
             "json": "application/json"}
    response = HttpResponse(content, content_type=types[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


def _years(fy: int) -> list[int]:
    return list(range(fy + 1, fy - 6, -1))


# --- oversight ---------------------------------------------------------------------------------------------

def _links(scope: OversightScope) -> pages.Links:
    base = reverse("oversight:rollup", args=[scope.pk])
    behind = reverse("oversight:agencies", args=[scope.pk])
    agency = reverse("oversight:agency", args=[scope.pk, "SLUG"])
    return pages.Links(
        page=lambda **p: base + pages.query(**p),
        agencies=lambda **p: behind + pages.query(**p),
        agency=lambda slug: agency.replace("SLUG", slug),
    )


@login_required
@require_safe
def home(request):
    scopes = list(access.visible_scopes(request.user).annotate(n_members=Count("members")))
    return render(request, "oversight/home.html", {"scopes": scopes})


def _rollup_context(request, scope: OversightScope, *, public: bool = False):
    place = _place(request, scope.agency_q(), scope.level)
    fy = _year(request, place)
    links = _links(scope)
    completeness = services.completeness(place, fy, public=public)
    results = services.results(place, _ita_year(request, place, fy))
    return place, fy, links, completeness, results


def _ita_year(request, place: services.Place, fy: int) -> int:
    """The ITA year of the results part: ?ita=, else the newest year with results up to the fiscal year."""
    raw = request.GET.get("ita", "")
    if raw.isdigit() and 2500 <= int(raw) <= 2700:
        return int(raw)
    return services.newest_result_year(place, fy) or fy


@login_required
@require_safe
def rollup(request, scope_id: int):
    scope = access.get_scope(request.user, scope_id)
    place, fy, links, completeness, results = _rollup_context(request, scope)
    return render(request, "oversight/rollup.html", {
        "scope": scope, "place": place, "fy": fy, "years": _years(fy),
        "table": pages.table(completeness, links), "results": results,
        "charts": pages.charts_for(results, place, links),
        "crumbs": pages.breadcrumbs(place, scope.name, links, fy),
        "exports": _export_links(scope, fy, place),
        "public": False,
    })


def _behind(request, place: services.Place, fy: int, *, public: bool):
    key, state = request.GET.get("metric", ""), request.GET.get("state", "")
    metric = services.metric(fy, key, public=public)
    agencies = services.agencies_behind(place, fy, key, state, public=public)
    if metric is None or agencies is None:
        raise Http404("unknown figure")
    slug = request.GET.get("slug", "")
    if slug:
        agencies = agencies.filter(slug=slug)
    return metric, state, agencies


STATE_LABELS = {"expected": gettext_lazy("ต้องมี"), "done": gettext_lazy("มีแล้ว"), "missing": gettext_lazy("ยังไม่มี"),
                "on_time": gettext_lazy("ทันกำหนด"), "late": gettext_lazy("มีแล้วแต่เกินกำหนด")}


def _state_label(state: str) -> str:
    return str(STATE_LABELS[state])


def _export_links(scope, fy: int, place) -> dict[str, list[tuple[str, str]]]:
    params = pages.query(year=fy, province=place.province, district=place.district)
    return {table: [(fmt, reverse("oversight:export", args=[scope.pk, table, fmt]) + params)
                    for fmt in exports.FORMATS] for table in exports.TABLES if table != "agencies"}


@login_required
@require_safe
def agencies(request, scope_id: int):
    scope = access.get_scope(request.user, scope_id)
    place = _place(request, scope.agency_q(), scope.level)
    fy = _year(request, place)
    metric, state, rows = _behind(request, place, fy, public=False)
    page = Paginator(rows.only("pk", "slug", "name", "kind", "district", "province", "code"), PER_PAGE).get_page(
        _page_number(request))
    links = _links(scope)
    return render(request, "oversight/agencies.html", {
        "scope": scope, "place": place, "fy": fy, "metric": metric, "state": state,
        "state_label": _state_label(state), "page": page,
        "crumbs": pages.breadcrumbs(place, scope.name, links, fy),
        "agency_url": links.agency, "public": False,
        "exports": [(fmt, reverse("oversight:export", args=[scope.pk, "agencies", fmt]) + pages.query(
            year=fy, province=place.province, district=place.district, metric=metric.key, state=state))
            for fmt in exports.FORMATS],
        "page_params": pages.query(year=fy, province=place.province, district=place.district, metric=metric.key,
                                   state=state),
    })


@login_required
@require_safe
def agency(request, scope_id: int, slug: str):
    scope = access.get_scope(request.user, scope_id)
    found = access.get_agency_in_scope(scope, slug)
    place = services.Place(base=Q(pk=found.pk), level="district")
    fy = _year(request, place)
    results = list(ITAResult.objects.filter(agency=found).order_by("-year"))
    links = _links(scope)
    crumbs = pages.breadcrumbs(services.Place(base=scope.agency_q(), province=found.province,
                                              district=found.district, level=scope.level), scope.name, links, fy)
    return render(request, "oversight/agency.html", {
        "scope": scope, "agency": found, "fy": fy, "years": _years(fy), "crumbs": crumbs,
        "status": services.agency_status(found, fy), "results": results,
    })


def _tables(completeness, results, key: str):
    builders = {
        "completeness": lambda: exports.completeness_table(completeness),
        "totals": lambda: exports.totals_table(results),
        "kinds": lambda: exports.kinds_table(results),
        "indicators": lambda: exports.indicators_table(results),
        "change": lambda: exports.change_table(results),
    }
    return builders[key]()


@login_required
@require_safe
def export(request, scope_id: int, table: str, fmt: str):
    scope = access.get_scope(request.user, scope_id)
    if table not in exports.TABLES or fmt not in exports.FORMATS:
        raise Http404("unknown table or format")
    if table == "agencies":
        place = _place(request, scope.agency_q(), scope.level)
        fy = _year(request, place)
        metric, state, rows = _behind(request, place, fy, public=False)
        data = exports.agencies_table(rows, f"{metric.label}: {_state_label(state)} ({fy})")
    else:
        _place_, fy, _links_, completeness, results = _rollup_context(request, scope)
        data = _tables(completeness, results, table)
    content = exports.as_csv(data) if fmt == "csv" else exports.as_xlsx(data)
    return _download(content, name=f"oversight-{scope.pk}-{table}-{fy}", fmt=fmt)


# --- the public overview -----------------------------------------------------------------------------

def _public_links() -> pages.Links:
    def page(**p):
        province = p.pop("province", "")
        base = reverse("oversight:overview_province", args=[province]) if province else reverse("oversight:overview")
        return base + pages.query(**p)

    behind = reverse("oversight:overview_agencies")
    agency = reverse("portal:agency", args=["SLUG"])
    return pages.Links(page=page, agencies=lambda **p: behind + pages.query(**p),
                       agency=lambda slug: agency.replace("SLUG", slug))


def _public_place(request, province: str | None) -> services.Place:
    if province is None:
        province = request.GET.get("province", "").strip()
    if not province:
        if request.GET.get("district"):
            raise Http404("a district needs its province")
        return services.Place(base=Q(), level="nation")
    found = geography.province(province)
    if found is None:
        raise Http404("no such province")
    district = request.GET.get("district", "").strip()
    place = services.Place(base=Q(province__in=province_spellings(found.name)), district=district, level="province")
    if district and not place.agencies().exists():
        raise Http404("no agency there")
    return place


def _public(response):
    patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
    return response


@require_safe
def overview(request, province: str | None = None):
    place = _public_place(request, province)
    fy = _year(request, place)
    links = _public_links()
    completeness = services.completeness(place, fy, public=True)
    results = services.results(place, _ita_year(request, place, fy))
    name = geography.province(province).name if province else ""
    crumbs = [(_("ภาพรวมทั้งประเทศ"), links.page(year=fy))]
    if name:
        crumbs.append((_("จังหวัด%(name)s") % {"name": name}, links.page(year=fy, province=province)))
    if place.district:
        crumbs.append((_("อำเภอ%(name)s") % {"name": place.district}, ""))
    provinces = geography.provinces() if not name else ()
    return _public(render(request, "oversight/overview.html", {
        "place": place, "fy": fy, "years": _years(fy), "province": name, "crumbs": crumbs,
        "table": pages.table(completeness, _province_links(links, name)), "results": results,
        "charts": pages.charts_for(results, place, _province_links(links, name)), "provinces": provinces,
        "data_params": pages.query(year=fy, province=name, district=place.district), "public": True,
    }))


def _province_links(links: pages.Links, province: str) -> pages.Links:
    """Inside a province page, the rows are districts: keep the province in the URL path."""
    if not province:
        return links
    return pages.Links(page=lambda **p: links.page(**{**p, "province": province}), agencies=links.agencies,
                       agency=links.agency)


@require_safe
def overview_agencies(request):
    place = _public_place(request, None)
    fy = _year(request, place)
    metric, state, rows = _behind(request, place, fy, public=True)
    page = Paginator(rows.only("pk", "slug", "name", "kind", "district", "province"), PER_PAGE).get_page(
        _page_number(request))
    return _public(render(request, "oversight/overview_agencies.html", {
        "place": place, "fy": fy, "metric": metric, "state": state, "state_label": _state_label(state),
        "page": page, "public": True,
        "page_params": pages.query(year=fy, province=place.province or request.GET.get("province", ""),
                                   district=place.district, metric=metric.key, state=state),
    }))


@require_safe
def overview_data(request, fmt: str):
    """Open data: the public completeness table and the results of the year, as CSV or JSON."""
    if fmt not in ("csv", "json"):
        raise Http404("unknown format")
    place = _public_place(request, None)
    fy = _year(request, place)
    completeness = services.completeness(place, fy, public=True)
    table = exports.completeness_table(completeness)
    name = f"overview-{fy}" + (f"-{request.GET.get('province')}" if request.GET.get("province") else "")
    if fmt == "csv":
        return _public(_download(exports.as_csv(table), name=name, fmt="csv"))
    results = services.results(place, _ita_year(request, place, fy))
    data = {
        "fiscal_year": fy, "province": request.GET.get("province", ""), "district": place.district,
        "group_by": place.group_by,
        "documents": [{"key": m.key, "label": m.label, "due": m.due.isoformat() if m.due else None}
                      for m in completeness.metrics],
        "rows": [{"group": row.key, "label": row.label, "agencies": row.agencies,
                  "documents": {k: {"expected": c.expected, "done": c.done, "on_time": c.on_time}
                                for k, c in row.counts.items()}}
                 for row in [*completeness.rows, completeness.total]],
        "ita": {"year": results.year, "scored": results.scored, "passed": results.passed,
                "pass_mark": _text(results.pass_mark),
                "totals": [_box(b) for b in [*results.by_group, results.overall]],
                "kinds": [_box(b) for b in results.by_kind],
                "indicators": [{"no": i.no, "name": i.name, "n": i.n, "mean": _text(i.mean), "below_pass": i.below}
                               for i in results.indicators]},
    }
    body = json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")
    return _public(_download(body, name=name, fmt="json"))


def _text(value):
    return None if value is None else str(value)


def _box(b) -> dict:
    return {"group": b.key, "label": b.label, "n": b.n, **{k: _text(getattr(b, k))
                                                         for k in ("low", "q1", "median", "q3", "high", "mean")}}


# --- the public agency directory -------------------------------------------------------------------------

@require_safe
def directory(request):
    """Every agency of the install by province, district and kind, with a name / code search."""
    province = request.GET.get("province", "").strip()
    district = request.GET.get("district", "").strip()
    kind = request.GET.get("kind", "").strip()
    text = " ".join(request.GET.get("q", "").split())[:100]
    rows = Agency.objects.all()
    if province:
        found = geography.province(province)
        rows = rows.filter(province__in=province_spellings(found.name if found else province))
    if district:
        rows = rows.filter(district=district)
    if kind:
        if kind not in Agency.Kind.values:
            raise Http404("unknown kind")
        rows = rows.filter(kind=kind)
    if text:
        rows = rows.filter(Q(name__icontains=text) | Q(code=text) | Q(slug=text))
    page = Paginator(rows.order_by("province", "district", "name", "pk")
                     .only("pk", "slug", "name", "kind", "district", "province"), PER_PAGE).get_page(
        _page_number(request))
    by_province = dict(Agency.objects.order_by().values_list("province").annotate(n=Count("pk")))
    districts = (sorted(Agency.objects.filter(province__in=province_spellings(province)).exclude(district="")
                        .order_by().values_list("district", flat=True).distinct()) if province else [])
    return _public(render(request, "oversight/directory.html", {
        "page": page, "province": province, "district": district, "kind": kind, "q": text,
        "provinces": [(p.name, by_province.get(p.name, 0)) for p in geography.provinces()],
        "districts": districts, "kinds": Agency.Kind.choices,
        "page_params": pages.query(province=province, district=district, kind=kind, q=text),
    }))
