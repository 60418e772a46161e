"""Template filters over prongsai.lib.thai: templates never format digits or dates themselves.

Each filter takes the digit style as its argument: an agency (its `digits` choice) or a style name
("thai" / "arabic"); without one, Thai digits.

    {{ memo.date|thai_date:agency }}   ๒๖ มิถุนายน ๒๕๖๓
    {{ plan.fiscal_year|digits:agency }}  ๒๕๖๓
    {{ some_date|be_year:agency }}      ๒๕๖๓
    {{ score|score:agency }}            ๘๔.๔๐
"""

from __future__ import annotations

import datetime as dt
from decimal import InvalidOperation

from django import template

from prongsai.assessments.services import round2
from prongsai.lib import thai

register = template.Library()


def _style(arg) -> str:
    if arg is None or arg == "":
        return thai.THAI
    return getattr(arg, "digits", arg)


@register.filter
def digits(value, style=None) -> str:
    """Every digit of the text in the agency's style (URLs and e-mail addresses are left alone)."""
    return thai.digits(value, _style(style))


@register.filter
def thai_date(value, style=None) -> str:
    """A date in Thai with its Buddhist-era year; empty for no date."""
    if not isinstance(value, dt.date):
        return ""
    return thai.format_date(value, _style(style))


@register.filter
def be_year(value, style=None) -> str:
    """The Buddhist-era year of a date or of a Gregorian year number."""
    if value is None or value == "":
        return ""
    return thai.digits(thai.be_year(value), _style(style))


@register.filter
def score(value, style=None) -> str:
    """A score with two decimal places, rounded half-up as the NACC prints them ('84.40');
    empty for no score."""
    if value is None or value == "":
        return ""
    try:
        number = round2(value)
    except InvalidOperation:
        return ""
    return thai.format_number(number, _style(style), places=2)


@register.filter(expects_localtime=True)
def thai_datetime(value, style=None) -> str:
    """A moment in local time: '๒๖ มิ.ย. ๒๕๖๓ ๑๔:๓๐'; empty for none."""
    if not isinstance(value, dt.datetime):
        return ""
    return thai.digits(f"{thai.format_date(value.date(), thai.ARABIC, abbr=True)} {value:%H:%M}", _style(style))
