"""The members page at scale (issue 11): 50 members and 20 invitations a page, searched by name, username
or e-mail, in a number of queries that does not grow with the number of members or invitations."""

from __future__ import annotations

import datetime as dt
import re

from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from prongsai.accounts.models import Invitation
from prongsai.accounts.tests.conftest import Role
from prongsai.agencies.models import Membership

User = get_user_model()
URL = reverse("accounts:members", args=["tessaban-rae"])


def add_members(agency, start: int, stop: int, role=Role.VIEWER) -> None:
    """Members "สมาชิกNNN" (zero-padded, so they sort by number) with usernames userNNN, two roles each."""
    users = User.objects.bulk_create([
        User(username=f"user{n:03d}", first_name=f"สมาชิก{n:03d}", last_name="ทดสอบ", email=f"m{n:03d}@rae.go.th",
             password="!")
        for n in range(start, stop)])
    Membership.objects.bulk_create([Membership(agency=agency, user=user, role=r)
                                    for user in users for r in (role, Role.APPROVER)])


def add_invitations(agency, manager, start: int, stop: int) -> None:
    now = timezone.now()
    Invitation.objects.bulk_create([
        Invitation(agency=agency, email=f"invitee{n:03d}@rae.go.th", name=f"ผู้ได้รับเชิญ{n:03d}", roles=[Role.VIEWER],
                   invited_by=manager, token_hash=f"{n:064d}", created_at=now - dt.timedelta(minutes=n),
                   expires_at=now + dt.timedelta(days=7))
        for n in range(start, stop)])


def queries(client, url=URL) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response.content.decode()


def member_names(html: str) -> list[str]:
    return re.findall(r"สมาชิก\d{3} ทดสอบ", html)


def test_the_query_count_does_not_grow_with_the_members(manager_client, manager, agency):
    add_members(agency, 0, 5)
    add_invitations(agency, manager, 0, 3)
    manager_client.get(URL)  # warm up the session and caches
    small, html = queries(manager_client)
    assert len(member_names(html)) == 5
    add_members(agency, 5, 60)
    add_invitations(agency, manager, 3, 45)
    large, html = queries(manager_client)
    assert large == small
    # 61 members (the manager too): 50 on page 1; 45 invitations: 20 a page.
    assert len(member_names(html)) == 49 and "นางสมศรี ดูแลดี" in html
    assert html.count("ยกเลิกคำเชิญ</button>") == 20
    assert "๖๑ คน" in html and "๔๕ คำเชิญ" in html
    page3, _html = queries(manager_client, URL + "?page=2&invitations=3")
    assert page3 == small


def test_page_two_shows_the_members_page_one_does_not(manager_client, manager, agency):
    add_members(agency, 0, 60)
    first = set(member_names(manager_client.get(URL).content.decode()))
    html = manager_client.get(URL + "?page=2").content.decode()
    second = set(member_names(html))
    assert len(first) == 49 and len(second) == 11
    assert not first & second
    assert first | second == {f"สมาชิก{n:03d} ทดสอบ" for n in range(60)}
    # Thai page links keep the other parameters; the current page is marked
    assert '<span aria-current="page">๒</span>' in html
    assert f'href="{URL}#members-h">๑</a>' in html and 'rel="prev"' in html
    html = manager_client.get(URL + "?q=user0&page=2").content.decode()
    assert 'href="?q=user0#members-h">๑</a>' in html


def test_invitations_have_their_own_pages(manager_client, manager, agency):
    add_invitations(agency, manager, 0, 25)
    first = set(re.findall(r"invitee\d{3}@rae.go.th", manager_client.get(URL).content.decode()))
    second = set(re.findall(r"invitee\d{3}@rae.go.th", manager_client.get(URL + "?invitations=2").content.decode()))
    assert len(first) == 20 and len(second) == 5 and not first & second
    assert "invitee000@rae.go.th" in first  # newest first


def test_the_search_finds_members_and_invitations_by_name_username_or_email(manager_client, manager, planner,
                                                                              agency):
    add_members(agency, 0, 60)
    add_invitations(agency, manager, 0, 30)

    def found(q):
        html = manager_client.get(URL, {"q": q}).content.decode()
        return set(member_names(html)), set(re.findall(r"invitee\d{3}@rae.go.th", html)), html

    names, invitations, html = found("สมาชิก042")
    assert names == {"สมาชิก042 ทดสอบ"} and not invitations
    assert 'value="สมาชิก042"' in html and "พบ ๑ คน" in html
    assert found("USER017")[0] == {"สมาชิก017 ทดสอบ"}  # username, any case
    assert found("m033@rae")[0] == {"สมาชิก033 ทดสอบ"}  # e-mail
    names, _inv, html = found("ปราณี จันทไชย")  # the full name, first and last
    assert not names and "นางสาวปราณี จันทไชย" in html
    assert reverse("accounts:member_detail", args=["tessaban-rae", planner.pk]) in html
    assert reverse("accounts:member_detail", args=["tessaban-rae", manager.pk]) not in html
    names, invitations, _html = found("invitee007")
    assert not names and invitations == {"invitee007@rae.go.th"}
    assert found("ผู้ได้รับเชิญ01")[1] == {f"invitee{n:03d}@rae.go.th" for n in range(10, 20)}
    names, invitations, html = found("ไม่มีใครชื่อนี้")
    assert not names and not invitations
    assert "ไม่พบสมาชิกที่ค้นหา" in html and "ไม่พบคำเชิญที่ค้นหา" in html


def test_the_search_never_shows_other_agencies_members(manager_client, manager, outsider):
    html = manager_client.get(URL, {"q": "outsider"}).content.decode()
    assert "ไม่พบสมาชิกที่ค้นหา" in html and "outsider" not in html.split('id="members-h"')[1]


def test_outsiders_still_get_404_with_a_page_or_a_search(refusals):
    refusals.outsider(URL + "?page=2&q=a")
