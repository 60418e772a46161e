"""Personas for the accounts tests: an agency admin ("manager"), a planner and a read-only member
(viewer) of the test agency, an admin of another agency (outsider) and an anonymous visitor.

`refusals` checks the four ways a view must say no: anonymous -> login, wrong method -> 405,
viewer -> 403, outsider -> 404 (the outsider is an admin of their own agency, so a missing
agency scope would let them in)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from prongsai.agencies.models import Membership
from prongsai.web.tests import factories
from prongsai.web.tests.factories import client_for

Role = Membership.Role
PASSWORD = "correct horse battery"


@pytest.fixture
def agency(db):
    agency = factories.make_agency()
    factories.make_people(agency)
    return agency


@pytest.fixture
def other_agency(db):
    return factories.make_agency(slug="tessaban-other", name="เทศบาลตำบลอื่น", digits="arabic")


def checked(html: str, role: str) -> bool:
    """Whether the page's roles checkbox for `role` is ticked."""
    [tag] = re.findall(rf'<input type="checkbox" name="roles" value="{role}"[^>]*>', html)
    return " checked" in tag


def make_member(username: str, agency, *roles, first_name: str = "", last_name: str = ""):
    user = factories.make_user(username, agency, role=roles[0])
    for role in roles[1:]:
        Membership.objects.create(agency=agency, user=user, role=role)
    if first_name or last_name:
        user.first_name, user.last_name = first_name, last_name
        user.save()
    return user


@pytest.fixture
def manager(agency):
    return make_member("manager", agency, Role.ADMIN, first_name="นางสมศรี", last_name="ดูแลดี")


@pytest.fixture
def planner(agency):
    return make_member("planner", agency, Role.PLANNER, first_name="นางสาวปราณี", last_name="จันทไชย")


@pytest.fixture
def viewer(agency):
    return make_member("viewer", agency, Role.VIEWER)


@pytest.fixture
def outsider(other_agency):
    return make_member("outsider", other_agency, Role.ADMIN)


@pytest.fixture
def manager_client(manager):
    return client_for(manager)


@pytest.fixture
def viewer_client(viewer):
    return client_for(viewer)


@pytest.fixture
def outsider_client(outsider):
    return client_for(outsider)


@pytest.fixture
def anon_client():
    return client_for()


class Refusals:
    def __init__(self, manager_client, viewer_client, outsider_client, anon_client):
        self.manager_client = manager_client
        self.viewer_client = viewer_client
        self.outsider_client = outsider_client
        self.anon_client = anon_client

    def _call(self, client, method, url, data):
        return getattr(client, method)(url, data or {})

    def anonymous(self, url, method="get", data=None):
        response = self._call(self.anon_client, method, url, data)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login") + "?next=")

    def wrong_method(self, url, method="get"):
        wrong = "post" if method == "get" else "get"
        assert self._call(self.manager_client, wrong, url, None).status_code == 405

    def viewer(self, url, method="get", data=None):
        assert self._call(self.viewer_client, method, url, data).status_code == 403

    def outsider(self, url, method="get", data=None):
        assert self._call(self.outsider_client, method, url, data).status_code == 404


@pytest.fixture
def refusals(manager_client, viewer_client, outsider_client, anon_client):
    return Refusals(manager_client, viewer_client, outsider_client, anon_client)
