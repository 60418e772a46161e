"""The login rate limit (django-axes): which logins it counts and how it finds the client's address.

Every web login (the login page, the API's password logins) passes the request to `authenticate()`,
so axes counts the failures per username and IP address and refuses a locked-out pair. A call
without a request (Django's test client `login()`, a shell) has no address to count against: axes
would raise an error; this backend lets the next backend decide instead.
"""

from __future__ import annotations

from axes.backends import AxesStandaloneBackend
from django.conf import settings


class LoginRateLimitBackend(AxesStandaloneBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def client_ip(request) -> str | None:
    """The client's address: REMOTE_ADDR, or behind AXES_PROXY_COUNT trusted reverse proxies the
    address the outermost of them saw (X-Forwarded-For is appended to by each proxy, so only the
    last AXES_PROXY_COUNT entries can be trusted)."""
    proxies = getattr(settings, "PRONGSAI_PROXY_COUNT", 0)
    if proxies > 0:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR") or None
