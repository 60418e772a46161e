"""Issue 10 item 10: the Content-Security-Policy on every page (nonces for the inline <style> blocks, no
inline script), `Cache-Control: private, no-store` on staff pages and the API but not on the public
portal, idle staff sessions ending after the agency's `session_hours`, and `check --deploy` clean with
the production environment that docs/setup.md documents."""

from __future__ import annotations

import base64
import hashlib
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.urls import reverse

from prongsai.agencies.models import Agency, Membership
from prongsai.api import services as api_services
from prongsai.memos.models import AgencyChainStep
from prongsai.memos.tests import helpers as memo_helpers
from prongsai.portal import services as portal
from prongsai.web import security
from prongsai.web.tests import factories
from prongsai.web.tests.factories import client_for

ROOT = Path(__file__).resolve().parents[4]
YEAR = 2563


@pytest.fixture
def published(agency, settings, tmp_path):
    """The agency's approved round-6 report, published on its portal."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRONGSAI_PUBLIC_DIR = tmp_path / "public"
    settings.PRONGSAI_PUBLIC_URL = "https://ita.example.go.th"
    factories.make_result(agency, year=YEAR - 1)
    plan = factories.make_plan(agency, YEAR)
    factories.make_round_result(factories.make_measure(plan, order=1), round=6)
    planner = factories.make_user("planner", agency, Membership.Role.PLANNER)
    approver = factories.make_user("approver", agency, Membership.Role.APPROVER)
    admin = factories.make_user("admin", agency, Membership.Role.ADMIN)
    AgencyChainStep.objects.create(agency=agency, order=1, user=approver, position="ปลัดเทศบาล")
    memo = memo_helpers.approved(plan, planner, [approver])
    portal.publish_report(memo=memo, by=admin)
    return reverse("portal:round_report", kwargs={"slug": agency.slug, "fy": YEAR, "round": 6})


def _policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


def _check_page_policy(response) -> None:
    """Scripts only from the site, no inline script, and every inline <style> carries the header's nonce."""
    assert response.status_code == 200
    policy = _policy(response)
    assert policy["script-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
    html = response.content.decode()
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert "src=" in tag or 'type="application/json"' in tag, tag  # data, never code, inline
    assert not re.search(r"\son[a-z]+=", html)  # no onclick= and friends
    styles = re.findall(r"<style\b([^>]*)>(.*?)</style>", html, flags=re.S)
    nonces = [n for n in policy["style-src"] if n.startswith("'nonce-")]
    hashes = {n for n in policy["style-src"] if n.startswith("'sha256-")}
    for attributes, css in styles:  # each inline block allowed by the header's nonce or by its own hash
        digest = base64.b64encode(hashlib.sha256(css.encode()).digest()).decode()
        assert (nonces and f'nonce="{nonces[0][7:-1]}"' in attributes) or f"'sha256-{digest}'" in hashes
    if not any("nonce=" in attributes for attributes, _css in styles):
        assert nonces == []


def test_a_staff_page_has_the_policy_and_no_store(member_client):
    response = member_client.get(reverse("web:agency_list"))
    _check_page_policy(response)
    assert "'nonce-" in response["Content-Security-Policy"]  # base.html's @font-face block
    assert set(response["Cache-Control"].replace(" ", "").split(",")) >= {"private", "no-store"}


def test_the_api_has_the_policy_and_no_store(member):
    _token, raw = api_services.create_token(actor=member, user=member, name="test")
    response = client_for().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert set(response["Cache-Control"].replace(" ", "").split(",")) >= {"private", "no-store"}
    # An error answer too.
    response = client_for().get("/api/v1/me")
    assert response.status_code == 401 and "no-store" in response["Cache-Control"]


def test_swagger_has_the_policy_and_no_inline_script(member_client):
    response = member_client.get("/api/v1/docs")
    _check_page_policy(response)
    assert "no-store" in response["Cache-Control"]


def test_the_public_report_page_allows_its_style_by_hash_and_may_be_cached(published):
    response = client_for().get(published)
    _check_page_policy(response)
    # The report's CSS is allowed by its hash (no nonce): the page is the same bytes on every request,
    # which the static copy of the public site relies on.
    assert "<style>" in response.content.decode() and "'sha256-" in _policy(response)["style-src"][-1]
    assert "nonce" not in response["Content-Security-Policy"]
    assert client_for().get(published).content == response.content
    assert "style=\"" in response.content.decode()  # the renderer's sizes: allowed by style-src-attr only
    assert _policy(response)["style-src-attr"] == ["'unsafe-inline'"]
    assert "no-store" not in response.get("Cache-Control", "")


def test_a_public_portal_page_is_not_marked_no_store(agency):
    response = client_for().get(reverse("portal:agency", kwargs={"slug": agency.slug}))
    _check_page_policy(response)
    assert "no-store" not in response.get("Cache-Control", "")


def test_an_html_file_the_app_serves_is_sandboxed(published, agency):
    html = client_for().get(published).content.decode()
    link = re.search(r'href="([^"]+\.html)"', html).group(1)
    response = client_for().get(link)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    policy = _policy(response)
    assert "sandbox" in policy and policy["default-src"] == ["'none'"] and "script-src" not in policy


def _age_session(client, seconds: int) -> None:
    session = client.session
    seen = session[security.SEEN_KEY]
    seen["at"] -= seconds
    session[security.SEEN_KEY] = seen
    session.save()


def test_a_session_ends_after_the_agencys_idle_hours(agency, member):
    Agency.objects.filter(pk=agency.pk).update(session_hours=2)
    client = client_for(member)
    assert client.get(reverse("web:agency_list")).status_code == 200
    assert client.session.get_expiry_age() == 2 * 3600
    _age_session(client, 2 * 3600 - 120)  # just under two idle hours: still signed in, and the clock restarts
    assert client.get(reverse("web:agency_list")).status_code == 200
    assert time.time() - client.session[security.SEEN_KEY]["at"] < 60
    _age_session(client, 2 * 3600 + 60)
    response = client.get(reverse("web:agency_list"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert security.SEEN_KEY not in client.session


def test_the_shortest_setting_of_a_users_agencies_applies_and_eight_hours_by_default(agency, member):
    assert security.session_seconds(member) == 8 * 3600  # Agency.session_hours' default
    other = factories.make_agency(slug="tessaban-other", name="เทศบาลตำบลอื่น")
    Agency.objects.filter(pk=other.pk).update(session_hours=3)
    Membership.objects.create(agency=other, user=member, role=Membership.Role.VIEWER)
    assert security.session_seconds(member) == 3 * 3600
    lone = factories.make_user("lone")
    assert security.session_seconds(lone) == 8 * 3600  # settings.PRONGSAI_SESSION_HOURS


def _documented_production_env() -> dict[str, str]:
    """The environment block of docs/setup.md's "In production", as `KEY=value` lines."""
    text = (ROOT / "docs" / "setup.md").read_text(encoding="utf-8")
    section = text[text.index("## In production"):]
    block = re.search(r"\*\*Environment\*\*.*?```sh\n(.*?)```", section, re.S).group(1)
    env = {}
    for line in block.splitlines():
        key, _, value = line.strip().partition("=")
        if key:
            env[key] = value.strip('"')
    return env


def test_check_deploy_is_clean_with_the_documented_production_environment(tmp_path):
    env = _documented_production_env()
    assert {"SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SECURE_COOKIES", "SECURE_PROXY_SSL_HEADER"} <= env.keys()
    env.update({
        "PRONGSAI_DATA_DIR": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "PATH": os.environ["PATH"], "HOME": str(tmp_path), "PYTHAINLP_READ_ONLY": "1",
    })
    result = subprocess.run([sys.executable, "-m", "prongsai", "check", "--deploy", "--fail-level", "WARNING"],
                            env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    # The environment reached the settings Django's SecurityMiddleware reads.
    shown = subprocess.run([sys.executable, "-m", "prongsai", "diffsettings"], env=env, capture_output=True,
                           text=True, timeout=120).stdout
    for line in ("SECURE_HSTS_SECONDS = 31536000", "SECURE_SSL_REDIRECT = True", "SECURE_HSTS_PRELOAD = True",
                 "SECURE_HSTS_INCLUDE_SUBDOMAINS = True", "SECURE_PROXY_SSL_HEADER = ('HTTP_X_FORWARDED_PROTO', 'https')",
                 "SESSION_COOKIE_SECURE = True", "SESSION_COOKIE_AGE = 28800"):
        assert line in shown, line


def test_hsts_and_the_ssl_redirect_are_sent_when_set(settings, member_client):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_SSL_REDIRECT = True
    response = member_client.get(reverse("web:agency_list"))
    assert response.status_code == 301 and response["Location"].startswith("https://")
    response = member_client.get(reverse("web:agency_list"), secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000"
