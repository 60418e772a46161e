"""`GET me` and `GET agencies` at scale (issues 11 and 12): a page of the caller's agencies (`?limit=`,
`?offset=`), with the same number of queries for 5 agencies as for 60, for a superuser (every agency),
an oversight user (a province) and a member of many agencies."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from prongsai.agencies.models import Agency, Membership
from prongsai.api.tests.conftest import ApiClient, token_client
from prongsai.oversight.models import OversightMember, OversightScope
from prongsai.web.tests import factories

User = get_user_model()
Role = Membership.Role


def add_agencies(start: int, stop: int) -> list[Agency]:
    """Agencies "หน่วยงานNNN" in สกลนคร (zero-padded, so they sort by number)."""
    return [factories.make_agency(slug=f"agency-{n:03d}", name=f"หน่วยงาน{n:03d}") for n in range(start, stop)]


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser("operator", "operator@example.org", "x")


@pytest.fixture
def overseer(db):
    user = User.objects.create_user("overseer", password="x")
    scope = OversightScope.objects.create(name="จังหวัดสกลนคร", level=OversightScope.Level.PROVINCE, province="สกลนคร")
    OversightMember.objects.create(scope=scope, user=user)
    return user


@pytest.fixture
def member(db):
    return User.objects.create_user("many", password="x")


def join(user, agencies) -> None:
    if user.is_superuser or user.username == "overseer":
        if user.username == "overseer":  # a member of a few of the province's agencies too
            Membership.objects.bulk_create([Membership(agency=a, user=user, role=Role.APPROVER) for a in agencies[:2]])
        return
    Membership.objects.bulk_create([Membership(agency=a, user=user, role=r)
                                    for a in agencies for r in (Role.PLANNER, Role.VIEWER)])


def capture(client: ApiClient, path: str):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, response.content
    return len(captured), response.json()


@pytest.mark.parametrize("persona", ["superuser", "overseer", "member"])
@pytest.mark.parametrize("path", ["me", "agencies"])
def test_the_query_count_does_not_grow_with_the_agencies(request, persona, path):
    user = request.getfixturevalue(persona)
    client = token_client(user)
    join(user, add_agencies(0, 5))
    client.get(path)  # warm up
    small, body = capture(client, path)
    page = body["agencies"] if path == "me" else body
    assert page["count"] == 5 and len(page["items"]) == 5
    join(user, add_agencies(5, 60))
    large, body = capture(client, path)
    page = body["agencies"] if path == "me" else body
    assert large == small, f"{persona} {path}: {small} queries for 5 agencies, {large} for 60"
    assert page["count"] == 60 and len(page["items"]) == 50


def test_me_pages_the_agencies_and_keeps_their_roles(member):
    agencies = add_agencies(0, 60)
    join(member, agencies)
    client = token_client(member)
    first = client.get("me").json()
    second = client.get("me?limit=50&offset=50").json()
    assert first["roles"] == ["planner", "viewer"] and first["superuser"] is False
    assert second["agencies"]["count"] == 60 and second["agencies"]["offset"] == 50
    one = {a["slug"] for a in first["agencies"]["items"]}
    two = {a["slug"] for a in second["agencies"]["items"]}
    assert len(one) == 50 and len(two) == 10 and not one & two
    assert one | two == {a.slug for a in agencies}
    assert [a["slug"] for a in first["agencies"]["items"][:2]] == ["agency-000", "agency-001"]  # by name
    for item in first["agencies"]["items"] + second["agencies"]["items"]:
        assert item["roles"] == ["planner", "viewer"]
        assert "year.edit" in item["permissions"] and "agency.manage_members" not in item["permissions"]
    small = client.get("me?limit=7&offset=3").json()["agencies"]
    assert [a["slug"] for a in small["items"]] == [f"agency-{n:03d}" for n in range(3, 10)]
    for bad in ("me?limit=0", "me?limit=201", "me?offset=-1", "me?offset=1000000001", "me?limit=abc"):
        assert client.get(bad).status_code == 422, bad


def test_a_superuser_gets_every_agency_with_its_permissions_but_not_complaints(superuser):
    agencies = add_agencies(0, 3)
    Membership.objects.create(agency=agencies[1], user=superuser, role=Role.COMPLAINT_OFFICER)
    body = token_client(superuser).get("me").json()
    assert body["superuser"] is True and body["roles"] == ["complaint_officer"]
    items = {a["slug"]: a for a in body["agencies"]["items"]}
    assert set(items) == {a.slug for a in agencies}
    assert items["agency-000"]["roles"] == [] and "complaints.handle" not in items["agency-000"]["permissions"]
    assert "agency.manage_members" in items["agency-000"]["permissions"]
    assert items["agency-001"]["roles"] == ["complaint_officer"]
    assert "complaints.handle" in items["agency-001"]["permissions"]


def test_an_overseer_reads_the_scope_and_sees_it_in_me(overseer):
    inside = add_agencies(0, 3)
    factories.make_agency(slug="elsewhere", name="หน่วยงานจังหวัดอื่น", province="อุดรธานี")
    join(overseer, inside)
    body = token_client(overseer).get("me").json()
    assert body["oversight_scopes"] == [{"id": OversightScope.objects.get().pk, "name": "จังหวัดสกลนคร",
                                         "level": "province"}]
    items = {a["slug"]: a for a in body["agencies"]["items"]}
    assert set(items) == {a.slug for a in inside}  # not the other province's agency
    assert items["agency-000"]["roles"] == ["approver"] and "memo.sign" in items["agency-000"]["permissions"]
    assert items["agency-002"]["roles"] == [] and items["agency-002"]["permissions"] == ["agency.view"]


def test_me_holds_no_agency_of_others_and_refuses_anonymous_callers(member):
    join(member, add_agencies(0, 2))
    factories.make_agency(slug="not-mine", name="ไม่ใช่ของฉัน")
    body = token_client(member).get("me?limit=200").json()
    assert body["agencies"]["count"] == 2 and "not-mine" not in str(body)
    assert ApiClient().get("me?limit=1").status_code == 401


def test_the_openapi_document_describes_the_page_parameters_of_me(client):
    spec = client.get("/api/v1/openapi.json").json()
    params = {p["name"]: p["schema"] for p in spec["paths"]["/api/v1/me"]["get"]["parameters"]}
    assert params["limit"]["minimum"] == 1 and params["limit"]["maximum"] == 200 and params["limit"]["default"] == 50
    assert params["offset"]["minimum"] == 0
