"""The web's agency and year pages link to the workspace; the editing links only for those who may edit
(the `can_edit_year` template filter over policy.EDIT_YEAR)."""

from django.urls import reverse

AGENCY = reverse("web:agency_detail", args=["tessaban-rae"])
YEAR = reverse("web:year_detail", args=["tessaban-rae", 2563])


def test_planners_see_the_editing_links(planner_client, plan):
    agency_html = planner_client.get(AGENCY).content.decode()
    assert reverse("workspace:year_new", args=["tessaban-rae"]) in agency_html
    year_html = planner_client.get(YEAR).content.decode()
    assert reverse("workspace:scores", args=["tessaban-rae", 2563]) in year_html
    assert "แก้ไขมาตรการและผลการดำเนินงาน" in year_html
    assert reverse("workspace:dashboard", args=["tessaban-rae", 2563]) in year_html


def test_read_only_members_see_no_editing_links(viewer_client, plan):
    agency_html = viewer_client.get(AGENCY).content.decode()
    assert reverse("workspace:year_new", args=["tessaban-rae"]) not in agency_html
    year_html = viewer_client.get(YEAR).content.decode()
    assert reverse("workspace:scores", args=["tessaban-rae", 2563]) not in year_html
    assert "แก้ไขมาตรการและผลการดำเนินงาน" not in year_html
    assert reverse("workspace:dashboard", args=["tessaban-rae", 2563]) in year_html  # reading is fine
