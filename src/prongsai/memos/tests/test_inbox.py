"""The inbox: memos waiting for the user's signature now, across the user's agencies."""

from django.urls import reverse

from prongsai.agencies.models import Membership
from prongsai.memos.tests import helpers
from prongsai.memos.tests.conftest import client_for
from prongsai.web.tests import factories


def test_it_lists_what_waits_for_my_signature(plan, planner, default_chain):
    memo = helpers.sent(plan, planner)
    # A second agency where the same person is the first approver too.
    other = factories.make_agency(slug="sao-two", name="อบต.สอง")
    Membership.objects.create(agency=other, user=default_chain[0], role=Membership.Role.APPROVER)
    Membership.objects.create(agency=other, user=planner, role=Membership.Role.PLANNER)
    other_plan = factories.make_plan(other, 2563)
    other_memo = helpers.draft(other_plan, planner, approvers=[helpers.services.ApproverChoice(
        user=default_chain[0], position="ปลัด อบต.")])
    helpers.services.send_memo(memo=other_memo, by=planner)

    response = client_for(default_chain[0]).get(reverse("memos:inbox"))
    assert response.status_code == 200
    assert sorted(s.memo.pk for s in response.context["steps"].rows) == sorted([memo.pk, other_memo.pk])
    html = response.content.decode()
    assert reverse("memos:memo_detail", args=["tessaban-rae", 2563, 6]) in html
    assert reverse("memos:memo_detail", args=["sao-two", 2563, 6]) in html
    assert "ท่านลงนามเป็นลำดับที่ ๑" in html

    later = client_for(default_chain[1]).get(reverse("memos:inbox"))
    assert list(later.context["steps"].rows) == [] and "ไม่มีบันทึกข้อความที่รอท่านลงนาม" in later.content.decode()


def test_it_shows_returned_memos_to_planners_only(plan, planner, default_chain, viewer):
    memo = helpers.sent(plan, planner)
    helpers.services.return_memo(memo=memo, by=default_chain[0], reason="แก้")
    assert list(client_for(planner).get(reverse("memos:inbox")).context["returned"].rows) == [memo]
    assert list(client_for(viewer).get(reverse("memos:inbox")).context["returned"].rows) == []


def test_outsiders_see_nothing_of_the_agency(plan, planner, default_chain, outsider):
    helpers.sent(plan, planner)
    response = client_for(outsider).get(reverse("memos:inbox"))
    assert list(response.context["steps"].rows) == [] and list(response.context["returned"].rows) == []


def _returned_memos(count: int, planner, approver, start: int = 0) -> list:
    """`count` agencies, each with a memo the approver returned to the planner."""
    memos = []
    for n in range(start, start + count):
        agency = factories.make_agency(slug=f"sao-{n:03d}", name=f"อบต.ทดสอบ {n:03d}")
        Membership.objects.create(agency=agency, user=planner, role=Membership.Role.PLANNER)
        Membership.objects.create(agency=agency, user=approver, role=Membership.Role.APPROVER)
        memo = helpers.draft(factories.make_plan(agency, 2563), planner, approvers=[helpers.services.ApproverChoice(
            user=approver, position="ปลัด อบต.")])
        helpers.services.send_memo(memo=memo, by=planner)
        helpers.services.return_memo(memo=memo, by=approver, reason="แก้")
        memos.append(memo)
    return memos


def _inbox_queries(user, query: str = "") -> tuple[int, object]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(user)
    client.get(reverse("memos:inbox"))  # the session and the user once
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("memos:inbox") + query)
    assert response.status_code == 200
    return len(queries), response


def test_the_inbox_asks_the_same_queries_for_3_or_40_agencies_and_pages_its_lists(db):
    from django.contrib.auth.models import User

    planner = factories.make_user("many-planner", factories.make_agency(slug="home", name="อบต.บ้าน"))
    approver = factories.make_user("many-approver", factories.make_agency(slug="home2", name="อบต.บ้านสอง"))
    root = User.objects.create_superuser("root", password="x")
    _returned_memos(3, planner, approver)
    few = {who: _inbox_queries(user)[0] for who, user in (("planner", planner), ("root", root))}
    memos = _returned_memos(37, planner, approver, start=3)
    for who, user in (("planner", planner), ("root", root)):
        count, response = _inbox_queries(user)
        assert count == few[who], who  # no query per agency (a superuser's 8,300 included)
        first = {m.pk for m in response.context["returned"].rows}
        assert len(first) == 30 and response.context["returned"].count == 40
        second = {m.pk for m in _inbox_queries(user, "?returned=2")[1].context["returned"].rows}
        assert len(second) == 10 and not first & second
