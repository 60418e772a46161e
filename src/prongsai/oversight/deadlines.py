"""When each document of a fiscal year is due, for the "on time" column of the roll-up.

The NACC publishes the ITAS calendar each year and it moves by a few weeks; these are the install's
working deadlines, kept in this one place (docs/oversight.md). A document counts as on time when the
date it was done (signed, published, answered) is on or before its due date.

    year started            31 December of the fiscal year's first quarter
    plan approved           31 January
    plan published          last day of February
    round k report          signed and published within ROUND_DAYS days after the round's last day
    OIT checklist answered  30 April (the ITAS OIT window)
    complaint statistics    30 April (an OIT item)
"""

from __future__ import annotations

import datetime as dt

from prongsai.lib import fiscal, thai

ROUND_DAYS = 30


def _ce(fy: int) -> int:
    return thai.ce_year(fy)


def year_started(fy: int) -> dt.date:
    return dt.date(_ce(fy) - 1, 12, 31)


def plan_approved(fy: int) -> dt.date:
    return dt.date(_ce(fy), 1, 31)


def plan_published(fy: int) -> dt.date:
    return dt.date(_ce(fy), 3, 1) - dt.timedelta(days=1)


def round_report(fy: int, months: int) -> dt.date:
    return fiscal.round_of(fy, months).end + dt.timedelta(days=ROUND_DAYS)


def oit(fy: int) -> dt.date:
    return dt.date(_ce(fy), 4, 30)


def end_of(day: dt.date) -> dt.datetime:
    """The first instant after the due day, in the install's time zone (compare with `<`)."""
    from django.utils import timezone

    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time()))
