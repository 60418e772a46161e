"""The roll-up of a scope: completeness (DHIS2-style reporting rates) and ITA results, each table one SQL
query (or a fixed small number), whatever the number of agencies.

Completeness: for each document of a fiscal year (`metrics`), per group of agencies (the next level of
the drill-down: province → district → agency) the number *expected* (agencies that owe it), *done* and
*on time* (done by its due date, `deadlines`). Every figure is a conditional COUNT over the agencies of
the scope, each condition an EXISTS on the document's table, so a table is one grouped query.
`agencies_behind` lists the agencies behind any figure.

Results (`results`): the stored final totals of assessments.ITAResult (kept by recompute_totals) and the
indicator scores, grouped in SQL; box-plot figures are computed from the one list of totals.

`public=True` keeps only what the public portal shows: published documents, OIT answers, ITA results.
"""

from __future__ import annotations

import datetime as dt
import statistics as pystats
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection
from django.db.models import (
    Avg, CharField, Count, Exists, F, FilteredRelation, Max, OuterRef, Q,
)
from django.db.models.functions import Cast, Floor
from django.utils.translation import gettext as _

from prongsai.agencies.models import Agency
from prongsai.assessments.models import IndicatorScore, ITAResult
from prongsai.audit.models import AuditEntry
from prongsai.framework.catalogue import UnknownFrameworkYear, get_framework
from prongsai.lib import fiscal, thai
from prongsai.measures.models import YearPlan
from prongsai.memos.models import Memo, Signer
from prongsai.oit.models import LinkCheck, OITAnswer
from prongsai.oversight import deadlines
from prongsai.portal.models import Publication, PublishedVersion

ROUNDS = (6, 12)  # the rounds every agency reports on (LAO rules); others are optional
STATES = ("expected", "done", "missing", "on_time", "late")
LEVELS = ("nation", "province", "district", "agency")


# --- the documents of a year ------------------------------------------------------------------------

@dataclass(frozen=True)
class Metric:
    key: str
    label: str
    period: str
    due: dt.date | None
    done: Q
    on_time: Q | None = None
    expected: Q | None = None  # None: every agency of the group
    public: bool = False
    note: str = ""


def _having(agency_ids, within: Q | None = None) -> Q:
    """Agencies whose id is in `agency_ids` (a queryset of values("...agency_id")). Not correlated: the
    database reads the set once (PostgreSQL: a hashed SubPlan; SQLite: an ephemeral index) and probes it
    per agency, so a figure costs one pass over the document's rows, not one lookup per agency (the
    correlated EXISTS it replaces took 8-10 s at 8,300 agencies). `within` (the place's filter on Agency)
    narrows the set to the place's agencies, so a district or one agency reads only its own rows."""
    if within is not None and within.children:
        path = agency_ids._fields[0].removesuffix("_id")
        agency_ids = agency_ids.filter(_on(path + "__", within))
    return Q(pk__in=agency_ids)


def _memo_agencies(fy: int, kind: str, **filters):
    return Memo.objects.filter(plan__fiscal_year=fy, kind=kind, **filters).values("plan__agency_id")


def _approved_by(fy: int, kind: str, due: dt.date, within: Q | None = None, **filters) -> Q:
    """Approved, and no approver signed after the due day (or without a date)."""
    memo = {"memo__plan__fiscal_year": fy, "memo__kind": kind, "memo__status": Memo.Status.APPROVED,
            **{f"memo__{k}": v for k, v in filters.items()}}
    late = Signer.objects.filter(role=Signer.Role.APPROVER, **memo).filter(
        Q(signed_on__gt=due) | Q(signed_on__isnull=True)).values("memo__plan__agency_id")
    approved = _memo_agencies(fy, kind, status=Memo.Status.APPROVED, **filters)
    return _having(approved, within) & ~_having(late, within)


