"""Rate limits for the public complaint pages that keep nothing identifying at rest.

Counters live only in this process's memory, keyed by HMAC(salt, client address). The salt is random,
made when a window (an hour, a quarter of an hour) starts, never written anywhere, and thrown away with
that window's counters when the next one starts. Nothing reaches the database, a file or the log, and
after the window even this process cannot tell which address a counter belonged to.

Trade-off: with several gunicorn workers each worker counts on its own, so a client spread over N
workers gets up to N times the limit (and a fixed window lets a burst straddle two windows). For
receipt codes this is harmless (an 83-bit code cannot be guessed at any such rate); for submissions it
is a brake on floods, not an exact quota. Put a per-address limit in the reverse proxy (nginx
limit_req, which logs nothing about the request body) if an exact one is needed.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time

from django.conf import settings

from prongsai.accounts.backends import client_ip

MAX_KEYS = 100_000  # beyond this many addresses in one window, the rest share one counter


class RateLimiter:
    def __init__(self, name: str, *, setting: str, default: int, window_seconds: int):
        self.name = name
        self.setting = setting
        self.default = default
        self.window_seconds = window_seconds
        self._lock = threading.Lock()
        self._window = -1
        self._salt = b""
        self._counts: dict[bytes, int] = {}

    @property
    def limit(self) -> int:
        return int(getattr(settings, self.setting, self.default))

    def _key(self, request) -> bytes:
        now = int(time.monotonic() // self.window_seconds)
        if now != self._window:
            self._window, self._salt, self._counts = now, secrets.token_bytes(32), {}
        address = (client_ip(request) or "").encode()
        key = hmac.new(self._salt, address, hashlib.sha256).digest()[:16]
        if key not in self._counts and len(self._counts) >= MAX_KEYS:
            return b"overflow"
        return key

    def blocked(self, request) -> bool:
        with self._lock:
            return self._counts.get(self._key(request), 0) >= self.limit

    def add(self, request) -> None:
        with self._lock:
            key = self._key(request)
            self._counts[key] = self._counts.get(key, 0) + 1

    def hit(self, request) -> bool:
        """Count one attempt; False when the limit was already reached (the attempt is refused)."""
        with self._lock:
            key = self._key(request)
            count = self._counts.get(key, 0)
            if count >= self.limit:
                return False
            self._counts[key] = count + 1
            return True

    def reset(self) -> None:
        with self._lock:
            self._window, self._salt, self._counts = -1, b"", {}


# New complaints per address per hour.
submissions = RateLimiter("submissions", setting="PRONGSAI_COMPLAINT_SUBMIT_LIMIT", default=10, window_seconds=3600)
# Wrong receipt codes per address per 15 minutes; while over it, even a right code is refused.
wrong_codes = RateLimiter("wrong_codes", setting="PRONGSAI_COMPLAINT_CODE_LIMIT", default=10, window_seconds=900)


def reset_all() -> None:
    submissions.reset()
    wrong_codes.reset()
