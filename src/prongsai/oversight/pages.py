"""What the roll-up pages show, assembled from services (no HTML here): the completeness table with a
link behind every figure, the drill-down links, the charts. The same builder serves the oversight
pages and the public overview; only the URLs differ (`Links`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable
from urllib.parse import urlencode

from django.utils.translation import gettext as _

from prongsai.oversight import charts, services


@dataclass
class Cell:
    expected: int
    done: int
    on_time: int | None
    rate: float | None
    on_time_rate: float | None
    done_url: str
    missing_url: str
    on_time_url: str
    late_url: str
    expected_url: str
    missing: int


@dataclass
class TableRow:
    label: str
    agencies: int
    url: str  # the drill-down (or the agency's page)
    cells: list[Cell]
    is_total: bool = False


@dataclass
class Table:
    metrics: list
    rows: list[TableRow]


@dataclass
class Links:
    """URL builders: `page(**params)` the roll-up page itself with other parameters, `agencies(**params)`
    the list of agencies behind a figure, `agency(slug)` one agency's page."""

    page: Callable[..., str]
    agencies: Callable[..., str]
    agency: Callable[[str], str]


def query(**params) -> str:
    clean = {k: v for k, v in params.items() if v not in (None, "")}
    return ("?" + urlencode(clean)) if clean else ""


def drill_params(place: services.Place, row_key: str) -> dict:
    if place.group_by == "province":
        return {"province": row_key}
    if place.group_by == "district":
        return {"province": place.province, "district": row_key}
    return {"province": place.province, "district": place.district}


def table(c: services.Completeness, links: Links) -> Table:
    place = c.place
    rows = []
    for row, is_total in [*((r, False) for r in c.rows), (c.total, True)]:
        params = ({"province": place.province, "district": place.district} if is_total
                  else drill_params(place, row.key))
        if place.group_by == "agency" and not is_total:
            url = links.agency(row.key)
            params = {"province": place.province, "district": place.district, "slug": row.key}
        else:
            url = links.page(year=c.fy, **params) if not is_total else ""
        cells = []
        for m in c.metrics:
            counts = row.counts[m.key]

            def behind(state, m=m, params=params):
                return links.agencies(year=c.fy, metric=m.key, state=state, **params)

            cells.append(Cell(
                expected=counts.expected, done=counts.done, on_time=counts.on_time, rate=counts.rate,
                on_time_rate=counts.on_time_rate, missing=counts.missing,
                done_url=behind("done"), missing_url=behind("missing"), expected_url=behind("expected"),
                on_time_url=behind("on_time") if m.on_time is not None else "",
                late_url=behind("late") if m.on_time is not None else "",
            ))
        rows.append(TableRow(label=row.label, agencies=row.agencies, url=url, cells=cells, is_total=is_total))
    return Table(metrics=c.metrics, rows=rows)


@dataclass
class Charts:
    totals_by_group: str = ""
    totals_by_kind: str = ""
    histogram: str = ""
    indicators: list[tuple[object, str]] = field(default_factory=list)


def charts_for(r: services.Results, place: services.Place, links: Links) -> Charts:
    if not r.scored:
        return Charts()

    def group_link(b):
        if place.group_by == "agency":
            return links.agency(b.key)
        return links.page(year=r.year, **drill_params(place, b.key))

    level = {"province": _("จังหวัด"), "district": _("อำเภอ"), "agency": _("หน่วยงาน")}[place.group_by]
    out = Charts(
        totals_by_group=charts.box_plot(r.by_group, title=_("คะแนนรวม ITA ปี %(year)s ราย%(level)s") % {
            "year": r.year, "level": level}, pass_mark=r.pass_mark, link=group_link)
        if place.group_by != "agency" else "",
        totals_by_kind=charts.box_plot(r.by_kind, title=_("คะแนนรวม ITA ปี %(year)s รายประเภทหน่วยงาน") % {
            "year": r.year}, pass_mark=r.pass_mark),
        histogram=charts.histogram(r.bins, title=_("จำนวนหน่วยงานตามช่วงคะแนนรวม ITA ปี %(year)s") % {"year": r.year}),
    )
    for ind in r.indicators:
        out.indicators.append((ind, charts.histogram(
            ind.bins, title=_("ตัวชี้วัดที่ %(no)s %(name)s: จำนวนหน่วยงานตามช่วงคะแนน") % {"no": ind.no, "name": ind.name},
            height=110)))
    return out


def breadcrumbs(place: services.Place, root_label: str, links: Links, year: int) -> list[tuple[str, str]]:
    crumbs = [(root_label, links.page(year=year))]
    if place.province and place.level == "nation":
        crumbs.append((_("จังหวัด%(name)s") % {"name": place.province}, links.page(year=year, province=place.province)))
    if place.district and place.level != "district":
        crumbs.append((_("อำเภอ%(name)s") % {"name": place.district},
                       links.page(year=year, province=place.province, district=place.district)))
    return crumbs
