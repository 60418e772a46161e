"""ITA scoring rules: weighted parts, rating, checks of published figures, gap analysis.

Pure functions over Decimal; the year's rules come from a `Framework` (prongsai.framework.catalogue).

Rounding: every weighted part is rounded half-up to 2 places, and the total is the sum of the
rounded parts, so the parts always add up to the total as the NACC prints them
(e.g. 28.04 + 30.00 + 40.00 = 98.04). A rating is looked up on the total rounded half-up to
2 places: 94.995 counts as 95.00, 84.994 as 84.99.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Mapping

from prongsai.framework.catalogue import Framework

__all__ = [
    "Evaluation", "Gap", "GapItem", "Parts", "TOLERANCE", "analysis_summary", "compute_parts",
    "evaluate", "framework_for_result", "gap_analysis", "grade_for", "recompute_many", "recompute_totals",
    "round2",
]

CENT = Decimal("0.01")
TOLERANCE = Decimal("0.01")  # a given figure may differ this much from the computed one
PART_NAMES = {"iit": "IIT", "eit": "EIT", "oit": "OIT"}
INDICATOR_WORD = "ตัวชี้วัด"
MEASURE_WORD = "มาตรการ"


def round2(value) -> Decimal:
    """Half-up to 2 decimal places (Python's round() would round 94.995 down to even)."""
    return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Parts:
    iit: Decimal | None
    eit: Decimal | None
    oit: Decimal | None
    total: Decimal | None


def compute_parts(*, framework: Framework, indicators: Mapping[int, Decimal]) -> Parts:
    """Weighted IIT/EIT/OIT parts = weight/100 × mean of the instrument's indicator scores.
    A part is None when any of its indicators has no score; the total is None if any part is."""
    parts = {}
    for attr, instrument in PART_NAMES.items():
        numbers = [ind.no for ind in framework.indicators_of(instrument)]
        if not numbers or any(indicators.get(no) is None for no in numbers):
            parts[attr] = None
            continue
        mean = sum(Decimal(str(indicators[no])) for no in numbers) / len(numbers)
        parts[attr] = round2(framework.weights[instrument] * mean / 100)
    values = list(parts.values())
    total = None if any(v is None for v in values) else round2(sum(values))
    return Parts(total=total, **parts)


def grade_for(*, framework: Framework, total: Decimal) -> str:
    """The year's rating label for a total score (AA–F until 2565, ผ่านดีเยี่ยม/ผ่าน/ไม่ผ่าน from 2566),
    looked up on the score rounded half-up to 2 places."""
    score = round2(total)
    for band in framework.bands:
        if band.contains(score):
            return band.label
    raise ValueError(f"คะแนน {score} อยู่นอกช่วง 0–100 ของเกณฑ์ ITA ปี {framework.year}")


@dataclass(frozen=True)
class Evaluation:
    iit: Decimal | None
    eit: Decimal | None
    oit: Decimal | None
    total: Decimal | None
    grade: str
    computed: Parts
    computed_grade: str
    mismatches: list[str] = field(default_factory=list)


def evaluate(
    *,
    framework: Framework,
    indicators: Mapping[int, Decimal],
    iit: Decimal | None = None,
    eit: Decimal | None = None,
    oit: Decimal | None = None,
    total: Decimal | None = None,
    grade: str | None = None,
) -> Evaluation:
    """Fill in what the NACC's published result leaves out and check what it states.

    Given values are kept as given. A missing part is computed from the indicator scores; a missing
    total is the sum of the (given or computed) parts; a missing grade follows from the total.
    `.mismatches` lists, in Thai, every given figure that differs from the computed one by more
    than 0.01, and a given grade that is not the grade of the total."""
    computed = compute_parts(framework=framework, indicators=indicators)
    given = {"iit": iit, "eit": eit, "oit": oit}
    mismatches: list[str] = []
    final = {}
    for attr, label in PART_NAMES.items():
        value = None if given[attr] is None else Decimal(str(given[attr]))
        calc = getattr(computed, attr)
        if value is not None and calc is not None and abs(value - calc) > TOLERANCE:
            mismatches.append(f"คะแนน {label} ที่ระบุ {_fmt(value)} ไม่ตรงกับที่คำนวณได้ {_fmt(calc)}")
        final[attr] = value if value is not None else calc

    parts = list(final.values())
    summed = None if any(v is None for v in parts) else round2(sum(parts))
    total_value = None if total is None else Decimal(str(total))
    if total_value is not None and summed is not None and abs(total_value - summed) > TOLERANCE:
        mismatches.append(f"คะแนนรวมที่ระบุ {_fmt(total_value)} ไม่ตรงกับที่คำนวณได้ {_fmt(summed)}")
    final_total = total_value if total_value is not None else summed

    computed_grade = "" if final_total is None else grade_for(framework=framework, total=final_total)
    given_grade = (grade or "").strip()
    if given_grade and computed_grade and given_grade != computed_grade:
        mismatches.append(
            f"ระดับผลการประเมินที่ระบุ {given_grade} ไม่ตรงกับเกณฑ์ปี {framework.year} "
            f"ซึ่งคะแนน {_fmt(final_total)} ได้ระดับ {computed_grade}"
        )
    return Evaluation(
        total=final_total, grade=given_grade or computed_grade, computed=computed,
        computed_grade=computed_grade, mismatches=mismatches, **final,
    )


def _fmt(value: Decimal) -> str:
    return f"{round2(value):.2f}"


@dataclass(frozen=True)
class GapItem:
    indicator: int
    name: str
    score: Decimal
    lost: Decimal  # pass mark - score, to 2 places


@dataclass(frozen=True)
class Gap:
    urgent: list[GapItem]  # ประเด็นข้อบกพร่องหรือจุดอ่อนที่จะต้องแก้ไขโดยเร่งด่วน
    improve: list[GapItem]  # ประเด็นที่จะต้องพัฒนาให้ดีขึ้น

    @property
    def items(self) -> list[GapItem]:
        return self.urgent + self.improve


def gap_analysis(
    *, framework: Framework, indicators: Mapping[int, Decimal], urgent_below: Decimal = Decimal(75)
) -> Gap:
    """Indicators scoring below the year's pass mark, with the points lost (pass mark − score).
    Below `urgent_below` they are urgent weak points, otherwise points to improve; each list is
    ranked by points lost, largest first, then by indicator number."""
    urgent_below = Decimal(str(urgent_below))
    urgent, improve = [], []
    for no, raw in indicators.items():
        if raw is None:
            continue
        score = Decimal(str(raw))
        indicator = framework.indicator(int(no))
        if score >= framework.pass_mark:
            continue
        lost = round2(framework.pass_mark - score)
        item = GapItem(indicator=indicator.no, name=indicator.name, score=score, lost=lost)
        (urgent if score < urgent_below else improve).append(item)

    def rank(item: GapItem):
        return (-item.lost, item.indicator)

    return Gap(urgent=sorted(urgent, key=rank), improve=sorted(improve, key=rank))


def analysis_summary(*, urgent_names: list[str], improve_names: list[str]) -> str:
    """The analysis sentence of the round report, as in the reference report:
    "มีประเด็นที่ต้องพัฒนาให้ดีขึ้น ได้แก่ ตัวชี้วัดการใช้งบประมาณ ตัวชี้วัดการใช้ทรัพย์สินของทางราชการ …"."""
    urgent = _name_list(urgent_names)
    improve = _name_list(improve_names)
    if urgent and improve:
        return (f"มีประเด็นข้อบกพร่องหรือจุดอ่อนที่จะต้องแก้ไขโดยเร่งด่วน ได้แก่ {urgent} "
                f"และมีประเด็นที่ต้องพัฒนาให้ดีขึ้น ได้แก่ {improve}")
    if urgent:
        return f"มีประเด็นข้อบกพร่องหรือจุดอ่อนที่จะต้องแก้ไขโดยเร่งด่วน ได้แก่ {urgent}"
    if improve:
        return f"มีประเด็นที่ต้องพัฒนาให้ดีขึ้น ได้แก่ {improve}"
    return "ผลการประเมินผ่านเกณฑ์ทุกตัวชี้วัด โดยยังคงต้องรักษามาตรฐานและพัฒนาให้ดีขึ้นอย่างต่อเนื่อง"


def _name_list(names: list[str]) -> str:
    cleaned = [" ".join(n.split()) for n in names if n and n.strip()]
    return " ".join(n if n.startswith((INDICATOR_WORD, MEASURE_WORD)) else INDICATOR_WORD + n for n in cleaned)


# --- stored totals ---------------------------------------------------------------------------------
# ITAResult keeps what `evaluate` makes of its scores (final_total/iit/eit/oit, rating, passed,
# mismatches), so that oversight aggregates them in SQL. Every write of scores ends with
# `recompute_totals(result)`; a catalogue version move calls it (or `recompute_many`) for the results of
# that (year, family); `prongsai recompute_totals` redoes all.

STORED_FIELDS = ["final_total", "final_iit", "final_eit", "final_oit", "rating", "passed", "mismatches",
                 "catalogue_version", "computed_at"]


def framework_for_result(result) -> Framework | None:
    """The catalogue a result is scored on: the one that applies to (its ITA year, its agency's family);
    None when Prongsai has none for that year."""
    from prongsai.framework.catalogue import UnknownFrameworkYear, get_framework

    try:
        return get_framework(result.year, result.agency.family)
    except UnknownFrameworkYear:
        return None


def _apply(result, framework: Framework | None, scores: Mapping[int, Decimal], now) -> None:
    if framework is None:
        result.final_total, result.final_iit, result.final_eit, result.final_oit = (
            result.total, result.iit, result.eit, result.oit)
        result.rating, result.passed, result.mismatches, result.catalogue_version = result.grade, None, [], None
    else:
        ev = evaluate(framework=framework, indicators=scores, iit=result.iit, eit=result.eit, oit=result.oit,
                      total=result.total, grade=result.grade)
        result.final_total = None if ev.total is None else round2(ev.total)
        result.final_iit = None if ev.iit is None else round2(ev.iit)
        result.final_eit = None if ev.eit is None else round2(ev.eit)
        result.final_oit = None if ev.oit is None else round2(ev.oit)
        result.rating = ev.grade
        result.passed = None if ev.total is None else round2(ev.total) >= framework.pass_mark
        result.mismatches = list(ev.mismatches)
        result.catalogue_version = framework.version or None
    result.computed_at = now


def recompute_totals(result, *, framework: Framework | None = None, save: bool = True):
    """Recompute and store one result's final figures from its current scores (one query for the scores,
    one update). `framework` defaults to `framework_for_result(result)`. Returns the result."""
    from django.utils import timezone

    framework = framework if framework is not None else framework_for_result(result)
    scores = {s.indicator: s.score for s in result.scores.all()}
    _apply(result, framework, scores, timezone.now())
    if save:
        type(result).objects.filter(pk=result.pk).update(**{f: getattr(result, f) for f in STORED_FIELDS})
    return result


def recompute_many(results, *, batch_size: int = 1000) -> int:
    """Recompute the stored figures of many results (a queryset of ITAResult) in batches: one query for the
    results and their scores per batch and one bulk update; catalogues are looked up once per (year, family).
    Returns how many results were written."""
    from django.db import transaction
    from django.utils import timezone

    from prongsai.assessments.models import IndicatorScore, ITAResult

    frameworks: dict[tuple[int, str], Framework | None] = {}
    now = timezone.now()
    done = 0
    ids = list(results.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), batch_size):
        chunk = ids[start:start + batch_size]
        rows = list(ITAResult.objects.filter(pk__in=chunk).select_related("agency"))
        scores: dict[int, dict[int, Decimal]] = {pk: {} for pk in chunk}
        for rid, no, score in IndicatorScore.objects.filter(result_id__in=chunk).values_list(
                "result_id", "indicator", "score"):
            scores[rid][no] = score
        for row in rows:
            key = (row.year, row.agency.family)
            if key not in frameworks:
                frameworks[key] = framework_for_result(row)
            _apply(row, frameworks[key], scores[row.pk], now)
        with transaction.atomic():
            ITAResult.objects.bulk_update(rows, STORED_FIELDS)
        done += len(rows)
    return done
