import pytest
from django.urls import reverse

from prongsai.web.tests import factories
from prongsai.workspace.tests.personas import assert_login_redirect, audit_actions


def _url(measure) -> str:
    return reverse("workspace:measure_move", args=["tessaban-rae", 2563, measure.pk])


@pytest.fixture
def third(plan):
    return factories.make_measure(plan, order=3, title="การป้องกันการทุจริต", rounds=[12])


def _titles(plan) -> list[str]:
    return list(plan.measures.order_by("order").values_list("title", flat=True))


def test_it_moves_a_measure_up(planner_client, plan, third):
    response = planner_client.post(_url(third), {"direction": "up"})
    assert response.status_code == 302
    assert _titles(plan) == ["การใช้งบประมาณ", "การป้องกันการทุจริต", "การเปิดเผยข้อมูล"]
    assert list(plan.measures.values_list("order", flat=True)) == [1, 2, 3]
    assert audit_actions(third) == ["measures.measure.moved"]


def test_it_moves_a_measure_down(planner_client, plan, third):
    planner_client.post(_url(plan.measures.get(order=1)), {"direction": "down"})
    assert _titles(plan) == ["การเปิดเผยข้อมูล", "การใช้งบประมาณ", "การป้องกันการทุจริต"]


def test_it_leaves_the_first_measure_first(planner_client, plan, third):
    first = plan.measures.get(order=1)
    planner_client.post(_url(first), {"direction": "up"})
    assert _titles(plan)[0] == "การใช้งบประมาณ"
    assert audit_actions(first) == []


def test_it_refuses_an_unknown_direction(planner_client, plan, third):
    assert planner_client.post(_url(third), {"direction": "sideways"}).status_code == 400
    assert _titles(plan)[2] == "การป้องกันการทุจริต"


def test_it_rejects_wrong_methods(planner_client, plan):
    assert planner_client.get(_url(plan.measures.get(order=2))).status_code == 405


def test_it_sends_anonymous_visitors_to_login(anon_client, plan):
    assert_login_redirect(anon_client.post(_url(plan.measures.get(order=2)), {"direction": "up"}))


def test_it_forbids_read_only_members(viewer_client, plan):
    assert viewer_client.post(_url(plan.measures.get(order=2)), {"direction": "up"}).status_code == 403
    assert _titles(plan) == ["การใช้งบประมาณ", "การเปิดเผยข้อมูล"]


def test_it_hides_other_agencies(outsider_client, plan):
    assert outsider_client.post(_url(plan.measures.get(order=2)), {"direction": "up"}).status_code == 404
    assert _titles(plan) == ["การใช้งบประมาณ", "การเปิดเผยข้อมูล"]