def plan_approved_q(fy: int, within: Q | None = None) -> tuple[Q, Q]:
    """(done, on time) of the year's plan memo (memos.Memo kind "plan"): approved by its chain."""
    return (_having(_memo_agencies(fy, Memo.Kind.PLAN, status=Memo.Status.APPROVED), within),
            _approved_by(fy, Memo.Kind.PLAN, deadlines.plan_approved(fy), within))


def plan_published_q(fy: int, within: Q | None = None) -> tuple[Q, Q]:
    """(done, on time) of the plan on the portal: a published version of the plan memo's (or its
    announcement's) frozen report."""
    published = PublishedVersion.objects.filter(
        report_version__memo__plan__fiscal_year=fy,
        report_version__memo__kind__in=[Memo.Kind.PLAN, Memo.Kind.ANNOUNCEMENT])
    due = deadlines.end_of(deadlines.plan_published(fy))
    return (_having(published.values("publication__agency_id"), within),
            _having(published.filter(published_at__lt=due).values("publication__agency_id"), within))


def _families() -> list[str]:
    return list(Agency.Family.values)


def _framework(fy: int, family: str):
    """The catalogue of (fy, family), None when there is none; remembered for the rest of the request
    (cleared by `forget_catalogues`, called at the start of each roll-up)."""
    key = (fy, family)
    if key not in _CATALOGUES:
        try:
            _CATALOGUES[key] = get_framework(fy, family)
        except UnknownFrameworkYear:
            _CATALOGUES[key] = None
    return _CATALOGUES[key]


_CATALOGUES: dict = {}


def forget_catalogues() -> None:
    _CATALOGUES.clear()


def _codes(items) -> list[str]:
    codes = [item.code for item in items]
    return sorted(set(codes) | {c.upper() for c in codes})


def oit_q(fy: int, within: Q | None = None) -> tuple[Q, Q, Q]:
    """(expected, done, on time) of the OIT checklist: every item of the catalogue of (fy, family)
    answered (มี or ไม่มี). Families whose catalogue lists no items (a provisional year) expect nothing."""
    expected, done, on_time = Q(pk__in=[]), Q(pk__in=[]), Q(pk__in=[])
    due = deadlines.end_of(deadlines.oit(fy))
    for family in _families():
        framework = _framework(fy, family)
        if framework is None or not framework.oit_items:
            continue
        codes, n = _codes(framework.oit_items), len(framework.oit_items)
        answered = OITAnswer.objects.filter(fiscal_year=fy, code__in=codes, has__isnull=False)

        def complete(qs, n=n):  # agencies with at least n answered items: one GROUP BY ... HAVING
            return qs.order_by().values("agency_id").annotate(c=Count("pk")).filter(c__gte=n).values("agency_id")

        expected |= Q(family=family)
        done |= Q(family=family) & _having(complete(answered), within)
        on_time |= Q(family=family) & _having(complete(answered.filter(updated_at__lt=due)), within)
    return expected, done, on_time


def complaint_stats_q(fy: int, within: Q | None = None) -> tuple[Q, Q, Q]:
    """(expected, done, on time) of the complaint statistics: the OIT item that the catalogue says
    Prongsai fills with them (produces "complaints_statistics") answered มี."""
    expected, done, on_time = Q(pk__in=[]), Q(pk__in=[]), Q(pk__in=[])
    due = deadlines.end_of(deadlines.oit(fy))
    for family in _families():
        framework = _framework(fy, family)
        items = framework.items_producing("complaints_statistics") if framework else []
        if not items:
            continue
        answers = OITAnswer.objects.filter(fiscal_year=fy, code__in=_codes(items), has=True)
        expected |= Q(family=family)
        done |= Q(family=family) & _having(answers.values("agency_id"), within)
        on_time |= Q(family=family) & _having(answers.filter(updated_at__lt=due).values("agency_id"), within)
    return expected, done, on_time


