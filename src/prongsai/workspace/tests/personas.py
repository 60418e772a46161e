"""Personas for the workspace and measures tests: a planner (may edit the year), a viewer (read
only), a member of another agency (outsider) and an anonymous visitor, all asking in Thai; the
agency has units with people and the full FY 2563 year of the web factories. Uploaded files go to
a fresh MEDIA_ROOT per test."""

import pytest
from django.utils import translation

from prongsai.agencies.models import Membership
from prongsai.audit.models import AuditEntry
from prongsai.web.tests import factories
from prongsai.web.tests.factories import client_for


@pytest.fixture(autouse=True)
def thai():
    """Services speak the active language: pin Thai (an earlier request may have left English active)."""
    with translation.override("th"):
        yield


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def agency(db):
    agency = factories.make_agency()
    factories.make_people(agency)
    return agency


@pytest.fixture
def plan(agency):
    return factories.make_year(agency, 2563)


@pytest.fixture
def planner(agency):
    user = factories.make_user("pranee", agency, Membership.Role.PLANNER)
    user.email = "pranee@rae.go.th"
    user.save()
    return user


@pytest.fixture
def viewer(agency):
    return factories.make_user("wilai", agency, Membership.Role.VIEWER)


@pytest.fixture
def outsider(db):
    other = factories.make_agency(slug="tessaban-other", name="เทศบาลตำบลอื่น", digits="arabic")
    factories.make_year(other, 2563)
    return factories.make_user("somchai", other, Membership.Role.PLANNER)


@pytest.fixture
def planner_client(planner):
    return client_for(planner)


@pytest.fixture
def viewer_client(viewer):
    return client_for(viewer)


@pytest.fixture
def outsider_client(outsider):
    return client_for(outsider)


@pytest.fixture
def anon_client():
    return client_for()


def audit_actions(obj=None) -> list[str]:
    entries = AuditEntry.objects.order_by("id")
    if obj is not None:
        entries = entries.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))
    return list(entries.values_list("action", flat=True))


def assert_login_redirect(response) -> None:
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
