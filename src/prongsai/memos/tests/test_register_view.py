"""The register page: the agency's outgoing register of one calendar year."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from prongsai.memos.tests import helpers
from prongsai.memos.tests.conftest import client_for


def test_it_lists_the_years_entries_in_number_order(plan, planner, default_chain, admin):
    helpers.draft(plan, planner, round=6, subject="รายงานรอบหก")
    helpers.draft(plan, planner, round=12, subject="รายงานรอบสิบสอง", date=dt.date(2020, 9, 30))
    helpers.draft(plan, planner, round=3, subject="ปีถัดไป", date=dt.date(2021, 1, 5))
    for user in (planner, default_chain[0], admin):
        response = client_for(user).get(reverse("memos:register", args=["tessaban-rae"]) + "?year=2563")
        assert response.status_code == 200
        assert [(e.number, e.subject) for e in response.context["entries"]] == [(1, "รายงานรอบหก"),
                                                                                (2, "รายงานรอบสิบสอง")]
    html = response.content.decode()
    assert "สน ๘๐๗๐๑/๒" in html and "๓๐ กันยายน ๒๕๖๓" in html
    assert 'href="?year=2564"' in html
    response = client_for(planner).get(reverse("memos:register", args=["tessaban-rae"]) + "?year=๒๕๖๔")
    assert [e.subject for e in response.context["entries"]] == ["ปีถัดไป"]


def test_it_falls_back_to_this_year_for_a_bad_year(plan, planner):
    response = client_for(planner).get(reverse("memos:register", args=["tessaban-rae"]) + "?year=abc")
    assert response.status_code == 200
    assert response.context["year"] == timezone.localdate().year + 543
