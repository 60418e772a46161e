"""Personas for the web tests: a member of the agency, a member of another agency (outsider) and
an anonymous visitor; pages are asked in Thai unless a test switches the language."""

import pytest

from prongsai.web.tests import factories
from prongsai.web.tests.factories import client_for as _client


@pytest.fixture
def agency(db):
    agency = factories.make_agency()
    factories.make_people(agency)
    return agency


@pytest.fixture
def member(agency):
    return factories.make_user("pranee", agency)


@pytest.fixture
def outsider(db):
    other = factories.make_agency(slug="tessaban-other", name="เทศบาลตำบลอื่น", digits="arabic")
    factories.make_year(other, 2564)
    return factories.make_user("somchai", other)


@pytest.fixture
def member_client(member):
    return _client(member)


@pytest.fixture
def outsider_client(outsider):
    return _client(outsider)


@pytest.fixture
def anon_client():
    return _client()
