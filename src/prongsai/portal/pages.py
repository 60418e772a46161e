"""What the public pages show, assembled from published material and the ITA rules (no HTML here).

The scoring rules come from prongsai.assessments.services, the item lists from prongsai.framework,
the OIT answers from prongsai.oit.services.public_items (the OIT checklist).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.http import Http404

from prongsai.agencies.models import Agency
from prongsai.assessments.services import gap_analysis
from prongsai.lib import fiscal
from prongsai.oit import services as oit_services
from prongsai.portal import links, services
from prongsai.reports.build import analysis_summary_for
from prongsai.web import pages as web_pages

# --- ITA results over the years -------------------------------------------------------------------

CHART_WIDTH, CHART_HEIGHT = 640, 300
_LEFT, _RIGHT, _TOP, _BOTTOM = 44, 16, 16, 34


def _num(value: float) -> str:
    return f"{value:.1f}"


def _y(value) -> float:
    return _TOP + (100 - float(value)) / 100 * (CHART_HEIGHT - _TOP - _BOTTOM)


@dataclass(frozen=True)
class YearBar:
    year: int
    total: Decimal
    pass_mark: Decimal | None
    passed: bool | None
    grade: str
    x: str
    y: str
    width: str
    height: str
    center: str
    label_y: str
    mark_y: str  # the year's pass mark line, over this bar's slot
    mark_x1: str
    mark_x2: str


@dataclass
class ResultsPage:
    rows: list  # web.pages.ResultView, oldest first
    bars: list[YearBar] = field(default_factory=list)
    grid: list[tuple[int, str]] = field(default_factory=list)
    width: int = CHART_WIDTH
    height: int = CHART_HEIGHT
    left: str = _num(_LEFT)
    right: str = _num(CHART_WIDTH - _RIGHT)
    baseline: str = _num(CHART_HEIGHT - _BOTTOM)
    tick_y: str = _num(CHART_HEIGHT - _BOTTOM + 20)
    axis_label_x: str = _num(_LEFT - 6)


def results_page(agency: Agency) -> ResultsPage:
    """The agency's ITA totals per year, each against its own year's pass mark."""
    views = [web_pages.result_view(r) for r in agency.ita_results.prefetch_related("scores").order_by("year")]
    page = ResultsPage(rows=views, grid=[(v, _num(_y(v))) for v in (0, 25, 50, 75, 100)])
    scored = [v for v in views if v.total is not None]
    if not scored:
        return page
    slot = (CHART_WIDTH - _LEFT - _RIGHT) / len(scored)
    width = min(slot * 0.6, 80)
    for index, view in enumerate(scored):
        x = _LEFT + slot * index + (slot - width) / 2
        top = _y(view.total)
        mark = view.framework.pass_mark if view.framework else None
        page.bars.append(YearBar(
            year=view.result.year, total=view.total, pass_mark=mark,
            passed=None if mark is None else view.total >= mark, grade=view.grade,
            x=_num(x), y=_num(top), width=_num(width), height=_num(_y(0) - top), center=_num(x + width / 2),
            label_y=_num(_y(0) - 8), mark_y=_num(_y(mark if mark is not None else 0)),
            mark_x1=_num(_LEFT + slot * index + 2), mark_x2=_num(_LEFT + slot * (index + 1) - 2),
        ))
    return page


# --- the year's measures and the analysis, from the published snapshot ---------------------------

@dataclass(frozen=True)
class RoundRow:
    months: int
    title: str
    results: list[dict]


@dataclass(frozen=True)
class MeasureRow:
    measure: dict
    rounds: list[RoundRow]


def measure_rows(data: dict, style: str) -> list[MeasureRow]:
    fy = int(data["fiscal_year"])
    rows = []
    for measure in data.get("measures") or []:
        results = measure.get("results") or []
        months = sorted({int(r) for r in measure.get("rounds") or []} | {int(r["round"]) for r in results})
        rows.append(MeasureRow(measure, [
            RoundRow(m, fiscal.round_of(fy, m).title(style), [r for r in results if int(r["round"]) == m])
            for m in months
        ]))
    return rows


@dataclass(frozen=True)
class AnalysisPage:
    based_on: int
    summary: str
    scores: list[web_pages.ScoreRow]
    urgent: list
    improve: list
    pass_mark: Decimal | None


def analysis_page(data: dict) -> AnalysisPage:
    fy = int(data["fiscal_year"])
    stated = data.get("analysis") or {}
    based_on = int(stated.get("based_on") or fy - 1)
    summary = analysis_summary_for(data, based_on=based_on) or ""
    entry = next((r for r in data.get("ita_results") or [] if int(r.get("year", 0)) == based_on), None)
    scores = {int(k): Decimal(str(v)) for k, v in ((entry or {}).get("indicators") or {}).items() if v is not None}
    framework = web_pages.framework_for(based_on)
    rows, urgent, improve, mark = [], [], [], None
    if framework is not None and scores:
        mark = framework.pass_mark
        rows = [web_pages.ScoreRow(ind.no, ind.name, ind.instrument, scores.get(ind.no),
                                   scores.get(ind.no) is not None and scores[ind.no] < mark)
                for ind in framework.indicators]
        agency = data.get("agency") or {}
        gap = gap_analysis(framework=framework, indicators=scores,
                           urgent_below=Decimal(str(agency.get("urgent_below") or 75)))
        urgent, improve = gap.urgent, gap.improve
    return AnalysisPage(based_on=based_on, summary=summary, scores=rows, urgent=urgent, improve=improve,
                        pass_mark=mark)


# --- OIT ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class OITRow:
    code: str
    title: str
    detail: str
    answer: bool | None  # None: the agency has not answered yet
    urls: list[str]
    explanation: str
    path: str


@dataclass(frozen=True)
class OITGroup:
    title: str  # the heading as agencies publish it, e.g. "9.1 ข้อมูลพื้นฐาน"
    items: list[OITRow]


def oit_groups(agency: Agency, fiscal_year: int) -> list[OITGroup]:
    """The year's OIT items with the agency's answers (prongsai.oit), grouped by sub-indicator in the
    catalogue's order; 404 when Prongsai has no ITA rules for the year."""
    items = oit_services.public_items(agency=agency, fiscal_year=fiscal_year)
    if not items:
        raise Http404("no ITA framework for this year")
    groups: list[OITGroup] = []
    for item in items:
        title = item.group or " ".join(p for p in (item.sub_indicator, item.sub_indicator_name) if p)
        if not groups or groups[-1].title != title:
            groups.append(OITGroup(title, []))
        groups[-1].items.append(OITRow(
            code=item.code.upper(), title=item.title, detail=item.detail, answer=item.has, urls=list(item.urls),
            explanation=item.explanation, path=links.oit_item_path(agency, fiscal_year, item.code),
        ))
    return groups


