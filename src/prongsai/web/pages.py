"""What the agency and year pages show, assembled from the models and the ITA scoring rules.

No HTML here and no digit formatting: templates do that through the `thai` filters. The few
sentences built here (notes on uncertain framework facts) are translated and get the agency's digits.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from prongsai.agencies.models import Agency
from prongsai.assessments.models import ITAResult
from prongsai.assessments.services import Evaluation, Gap, evaluate, gap_analysis
from prongsai.framework.catalogue import Framework, UnknownFrameworkYear, get_framework
from prongsai.lib import fiscal, thai
from prongsai.measures.models import Measure, RoundResult, YearPlan
from prongsai.memos.models import Memo


def framework_for(year: int) -> Framework | None:
    """The ITA framework of a year, or None when Prongsai ships none for it."""
    try:
        return get_framework(year)
    except UnknownFrameworkYear:
        return None


@dataclass(frozen=True)
class ResultView:
    """One ITA result with what the year's rules make of it (None when the year has no framework)."""

    result: ITAResult
    framework: Framework | None
    scores: dict[int, Decimal]
    evaluation: Evaluation | None

    def _value(self, name: str) -> Decimal | None:
        return getattr(self.evaluation if self.evaluation else self.result, name)

    @property
    def iit(self) -> Decimal | None:
        return self._value("iit")

    @property
    def eit(self) -> Decimal | None:
        return self._value("eit")

    @property
    def oit(self) -> Decimal | None:
        return self._value("oit")

    @property
    def total(self) -> Decimal | None:
        return self._value("total")

    @property
    def grade(self) -> str:
        return self.evaluation.grade if self.evaluation else self.result.grade


def result_view(result: ITAResult) -> ResultView:
    """Expects `result.scores` prefetched when called in a loop."""
    scores = {s.indicator: s.score for s in result.scores.all()}
    framework = framework_for(result.year)
    evaluation = None
    if framework is not None:
        evaluation = evaluate(
            framework=framework, indicators=scores, iit=result.iit, eit=result.eit, oit=result.oit,
            total=result.total, grade=result.grade,
        )
    return ResultView(result=result, framework=framework, scores=scores, evaluation=evaluation)


def uncertain_notes(framework: Framework, style: str) -> list[str]:
    """The framework facts of the year that no primary source confirms and that change what the page
    shows (the rating bands, the weights behind computed totals, the pass mark, the indicator list)."""
    year = thai.digits(framework.year, style)
    notes = []
    if framework.provisional:
        notes.append(_("เกณฑ์ ITA ปี %(year)s เป็นข้อมูลเบื้องต้น อาจเปลี่ยนแปลงเมื่อสำนักงาน ป.ป.ช. ประกาศคู่มือ") % {"year": year})
    if "year" in framework.uncertain_fields:
        notes.append(_("ข้อมูลเกณฑ์ ITA ปี %(year)s ส่วนใหญ่ยังไม่ได้รับการยืนยันจากแหล่งข้อมูลหลัก") % {"year": year})
        return notes
    checks = (
        ("rating", _("ช่วงคะแนนของระดับผลการประเมินปี %(year)s ยังไม่ได้รับการยืนยัน ระดับที่คำนวณได้จึงเป็นการประมาณ")),
        ("weights", _("น้ำหนักของ IIT / EIT / OIT ปี %(year)s ยังไม่ได้รับการยืนยัน คะแนนรวมที่คำนวณได้จึงเป็นการประมาณ")),
        ("pass_mark", _("เกณฑ์ผ่านของปี %(year)s ยังไม่ได้รับการยืนยัน")),
        ("indicators", _("รายชื่อตัวชี้วัดของปี %(year)s ยังไม่ได้รับการยืนยัน")),
    )
    notes.extend(text % {"year": year} for name, text in checks if framework.is_uncertain(name))
    return notes


@dataclass(frozen=True)
class ScoreRow:
    indicator: int
    name: str
    instrument: str
    score: Decimal | None
    below: bool