def broken_links_q(fy: int, within: Q | None = None) -> tuple[Q, Q]:
    """(expected, done) of the link check: agencies whose OIT links were checked, and those of them
    whose newest check of every URL is not "broken"."""
    checks = LinkCheck.objects.filter(answer__fiscal_year=fy)
    newer = LinkCheck.objects.filter(answer=OuterRef("answer"), url=OuterRef("url"), checked_at__gt=OuterRef("checked_at"))
    broken = checks.filter(status=LinkCheck.Status.BROKEN).filter(~Exists(newer))
    return (_having(checks.values("answer__agency_id"), within),
            ~_having(broken.values("answer__agency_id"), within))


def metrics(fy: int, *, public: bool = False, within: Q | None = None) -> list[Metric]:
    """The documents of fiscal year `fy`, in the order of the work; `within`: the filter on Agency of the
    place the figures are for (only narrows what the database reads; the figures are the same)."""
    forget_catalogues()  # a catalogue version may have moved since the last call
    out: list[Metric] = []
    year_period = _("ปีงบประมาณ %(year)s") % {"year": fy}
    if not public:
        plans = YearPlan.objects.filter(fiscal_year=fy)
        created = AuditEntry.objects.filter(object_type="measures.yearplan",
                                            created_at__lt=deadlines.end_of(deadlines.year_started(fy)))
        early = plans.annotate(key=Cast("pk", CharField())).filter(key__in=created.values("object_id"))
        out.append(Metric("year_started", _("เริ่มงานปี (มีข้อมูลปีงบประมาณ)"), year_period,
                          deadlines.year_started(fy), _having(plans.values("agency_id"), within),
                          _having(early.values("agency_id"), within)))
        done, on_time = plan_approved_q(fy, within)
        out.append(Metric("plan_approved", _("มาตรการได้รับอนุมัติ"), year_period, deadlines.plan_approved(fy),
                          done, on_time))
    done, on_time = plan_published_q(fy, within)
    out.append(Metric("plan_published", _("เผยแพร่มาตรการ"), year_period, deadlines.plan_published(fy),
                      done, on_time, public=True))
    for months in ROUNDS:
        period = fiscal.round_of(fy, months).label(thai.ARABIC)
        due = deadlines.round_report(fy, months)
        if not public:
            signed = _memo_agencies(fy, Memo.Kind.ROUND, round=months, status=Memo.Status.APPROVED)
            out.append(Metric(f"round{months}_signed", _("รายงานผลรอบ %(m)s เดือน ลงนามแล้ว") % {"m": months},
                              period, due, _having(signed, within),
                              _approved_by(fy, Memo.Kind.ROUND, due, within, round=months)))
        published = PublishedVersion.objects.filter(
            publication__kind=Publication.Kind.ROUND_REPORT, publication__fiscal_year=fy, publication__round=months)
        out.append(Metric(f"round{months}_published", _("รายงานผลรอบ %(m)s เดือน เผยแพร่แล้ว") % {"m": months},
                          period, due, _having(published.values("publication__agency_id"), within),
                          _having(published.filter(published_at__lt=deadlines.end_of(due))
                                  .values("publication__agency_id"), within), public=True))
    expected, done, on_time = oit_q(fy, within)
    out.append(Metric("oit_answered", _("ตอบแบบตรวจ OIT ครบทุกข้อ"), year_period, deadlines.oit(fy), done, on_time,
                      expected=expected, public=True))
    if not public:
        expected, done = broken_links_q(fy, within)
        out.append(Metric("links_ok", _("ลิงก์ OIT ไม่มีลิงก์เสีย (ที่ตรวจแล้ว)"), year_period, None, done,
                          expected=expected, note=_("ขาด = หน่วยงานที่มีลิงก์เสีย")))
    expected, done, on_time = complaint_stats_q(fy, within)
    out.append(Metric("complaint_stats", _("เผยแพร่สถิติเรื่องร้องเรียน"), year_period, deadlines.oit(fy), done,
                      on_time, expected=expected, public=True))
    return out


def metric(fy: int, key: str, *, public: bool = False, within: Q | None = None) -> Metric | None:
    return next((m for m in metrics(fy, public=public, within=within) if m.key == key), None)


