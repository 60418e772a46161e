"""Rate limits for the public complaint pages, shared by every gunicorn worker and every host.

The counters live in Django's cache (settings.CACHES, alias PRONGSAI_RATELIMIT_CACHE, "default"): the
database cache by default, Redis when REDIS_URL or CACHE_URL is set (docs/setup.md, "Cache"). Every
worker of every host that uses the same database, or the same Redis, counts in the same place, so an
address gets the limit, not the limit times the number of workers. A count is one atomic increment:
`cache.add(key, 0)` then `cache.incr(key)` (Redis INCR; on the database cache prongsai.lib.cache's
incr, one transaction holding the row).

Nothing identifying is kept. A counter's key is an HMAC of the client's address under a salt that is
random, made when a window (an hour, a quarter of an hour) starts, kept only in the cache and only until
that window ends, and mixed with the install's SECRET_KEY. The cache holds no address, and once the
window's salt has expired (the next window deletes the last one's at once) nobody, not even this
server, can tell which address a leftover counter belonged to. A fixed window lets a burst straddle two
windows (up to twice the limit in a short time); for receipt codes that is harmless (an 83-bit code
cannot be guessed at any such rate), for submissions it is a brake on floods, not an exact quota.

When the cache cannot be reached (Redis down, the cache table missing) the page fails with a server
error rather than silently counting nothing: the limits hold or the operator hears of it.
"""

from __future__ import annotations

import secrets
import time

from django.conf import settings
from django.core.cache import caches
from django.utils.crypto import salted_hmac

from prongsai.accounts.backends import client_ip

PREFIX = "prongsai:ratelimit"
GRACE_SECONDS = 5  # keys outlive their window by this much, so a count at the very end is not lost


def _now() -> float:
    return time.time()


def _cache():
    return caches[getattr(settings, "PRONGSAI_RATELIMIT_CACHE", "default")]


class RateLimiter:
    def __init__(self, name: str, *, setting: str, default: int, window_seconds: int):
        self.name = name
        self.setting = setting
        self.default = default
        self.window_seconds = window_seconds

    @property
    def limit(self) -> int:
        return int(getattr(settings, self.setting, self.default))

    def _window(self, now: float) -> tuple[int, int]:
        """The current window's number (the same on every host with a correct clock) and the seconds
        until a key of it may go."""
        window = int(now // self.window_seconds)
        return window, int((window + 1) * self.window_seconds - now) + GRACE_SECONDS

    def _salt_key(self, window: int) -> str:
        return f"{PREFIX}:{self.name}:{window}:salt"

    def _salt(self, window: int, timeout: int) -> str:
        cache = _cache()
        salt = cache.get(self._salt_key(window))
        if salt is None:
            if cache.add(self._salt_key(window), secrets.token_hex(32), timeout):  # only the first worker's wins
                cache.delete(self._salt_key(window - 1))  # the last window's counters become anonymous now
            salt = cache.get(self._salt_key(window))
        return salt

    def _key(self, request) -> tuple[str, int]:
        window, timeout = self._window(_now())
        salt = self._salt(window, timeout)
        digest = salted_hmac(f"prongsai.complaints.ratelimit:{salt}", client_ip(request) or "",
                             algorithm="sha256").hexdigest()[:32]
        return f"{PREFIX}:{self.name}:{window}:{digest}", timeout

    def count(self, request) -> int:
        key, _timeout = self._key(request)
        return int(_cache().get(key, 0))

    def blocked(self, request) -> bool:
        return self.count(request) >= self.limit

    def add(self, request) -> int:
        """Count one attempt (atomically, across workers and hosts); the new count."""
        key, timeout = self._key(request)
        cache = _cache()
        cache.add(key, 0, timeout)
        try:
            return cache.incr(key)
        except ValueError:  # the key expired between add and incr: this attempt opens the new count
            cache.add(key, 1, timeout)
            return 1

    def hit(self, request) -> bool:
        """Count one attempt; False when it went over the limit (the attempt is refused)."""
        return self.add(request) <= self.limit

    def reset(self) -> None:
        """Forget every count of the current and the last window (their salts go, so do their keys)."""
        window, _timeout = self._window(_now())
        _cache().delete_many([self._salt_key(window), self._salt_key(window - 1)])


# New complaints per address per hour.
submissions = RateLimiter("submissions", setting="PRONGSAI_COMPLAINT_SUBMIT_LIMIT", default=10, window_seconds=3600)
# Wrong receipt codes per address per 15 minutes; while over it, even a right code is refused.
wrong_codes = RateLimiter("wrong_codes", setting="PRONGSAI_COMPLAINT_CODE_LIMIT", default=10, window_seconds=900)


def reset_all() -> None:
    submissions.reset()
    wrong_codes.reset()
