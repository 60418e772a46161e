"""Test-wide settings for the whole suite (pytest loads this file first; pytest-django sets Django up).

- Tests marked `postgres` run only when DATABASE_URL points at PostgreSQL (`make test` runs the suite
  once on SQLite and once on a throw-away PostgreSQL server); elsewhere they are skipped with a reason.
- Passwords are hashed with a fast hasher: the default PBKDF2 costs ~0.3 s per login or new user.
"""

import os

import pytest


def _on_postgres() -> bool:
    return os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://", "pgsql://"))


def pytest_collection_modifyitems(config, items):
    if _on_postgres():
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL: DATABASE_URL is not a postgres:// URL")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
