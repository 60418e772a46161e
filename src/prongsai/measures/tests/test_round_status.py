import datetime as dt

import pytest

from prongsai.lib import fiscal
from prongsai.measures.models import RoundResult
from prongsai.measures.services import DONE, IN_PROGRESS, OVERDUE, PLANNED, round_begins, round_status

SIX = fiscal.round_of(2563, 6)  # October 2019 – 31 March 2020; its period begins 1 January 2020
THREE = fiscal.round_of(2563, 3)  # October – 31 December 2019


def _result(details: str = "") -> RoundResult:
    return RoundResult(round=6, details=details)


def test_round_periods_follow_each_other():
    assert round_begins(THREE) == dt.date(2019, 10, 1)
    assert round_begins(SIX) == dt.date(2020, 1, 1)
    assert round_begins(fiscal.round_of(2563, 12)) == dt.date(2020, 7, 1)


@pytest.mark.parametrize("today, result, expected", [
    (dt.date(2019, 11, 1), None, PLANNED),  # round 3 is under way; round 6 has not begun
    (dt.date(2019, 12, 31), None, PLANNED),  # the previous round's last day
    (dt.date(2020, 1, 1), None, IN_PROGRESS),  # the day after it
    (dt.date(2020, 3, 31), None, IN_PROGRESS),  # the round's last day
    (dt.date(2020, 4, 1), None, OVERDUE),
    (dt.date(2019, 11, 1), _result(), IN_PROGRESS),  # started early, no details yet
    (dt.date(2020, 4, 1), _result("  \n"), OVERDUE),  # blank details are not details
    (dt.date(2019, 11, 1), _result("ประชุมชี้แจงแล้ว"), DONE),
    (dt.date(2021, 1, 1), _result("ประชุมชี้แจงแล้ว"), DONE),  # done stays done
], ids=["before-period", "previous-round-end", "period-begins", "last-day", "past-end", "early-result",
        "blank-details", "done", "done-later"])
def test_round_status(today, result, expected):
    assert round_status(result=result, round=SIX, today=today) == expected


def test_the_first_round_begins_with_the_fiscal_year():
    assert round_status(result=None, round=THREE, today=dt.date(2019, 9, 30)) == PLANNED
    assert round_status(result=None, round=THREE, today=dt.date(2019, 10, 1)) == IN_PROGRESS