def oit_item(agency: Agency, fiscal_year: int, code: str) -> tuple[OITGroup, OITRow]:
    wanted = code.strip().upper()
    for group in oit_groups(agency, fiscal_year):
        for row in group.items:
            if row.code == wanted:
                return group, row
    raise Http404("no such OIT item")


def oit_years(agency: Agency) -> list[int]:
    """Fiscal years the OIT page exists for: the agency's years whose ITA rules list OIT items (a
    provisional year such as 2569 has none yet), newest first."""
    years = []
    for plan in agency.years.all():
        framework = oit_services.framework_for(agency=agency, fiscal_year=plan.fiscal_year)
        if framework is not None and framework.oit_items:
            years.append(plan.fiscal_year)
    return sorted(set(years), reverse=True)


# --- open data ------------------------------------------------------------------------------------

def open_data(agency: Agency, fiscal_year: int) -> dict:
    """Everything published for the year, as plain data (JSON-ready: numbers as text)."""
    result = agency.ita_results.filter(year=fiscal_year).prefetch_related("scores").first()
    snapshot = services.year_snapshot(agency, fiscal_year)
    data, published = snapshot if snapshot else (None, None)
    docs = []
    for pub in services.publications(agency):
        if pub.fiscal_year != fiscal_year:
            continue
        for version in pub.versions.all():
            for f in version.files.all():
                docs.append({
                    "title": pub.title, "kind": pub.kind, "round": pub.round, "version": version.number,
                    "published_at": version.published_at.isoformat(), "file": f.name, "sha256": f.sha256,
                    "size": f.size, "url": links.absolute(links.file_path(f)),
                    "verify_url": links.absolute(links.verify_path(f.sha256)),
                })
    return {
        "agency": {"slug": agency.slug, "name": agency.name, "province": agency.province,
                   "district": agency.district, "url": links.absolute(links.agency_path(agency))},
        "fiscal_year": fiscal_year,
        "ita_result": None if result is None else {
            "year": result.year, "total": _text(result.total), "iit": _text(result.iit), "eit": _text(result.eit),
            "oit": _text(result.oit), "grade": result.grade,
            "indicators": {str(s.indicator): _text(s.score) for s in result.scores.all()},
        },
        "measures": [] if data is None else [
            {"order": m.get("order"), "title": m.get("title"), "indicator": m.get("indicator"),
             "guideline": m.get("guideline") or "", "responsible": m.get("responsible") or "",
             "rounds": m.get("rounds") or [],
             "results": [{k: r.get(k) or "" for k in ("round", "details", "period", "outputs", "outcomes", "remarks")}
                         for r in m.get("results") or []]}
            for m in data.get("measures") or []
        ],
        "measures_source": None if published is None else links.absolute(links.version_path(published)),
        "published": docs,
        "oit": [
            {"group": g.title, "code": r.code, "title": r.title, "answer": r.answer, "urls": r.urls,
             "explanation": r.explanation, "url": links.absolute(r.path)}
            for g in _oit_or_empty(agency, fiscal_year) for r in g.items
        ],
    }


def _oit_or_empty(agency: Agency, fiscal_year: int) -> list[OITGroup]:
    try:
        return oit_groups(agency, fiscal_year)
    except Http404:
        return []


def _text(value) -> str | None:
    return None if value is None else f"{value}"


CSV_HEADER = ["section", "code", "title", "round", "value", "url", "sha256"]


def open_data_rows(data: dict) -> list[list]:
    """The open data as one flat table (the CSV): a row per score, measure result, published file and OIT item."""
    rows: list[list] = []
    result = data["ita_result"]
    if result:
        for part in ("total", "iit", "eit", "oit"):
            rows.append(["ita_result", part, part.upper(), "", result[part] or "", "", ""])
        rows.append(["ita_result", "grade", "grade", "", result["grade"], "", ""])
        for no, score in result["indicators"].items():
            rows.append(["ita_indicator", no, "", "", score, "", ""])
    for m in data["measures"]:
        if not m["results"]:
            rows.append(["measure", m["order"], m["title"], "", "", data["measures_source"] or "", ""])
        for r in m["results"]:
            rows.append(["measure", m["order"], m["title"], r["round"], r["outputs"] or r["details"],
                         data["measures_source"] or "", ""])
    for d in data["published"]:
        rows.append(["published", d["file"], d["title"], d["round"] or "", f"v{d['version']}", d["url"], d["sha256"]])
    for item in data["oit"]:
        answer = "" if item["answer"] is None else ("มี" if item["answer"] else "ไม่มี")
        rows.append(["oit", item["code"], item["title"], "", answer, " ".join(item["urls"]) or item["url"], ""])
    return rows
