"""The public overview counts published material only, and its open data; the public directory."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from prongsai.oversight import services
from prongsai.oversight.tests import world
from prongsai.web.tests.factories import client_for

pytestmark = pytest.mark.django_db
FY = world.FY


def test_the_public_figures_leave_out_unpublished_work():
    world.build(8)
    public = services.completeness(services.Place(base=services.Q(), level="nation"), FY, public=True)
    keys = [m.key for m in public.metrics]
    assert "round12_signed" not in keys and "year_started" not in keys and "links_ok" not in keys
    assert public.total.counts["round12_published"].done == 2  # i = 0, 4 (signed: 0, 2, 4, 6)


def test_the_overview_pages_and_open_data():
    world.build(8)
    client = client_for()
    page = client.get(reverse("oversight:overview"), {"year": FY})
    assert page.status_code == 200
    text = page.content.decode()
    assert "สกลนคร" in text and "ลงนามแล้ว" not in text
    province = client.get(reverse("oversight:overview_province", args=["สกลนคร"]), {"year": FY})
    assert province.status_code == 200 and "พังโคน" in province.content.decode()
    assert client.get(reverse("oversight:overview_province", args=["ไม่มีจังหวัดนี้"])).status_code == 404
    data = json.loads(client.get(reverse("oversight:overview_data", args=["json"]), {"year": FY}).content)
    total = data["rows"][-1]
    assert total["agencies"] == 8 and total["documents"]["round12_published"]["done"] == 2
    assert "round12_signed" not in total["documents"]
    assert data["ita"]["scored"] == 8
    csv = client.get(reverse("oversight:overview_data", args=["csv"]), {"year": FY, "province": "สกลนคร"})
    assert csv.status_code == 200 and "พังโคน" in csv.content.decode("utf-8-sig")
    behind = client.get(reverse("oversight:overview_agencies"),
                        {"year": FY, "metric": "round12_published", "state": "done"}).content.decode()
    assert "/a/ag-0/" in behind and "/a/ag-4/" in behind and "/a/ag-2/" not in behind
    assert client.get(reverse("oversight:overview_agencies"),
                      {"year": FY, "metric": "round12_signed", "state": "done"}).status_code == 404


def test_the_directory_filters_by_province_district_kind_and_name_and_pages():
    world.build(120)
    client = client_for()
    page = client.get(reverse("oversight:directory"), {"province": "สกลนคร", "district": "พังโคน"})
    text = page.content.decode()
    assert page.status_code == 200 and "40 หน่วยงาน" in text
    assert "/a/ag-0/" in text and "/a/ag-1/" not in text
    sao = client.get(reverse("oversight:directory"), {"kind": "sao", "q": "ag 0003"}).content.decode()
    assert "1 หน่วยงาน" not in sao  # ag 3 is a เทศบาลตำบล
    found = client.get(reverse("oversight:directory"), {"q": "ag 0003"}).content.decode()
    assert "/a/ag-3/" in found
    first = client.get(reverse("oversight:directory")).content.decode()
    assert "หน้า 1 จาก 3" in first and 'rel="next"' in first
    assert client.get(reverse("oversight:directory"), {"kind": "castle"}).status_code == 404