# --- the drill-down -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Place:
    """Where in the drill-down a page is: the scope's agencies, narrowed to a province and a district."""

    base: Q  # the scope's agencies
    province: str = ""
    district: str = ""
    level: str = "nation"  # the scope's own level

    @property
    def q(self) -> Q:
        q = self.base
        if self.province:
            q &= Q(province=self.province)
        if self.district:
            q &= Q(district=self.district)
        return q

    @property
    def group_by(self) -> str:
        """The next level down: what the rows of a table are."""
        if self.district or self.level == "district":
            return "agency"
        if self.province or self.level == "province":
            return "district"
        return "province"

    def agencies(self):
        return Agency.objects.filter(self.q)


@dataclass
class Counts:
    expected: int = 0
    done: int = 0
    on_time: int | None = 0

    @property
    def missing(self) -> int:
        return self.expected - self.done

    @property
    def rate(self) -> float | None:
        return None if not self.expected else 100 * self.done / self.expected

    @property
    def on_time_rate(self) -> float | None:
        return None if not self.expected or self.on_time is None else 100 * self.on_time / self.expected


@dataclass
class Row:
    key: str  # province / district name, or agency slug
    label: str
    agencies: int
    counts: dict[str, Counts] = field(default_factory=dict)


@dataclass
class Completeness:
    fy: int
    place: Place
    metrics: list[Metric]
    rows: list[Row]
    total: Row


def _group_fields(place: Place) -> list[str]:
    return ["slug", "name"] if place.group_by == "agency" else [place.group_by]


def completeness(place: Place, fy: int, *, public: bool = False) -> Completeness:
    """The completeness table: one grouped query over the agencies of the place."""
    ms = metrics(fy, public=public, within=place.q)
    aggregates = {"n": Count("pk")}
    for m in ms:
        expected = m.expected if m.expected is not None else Q()
        aggregates[f"{m.key}__e"] = Count("pk", filter=expected) if m.expected is not None else Count("pk")
        aggregates[f"{m.key}__d"] = Count("pk", filter=expected & m.done)
        if m.on_time is not None:
            aggregates[f"{m.key}__t"] = Count("pk", filter=expected & m.on_time)
    fields = _group_fields(place)
    query = place.agencies().values(*fields).annotate(**aggregates).order_by(*fields)
    total = Row(key="", label=_("รวม"), agencies=0, counts={m.key: Counts(on_time=0 if m.on_time is not None else None)
                                                            for m in ms})
    rows = []
    for values in query:
        key = values["slug"] if place.group_by == "agency" else values[place.group_by]
        label = values["name"] if place.group_by == "agency" else (values[place.group_by] or _("(ไม่ระบุ)"))
        row = Row(key=key or "", label=label, agencies=values["n"])
        total.agencies += values["n"]
        for m in ms:
            c = Counts(values[f"{m.key}__e"], values[f"{m.key}__d"], values.get(f"{m.key}__t"))
            row.counts[m.key] = c
            t = total.counts[m.key]
            t.expected += c.expected
            t.done += c.done
            if t.on_time is not None:
                t.on_time += c.on_time or 0
        rows.append(row)
    return Completeness(fy=fy, place=place, metrics=ms, rows=rows, total=total)


def agencies_behind(place: Place, fy: int, key: str, state: str, *, public: bool = False):
    """The agencies behind one figure of the completeness table (a queryset, ordered by name);
    None when the document or state is unknown."""
    m = metric(fy, key, public=public, within=place.q)
    if m is None or state not in STATES:
        return None
    expected = m.expected if m.expected is not None else Q()
    q = {
        "expected": expected,
        "done": expected & m.done,
        "missing": expected & ~m.done,
        "on_time": (expected & m.on_time) if m.on_time is not None else None,
        "late": (expected & m.done & ~m.on_time) if m.on_time is not None else None,
    }[state]
    if q is None:
        return None
    return place.agencies().filter(q).order_by("name", "pk")


