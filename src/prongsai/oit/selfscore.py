"""The self-assessed OIT score by the year's rules (shared/docs/DOMAIN.md section 4).

Each item scores 100 when it is disclosed (answered มี with at least one URL), else 0; a sub-indicator
is the mean of its items, an indicator the mean of its sub-indicators, and OIT the mean of the OIT
indicators (9 and 10). The formula is inferred from published 2564 tables, so every result is flagged
uncertain; a year whose catalogue lacks sub-indicator codes (2568) or items (2567) says so too.
Numbers are exact Decimals; round them only for display (assessments.services.round2).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Mapping

from django.utils.translation import gettext as _

from prongsai.framework.catalogue import Framework

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class GroupScore:
    code: str  # "9.1", or "9" when the year has no sub-indicator codes
    indicator: int
    name: str
    items: tuple[str, ...]
    disclosed: tuple[str, ...]
    score: Decimal

    @property
    def count(self) -> int:
        return len(self.items)


@dataclass(frozen=True)
class IndicatorScore:
    no: int
    name: str
    groups: tuple[GroupScore, ...]
    score: Decimal | None  # None when the catalogue has no items for it


@dataclass(frozen=True)
class SelfScore:
    year: int
    indicators: tuple[IndicatorScore, ...]
    oit: Decimal | None
    unscored: tuple[str, ...]  # items the catalogue places under no indicator
    reasons: tuple[str, ...] = field(default_factory=tuple)  # why the result is uncertain

    @property
    def uncertain(self) -> bool:
        return bool(self.reasons)

    @property
    def groups(self) -> list[GroupScore]:
        return [g for ind in self.indicators for g in ind.groups]

    def group(self, code: str) -> GroupScore:
        for g in self.groups:
            if g.code == code:
                return g
        raise KeyError(code)

    def indicator(self, no: int) -> IndicatorScore:
        for ind in self.indicators:
            if ind.no == no:
                return ind
        raise KeyError(no)


def _mean(values: list[Decimal]) -> Decimal:
    return sum(values, Decimal(0)) / len(values)


def compute(framework: Framework, disclosed: Mapping[str, bool] | set[str]) -> SelfScore:
    """`disclosed`: the item codes that count as disclosed (a set, or a mapping code → bool)."""
    if isinstance(disclosed, Mapping):
        yes = {c.upper() for c, v in disclosed.items() if v}
    else:
        yes = {c.upper() for c in disclosed}
    reasons = [_("สูตรคำนวณคะแนน OIT อนุมานจากตารางผลที่เผยแพร่ปี 2564 ยังไม่ได้ยืนยันจากคู่มือของ ป.ป.ช.")]
    if not framework.oit_items_complete:
        reasons.append(_("รายการข้อ OIT ของปีนี้ในระบบยังไม่ครบ"))

    sub_names = {s.code: s.name for s in framework.sub_indicators}
    groups: dict[str, list[str]] = {}
    group_indicator: dict[str, int] = {}
    unscored: list[str] = []
    whole_indicator_groups = False
    for item in framework.oit_items:
        if item.indicator is None:
            unscored.append(item.code)
            continue
        key = item.sub_indicator or str(item.indicator)
        if not item.sub_indicator:
            whole_indicator_groups = True
        groups.setdefault(key, []).append(item.code)
        group_indicator[key] = item.indicator
    if whole_indicator_groups:
        reasons.append(_("เกณฑ์ปีนี้ไม่ระบุตัวชี้วัดย่อยของบางข้อ จึงนับรวมเป็นตัวชี้วัดเดียว"))
    if unscored:
        reasons.append(_("บางข้อไม่ทราบว่าอยู่ในตัวชี้วัดใด จึงไม่นำมาคิดคะแนน: %(codes)s") % {"codes": ", ".join(unscored)})

    oit_indicators = [ind for ind in framework.indicators_of("OIT")] or []
    numbers = [ind.no for ind in oit_indicators] or sorted(set(group_indicator.values()))
    names = {ind.no: ind.name for ind in oit_indicators}
    indicators: list[IndicatorScore] = []
    for no in numbers:
        gs = []
        for key, codes in groups.items():
            if group_indicator[key] != no:
                continue
            hits = tuple(c for c in codes if c.upper() in yes)
            score = _mean([HUNDRED if c.upper() in yes else Decimal(0) for c in codes])
            gs.append(GroupScore(code=key, indicator=no, name=sub_names.get(key, names.get(no, "")),
                                 items=tuple(codes), disclosed=hits, score=score))
        ind_score = _mean([g.score for g in gs]) if gs else None
        indicators.append(IndicatorScore(no=no, name=names.get(no, ""), groups=tuple(gs), score=ind_score))

    missing = [ind.no for ind in indicators if ind.score is None]
    if missing or not indicators:
        oit = None
        reasons.append(_("ไม่มีรายการข้อของตัวชี้วัดที่ %(nos)s จึงคำนวณคะแนน OIT รวมไม่ได้")
                       % {"nos": ", ".join(str(n) for n in missing)})
    else:
        oit = _mean([ind.score for ind in indicators])
    return SelfScore(year=framework.year, indicators=tuple(indicators), oit=oit, unscored=tuple(unscored),
                     reasons=tuple(reasons))
