"""Thai digits and Buddhist-era dates: the one place that formats them.

Every view, report and export goes through these functions, so the agency's digit choice
("thai" or "arabic") and the BE calendar are applied the same way everywhere.
"""

from __future__ import annotations

import datetime as dt
import re

from pythainlp.util import arabic_digit_to_thai_digit, thai_digit_to_arabic_digit

THAI = "thai"
ARABIC = "arabic"
DIGIT_STYLES = (THAI, ARABIC)
BE_OFFSET = 543

MONTHS = (
    "มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
    "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม",
)
MONTHS_ABBR = (
    "ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.",
    "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.",
)

# Digits inside a URL or an e-mail address are never converted.
_PROTECTED = re.compile(r"(?:https?://|www\.)\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.IGNORECASE)


def _check_style(style: str) -> None:
    if style not in DIGIT_STYLES:
        raise ValueError(f"digit style must be one of {DIGIT_STYLES}, not {style!r}")


def digits(text, style: str = THAI) -> str:
    """Write every digit of `text` in the given style, leaving URLs and e-mail addresses alone."""
    _check_style(style)
    text = "" if text is None else str(text)
    convert = arabic_digit_to_thai_digit if style == THAI else thai_digit_to_arabic_digit
    out, last = [], 0
    for m in _PROTECTED.finditer(text):
        out.append(convert(text[last:m.start()]) if m.start() > last else "")
        out.append(m.group(0))
        last = m.end()
    if last < len(text):
        out.append(convert(text[last:]))
    return "".join(out)


def to_arabic(text) -> str:
    """Normalise a number or code typed with Thai digits to Arabic digits (for parsing)."""
    return digits(text, ARABIC)


def be_year(value: dt.date | int) -> int:
    """The Buddhist-era year of a date, or of a Gregorian year number."""
    year = value.year if isinstance(value, dt.date) else int(value)
    return year + BE_OFFSET


def ce_year(be: int) -> int:
    return int(be) - BE_OFFSET


def month_name(month: int, abbr: bool = False) -> str:
    return (MONTHS_ABBR if abbr else MONTHS)[month - 1]


def format_date(value: dt.date | None, style: str = THAI, abbr: bool = False) -> str:
    """'๒๖ มิถุนายน ๒๕๖๓' (or '26 มิ.ย. 2563' with abbr and Arabic digits). Empty for None."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = value.date()
    return digits(f"{value.day} {month_name(value.month, abbr)} {be_year(value)}", style)


def format_month_year(year_ce: int, month: int, style: str = THAI) -> str:
    """'ตุลาคม ๒๕๖๒' for October 2019."""
    return digits(f"{month_name(month)} {be_year(year_ce)}", style)


def format_number(value, style: str = THAI, places: int | None = None) -> str:
    """A number with thousands separators, in the given digit style. None gives ''."""
    if value is None:
        return ""
    text = f"{value:,.{places}f}" if places is not None else f"{value:,}"
    return digits(text, style)
