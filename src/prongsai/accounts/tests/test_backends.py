from django.contrib.auth import authenticate
from django.test import Client, RequestFactory

from prongsai.accounts.backends import client_ip
from prongsai.web.tests import factories


def test_the_test_clients_login_works_with_the_rate_limit_on(db, settings):
    assert settings.AXES_ENABLED
    factories.make_user("pranee")
    client = Client()
    assert client.login(username="pranee", password="correct horse battery")
    assert not Client().login(username="pranee", password="wrong")


def test_a_login_without_a_request_is_decided_by_the_password_alone(db):
    factories.make_user("pranee")
    assert authenticate(username="pranee", password="correct horse battery").username == "pranee"
    assert authenticate(username="pranee", password="wrong") is None


def test_the_client_address_is_remote_addr_without_proxies(settings):
    settings.PRONGSAI_PROXY_COUNT = 0
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR="6.6.6.6")
    assert client_ip(request) == "10.0.0.9"


def test_behind_proxies_it_trusts_only_their_entries(settings):
    settings.PRONGSAI_PROXY_COUNT = 1
    # The client forged the first entry; the one proxy appended the address it saw.
    request = RequestFactory().get("/", REMOTE_ADDR="192.168.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7")
    assert client_ip(request) == "203.0.113.7"
    settings.PRONGSAI_PROXY_COUNT = 2
    request = RequestFactory().get("/", REMOTE_ADDR="192.168.0.2", HTTP_X_FORWARDED_FOR="203.0.113.7, 10.1.1.1")
    assert client_ip(request) == "203.0.113.7"
    # A header shorter than the proxy chain: fall back to the connecting address.
    request = RequestFactory().get("/", REMOTE_ADDR="192.168.0.2", HTTP_X_FORWARDED_FOR="10.1.1.1")
    assert client_ip(request) == "192.168.0.2"
