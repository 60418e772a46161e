"""Personas and a year for the memo tests: a planner (linked to a person of the agency), three
approvers (two linked to people, one not), a viewer, an agency admin, a member of another agency, an
anonymous visitor; and the agency's FY 2563 with a round-6 result but no memo yet."""

from __future__ import annotations

import pytest

from prongsai.agencies.models import Membership, Person
from prongsai.memos.models import AgencyChainStep
from prongsai.web.tests import factories
from prongsai.web.tests.factories import client_for  # noqa: F401  (imported from here by other tests)

Role = Membership.Role


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def agency(db):
    agency = factories.make_agency()
    factories.make_people(agency)
    return agency


def _person(agency, name, position, rank=""):
    return Person.objects.create(agency=agency, name=name, position=position, rank=rank)


@pytest.fixture
def plan(agency):
    factories.make_result(agency, year=2562)
    plan = factories.make_plan(agency, 2563)
    budget = factories.make_measure(plan, order=1)
    factories.make_round_result(budget, round=6)
    factories.make_measure(plan, order=2, title="การเปิดเผยข้อมูล", indicator=9, rounds=[12], guideline="", steps="")
    return plan


def _member(username, agency, role, person=None, first_name="", last_name=""):
    user = factories.make_user(username, agency, role)
    if first_name or last_name:
        user.first_name, user.last_name = first_name, last_name
        user.save()
    if person is not None:
        Membership.objects.filter(user=user, agency=agency).update(person=person)
    return user


@pytest.fixture
def planner(agency):
    person = _person(agency, "นางสาวปราณี จันทไชย", "นักวิชาการตรวจสอบภายในชำนาญการ")
    return _member("pranee", agency, Role.PLANNER, person)


@pytest.fixture
def approvers(agency):
    """Three approvers: two linked to people of the agency, the third only a user with a full name."""
    first = _member("watchara", agency, Role.APPROVER, _person(agency, "นายวัชร สำนับ", "รองปลัดเทศบาลตำบลแร่"))
    second = _member("thawi", agency, Role.APPROVER, Person.objects.get(agency=agency, name="ทวี จันทเสนา"))
    third = _member("khonsawan", agency, Role.APPROVER, first_name="นางครสวรรค์", last_name="สุพัฒนานนท์")
    return [first, second, third]


@pytest.fixture
def default_chain(agency, approvers):
    for order, user in enumerate(approvers, start=1):
        AgencyChainStep.objects.create(agency=agency, order=order, user=user,
                                       position="นายกเทศมนตรีตำบลแร่" if order == 3 else "")
    return approvers


@pytest.fixture
def viewer(agency):
    return _member("viewer", agency, Role.VIEWER)


@pytest.fixture
def admin(agency):
    return _member("admin", agency, Role.ADMIN)


@pytest.fixture
def outsider(db):
    other = factories.make_agency(slug="tessaban-other", name="เทศบาลตำบลอื่น", digits="arabic")
    factories.make_year(other, 2564)
    return factories.make_user("somchai", other, Role.PLANNER)