def agency_status(agency: Agency, fy: int, *, public: bool = False) -> list[tuple[Metric, dict]]:
    """One agency's documents of the year: [(metric, {"expected", "done", "on_time"})], one query."""
    ms = metrics(fy, public=public, within=Q(pk=agency.pk))
    aggregates = {}
    for m in ms:
        expected = m.expected if m.expected is not None else Q()
        aggregates[f"{m.key}__e"] = Count("pk", filter=expected)
        aggregates[f"{m.key}__d"] = Count("pk", filter=expected & m.done)
        if m.on_time is not None:
            aggregates[f"{m.key}__t"] = Count("pk", filter=expected & m.on_time)
    values = Agency.objects.filter(pk=agency.pk).aggregate(**aggregates)
    return [(m, {"expected": bool(values[f"{m.key}__e"]), "done": bool(values[f"{m.key}__d"]),
                 "on_time": bool(values[f"{m.key}__t"]) if m.on_time is not None else None}) for m in ms]


# --- ITA results ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Box:
    label: str
    key: str
    n: int
    low: Decimal | None = None
    q1: Decimal | None = None
    median: Decimal | None = None
    q3: Decimal | None = None
    high: Decimal | None = None
    mean: Decimal | None = None


def box(label: str, key: str, values: list[Decimal]) -> Box:
    """Minimum, quartiles (the "inclusive" method), maximum and mean of the values."""
    if not values:
        return Box(label, key, 0)
    values = sorted(values)
    if len(values) == 1:
        v = values[0]
        return Box(label, key, 1, v, v, v, v, v, v)
    q1, median, q3 = pystats.quantiles(values, n=4, method="inclusive")
    q = Decimal("0.01")
    mean = sum(values) / len(values)
    return Box(label, key, len(values), values[0], Decimal(q1).quantize(q), Decimal(median).quantize(q),
               Decimal(q3).quantize(q), values[-1], Decimal(mean).quantize(q))


@dataclass
class IndicatorRow:
    no: int
    name: str
    n: int
    mean: Decimal | None
    low: Decimal | None
    high: Decimal | None
    below: int  # scores under the pass mark
    bins: list[int] = field(default_factory=lambda: [0] * 10)  # 0-9.99, 10-19.99, ..., 90-100
    by_group: dict[str, Decimal] = field(default_factory=dict)
    by_kind: dict[str, Decimal] = field(default_factory=dict)


@dataclass
class ChangeRow:
    key: str
    label: str
    n: int
    mean: Decimal | None
    previous_mean: Decimal | None
    paired: int
    up: int
    down: int

    @property
    def change(self) -> Decimal | None:
        if self.mean is None or self.previous_mean is None:
            return None
        return (self.mean - self.previous_mean).quantize(Decimal("0.01"))


@dataclass
class Results:
    year: int
    pass_mark: Decimal | None
    scored: int
    passed: int
    overall: Box
    bins: list[int]  # totals in 5-point bins: 0-4.99 ... 95-100
    by_group: list[Box]
    by_kind: list[Box]
    ratings: list[tuple[str, int]]
    indicators: list[IndicatorRow]
    change: list[ChangeRow]
    kinds: list[tuple[str, str]]  # (kind, label) present
    groups: list[tuple[str, str]]  # (key, label) present

    @property
    def weakest(self) -> list[IndicatorRow]:
        scored = [i for i in self.indicators if i.mean is not None]
        return sorted(scored, key=lambda i: (i.mean, i.no))[:5]


def _result_group(place: Place) -> str:
    return "agency__slug" if place.group_by == "agency" else f"agency__{place.group_by}"


def _on(prefix: str, q: Q) -> Q:
    """The filter `q` on Agency as a filter on a relation to it ("agency__", "result__agency__"), so the
    database joins the agency once instead of testing `agency_id IN (SELECT ...)`."""
    out = Q()
    out.connector, out.negated = q.connector, q.negated
    out.children = [_on(prefix, c) if isinstance(c, Q) else (prefix + c[0], c[1]) for c in q.children]
    return out


