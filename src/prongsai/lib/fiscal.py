"""The Thai fiscal year and its monitoring rounds.

Fiscal year N (Buddhist era) runs from 1 October of N-1 to 30 September of N. A monitoring round
of k months (3, 6, 9 or 12) covers October through the k-th month of the fiscal year.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from prongsai.lib import thai

ROUNDS = (3, 6, 9, 12)


class RoundError(ValueError):
    pass


def check_round(months: int) -> int:
    if months not in ROUNDS:
        raise RoundError(f"{months} is not one of 3, 6, 9, 12")
    return months


def start(fiscal_year_be: int) -> dt.date:
    return dt.date(thai.ce_year(fiscal_year_be) - 1, 10, 1)


def end(fiscal_year_be: int) -> dt.date:
    return dt.date(thai.ce_year(fiscal_year_be), 9, 30)


def of_date(day: dt.date) -> int:
    """The BE fiscal year a date belongs to."""
    return thai.be_year(day.year + 1 if day.month >= 10 else day.year)


def _add_months(year: int, month: int, count: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + count
    return index // 12, index % 12 + 1


@dataclass(frozen=True)
class Round:
    fiscal_year: int
    months: int

    @property
    def start(self) -> dt.date:
        return start(self.fiscal_year)

    @property
    def end(self) -> dt.date:
        year, month = _add_months(self.start.year, self.start.month, self.months)
        return dt.date(year, month, 1) - dt.timedelta(days=1)

    @property
    def last_month(self) -> tuple[int, int]:
        return self.end.year, self.end.month

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    def label(self, style: str = thai.THAI) -> str:
        """'รอบ ๖ เดือน'"""
        return thai.digits(f"รอบ {self.months} เดือน", style)

    def period(self, style: str = thai.THAI) -> str:
        """'ตุลาคม ๒๕๖๒ – มีนาคม ๒๕๖๓'"""
        first = thai.format_month_year(self.start.year, self.start.month, style)
        last = thai.format_month_year(self.end.year, self.end.month, style)
        return f"{first} – {last}"

    def title(self, style: str = thai.THAI) -> str:
        """'รอบ ๖ เดือน (ตุลาคม ๒๕๖๒ – มีนาคม ๒๕๖๓)'"""
        return f"{self.label(style)} ({self.period(style)})"


def round_of(fiscal_year_be: int, months: int) -> Round:
    return Round(int(fiscal_year_be), check_round(int(months)))


def current_round(day: dt.date) -> Round:
    """The shortest round whose period contains the day."""
    fy = of_date(day)
    for months in ROUNDS:
        rnd = Round(fy, months)
        if rnd.contains(day):
            return rnd
    raise AssertionError("unreachable: round 12 covers the whole fiscal year")
