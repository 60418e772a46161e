"""The complaint rate limits hold across workers and hosts (issue 10, item 12): two separate processes, each
its own Django like two gunicorn workers, count in the same cache, on the database cache (the default)
and on a real Redis server (`make test` starts one with scripts/with-redis and sets REDIS_URL; without
REDIS_URL the Redis cases are skipped).

Before the fix each worker counted in its own memory, so N wrong codes spread over 2 workers met no 429
until about 2N."""

from __future__ import annotations

import base64
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection
from django.test import RequestFactory
from django.urls import reverse

from prongsai.complaints import ratelimit

from .conftest import client_for, submit

pytestmark = pytest.mark.django_db
# The worker processes must see what this one writes (and each other's counts): committed data.
across_processes = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[4]
DB_CACHE = {"BACKEND": "prongsai.lib.cache.DatabaseCache", "LOCATION": "prongsai_cache", "KEY_PREFIX": "prongsai"}


@pytest.fixture(params=["database", "redis"])
def backend(request, settings):
    """The cache of this test and of its worker processes, as (name, extra environment of the workers)."""
    if request.param == "redis":
        url = os.environ.get("REDIS_URL", "")
        if not url:
            pytest.skip("needs Redis: REDIS_URL is not set (make test starts one: scripts/with-redis)")
        prefix = f"prongsai-test-{uuid.uuid4().hex[:8]}"  # this test's own keys on the shared server
        settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                       "LOCATION": url, "KEY_PREFIX": prefix}}
        env = {"CACHE_URL": url, "RATELIMIT_KEY_PREFIX": prefix}
    else:
        settings.CACHES = {"default": DB_CACHE}
        call_command("createcachetable")  # the test database has it unless the run's default cache is Redis
        env = {"CACHE_URL": "db://prongsai_cache"}
    ratelimit.reset_all()
    yield request.param, env
    ratelimit.reset_all()


class Worker:
    """One process running prongsai.complaints.tests.ratelimit_worker against the test database."""

    def __init__(self, env: dict):
        full = {**os.environ, **env, "RATELIMIT_DB_NAME": str(connection.settings_dict["NAME"]),
                "PRONGSAI_DATA_DIR": str(django_settings.DATA_DIR), "PYTHAINLP_READ_ONLY": "1",
                "PRONGSAI_COMPLAINT_KEYS": django_settings.PRONGSAI_COMPLAINT_KEYS,
                "PRONGSAI_COMPLAINT_KEYS_FILE": str(django_settings.PRONGSAI_COMPLAINT_KEYS_FILE),
                "PYTHONPATH": str(ROOT / "src")}
        self.process = subprocess.Popen([sys.executable, "-m", "prongsai.complaints.tests.ratelimit_worker"],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=full,
                                        cwd=ROOT)

    def wait_ready(self) -> None:
        assert self.read() == "ready"

    def read(self) -> str:
        line = self.process.stdout.readline()
        assert line, f"worker {self.process.pid} exited with {self.process.wait(timeout=10)}"
        return line.strip()

    def ask(self, command: str) -> str:
        self.process.stdin.write(command + "\n")
        self.process.stdin.flush()
        return self.read()

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.stdin.write("quit\n")
            self.process.stdin.close()
            self.process.wait(timeout=30)


@pytest.fixture
def workers(backend, settings):
    _name, env = backend
    made = []

    def start(**limits) -> tuple[Worker, Worker]:
        extra = {**env, **{f"RATELIMIT_{k.upper()}_LIMIT": str(v) for k, v in limits.items()}}
        pair = Worker(extra), Worker(extra)  # they start side by side
        made.extend(pair)
        for worker in pair:
            worker.wait_ready()
        return pair

    yield start
    for worker in made:
        worker.close()


@across_processes
def test_wrong_codes_over_two_workers_meet_429_at_the_limit(agency, workers, settings):
    settings.PRONGSAI_COMPLAINT_CODE_LIMIT = 3
    receipt = submit(agency)
    wrong = "1" * 25 if receipt.code != "1" * 25 else "2" * 25
    one, two = workers(code=3)
    answers = [(one if n % 2 == 0 else two).ask(f"code {agency.slug} 203.0.113.7 {wrong}") for n in range(3)]
    assert answers == ["400"] * 3
    # The 4th try, on either worker, and even with the right code, is refused.
    assert one.ask(f"code {agency.slug} 203.0.113.7 {receipt.code}") == "429"
    assert two.ask(f"code {agency.slug} 203.0.113.7 {wrong}") == "429"
    # This process (a third worker) sees the same count; another address is not affected.
    assert client_for().post(reverse("complaints:status", args=[agency.slug]), {"code": receipt.code},
                             REMOTE_ADDR="203.0.113.7").status_code == 429
    assert two.ask(f"code {agency.slug} 198.51.100.9 {receipt.code}") == "200"


@across_processes
def test_counts_from_two_workers_at_once_are_never_lost(workers):
    one, two = workers(submit=1000)
    for worker in (one, two):  # both count at the same time: the increments must be atomic
        worker.process.stdin.write("add submissions 192.0.2.1 150\n")
        worker.process.stdin.flush()
    last = sorted(int(worker.read()) for worker in (one, two))
    assert last[1] == 300
    assert one.ask("count submissions 192.0.2.1") == "300"
    request = RequestFactory().post("/", REMOTE_ADDR="192.0.2.1")
    assert ratelimit.submissions.count(request) == 300


def test_the_cache_holds_no_address(backend, agency, settings):
    """What a window leaves in the cache: an HMAC per address and the window's salt, never the address."""
    name, _env = backend
    settings.PRONGSAI_COMPLAINT_CODE_LIMIT = 3
    client = client_for()
    for address in ("203.0.113.77", "198.51.100.88"):
        for _ in range(2):
            client.post(reverse("complaints:status", args=[agency.slug]), {"code": "3" * 25}, REMOTE_ADDR=address)
    if name == "database":
        with connection.cursor() as cursor:
            cursor.execute("SELECT cache_key, value FROM prongsai_cache")
            rows = cursor.fetchall()
        dump = " ".join(f"{key} {value} {base64.b64decode(value)!r}" for key, value in rows)
    else:
        client_redis = caches["default"]._cache.get_client(None)
        keys = client_redis.keys(f"{settings.CACHES['default']['KEY_PREFIX']}:*")
        dump = " ".join(f"{k!r} {client_redis.get(k)!r}" for k in keys)
    assert "wrong_codes" in dump  # the counters are there...
    assert "203.0.113.77" not in dump and "198.51.100.88" not in dump  # ...but not the addresses


def test_a_new_window_forgets_the_last_windows_salt(backend, monkeypatch):
    request = RequestFactory().post("/", REMOTE_ADDR="192.0.2.44")
    window = int(time.time() // 900)
    clock = [window * 900.0 + 1]
    monkeypatch.setattr(ratelimit, "_now", lambda: clock[0])
    ratelimit.wrong_codes.add(request)
    ratelimit.wrong_codes.add(request)
    assert ratelimit.wrong_codes.count(request) == 2
    assert caches["default"].get(ratelimit.wrong_codes._salt_key(window))
    clock[0] += 900
    assert ratelimit.wrong_codes.count(request) == 0  # a new window starts from nothing
    assert caches["default"].get(ratelimit.wrong_codes._salt_key(window)) is None  # and the old salt is gone
