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
    assert sorted(s.memo.pk for s in response.context["steps"]) == sorted([memo.pk, other_memo.pk])
    html = response.content.decode()
    assert reverse("memos:memo_detail", args=["tessaban-rae", 2563, 6]) in html
    assert reverse("memos:memo_detail", args=["sao-two", 2563, 6]) in html
    assert "ท่านลงนามเป็นลำดับที่ ๑" in html

    later = client_for(default_chain[1]).get(reverse("memos:inbox"))
    assert list(later.context["steps"]) == [] and "ไม่มีบันทึกข้อความที่รอท่านลงนาม" in later.content.decode()


def test_it_shows_returned_memos_to_planners_only(plan, planner, default_chain, viewer):
    memo = helpers.sent(plan, planner)
    helpers.services.return_memo(memo=memo, by=default_chain[0], reason="แก้")
    assert list(client_for(planner).get(reverse("memos:inbox")).context["returned"]) == [memo]
    assert list(client_for(viewer).get(reverse("memos:inbox")).context["returned"]) == []


def test_outsiders_see_nothing_of_the_agency(plan, planner, default_chain, outsider):
    helpers.sent(plan, planner)
    response = client_for(outsider).get(reverse("memos:inbox"))
    assert list(response.context["steps"]) == [] and list(response.context["returned"]) == []
