"""Shared fixtures of the browser tests: Prongsai served by pytest-django's `live_server` (Django in a
thread of the test process, on the test database, static files and the font view included) and driven by
Playwright in Debian's chromium.

Use them in a test module marked `pytestmark = pytest.mark.browser`:

    def test_something(page, log_in, browser_user, assert_no_horizontal_overflow):
        browser_user("somchai", agency, Membership.Role.PLANNER)  # password: PASSWORD
        log_in(page, "somchai")                          # through the real login form
        page.goto("/inbox/")                             # relative to live_server.url
        with page.expect_download() as info:             # downloads are enabled
            page.get_by_role("link", name="ดาวน์โหลด PDF").click()
        assert_no_horizontal_overflow(page)

- `browser` (one per test module) is /usr/bin/chromium, headless, with the flags that work on a machine
  without network access (no background networking, no component updates, no sync, no QUIC). Playwright
  gives it a new, empty profile directory of its own (its launch() refuses a --user-data-dir flag).
  `playwright install` is never used: Playwright drives Debian's build.
- `new_context()` makes a fresh browser context (own cookies: one per user in a multi-user story) with
  downloads enabled, Thai as the browser's language and `live_server.url` as the base URL; `page` is a
  page of a context of its own. All of them are closed after the test.
- Tests marked `browser` are skipped, with the reason, only when /usr/bin/chromium is missing (the
  root conftest.py); `make test` installs chromium, so there they always run.
- `log_in`, `browser_user` and `assert_no_horizontal_overflow` are fixtures that return a helper (a
  conftest is not importable from test modules).
- A JavaScript error on any page fails the test at teardown.

The live server uses the transactional test database (pytest-django switches to it for `live_server`),
so rows made with the ORM before the browser acts are visible to the server thread, and vice versa.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# The password every browser-test user gets (the fast MD5 hasher of the root conftest makes it cheap).
PASSWORD = "browser-test-password-1"
# Playwright's wait for an element or a navigation; an approval freezes the report (PDF, DOCX, HTML),
# which takes a few seconds on a busy machine.
TIMEOUT_MS = 20_000


@pytest.fixture(scope="module")
def _playwright() -> Iterator[object]:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium (make test does)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an asyncio loop running in this thread while it is started, and Django
    # then refuses ORM calls here ("SynchronousOnlyOperation"), though the tests' set-up between browser
    # steps is plain synchronous code. So: allowed for the module's tests only, and Playwright is stopped
    # after each module, so that tests collected after the browser tests see neither.
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield playwright


@pytest.fixture(scope="module")
def browser(_playwright):
    """Debian's chromium, one per test module (starting it takes well under a second)."""
    browser = _playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """Uploads and frozen reports of each test go to a fresh folder (the server thread shares settings)."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def new_context(browser, live_server) -> Iterator[Callable[..., object]]:
    """new_context(**options) -> a fresh browser context; options go to Playwright's new_context
    (e.g. viewport={"width": 390, "height": 844})."""
    contexts, errors = [], []

    def make(**options):
        options = {"accept_downloads": True, "locale": "th-TH", "base_url": live_server.url, **options}
        context = browser.new_context(**options)
        context.set_default_timeout(TIMEOUT_MS)
        context.set_default_navigation_timeout(TIMEOUT_MS)
        context.on("weberror", lambda error: errors.append(str(error.error)))
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()
    assert not errors, f"JavaScript errors in the pages: {errors}"


@pytest.fixture
def page(new_context):
    return new_context().new_page()


@pytest.fixture
def log_in() -> Callable[..., None]:
    """log_in(page, username, password=PASSWORD): through the real login form, in the page's context;
    fails the test when the login page comes back."""

    def log_in(page, username: str, password: str = PASSWORD) -> None:
        page.goto("/accounts/login/")
        page.get_by_label("ชื่อผู้ใช้").fill(username)
        page.get_by_label("รหัสผ่าน").fill(password)
        page.get_by_role("button", name="เข้าสู่ระบบ").click()
        page.wait_for_load_state()
        if "/accounts/login/" in page.url:
            raise AssertionError(f"login as {username!r} failed: still on {page.url}")

    return log_in


@pytest.fixture
def browser_user(django_user_model) -> Callable[..., object]:
    """browser_user(username, agency=None, role=None, person=None, **fields) -> a user whose password is
    PASSWORD, a member of `agency` with `role` (a Membership.Role) and linked to `person` when given."""
    from prongsai.agencies.models import Membership

    def make(username: str, agency=None, role: str | None = None, person=None, **fields):
        user = django_user_model.objects.create_user(username=username, password=PASSWORD, **fields)
        if agency is not None:
            Membership.objects.create(user=user, agency=agency, role=role or Membership.Role.VIEWER, person=person)
        return user

    return make


def horizontal_overflow(page) -> int:
    """How many CSS pixels the page is wider than its viewport (0 when nothing sticks out)."""
    return page.evaluate(
        "() => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)"
        " - document.documentElement.clientWidth"
    )


@pytest.fixture
def assert_no_horizontal_overflow() -> Callable[[object], None]:
    """assert_no_horizontal_overflow(page): the body fits the viewport's width (no sideways scrolling);
    the message names the first elements that stick out."""

    def check(page) -> None:
        overflow = horizontal_overflow(page)
        if overflow > 0:
            wide = page.evaluate(
                """() => { const w = document.documentElement.clientWidth;
                    return [...document.querySelectorAll('body *')]
                      .filter(e => e.getBoundingClientRect().right > w + 1).slice(0, 5)
                      .map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : '')); }"""
            )
            raise AssertionError(f"{page.url}: the body is {overflow}px wider than the viewport; sticking out: {wide}")

    return check
