"""The officers' case list at scale (issue 11): the overdue rules as SQL (Complaint.overdue_q and friends)
agree with the model's methods for any status and dates; the list is 50 a page, and its queries do not grow
with the number of complaints."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import HealthCheck, given, settings, strategies as st

from prongsai.complaints.models import Complaint
from prongsai.web.tests.factories import client_for

Status = Complaint.Status
BASE = dt.date(2025, 3, 1)


def make(agency, n: int, *, status=Status.RECEIVED, received_on=BASE, ack_days=15, conclude_days=60) -> list[Complaint]:
    """`n` complaints made directly (the list never opens their sealed content), one register number each."""
    first = 1000 + Complaint.objects.filter(agency=agency).count()
    return Complaint.objects.bulk_create([
        Complaint(agency=agency, category="procurement", channel="web", status=status, received_on=received_on,
                  acknowledge_due=received_on + dt.timedelta(days=ack_days),
                  conclude_due=received_on + dt.timedelta(days=conclude_days), content=b"sealed",
                  code_index=f"i{n}", code_hash="h", register_year=2568, register_number=first + i)
        for i in range(n)])


complaint_rows = st.lists(st.tuples(
    st.sampled_from(list(Status.values)),
    st.integers(min_value=-3, max_value=3),  # acknowledge_due - BASE, in days
    st.integers(min_value=-3, max_value=3),  # conclude_due - BASE, in days
), min_size=1, max_size=12)


@pytest.mark.django_db
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=complaint_rows, today_offset=st.integers(min_value=-4, max_value=4))
def test_the_sql_filters_agree_with_the_model_methods(rows, today_offset, agency):
    Complaint.objects.filter(agency=agency).delete()
    made = Complaint.objects.bulk_create([
        Complaint(agency=agency, category="other", channel="phone", status=status, received_on=BASE - dt.timedelta(days=9),
                  acknowledge_due=BASE + dt.timedelta(days=ack), conclude_due=BASE + dt.timedelta(days=conclude),
                  content=b"x", code_index="i", code_hash="h")
        for status, ack, conclude in rows])
    today = BASE + dt.timedelta(days=today_offset)
    everything = Complaint.objects.filter(agency=agency)
    stored = list(everything)
    assert len(stored) == len(made)

    def sql(q) -> set[int]:
        return set(everything.filter(q).values_list("pk", flat=True))

    assert sql(Complaint.acknowledge_overdue_q(today)) == {c.pk for c in stored if c.acknowledge_overdue(today)}
    assert sql(Complaint.conclude_overdue_q(today)) == {c.pk for c in stored if c.conclude_overdue(today)}
    assert sql(Complaint.overdue_q(today)) == {c.pk for c in stored if c.overdue(today)}
    assert sql(Complaint.open_q()) == {c.pk for c in stored if c.is_open}


def test_the_due_day_itself_is_in_time_in_sql_too(agency):
    [complaint] = make(agency, 1, received_on=BASE)
    due = complaint.acknowledge_due
    rows = Complaint.objects.filter(agency=agency)
    assert not rows.filter(Complaint.overdue_q(due)).exists()
    assert rows.filter(Complaint.acknowledge_overdue_q(due + dt.timedelta(days=1))).exists()
    assert not rows.filter(Complaint.conclude_overdue_q(due + dt.timedelta(days=1))).exists()


URL_NAME = "complaints:case_list"


def numbers(html: str) -> set[str]:
    """The register numbers listed (Thai digits, as the agency prints them)."""
    return set(re.findall(r"[๐-๙]{4}/[๐-๙]{4}", html))


def capture(client, url) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response.content.decode()


@pytest.mark.parametrize("show", ["open", "overdue", "all"])
def test_the_query_count_does_not_grow_with_the_complaints(agency, officer_client, show):
    url = reverse(URL_NAME, args=[agency.slug]) + f"?show={show}"
    make(agency, 5, received_on=dt.date(2020, 1, 1))  # long overdue
    officer_client.get(url)  # warm up the session and caches
    small, html = capture(officer_client, url)
    assert len(numbers(html)) == 5
    make(agency, 55, received_on=dt.date(2020, 1, 1))
    make(agency, 10, status=Status.CLOSED, received_on=dt.date(2020, 1, 1))
    large, html = capture(officer_client, url)
    assert large == small
    assert len(numbers(html)) == 50
    assert "ยังไม่ได้ข้อยุติ ๖๐ เรื่อง · เลยกำหนด ๖๐ เรื่อง" in html
    second, _html = capture(officer_client, url + "&page=2")
    assert second == small


def test_page_two_lists_the_cases_page_one_does_not(agency, officer_client):
    url = reverse(URL_NAME, args=[agency.slug])
    make(agency, 60, received_on=dt.date(2020, 1, 1))
    first = numbers(officer_client.get(url).content.decode())
    html = officer_client.get(url + "?page=2").content.decode()
    second = numbers(html)
    assert len(first) == 50 and len(second) == 10 and not first & second
    assert '<span aria-current="page">๒</span>' in html
    assert 'href="?show=overdue&amp;page=2"' in officer_client.get(url + "?show=overdue").content.decode()


def test_the_filters_pick_the_cases_in_sql(agency, officer_client):
    from django.utils import timezone

    today = timezone.localdate()
    url = reverse(URL_NAME, args=[agency.slug])
    late = make(agency, 2, received_on=today - dt.timedelta(days=16))  # acknowledgement late
    fresh = make(agency, 3, received_on=today)
    acknowledged = make(agency, 1, status=Status.ACKNOWLEDGED, received_on=today - dt.timedelta(days=16))
    closed = make(agency, 4, status=Status.CLOSED, received_on=today - dt.timedelta(days=100))

    def uids(show):
        html = officer_client.get(url + f"?show={show}").content.decode()
        return {c.uid for c in late + fresh + acknowledged + closed if str(c.uid) in html}

    assert uids("overdue") == {c.uid for c in late}
    assert uids("open") == {c.uid for c in late + fresh + acknowledged}
    assert uids("all") == {c.uid for c in late + fresh + acknowledged + closed}
    assert uids("nonsense") == uids("open")


def test_outsiders_still_get_404_and_other_members_403(agency, other_agency):
    from prongsai.agencies.models import Membership
    from prongsai.web.tests import factories

    make(agency, 3)
    url = reverse(URL_NAME, args=[agency.slug]) + "?show=all&page=2"
    outsider = factories.make_user("outsider", other_agency, Membership.Role.COMPLAINT_OFFICER)
    assert client_for(outsider).get(url).status_code == 404
    admin = factories.make_user("admin", agency, Membership.Role.ADMIN)
    assert client_for(admin).get(url).status_code == 403
