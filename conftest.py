"""Test-wide settings for the whole suite (pytest loads this file first; pytest-django sets Django up).

- Tests marked `postgres` run only when DATABASE_URL points at PostgreSQL (`make test` runs the suite
  once on SQLite and once on a throw-away PostgreSQL server); elsewhere they are skipped with a reason.
- Tests marked `browser` (tests/browser: Playwright driving Debian's chromium against a live server) are
  skipped with a reason only when /usr/bin/chromium is missing; `make test` installs it.
- Passwords are hashed with a fast hasher: the default PBKDF2 costs ~0.3 s per login or new user.
"""

import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")


def _on_postgres() -> bool:
    return os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://", "pgsql://"))


def pytest_configure(config):
    config.addinivalue_line("markers", "browser: drives Debian's chromium (/usr/bin/chromium) with Playwright")


def pytest_collection_modifyitems(config, items):
    if not CHROMIUM.exists():
        no_chromium = pytest.mark.skip(reason=f"needs Debian's chromium: {CHROMIUM} is missing (make test installs it)")
        for item in items:
            if item.get_closest_marker("browser"):
                item.add_marker(no_chromium)
    if _on_postgres():
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL: DATABASE_URL is not a postgres:// URL")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts in the site's default language (Thai). The test client leaves the language a
    request activated (e.g. English from the language cookie) active in the thread, and it would leak
    into later tests."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(scope="session", autouse=True)
def _catalogues_readable(django_db_setup, django_db_blocker):
    """The ITA catalogues live in the database (seeded from the shipped files after migrate), and building
    a document or validating a year file reads them: every test may read the test database. Tests that
    write still need the `db` fixture or the django_db mark, which roll their changes back."""
    django_db_blocker.unblock()
    yield
    django_db_blocker.restore()
