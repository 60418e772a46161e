"""Response hardening that depends on the request (issue 10): one middleware, after django-csp's
CSPMiddleware and Django's AuthenticationMiddleware in settings.MIDDLEWARE.

- Staff sessions end after the shortest `Agency.session_hours` of the user's agencies without activity
  (settings.PRONGSAI_SESSION_HOURS, 8, for users of no agency); the session's expiry follows, so the
  cookie and the stored session go too.
- `Cache-Control: private, no-store` on every staff page and every API answer: everything but the
  public side (PUBLIC_PREFIXES: the portal, the complaint channel, verify, static files, the web font,
  Swagger UI's assets), whose views set their own caching.
- The Content-Security-Policy (settings.CONTENT_SECURITY_POLICY, written by django-csp) is kept for
  pages; an HTML *file* the app serves (a report's HTML version, with its inline `<style>`) gets
  FILE_POLICY instead: sandboxed, no script at all, inline styles allowed. Other files (PDF, DOCX,
  images) get no CSP header: it guards documents, and Chromium's PDF viewer refuses `object-src 'none'`.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth import logout
from django.db.models import Min
from django.utils.cache import patch_cache_control

from csp.constants import NONE, SELF, UNSAFE_INLINE

PUBLIC_PREFIXES = ("/a/", "/verify/", "/fonts/", "/api/v1/docs/assets/")
SEEN_KEY = "_prongsai_seen"  # {"user": pk, "at": unix time of the last request that was counted}
TOUCH_EVERY = 60  # seconds: the session is written at most once a minute, not on every request

FILE_POLICY = {
    "default-src": [NONE],
    "style-src": [UNSAFE_INLINE],
    "img-src": [SELF, "data:"],
    "font-src": [SELF, "data:"],
    "sandbox": True,
    "frame-ancestors": [NONE],
    "base-uri": [NONE],
    "form-action": [NONE],
}


def session_seconds(user) -> int:
    """How long a session of this user lasts without activity: the shortest setting of their agencies."""
    from prongsai.agencies.models import Membership

    hours = Membership.objects.filter(user=user).aggregate(hours=Min("agency__session_hours"))["hours"]
    if not hours:
        hours = settings.PRONGSAI_SESSION_HOURS
    return max(1, int(hours)) * 3600


def is_public(path: str) -> bool:
    return path.startswith(PUBLIC_PREFIXES) or path.startswith(settings.STATIC_URL)


class SecurityMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        self._expire_idle_session(request)
        response = self.get_response(request)
        if not is_public(request.path_info):
            patch_cache_control(response, private=True, no_store=True)
            for stale in ("public", "max-age", "no-cache"):
                _drop_directive(response, stale)
        self._file_policy(response)
        return response

    @staticmethod
    def _expire_idle_session(request) -> None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return
        limit = session_seconds(user)
        now = int(time.time())
        seen = request.session.get(SEEN_KEY) or {}
        if seen.get("user") == user.pk and now - int(seen.get("at", now)) > limit:
            logout(request)  # the view then sees an anonymous visitor (login page, API 401)
            return
        if seen.get("user") != user.pk or now - int(seen.get("at", 0)) >= TOUCH_EVERY:
            request.session[SEEN_KEY] = {"user": user.pk, "at": now}
            request.session.set_expiry(limit)

    @staticmethod
    def _file_policy(response) -> None:
        content_type = response.get("Content-Type", "").split(";")[0].strip().lower()
        is_file = response.has_header("Content-Disposition") or getattr(response, "streaming", False)
        if content_type in ("text/html", "image/svg+xml") and is_file:
            response._csp_config = FILE_POLICY
        elif content_type not in ("text/html", "image/svg+xml", "application/json", ""):
            response._csp_exempt = True


def _drop_directive(response, name: str) -> None:
    """Remove one Cache-Control directive (patch_cache_control can add but not take away)."""
    parts = [p.strip() for p in response.get("Cache-Control", "").split(",") if p.strip()]
    kept = [p for p in parts if p.split("=")[0].strip().lower() != name]
    if kept != parts:
        response["Cache-Control"] = ", ".join(kept)
