"""What goes into the index, group by group.

A group is the set of rows rebuilt together after a change:

    plan:<year plan id>          the live measures, round results, evidence titles and memos of an agency-year
                                 (members of the agency only)
    oit:<agency id>:<fy>         the agency's OIT answers of the year: item title and its explanation (public:
                                 the portal's OIT page shows them)
    portal:<agency id>           the agency's published documents and round reports, and the measures of the
                                 year data frozen with each year's newest published report (public)

`build(group)` returns the rows a group should have now: {key: Row}; an empty dict when what the group
stood for is gone.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from prongsai.agencies.models import Agency
from prongsai.lib import thai


@dataclass(frozen=True)
class Row:
    kind: str
    agency_id: int
    public: bool
    fiscal_year: int | None
    title: str
    body: str
    url: str


def _lines(*values) -> str:
    out = []
    for value in values:
        if isinstance(value, (list, tuple)):
            out.extend(str(v) for v in value if v)
        elif value:
            out.append(str(value))
    return "\n".join(out)


def plan_group(plan_id: int) -> str:
    return f"plan:{plan_id}"


def oit_group(agency_id: int, fiscal_year: int) -> str:
    return f"oit:{agency_id}:{fiscal_year}"


def portal_group(agency_id: int) -> str:
    return f"portal:{agency_id}"


def build(group: str) -> dict[str, Row]:
    return build_many([group])[group]


def build_many(groups: list[str]) -> dict[str, dict[str, Row]]:
    """`build` for many groups at once: a few queries per kind of group, not per group."""
    out: dict[str, dict[str, Row]] = {}
    plans, oits, portals = [], [], []
    for group in groups:
        name, _, rest = group.partition(":")
        if name == "plan":
            plans.append(int(rest))
        elif name == "oit":
            agency_id, fy = rest.split(":")
            oits.append((int(agency_id), int(fy)))
        elif name == "portal":
            portals.append(int(rest))
        else:
            raise ValueError(f"unknown search group {group!r}")
    if plans:
        out.update(_plans(plans))
    if oits:
        out.update(_oits(oits))
    for agency_id in portals:
        out[portal_group(agency_id)] = _portal(agency_id)
    return out


def all_groups() -> list[str]:
    """Every group that has something to index (for `prongsai reindex`)."""
    from prongsai.measures.models import YearPlan
    from prongsai.oit.models import OITAnswer
    from prongsai.portal.models import Publication

    groups = [plan_group(pk) for pk in YearPlan.objects.order_by("pk").values_list("pk", flat=True)]
    groups += [oit_group(a, fy) for a, fy in
               OITAnswer.objects.order_by("agency_id", "fiscal_year").values_list("agency_id", "fiscal_year").distinct()]
    groups += [portal_group(a) for a in
               Publication.objects.order_by("agency_id").values_list("agency_id", flat=True).distinct()]
    return groups


def groups_of_agency(agency_id: int) -> list[str]:
    from prongsai.measures.models import YearPlan
    from prongsai.oit.models import OITAnswer

    groups = [plan_group(pk) for pk in YearPlan.objects.filter(agency_id=agency_id).values_list("pk", flat=True)]
    groups += [oit_group(agency_id, fy) for fy in
               OITAnswer.objects.filter(agency_id=agency_id).values_list("fiscal_year", flat=True).distinct()]
    groups.append(portal_group(agency_id))
    return groups


# --- the live year: members only -----------------------------------------------------------------

def _plans(plan_ids: list[int]) -> dict[str, dict[str, Row]]:
    from prongsai.measures.models import Evidence, Measure, RoundResult, YearPlan
    from prongsai.memos.models import Memo

    out: dict[str, dict[str, Row]] = {plan_group(pk): {} for pk in plan_ids}
    plans = {p.pk: p for p in YearPlan.objects.select_related("agency").filter(pk__in=plan_ids)}
    if not plans:
        return out
    # the year page's address without reverse() per row: /agencies/<slug>/years/<fy>/
    template = reverse("web:year_detail", args=["AGENCY", 1]).replace("/1/", "/{fy}/").replace("AGENCY", "{slug}")
    year_url = {pk: template.format(slug=p.agency.slug, fy=p.fiscal_year) for pk, p in plans.items()}

    def row(plan_id, **fields) -> Row:
        plan = plans[plan_id]
        return Row(agency_id=plan.agency_id, public=False, fiscal_year=plan.fiscal_year, **fields)

    measure_plan = {}
    for m in Measure.objects.filter(plan_id__in=plans).order_by("plan_id", "order"):
        measure_plan[m.pk] = m.plan_id
        out[plan_group(m.plan_id)][f"measure:{m.pk}"] = row(
            m.plan_id, kind="measure", title=m.title, body=_lines(m.guideline, m.steps, m.responsible, m.monitoring),
            url=f"{year_url[m.plan_id]}#measure-{m.pk}")
    results = {}
    for r in RoundResult.objects.filter(measure_id__in=measure_plan).select_related("measure"):
        plan_id = measure_plan[r.measure_id]
        results[r.pk] = r
        agency = plans[plan_id].agency
        out[plan_group(plan_id)][f"result:{r.pk}"] = row(
            plan_id, kind="result", title=thai.digits(f"{r.row_label} (รอบ {r.round} เดือน)", agency.digits),
            body=_lines(r.details, r.period, r.outputs, r.outcomes, r.remarks),
            url=f"{year_url[plan_id]}#measure-{r.measure_id}-round-{r.round}")
    for e in Evidence.objects.filter(result_id__in=results):
        title = e.title or e.url or (e.file.name.rsplit("/", 1)[-1] if e.file else "")
        if not title:
            continue
        r = results[e.result_id]
        plan_id = measure_plan[r.measure_id]
        out[plan_group(plan_id)][f"evidence:{e.pk}"] = row(
            plan_id, kind="evidence", title=title, body=e.url if e.title else "",
            url=f"{year_url[plan_id]}#measure-{r.measure_id}-round-{r.round}")
    for memo in Memo.objects.filter(plan_id__in=plans):
        plan = memo.plan = plans[memo.plan_id]  # the plan already read: get_absolute_url reads no more
        body = memo.body if isinstance(memo.body, list) else []
        default = (f"บันทึกข้อความ รายงานผลรอบ {memo.round} เดือน ปีงบประมาณ {plan.fiscal_year}" if memo.is_round
                   else f"{memo.get_kind_display()} ปีงบประมาณ {plan.fiscal_year}")
        title = memo.subject or thai.digits(default, plan.agency.digits)
        out[plan_group(memo.plan_id)][f"memo:{memo.pk}"] = row(
            memo.plan_id, kind="memo", title=title,
            body=_lines(memo.addressee, [p if isinstance(p, str) else str(p) for p in body]),
            url=memo.get_absolute_url())
    return out


# --- public: OIT answers and what the portal publishes -----------------------------------------

def _oits(pairs: list[tuple[int, int]]) -> dict[str, dict[str, Row]]:
    from prongsai.oit.models import OITAnswer
    from prongsai.oit.services import framework_for
    from prongsai.portal import links

    out: dict[str, dict[str, Row]] = {oit_group(a, fy): {} for a, fy in pairs}
    agencies = {a.pk: a for a in Agency.objects.filter(pk__in={a for a, _fy in pairs})}
    wanted = set(pairs)
    answers = OITAnswer.objects.filter(agency_id__in=agencies, fiscal_year__in={fy for _a, fy in pairs})
    items_of: dict = {}  # (family, fiscal year) -> {code: item}; the catalogue is looked up once for each
    for a in answers.order_by("agency_id", "fiscal_year", "id"):
        if (a.agency_id, a.fiscal_year) not in wanted:
            continue
        agency = agencies[a.agency_id]
        key = (agency.family, a.fiscal_year)
        if key not in items_of:
            try:
                framework = framework_for(agency=agency, fiscal_year=a.fiscal_year)
            except Exception:  # no catalogue for the year: nothing the portal would show
                framework = None
            items_of[key] = {} if framework is None else {i.code.upper(): i for i in framework.oit_items}
        item = items_of[key].get(a.code.upper())
        if item is None or (a.has is None and not a.explanation and not a.urls):
            continue
        out[oit_group(a.agency_id, a.fiscal_year)][f"oit:{a.pk}"] = Row(
            kind="oit", agency_id=agency.pk, public=True, fiscal_year=a.fiscal_year,
            title=f"{item.code} {item.title}", body=_lines(a.explanation, item.detail),
            url=links.oit_item_path(agency, a.fiscal_year, item.code))
    return out


def _portal(agency_id: int) -> dict[str, Row]:
    from prongsai.portal import links
    from prongsai.portal import services as portal

    agency = Agency.objects.filter(pk=agency_id).first()
    if agency is None:
        return {}
    rows: dict[str, Row] = {}
    for publication in portal.publications(agency):
        versions = sorted(publication.versions.all(), key=lambda v: v.number)
        if not versions:
            continue
        current = versions[-1]
        kind = "report" if publication.is_report else "document"
        rows[f"publication:{publication.pk}"] = Row(
            kind=kind, agency_id=agency.pk, public=True, fiscal_year=publication.fiscal_year,
            title=publication.title, body=current.summary, url=links.publication_path(publication))
    for fy in portal.published_years(agency):
        found = portal.year_snapshot(agency, fy)
        if found is None:
            continue
        data, _published = found
        path = links.measures_path(agency, fy)
        for number, m in enumerate(data.get("measures") or [], start=1):
            results = m.get("results") or []
            body = _lines(m.get("guideline"), m.get("steps"), m.get("responsible"),
                          [_lines(r.get("details"), r.get("outputs"), r.get("outcomes")) for r in results])
            rows[f"pubmeasure:{agency.pk}:{fy}:{number}"] = Row(
                kind="published_measure", agency_id=agency.pk, public=True, fiscal_year=fy,
                title=str(m.get("title") or ""), body=body, url=f"{path}#m{number}")
    return rows