def score_rows(view: ResultView) -> list[ScoreRow]:
    """Every indicator of the result's year, with its score where the result has one."""
    framework = view.framework
    if framework is None:
        return [ScoreRow(no, "", "", score, False) for no, score in sorted(view.scores.items())]
    return [
        ScoreRow(
            indicator=ind.no, name=ind.name, instrument=ind.instrument, score=view.scores.get(ind.no),
            below=view.scores.get(ind.no) is not None and view.scores[ind.no] < framework.pass_mark,
        )
        for ind in framework.indicators
    ]


# The bar chart: geometry in SVG user units. Coordinates are plain strings so that no locale
# formatting touches them in the template.
CHART_WIDTH = 640
CHART_HEIGHT = 300
_LEFT, _RIGHT, _TOP, _BOTTOM = 44, 84, 16, 34
# A bar at least this many points tall carries its score inside, at its foot: far from the pass line.
_INSIDE_MIN = 10
_GRID = (0, 25, 50, 75, 100)


def _num(value: float) -> str:
    return f"{value:.1f}"


@dataclass(frozen=True)
class Bar:
    indicator: int
    name: str
    score: Decimal
    below: bool
    x: str
    y: str
    width: str
    height: str
    center: str
    label_y: str
    label_inside: bool


@dataclass(frozen=True)
class Chart:
    bars: list[Bar]
    pass_mark: Decimal
    pass_y: str
    grid: list[tuple[int, str]]
    width: int = CHART_WIDTH
    height: int = CHART_HEIGHT
    left: str = _num(_LEFT)
    right: str = _num(CHART_WIDTH - _RIGHT)
    axis_label_x: str = _num(_LEFT - 6)
    pass_label_x: str = _num(CHART_WIDTH - _RIGHT + 6)
    baseline: str = _num(CHART_HEIGHT - _BOTTOM)
    tick_y: str = _num(CHART_HEIGHT - _BOTTOM + 20)


def _y(value) -> float:
    plot = CHART_HEIGHT - _TOP - _BOTTOM
    return _TOP + (100 - float(value)) / 100 * plot


def bar_chart(rows: list[ScoreRow], pass_mark: Decimal) -> Chart | None:
    scored = [row for row in rows if row.score is not None]
    if not scored:
        return None
    slot = (CHART_WIDTH - _LEFT - _RIGHT) / len(scored)
    width = slot * 0.78
    bars = []
    for index, row in enumerate(scored):
        x = _LEFT + slot * index + (slot - width) / 2
        top = _y(row.score)
        inside = row.score >= _INSIDE_MIN
        bars.append(Bar(
            indicator=row.indicator, name=row.name, score=row.score, below=row.below,
            x=_num(x), y=_num(top), width=_num(width), height=_num(_y(0) - top),
            center=_num(x + width / 2), label_y=_num(_y(0) - 8 if inside else top - 4), label_inside=inside,
        ))
    return Chart(bars=bars, pass_mark=pass_mark, pass_y=_num(_y(pass_mark)),
                 grid=[(value, _num(_y(value))) for value in _GRID])


@dataclass(frozen=True)
class GapRow:
    indicator: int | None
    name: str
    score: Decimal | None
    lost: Decimal | None


@dataclass(frozen=True)
class Analysis:
    based_on: int
    urgent: list[GapRow]
    improve: list[GapRow]
    stated: bool  # the agency stated it in its year file rather than letting it be computed


def _stated_row(item, framework: Framework | None, scores: dict[int, Decimal]) -> GapRow:
    number = item if isinstance(item, int) else item.get("indicator")
    label = "" if isinstance(item, int) else (item.get("label") or "")
    name = label
    if not name and framework is not None and number in framework.indicator_numbers:
        name = framework.indicator(number).name
    score = scores.get(number)
    lost = None
    if score is not None and framework is not None and score < framework.pass_mark:
        lost = framework.pass_mark - score
    return GapRow(indicator=number, name=name, score=score, lost=lost)


