"""The two one-POST actions of the checklist: carry forward and auto-fill."""

import pytest
from django.urls import reverse

from prongsai.oit import services
from prongsai.oit.models import OITAnswer
from prongsai.web.tests import factories
from prongsai.workspace.tests.personas import assert_login_redirect


@pytest.fixture
def year_2566(agency, planner):
    factories.make_plan(agency, 2566)
    services.save_answer(actor=planner, agency=agency, fiscal_year=2565, code="O29", has=True,
                         urls=["https://www.rae.go.th/guide"], explanation="")


CARRY = reverse("oit:carry_forward", args=["tessaban-rae", 2566])
FILL = reverse("oit:autofill", args=["tessaban-rae", 2563])


def test_it_carries_answers_forward(planner_client, year_2566):
    response = planner_client.post(CARRY)
    assert response.status_code == 302
    assert OITAnswer.objects.get(fiscal_year=2566, code="O27").carried_from == "O29"


def test_it_autofills_with_absolute_urls(planner_client, plan):
    assert planner_client.post(FILL).status_code == 302
    assert OITAnswer.objects.get(code="O30").urls == ["http://testserver/a/tessaban-rae/complaints/channels/",
                                                      "http://testserver/a/tessaban-rae/complaints/"]


@pytest.mark.parametrize("url", [CARRY, FILL])
def test_it_rejects_wrong_methods(planner_client, plan, year_2566, url):
    assert planner_client.get(url).status_code == 405


@pytest.mark.parametrize("url", [CARRY, FILL])
def test_it_sends_anonymous_visitors_to_login(anon_client, plan, year_2566, url):
    assert_login_redirect(anon_client.post(url))


@pytest.mark.parametrize("url", [CARRY, FILL])
def test_it_forbids_read_only_members(viewer_client, plan, year_2566, url):
    assert viewer_client.post(url).status_code == 403
    assert not OITAnswer.objects.filter(fiscal_year__in=[2563, 2566]).exists()


@pytest.mark.parametrize("url", [CARRY, FILL])
def test_it_hides_other_agencies(outsider_client, plan, year_2566, url):
    assert outsider_client.post(url).status_code == 404
