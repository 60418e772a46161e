import hashlib
import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from prongsai.api.models import ApiToken
from prongsai.api.tests.conftest import ApiClient
from prongsai.audit.models import AuditEntry
from prongsai.web.tests import factories

PAGE = "/accounts/tokens/"


@pytest.fixture
def alice(agency):
    return factories.make_user("alice", agency)


def _browser(user, **kwargs) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="th", **kwargs)
    client.force_login(user)
    return client


def _shown_token(html: str) -> str:
    [raw] = re.findall(r'<code id="new-token">(psk_[A-Za-z0-9_-]+)</code>', html)
    return raw


def test_it_shows_a_new_token_once_and_keeps_only_its_hash(alice):
    browser = _browser(alice)
    response = browser.post(PAGE, {"name": "Excel sync"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    raw = _shown_token(response.content.decode())
    token = ApiToken.objects.get(user=alice)
    assert token.name == "Excel sync"
    assert token.key_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert raw.startswith(token.prefix) and len(token.prefix) < len(raw) // 3
    stored = " ".join(str(v) for v in ApiToken.objects.values().get())
    assert raw not in stored
    again = browser.get(PAGE).content.decode()
    assert raw not in again and token.prefix in again and "Excel sync" in again
    entry = AuditEntry.objects.get(action="api.token.created")
    assert entry.actor == alice
    assert raw not in str(entry.changes) and token.key_hash not in str(entry.changes)
    assert ApiClient(raw).get("me").json()["username"] == "alice"


def test_it_notes_when_a_token_was_last_used(alice):
    browser = _browser(alice)
    raw = _shown_token(browser.post(PAGE, {"name": "x"}).content.decode())
    assert ApiToken.objects.get().last_used_at is None
    ApiClient(raw).get("agencies")
    assert ApiToken.objects.get().last_used_at is not None


def test_it_revokes_a_token_for_good(alice):
    browser = _browser(alice)
    raw = _shown_token(browser.post(PAGE, {"name": "x"}).content.decode())
    assert ApiClient(raw).get("agencies").status_code == 200
    token = ApiToken.objects.get()
    response = browser.post(f"{PAGE}{token.pk}/revoke/")
    assert response.status_code == 302 and response["Location"] == PAGE
    token.refresh_from_db()
    assert token.revoked
    assert ApiClient(raw).get("agencies").status_code == 401
    assert AuditEntry.objects.filter(action="api.token.revoked", actor=alice).count() == 1
    browser.post(f"{PAGE}{token.pk}/revoke/")  # again: nothing more happens
    assert AuditEntry.objects.filter(action="api.token.revoked").count() == 1


def test_it_does_not_let_a_user_revoke_someone_elses_token(alice, agency):
    bob = factories.make_user("bob", agency)
    raw = _shown_token(_browser(bob).post(PAGE, {"name": "bob's"}).content.decode())
    token = ApiToken.objects.get(user=bob)
    assert _browser(alice).post(f"{PAGE}{token.pk}/revoke/").status_code == 404
    assert "bob's" not in _browser(alice).get(PAGE).content.decode()
    token.refresh_from_db()
    assert not token.revoked and ApiClient(raw).get("me").status_code == 200


def test_it_requires_a_name(alice):
    response = _browser(alice).post(PAGE, {"name": "  "})
    assert response.status_code == 200
    assert "psk_" not in response.content.decode()
    assert not ApiToken.objects.exists()


def test_it_refuses_anonymous_and_wrong_methods_and_missing_csrf(alice):
    anonymous = Client()
    assert anonymous.get(PAGE)["Location"].startswith("/accounts/login/")
    assert anonymous.post(PAGE, {"name": "x"}).status_code == 302
    assert _browser(alice).get(f"{PAGE}1/revoke/").status_code == 405
    assert _browser(alice).delete(PAGE).status_code == 405
    assert _browser(alice, enforce_csrf_checks=True).post(PAGE, {"name": "x"}).status_code == 403
    assert not ApiToken.objects.exists()


def test_it_refuses_bad_unknown_and_inactive_tokens(alice):
    browser = _browser(alice)
    raw = _shown_token(browser.post(PAGE, {"name": "x"}).content.decode())
    for header in ("Bearer psk_wrong", "Bearer ", "Token " + raw, raw, "Bearer " + raw[:-1]):
        response = Client(HTTP_AUTHORIZATION=header).get("/api/v1/agencies")
        assert response.status_code == 401, header
    alice.is_active = False
    alice.save()
    assert ApiClient(raw).get("agencies").status_code == 401


def test_the_command_creates_lists_and_revokes(alice):
    out, err = io.StringIO(), io.StringIO()
    call_command("api_token", "create", "alice", "--name", "nightly export", stdout=out, stderr=err)
    raw = out.getvalue().strip()
    token = ApiToken.objects.get()
    assert token.key_hash == hashlib.sha256(raw.encode()).hexdigest() and token.name == "nightly export"
    assert ApiClient(raw).get("me").status_code == 200

    listing = io.StringIO()
    call_command("api_token", "list", "alice", stdout=listing)
    assert token.prefix in listing.getvalue() and raw not in listing.getvalue() and "active" in listing.getvalue()

    call_command("api_token", "revoke", str(token.pk), stdout=io.StringIO())
    assert ApiClient(raw).get("me").status_code == 401
    actions = list(AuditEntry.objects.order_by("id").values_list("action", "actor_name"))
    assert actions == [("api.token.created", "คำสั่ง prongsai api_token"),
                       ("api.token.revoked", "คำสั่ง prongsai api_token")]


def test_the_command_says_no_plainly(alice):
    with pytest.raises(CommandError, match="no user named"):
        call_command("api_token", "create", "nobody", "--name", "x")
    with pytest.raises(CommandError, match="no token with id"):
        call_command("api_token", "revoke", "999")
    with pytest.raises(CommandError):
        call_command("api_token", "create", "alice", "--name", " ")
    assert not ApiToken.objects.exists()
