"""Who is calling the API: a bearer token (`Authorization: Bearer psk_…`), or the browser's session.

A request that sends an Authorization header is judged by that header alone (a bad token is 401 even
with a logged-in session cookie). A session may write only with a valid CSRF token, as in the browser.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from prongsai.api import services
from prongsai.api.errors import CsrfFailed


class TokenAuth(HttpBearer):
    """API tokens made at /accounts/tokens/ or with `prongsai api_token create`."""

    def authenticate(self, request: HttpRequest, token: str):
        return services.user_for_token(token.strip())


class SessionAuth(APIKeyCookie):
    """The browser's login session (for trying the API in the browser); CSRF applies to writes."""

    param_name = settings.SESSION_COOKIE_NAME

    def __init__(self) -> None:
        super().__init__(csrf=True)

    def __call__(self, request: HttpRequest):
        if "Authorization" in request.headers:
            return None
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not user.is_active:
            return None
        if check_csrf(request) is not None:  # safe methods (GET, HEAD) always pass
            raise CsrfFailed()
        return user

    def authenticate(self, request: HttpRequest, key):  # required by the base class; __call__ decides
        return None