def analysis_for(
    plan: YearPlan, *, based_on: int, view: ResultView | None, urgent_below: Decimal
) -> Analysis | None:
    """The analysis the year's measures answer: as the agency stated it, or the gap analysis of the
    scores of `based_on` (indicators below the pass mark, urgent below the agency's threshold)."""
    stated = plan.analysis or {}
    framework = view.framework if view else framework_for(based_on)
    scores = view.scores if view else {}
    if "urgent" in stated or "improve" in stated:
        return Analysis(
            based_on=based_on,
            urgent=[_stated_row(i, framework, scores) for i in stated.get("urgent") or []],
            improve=[_stated_row(i, framework, scores) for i in stated.get("improve") or []],
            stated=True,
        )
    if framework is None or not scores:
        return None
    gap: Gap = gap_analysis(framework=framework, indicators=scores, urgent_below=urgent_below)
    rows = lambda items: [GapRow(i.indicator, i.name, i.score, i.lost) for i in items]  # noqa: E731
    return Analysis(based_on=based_on, urgent=rows(gap.urgent), improve=rows(gap.improve), stated=False)


@dataclass(frozen=True)
class RoundView:
    months: int
    title: str  # 'รอบ ๖ เดือน (ตุลาคม ๒๕๖๒ – มีนาคม ๒๕๖๓)'
    result: RoundResult | None


@dataclass(frozen=True)
class MeasureView:
    measure: Measure
    rounds: list[RoundView]


def measure_views(plan: YearPlan, style: str) -> list[MeasureView]:
    measures = plan.measures.prefetch_related("results__evidence")
    views = []
    for measure in measures:
        results = {r.round: r for r in measure.results.all()}
        months = sorted(set(measure.rounds) | set(results))
        views.append(MeasureView(measure, [
            RoundView(m, fiscal.round_of(plan.fiscal_year, m).title(style), results.get(m)) for m in months
        ]))
    return views


@dataclass
class YearPage:
    plan: YearPlan
    based_on: int
    prior: ResultView | None
    rows: list[ScoreRow] = field(default_factory=list)
    chart: Chart | None = None
    notes: list[str] = field(default_factory=list)
    analysis: Analysis | None = None
    measures: list[MeasureView] = field(default_factory=list)
    reports: list[tuple[int, str, Memo]] = field(default_factory=list)  # (round, title, memo)
    plan_memo: Memo | None = None  # the year's plan approval memo (docs/documents.md)
    announcement: Memo | None = None  # issued when the plan memo is approved

    @property
    def start(self):
        return fiscal.start(self.plan.fiscal_year)

    @property
    def end(self):
        return fiscal.end(self.plan.fiscal_year)


def year_page(plan: YearPlan, agency: Agency) -> YearPage:
    style = agency.digits
    based_on = int((plan.analysis or {}).get("based_on") or plan.fiscal_year - 1)
    result = agency.ita_results.filter(year=based_on).prefetch_related("scores").first()
    prior = result_view(result) if result else None
    page = YearPage(plan=plan, based_on=based_on, prior=prior)
    if prior is not None:
        page.rows = score_rows(prior)
        if prior.framework is not None:
            page.chart = bar_chart(page.rows, prior.framework.pass_mark)
            page.notes = uncertain_notes(prior.framework, style)
    page.analysis = analysis_for(plan, based_on=based_on, view=prior, urgent_below=agency.urgent_below)
    page.measures = measure_views(plan, style)
    page.reports = [
        (memo.round, fiscal.round_of(plan.fiscal_year, memo.round).title(style), memo)
        for memo in plan.memos.filter(kind=Memo.Kind.ROUND)
    ]
    page.plan_memo = plan.memos.filter(kind=Memo.Kind.PLAN).first()
    page.announcement = plan.memos.filter(kind=Memo.Kind.ANNOUNCEMENT).first()
    return page
