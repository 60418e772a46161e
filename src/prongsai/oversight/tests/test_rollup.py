"""The roll-up: completeness counts (expected / done / on time) per group, the agencies behind every
figure, the ITA results, exports, and a query count that does not grow with the number of agencies."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from prongsai.oversight import services
from prongsai.oversight.tests import world
from prongsai.web.tests.factories import client_for

pytestmark = pytest.mark.django_db
FY = world.FY


def counts(table, key):
    return {row.key: (row.counts[key].expected, row.counts[key].done, row.counts[key].on_time) for row in table.rows}


def test_completeness_counts_each_document_per_district():
    world.build(12)
    _user, scope = world.overseer("sakon")
    place = services.Place(base=scope.agency_q(), level=scope.level)
    table = services.completeness(place, FY)
    # สกลนคร: agencies 0,1,3,4,6,7,9,10 -> พังโคน 0,3,6,9 and วานรนิวาส 1,4,7,10
    assert [r.key for r in table.rows] == ["พังโคน", "วานรนิวาส"]
    assert table.total.agencies == 8
    assert counts(table, "year_started") == {"พังโคน": (4, 4, 0), "วานรนิวาส": (4, 4, 0)}  # no audit entry: not on time
    # signed round 12: even i; on time when i % 4 == 0  -> พังโคน 0,6 (0 on time), วานรนิวาส 4,10 (4 on time)
    assert counts(table, "round12_signed") == {"พังโคน": (4, 2, 1), "วานรนิวาส": (4, 2, 1)}
    # published round 12: i % 4 == 0 -> 0 (พังโคน), 4 (วานรนิวาส)
    assert counts(table, "round12_published")["พังโคน"][:2] == (4, 1)
    # OIT answered: i % 3 == 0 -> 0,3,6,9 all in พังโคน
    assert counts(table, "oit_answered")["พังโคน"][:2] == (4, 4)
    assert counts(table, "oit_answered")["วานรนิวาส"][:2] == (4, 0)
    assert counts(table, "round6_signed") == {"พังโคน": (4, 0, 0), "วานรนิวาส": (4, 0, 0)}


def test_the_agencies_behind_a_figure_are_exactly_those_counted():
    agencies = world.build(12)
    _user, scope = world.overseer("sakon")
    place = services.Place(base=scope.agency_q(), level=scope.level, province="สกลนคร", district="พังโคน")
    missing = services.agencies_behind(place, FY, "round12_signed", "missing")
    late = services.agencies_behind(place, FY, "round12_signed", "late")
    assert {a.slug for a in missing} == {"ag-3", "ag-9"}
    assert {a.slug for a in late} == {"ag-6"}
    assert services.agencies_behind(place, FY, "links_ok", "on_time") is None  # no due date: no such list
    world.add_broken_link(agencies[0])
    table = services.completeness(place, FY)
    assert table.total.counts["links_ok"].expected == 1 and table.total.counts["links_ok"].done == 0
    assert [a.slug for a in services.agencies_behind(place, FY, "links_ok", "missing")] == ["ag-0"]


def test_the_newest_check_of_a_link_decides():
    agencies = world.build(3)
    world.add_broken_link(agencies[0])
    from prongsai.oit.models import LinkCheck

    check = LinkCheck.objects.filter(status="broken").get()
    LinkCheck.objects.create(answer=check.answer, url=check.url, checked_at=check.checked_at.replace(day=20),
                             status=LinkCheck.Status.OK)
    place = services.Place(base=services.Q(), level="nation")
    assert services.completeness(place, FY).total.counts["links_ok"].done == 1


def test_results_give_boxes_weakest_indicators_and_the_change_from_last_year():
    world.build(12)
    place = services.Place(base=services.Q(), level="nation")
    r = services.results(place, FY)
    assert r.scored == 12
    assert [b.label for b in r.by_group] == ["ขอนแก่น", "สกลนคร"]
    assert sum(b.n for b in r.by_group) == 12
    assert r.overall.low <= r.overall.q1 <= r.overall.median <= r.overall.q3 <= r.overall.high
    weakest = r.weakest
    assert weakest[0].no == 1 and weakest[0].mean <= weakest[-1].mean  # indicator i scores base + i
    change = {c.key: c for c in r.change}
    assert change["สกลนคร"].paired == 8
    # agencies with i % 5 > 0 rose; none fell
    assert change["สกลนคร"].up == sum(1 for i in range(12) if i % 3 != 2 and i % 5) and change["สกลนคร"].down == 0
    assert change["สกลนคร"].change > 0


def test_box_figures_match_the_statistics_module():
    import statistics

    values = [Decimal(v) for v in ("60", "70.5", "71", "80", "99.99")]
    b = services.box("x", "x", values)
    q1, med, q3 = statistics.quantiles(values, n=4, method="inclusive")
    assert (b.low, b.high) == (Decimal("60"), Decimal("99.99"))
    assert b.median == Decimal(med).quantize(Decimal("0.01")) and b.q1 == Decimal(q1).quantize(Decimal("0.01"))


def _rollup_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("page", ["rollup", "province", "district", "agencies", "overview", "directory"])
def test_the_query_count_does_not_grow_with_the_number_of_agencies(page):
    user, scope = world.overseer("nation", name="ทั้งประเทศ", level="nation", province="")
    client = client_for(user)
    urls = {
        "rollup": reverse("oversight:rollup", args=[scope.pk]) + f"?year={FY}",
        "province": reverse("oversight:rollup", args=[scope.pk]) + f"?year={FY}&province=สกลนคร",
        "district": reverse("oversight:rollup", args=[scope.pk]) + f"?year={FY}&province=สกลนคร&district=พังโคน",
        "agencies": reverse("oversight:agencies", args=[scope.pk]) + f"?year={FY}&metric=round12_signed&state=missing",
        "overview": reverse("oversight:overview") + f"?year={FY}",
        "directory": reverse("oversight:directory") + "?province=สกลนคร",
    }
    world.build(10, prefix="a")
    client.get(urls[page])  # the first request fills the per-process caches (catalogues, session)
    small = _rollup_queries(client, urls[page])
    world.build(30, prefix="b")
    large = _rollup_queries(client, urls[page])
    assert small == large


def test_the_rollup_query_count_is_the_same_at_20_and_200_agencies():
    """Every level of the roll-up, the list behind a figure, one agency's page and the public overview
    send the same statements for 20 agencies as for 200: nothing is asked per agency or per group."""
    user, scope = world.overseer("nation", name="ทั้งประเทศ", level="nation", province="")
    client = client_for(user)
    rollup = reverse("oversight:rollup", args=[scope.pk])
    urls = [rollup, rollup + f"?year={FY}", rollup + f"?year={FY}&province=สกลนคร",
            rollup + f"?year={FY}&province=สกลนคร&district=พังโคน",
            reverse("oversight:agencies", args=[scope.pk]) + f"?year={FY}&metric=oit_answered&state=done",
            reverse("oversight:agency", args=[scope.pk, "a-0"]) + f"?year={FY}",
            reverse("oversight:overview"), reverse("oversight:overview_province", args=["สกลนคร"]) + f"?year={FY}"]
    world.build(20, prefix="a")
    for url in urls:
        client.get(url)  # per-process caches (catalogues, session)
    small = {url: _rollup_queries(client, url) for url in urls}
    world.build(180, prefix="b")
    large = {url: _rollup_queries(client, url) for url in urls}
    assert small == large
    assert small[rollup + f"?year={FY}"] <= 25


def test_every_table_exports_as_csv_and_xlsx():
    world.build(6)
    user, scope = world.overseer("sakon")
    client = client_for(user)
    for table in ("completeness", "totals", "kinds", "indicators", "change"):
        response = client.get(reverse("oversight:export", args=[scope.pk, table, "csv"]) + f"?year={FY}")
        assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert len(rows) >= 2
        xlsx = client.get(reverse("oversight:export", args=[scope.pk, table, "xlsx"]) + f"?year={FY}")
        assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    response = client.get(reverse("oversight:export", args=[scope.pk, "completeness", "csv"]) + f"?year={FY}")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[-1][:2] == ["รวม", "4"]  # สกลนคร's agencies of 6: 0, 1, 3, 4
    behind = client.get(reverse("oversight:export", args=[scope.pk, "agencies", "csv"])
                        + f"?year={FY}&metric=round12_signed&state=done")
    names = [r[0] for r in csv.reader(io.StringIO(behind.content.decode("utf-8-sig")))][1:]
    assert names == ["หน่วยงานทดสอบ ag 0000", "หน่วยงานทดสอบ ag 0004"]


def test_the_rollup_page_links_every_figure_and_drills_down_to_an_agency():
    world.build(6)
    user, scope = world.overseer("sakon")
    client = client_for(user)
    page = client.get(reverse("oversight:rollup", args=[scope.pk]) + f"?year={FY}").content.decode()
    from urllib.parse import quote

    drill = reverse("oversight:rollup", args=[scope.pk]) + f"?year=2566&amp;district={quote('พังโคน')}"
    assert drill in page
    assert "metric=round12_signed&amp;state=missing" in page
    assert "<svg" in page
    district = client.get(reverse("oversight:rollup", args=[scope.pk]), {"year": FY, "province": "สกลนคร",
                                                                         "district": "พังโคน"})
    agency_url = reverse("oversight:agency", args=[scope.pk, "ag-0"])
    assert agency_url in district.content.decode()
    agency = client.get(agency_url + f"?year={FY}")
    assert agency.status_code == 200 and "หน่วยงานทดสอบ ag 0000" in agency.content.decode()
