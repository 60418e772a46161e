"""The header's agency switcher and links (accounts.context_processors.navigation, on every page)."""

import re

from django.urls import reverse

from prongsai.accounts.tests.conftest import Role, client_for, make_member
from prongsai.web.tests import factories


def menu(html: str) -> str:
    return re.search(r'<ul class="switcher-menu">(.*?)</ul>', html, re.S).group(1)


def switcher(html: str) -> list[str]:
    return re.findall(r"<a [^>]*>([^<]+)</a>", menu(html))


def test_a_member_of_two_agencies_sees_both_and_only_those(agency, other_agency):
    factories.make_agency(slug="third", name="อบต.ที่สาม")
    both = make_member("both", agency, Role.PLANNER)
    other_agency.memberships.create(user=both, role=Role.VIEWER)
    html = client_for(both).get(reverse("web:agency_detail", args=["tessaban-other"])).content.decode()
    assert switcher(html) == ["เทศบาลตำบลอื่น", "เทศบาลตำบลแร่"]
    assert '<a href="/agencies/tessaban-other/" aria-current="true">เทศบาลตำบลอื่น</a>' in html
    assert '<a href="/agencies/tessaban-rae/">เทศบาลตำบลแร่</a>' in html
    assert "หน่วยงานปัจจุบัน:" in html
    assert "อบต.ที่สาม" not in html


def test_it_links_the_admin_pages_for_agency_admins_only(manager_client, viewer_client):
    page = reverse("web:agency_detail", args=["tessaban-rae"])
    members = reverse("accounts:members", args=["tessaban-rae"])
    settings_page = reverse("accounts:agency_settings", args=["tessaban-rae"])
    html = manager_client.get(page).content.decode()
    assert members in html and settings_page in html
    assert f'<a href="{page}" aria-current="page">หน้าหน่วยงาน</a>' in html
    html = viewer_client.get(page).content.decode()
    assert members not in html and settings_page not in html
    assert reverse("accounts:account") in html


def test_without_a_current_agency_it_asks_to_choose(manager_client):
    html = manager_client.get(reverse("web:agency_list")).content.decode()
    assert "<summary>เลือกหน่วยงาน</summary>" in html
    assert switcher(html) == ["เทศบาลตำบลแร่"] and "aria-current" not in menu(html)
    assert "สมาชิกและบทบาท" not in html


def test_anonymous_visitors_see_no_switcher(anon_client):
    html = anon_client.get(reverse("login")).content.decode()
    assert "switcher" not in html and "บัญชีของฉัน" not in html
