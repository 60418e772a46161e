from django.urls import reverse

from prongsai.web.tests import factories
from prongsai.workspace.tests.personas import assert_login_redirect

URL = reverse("workspace:measure_list", args=["tessaban-rae", 2563])


def test_it_lists_the_measures_in_table_order_with_edit_buttons(planner_client, plan):
    factories.make_measure(plan, order=3, title="การป้องกันการทุจริต", indicator=10, rounds=[3])
    html = planner_client.get(URL).content.decode()
    assert html.index("การใช้งบประมาณ") < html.index("การเปิดเผยข้อมูล") < html.index("การป้องกันการทุจริต")
    assert "๓. <a" in html
    assert "เพิ่มมาตรการใหม่" in html and "เลือกจากมาตรการแนะนำ" in html
    assert html.count('name="direction" value="up"') == 2  # not on the first
    assert html.count('name="direction" value="down"') == 2  # not on the last
    budget = plan.measures.get(order=1)
    assert reverse("workspace:round_result", args=["tessaban-rae", 2563, budget.pk, 6]) in html


def test_it_shows_read_only_members_the_list_without_buttons(viewer_client, plan):
    response = viewer_client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "การใช้งบประมาณ" in html
    assert "เพิ่มมาตรการใหม่" not in html and 'name="direction"' not in html


def test_it_rejects_wrong_methods(planner_client, plan):
    assert planner_client.post(URL).status_code == 405


def test_it_sends_anonymous_visitors_to_login(anon_client, plan):
    assert_login_redirect(anon_client.get(URL))


def test_it_hides_other_agencies(outsider_client, plan):
    assert outsider_client.get(URL).status_code == 404


def test_it_has_no_page_for_a_year_not_started(planner_client, plan):
    assert planner_client.get(reverse("workspace:measure_list", args=["tessaban-rae", 2570])).status_code == 404


def test_it_escapes_what_people_typed(planner_client, plan):
    factories.make_measure(plan, order=3, title='<script>alert("x")</script>', rounds=[3])
    html = planner_client.get(URL).content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