def _sql(qs) -> tuple[str, list]:
    sql, params = qs.query.sql_with_params()
    return sql, list(params)


def _exact(value) -> Decimal | None:
    """A score read by a bare cursor (PostgreSQL: Decimal; SQLite: float or int) as the Decimal stored."""
    if value is None or isinstance(value, Decimal):
        return value
    return Decimal(repr(round(value, 2) if isinstance(value, float) else value)).quantize(Decimal("0.01"))


def _quartile_columns(index: str, count: str) -> str:
    """For Q1..Q3 with the "inclusive" method (statistics.quantiles; PostgreSQL's percentile_cont): the two
    sorted values each lies between, picked by ROW_NUMBER position (exact, and the same SQL on SQLite)."""
    cols = []
    for k in (1, 2, 3):
        at = f"(({count} - 1) * {k}) / 4"
        cols.append(f"MAX(CASE WHEN {index} = {at} THEN v END), MAX(CASE WHEN {index} = {at} + 1 THEN v END)")
    return ", ".join(cols)


def _boxes_sql(base: str) -> str:
    """One statement for every box of the results: per group, per kind and overall, the count, minimum,
    maximum, sum, passed count and the values around each quartile (window functions, no row to Python)."""
    parts = []
    for part, key, label, index, count in (("g", "g", "MAX(lbl)", "ig", "ng"), ("k", "k", "NULL", "ik", "nk"),
                                           ("o", "NULL", "NULL", "io", "nt")):
        group = f" GROUP BY {key}" if key != "NULL" else ""
        parts.append(f"SELECT '{part}' AS part, {key} AS gk, {label} AS gl, COUNT(*), MIN(v), MAX(v), SUM(v), "
                     f"SUM(CASE WHEN p THEN 1 ELSE 0 END), {_quartile_columns(index, count)} FROM w{group}")
    return (f"WITH t AS ({base}), w AS (SELECT g, lbl, k, v, p, "
            "ROW_NUMBER() OVER (PARTITION BY g ORDER BY v) - 1 AS ig, COUNT(*) OVER (PARTITION BY g) AS ng, "
            "ROW_NUMBER() OVER (PARTITION BY k ORDER BY v) - 1 AS ik, COUNT(*) OVER (PARTITION BY k) AS nk, "
            "ROW_NUMBER() OVER (ORDER BY v) - 1 AS io, COUNT(*) OVER () AS nt FROM t) "
            + " UNION ALL ".join(parts))


def _box_from_row(label: str, key: str, row) -> tuple[Box, int]:
    """(the Box, the passed count) of one row of _boxes_sql."""
    n, low, high, total, passed = int(row[3]), _exact(row[4]), _exact(row[5]), row[6], int(row[7] or 0)
    if not n:
        return Box(label, key, 0), 0
    if n == 1:
        return Box(label, key, 1, low, low, low, low, low, low), passed or 0
    q = Decimal("0.01")
    quartiles = []
    for k in (1, 2, 3):
        below, above = _exact(row[8 + 2 * (k - 1)]), _exact(row[9 + 2 * (k - 1)])
        delta = ((n - 1) * k) % 4
        quartiles.append(((below * (4 - delta) + above * delta) / 4).quantize(q))
    return Box(label, key, n, low, *quartiles, high, _mean(total, n)), passed or 0


