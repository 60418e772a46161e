"""Personas for the API tests: one member of the test agency per role (admin, planner, approver,
complaint officer, viewer), an admin of another agency (outsider: a missing agency scope would let
them in), and anonymous. Each persona's client sends its own API token; both agencies have the full
FY 2563 year of the web factories (prior ITA result, two measures, a round-6 result with a link, a
round-6 memo). Uploaded and generated files go to a fresh MEDIA_ROOT per test."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from prongsai.agencies.models import Agency, Membership, Person
from prongsai.api import services
from prongsai.memos.models import AgencyChainStep
from prongsai.web.tests import factories

Role = Membership.Role
YEAR = 2563
OTHER = "tessaban-other"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


class ApiClient:
    """A test client that calls the API with a bearer token (or none) and JSON bodies."""

    def __init__(self, raw: str | None = None, client: Client | None = None):
        headers = {"HTTP_ACCEPT_LANGUAGE": "th"}
        if raw:
            headers["HTTP_AUTHORIZATION"] = f"Bearer {raw}"
        self.client = client or Client(**headers)
        self.raw = raw

    def call(self, method: str, path: str, data=None, **extra):
        url = path if path.startswith("/") else f"/api/v1/{path}"
        kwargs = {}
        if data is not None:
            kwargs = {"data": json.dumps(data), "content_type": "application/json"}
        return getattr(self.client, method.lower())(url, **kwargs, **extra)

    def get(self, path, **extra):
        return self.call("GET", path, **extra)

    def post(self, path, data=None, **extra):
        return self.call("POST", path, data, **extra)

    def put(self, path, data=None, **extra):
        return self.call("PUT", path, data, **extra)

    def delete(self, path, **extra):
        return self.call("DELETE", path, **extra)


def token_client(user) -> ApiClient:
    _token, raw = services.create_token(actor=user, user=user, name="tests")
    return ApiClient(raw)


@pytest.fixture
def agency(db) -> Agency:
    agency = factories.make_agency()
    factories.make_people(agency)
    return agency


@pytest.fixture
def plan(agency):
    return factories.make_year(agency, YEAR)


@pytest.fixture
def other_plan(db):
    other = factories.make_agency(slug=OTHER, name="เทศบาลตำบลอื่น", digits="arabic")
    Person.objects.create(agency=other, name="นายอื่น ภายนอก", position="ปลัด")
    return factories.make_year(other, YEAR)


def _member(username: str, agency: Agency, role: str):
    return factories.make_user(username, agency, role)


@pytest.fixture
def users(agency, plan, other_plan) -> dict:
    """One user per persona (None for anonymous); the approvers form the agency's default chain."""
    made = {
        "admin": _member("admin", agency, Role.ADMIN),
        "planner": _member("pranee", agency, Role.PLANNER),
        "approver": _member("watchara", agency, Role.APPROVER),
        "complaint_officer": _member("somsri", agency, Role.COMPLAINT_OFFICER),
        "viewer": _member("wilai", agency, Role.VIEWER),
        "outsider": _member("somchai", other_plan.agency, Role.ADMIN),
        "anonymous": None,
    }
    second = _member("thawi", agency, Role.APPROVER)
    Membership.objects.filter(user=second, agency=agency).update(
        person=Person.objects.get(agency=agency, name="ทวี จันทเสนา"))
    AgencyChainStep.objects.create(agency=agency, order=1, user=made["approver"], position="รองปลัดเทศบาลตำบลแร่")
    AgencyChainStep.objects.create(agency=agency, order=2, user=second)
    made["second_approver"] = second
    return made


@pytest.fixture
def clients(users) -> dict:
    return {name: token_client(user) if user else ApiClient() for name, user in users.items()}


def detail(response) -> str:
    return response.json()["detail"]


def field_errors(response) -> dict:
    """{"body.title": [messages]} of a 422 answer."""
    assert response.status_code == 422, response.content
    errors: dict = {}
    for item in response.json()["detail"]:
        errors.setdefault(".".join(str(part) for part in item["loc"]), []).append(item["msg"])
    return errors


def db_state() -> dict:
    """Every row an API call could change (tokens aside: using one notes when it was last used)."""
    from prongsai.agencies.models import Unit
    from prongsai.assessments.models import IndicatorScore, ITAResult
    from prongsai.audit.models import AuditEntry
    from prongsai.measures.models import Evidence, Measure, RoundResult, YearPlan
    from prongsai.memos.models import Memo, RegisterCounter, RegisterEntry, Signer
    from prongsai.reports.models import ReportVersion

    models = [Agency, Unit, Person, Membership, AgencyChainStep, YearPlan, ITAResult, IndicatorScore, Measure,
              RoundResult, Evidence, Memo, Signer, RegisterCounter, RegisterEntry, ReportVersion, AuditEntry]
    return {model._meta.label: list(model.objects.order_by("pk").values()) for model in models}
