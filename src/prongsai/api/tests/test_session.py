"""The browser's login session also opens the API (to try it out): reads as is, writes only with the
CSRF token, exactly as a form post in the browser."""

from django.test import Client

from prongsai.api.tests.conftest import db_state
from prongsai.measures.models import YearPlan

YEARS = "/api/v1/agencies/tessaban-rae/years"


def _browser(user) -> Client:
    client = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="th")
    client.force_login(user)
    return client


def test_it_reads_with_a_session(users):
    response = _browser(users["viewer"]).get(YEARS)
    assert response.status_code == 200 and response.json()["count"] == 1


def test_it_refuses_a_session_write_without_csrf(users):
    before = db_state()
    response = _browser(users["planner"]).post(YEARS, '{"fiscal_year": 2566}', content_type="application/json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert db_state() == before


def test_it_accepts_a_session_write_with_csrf(users):
    browser = _browser(users["planner"])
    browser.get("/accounts/tokens/")  # any page with a form sets the CSRF cookie
    token = browser.cookies["csrftoken"].value
    response = browser.post(YEARS, '{"fiscal_year": 2566}', content_type="application/json", HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 201, response.content
    assert YearPlan.objects.filter(fiscal_year=2566).exists()


def test_a_bad_token_is_refused_even_with_a_session(users):
    browser = _browser(users["planner"])
    response = browser.get(YEARS, HTTP_AUTHORIZATION="Bearer psk_not-a-token")
    assert response.status_code == 401


def test_a_session_of_an_outsider_gets_404(users):
    assert _browser(users["outsider"]).get(YEARS).status_code == 404