def _indicators_sql(base: str, base_params: list, pass_mark: Decimal | None) -> tuple[str, list]:
    """One statement for the indicator figures: per indicator overall, per 10-point bin, per group and per
    kind, each (count, sum, min, max, below the pass mark). The scores are first summed per (indicator,
    group, kind, bin), one pass; the four groupings then add up those few rows (PostgreSQL: GROUPING
    SETS; SQLite: UNION ALL). Summing numerics once instead of four times is 3 times faster."""
    below = "SUM(CASE WHEN s < %s THEN 1 ELSE 0 END)" if pass_mark is not None else "0"
    params = [pass_mark] if pass_mark is not None else []
    pre = (f"SELECT i, g, k, CAST(FLOOR(s / 10) AS INTEGER) AS b, COUNT(*) AS n, SUM(s) AS total, MIN(s) AS lo, "
           f"MAX(s) AS hi, {below} AS below FROM ({base}) t GROUP BY i, g, k, CAST(FLOOR(s / 10) AS INTEGER)")
    sums = "SUM(n), SUM(total), MIN(lo), MAX(hi), SUM(below)"
    if connection.vendor == "postgresql":
        sql = (f"SELECT CASE GROUPING(b, g, k) WHEN 7 THEN 'o' WHEN 3 THEN 'b' WHEN 5 THEN 'g' ELSE 'k' END, "
               f"i, COALESCE(CAST(b AS VARCHAR), g, k), {sums} FROM ({pre}) p "
               "GROUP BY GROUPING SETS ((i), (i, b), (i, g), (i, k))")
    else:
        sql = (f"WITH p AS ({pre}) SELECT 'o', i, NULL, {sums} FROM p GROUP BY i "
               f"UNION ALL SELECT 'b', i, CAST(b AS VARCHAR(4)), {sums} FROM p GROUP BY i, b "
               f"UNION ALL SELECT 'g', i, g, {sums} FROM p GROUP BY i, g "
               f"UNION ALL SELECT 'k', i, k, {sums} FROM p GROUP BY i, k")
    return sql, params + base_params


def _mean(total, n: int) -> Decimal | None:
    if not n or total is None:
        return None
    total = total if isinstance(total, Decimal) else Decimal(repr(round(total, 2)))
    return (total / n).quantize(Decimal("0.01"))


