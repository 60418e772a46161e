import datetime as dt
from decimal import Decimal

from django.template import Context, Template

from prongsai.agencies.models import Agency


def _render(source: str, **context) -> str:
    return Template("{% load thai %}" + source).render(Context(context))


def test_thai_date_uses_the_buddhist_era_and_the_agencys_digits():
    day = dt.date(2020, 6, 26)
    assert _render("{{ d|thai_date:agency }}", d=day, agency=Agency(digits="thai")) == "๒๖ มิถุนายน ๒๕๖๓"
    assert _render("{{ d|thai_date:agency }}", d=day, agency=Agency(digits="arabic")) == "26 มิถุนายน 2563"
    assert _render("{{ d|thai_date }}", d=None) == ""


def test_digits_follow_the_style_and_leave_urls_alone():
    text = "ดำเนินการ 12 เรื่อง https://rae.go.th/2563"
    assert _render("{{ t|digits:'thai' }}", t=text) == "ดำเนินการ ๑๒ เรื่อง https://rae.go.th/2563"
    assert _render("{{ t|digits:agency }}", t="๒๕๖๓", agency=Agency(digits="arabic")) == "2563"


def test_digits_output_is_escaped():
    assert _render("{{ t|digits:'thai' }}", t="<b>1</b>") == "&lt;b&gt;๑&lt;/b&gt;"


def test_be_year_converts_dates_and_gregorian_years():
    assert _render("{{ d|be_year:'thai' }}", d=dt.date(2019, 10, 1)) == "๒๕๖๒"
    assert _render("{{ y|be_year:'arabic' }}", y=2020) == "2563"


def test_score_has_two_places_rounded_half_up():
    assert _render("{{ s|score:'thai' }}", s=Decimal("84.4")) == "๘๔.๔๐"
    assert _render("{{ s|score:'arabic' }}", s=Decimal("94.995")) == "95.00"
    assert _render("{{ s|score:'arabic' }}", s=100) == "100.00"
    assert _render("{{ s|score:'arabic' }}", s=None) == ""
