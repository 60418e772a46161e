"""The oversight roll-up and the public overview in a browser, as issue 11 tells it.

After `prongsai demo`: the provincial oversight user ("oversight") logs in through the form, opens the
roll-up of its province (สกลนคร), follows a figure of the completeness table to the list of agencies
behind it, and from there opens one agency's page; then drills down province → district → agency by
the table's row links. Anonymous visitors open the national overview and the agency directory and use
the directory's search.
"""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command

from prongsai.agencies.models import Agency

pytestmark = pytest.mark.browser

DEMO_PASSWORD = "prongsai-demo"
PROVINCE = "สกลนคร"


@pytest.fixture
def demo(live_server):
    call_command("demo", stdout=io.StringIO(), stderr=io.StringIO())
    return Agency.objects.get(slug="tessaban-rae")


def test_the_overseer_follows_a_figure_and_drills_down_to_an_agency(demo, page, log_in):
    log_in(page, "oversight", DEMO_PASSWORD)
    page.goto("/oversight/")
    page.get_by_role("link", name=re.compile(f"จังหวัด{PROVINCE}")).first.click()
    page.wait_for_load_state()
    assert re.search(r"/oversight/\d+/", page.url)
    table = page.locator("table.completeness")
    assert table.is_visible()
    in_province = set(Agency.objects.filter(province=PROVINCE).values_list("name", flat=True))

    # a figure: the total row's "expected" count of the first document opens the agencies behind it
    figure = table.locator("tr.total a[title='ต้องมี']").first
    expected = int(figure.inner_text())
    figure.click()
    page.wait_for_load_state()
    assert "/agencies/" in page.url and "state=expected" in page.url
    names = page.locator("table tbody th a").all_inner_texts()
    assert len(names) == expected and set(names) <= in_province
    page.get_by_role("link", name=names[0]).click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == names[0]

    # the drill-down: the province's roll-up, the district's row, the agency's row
    page.goto("/oversight/")
    page.get_by_role("link", name=re.compile(f"จังหวัด{PROVINCE}")).first.click()
    page.locator("table.completeness tbody th a", has_text=demo.district).first.click()
    page.wait_for_load_state()
    assert "district=" in page.url
    page.locator("table.completeness tbody th a", has_text=demo.name).click()
    page.wait_for_load_state()
    assert f"/{demo.slug}/" in page.url
    assert page.get_by_role("heading", level=1).inner_text() == demo.name


def test_the_overseer_cannot_open_another_province(demo, page, log_in):
    log_in(page, "oversight", DEMO_PASSWORD)
    page.goto("/oversight/")
    page.get_by_role("link", name=re.compile(f"จังหวัด{PROVINCE}")).first.click()
    page.wait_for_load_state()
    response = page.goto(page.url.split("?")[0] + "?province=เชียงใหม่")
    assert response.status == 404


def test_anonymous_overview_directory_and_its_search(demo, page):
    response = page.goto("/overview/")
    assert response.status == 200
    assert page.get_by_role("heading", level=1).inner_text() == "ภาพรวมการประเมิน ITA ทั้งประเทศ"
    assert page.locator("table.completeness").is_visible()

    page.get_by_role("link", name="ทำเนียบหน่วยงาน").first.click()
    page.wait_for_load_state()
    assert page.url.endswith("/a/")
    everyone = page.locator("table tbody th a").all_inner_texts()
    assert demo.name in everyone and len(everyone) == Agency.objects.count()

    page.get_by_label("ชื่อหรือรหัสหน่วยงาน").fill("แร่")
    page.get_by_role("button", name="ค้นหา").click()
    page.wait_for_load_state()
    assert "q=" in page.url
    assert page.locator("table tbody th a").all_inner_texts() == [demo.name]
    page.get_by_role("link", name=demo.name).click()
    page.wait_for_load_state()
    assert f"/a/{demo.slug}/" in page.url