def results(place: Place, year: int) -> Results:
    """The ITA results of `year` in the place: five queries whatever the number of agencies, each an
    aggregate in SQL (the box plots' quartiles by window functions); only grouped rows reach Python."""
    group = _result_group(place)
    in_place = _on("agency__", place.q)
    scope = ITAResult.objects.filter(in_place, year=year)
    try:
        framework = get_framework(year)
    except UnknownFrameworkYear:
        framework = None
    pass_mark = framework.pass_mark if framework else None
    names = {i.no: i.name for i in framework.indicators} if framework else {}
    kind_labels = {k: str(v) for k, v in Agency.Kind.choices}
    agency_level = group == "agency__slug"

    # 1. the boxes: per group, per kind, overall (one statement)
    totals = scope.filter(final_total__isnull=False).order_by().values(
        g=F(group), lbl=F("agency__name") if agency_level else F(group), k=F("agency__kind"), v=F("final_total"),
        p=F("passed"))
    base, params = _sql(totals)
    by_group_rows, by_kind_rows, overall_row = {}, {}, None
    with connection.cursor() as cursor:
        cursor.execute(_boxes_sql(base), params)
        for row in cursor.fetchall():
            if row[0] == "g":
                by_group_rows[row[1] or ""] = row
            elif row[0] == "k":
                by_kind_rows[row[1]] = row
            else:
                overall_row = row
    group_labels = {key: (row[2] if agency_level else (key or _("(ไม่ระบุ)"))) for key, row in by_group_rows.items()}
    overall, passed = _box_from_row(_("ทั้งหมด"), "", overall_row) if overall_row else (Box(_("ทั้งหมด"), "", 0), 0)

    # 2. totals in 5-point bins
    bins = [0] * 20
    for b, n in (scope.filter(final_total__isnull=False).order_by().annotate(bin=Floor(F("final_total") / 5))
                 .values_list("bin").annotate(n=Count("pk"))):
        bins[min(int(b), 19)] += n

    # 3. ratings
    ratings = list(scope.exclude(rating="").order_by().values_list("rating").annotate(n=Count("pk")).order_by("-n"))

    # 4. indicators: overall figures, 10-point bins, means by group and by kind (one statement)
    scores = IndicatorScore.objects.filter(_on("result__agency__", place.q), result__year=year).order_by().values(
        i=F("indicator"), s=F("score"), g=F(f"result__{group}"), k=F("result__agency__kind"))
    base, params = _sql(scores)
    sql, params = _indicators_sql(base, params, pass_mark)
    indicators: dict[int, IndicatorRow] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    for part, no, key, n, total, low, high, below in sorted(rows, key=lambda r: r[0] != "o"):
        n, below = int(n), int(below or 0)  # PostgreSQL's SUM of integers is a numeric
        if part == "o":
            indicators[no] = IndicatorRow(no=no, name=names.get(no, ""), n=n, mean=_mean(total, n), low=_exact(low),
                                          high=_exact(high), below=below or 0)
        elif no not in indicators:
            continue
        elif part == "b":
            indicators[no].bins[min(int(key), 9)] += n
        elif part == "g":
            indicators[no].by_group[key or ""] = _mean(total, n)
        else:
            indicators[no].by_kind[key] = _mean(total, n)
    indicators = dict(sorted(indicators.items()))

    # 5. change from the previous year, per group (the same agencies' results, joined)
    change_rows = []
    for r in (scope.annotate(prev=FilteredRelation("agency__ita_results", condition=Q(agency__ita_results__year=year - 1)))
              .order_by().values(group).annotate(
                  n=Count("pk", filter=Q(final_total__isnull=False)), mean=Avg("final_total"),
                  previous_mean=Avg("prev__final_total"),
                  paired=Count("pk", filter=Q(final_total__isnull=False, prev__final_total__isnull=False)),
                  up=Count("pk", filter=Q(final_total__gt=F("prev__final_total"))),
                  down=Count("pk", filter=Q(final_total__lt=F("prev__final_total"))))
              .order_by(group)):
        key = r[group] or ""
        change_rows.append(ChangeRow(key=key, label=group_labels.get(key, key or _("(ไม่ระบุ)")), n=r["n"],
                                     mean=_dec(r["mean"]), previous_mean=_dec(r["previous_mean"]),
                                     paired=r["paired"], up=r["up"], down=r["down"]))

    groups = sorted(group_labels.items(), key=lambda kv: kv[1])
    kinds = [(k, kind_labels.get(k, k)) for k in sorted(by_kind_rows, key=lambda k: list(kind_labels).index(k)
                                                           if k in kind_labels else 99)]
    return Results(
        year=year, pass_mark=pass_mark, scored=overall.n, passed=passed, overall=overall, bins=bins,
        by_group=[_box_from_row(label, key, by_group_rows[key])[0] for key, label in groups],
        by_kind=[_box_from_row(label, k, by_kind_rows[k])[0] for k, label in kinds],
        ratings=ratings, indicators=list(indicators.values()), change=change_rows, kinds=kinds, groups=groups,
    )


def _dec(value) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.01"))


def default_year(place: Place) -> int:
    """The newest fiscal year the place has work or results for, not after the current one."""
    from django.utils import timezone

    current = fiscal.of_date(timezone.localdate())
    newest = YearPlan.objects.filter(agency__in=place.agencies().values("pk"), fiscal_year__lte=current).aggregate(
        y=Max("fiscal_year"))["y"]
    return newest or current


def newest_result_year(place: Place, fy: int) -> int | None:
    """The newest year up to `fy` with ITA results in the place (an index walk on (year, final_total))."""
    return ITAResult.objects.filter(_on("agency__", place.q), year__lte=fy).aggregate(y=Max("year"))["y"]


def years_with_results(place: Place) -> list[int]:
    return sorted(set(ITAResult.objects.filter(agency__in=place.agencies().values("pk")).order_by()
                      .values_list("year", flat=True).distinct()), reverse=True)


__all__ = ["Completeness", "Counts", "Metric", "Place", "Results", "Row", "agencies_behind", "agency_status",
           "box", "completeness", "default_year", "metrics", "plan_approved_q", "plan_published_q", "results"]
