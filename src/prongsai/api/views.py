"""The browser side of the API: a user's own tokens (/accounts/tokens/) and the offline docs assets."""

from __future__ import annotations

from pathlib import Path

import ninja
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from prongsai.api import services
from prongsai.api.models import ApiToken

# Swagger UI's files as shipped inside the django-ninja package.
DOCS_ASSETS = {
    "swagger-ui.css": "text/css; charset=utf-8",
    "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
    "swagger-ui-init.js": "text/javascript; charset=utf-8",
}
DOCS_DIR = Path(ninja.__file__).resolve().parent / "static" / "ninja"


class TokenForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("ชื่อโทเคน"), max_length=services.NAME_MAX,
                           help_text=gettext_lazy("เช่น ชื่อโปรแกรมหรือเครื่องที่จะใช้ เพื่อให้จำได้ว่าใช้ที่ใด"))


def _page(request, form, *, raw: str = "", token=None, status: int = 200):
    tokens = ApiToken.objects.filter(user=request.user).order_by("-created_at", "-id")
    response = render(request, "api/tokens.html", {"form": form, "tokens": tokens, "raw": raw, "new": token},
                      status=status)
    add_never_cache_headers(response)  # the page may hold a token shown once
    return response


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def tokens(request):
    if request.method != "POST":
        return _page(request, TokenForm())
    form = TokenForm(request.POST)
    if form.is_valid():
        try:
            token, raw = services.create_token(actor=request.user, user=request.user, name=form.cleaned_data["name"])
        except ValidationError as exc:
            form.add_error("name" if "name" in getattr(exc, "error_dict", {}) else None, exc.messages)
        else:
            # Shown on this response only: the key itself is never stored.
            return _page(request, TokenForm(), raw=raw, token=token)
    return _page(request, form)


@login_required
@require_POST
def token_revoke(request, pk: int):
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    if services.revoke_token(actor=request.user, token=token):
        messages.success(request, _("ยกเลิกโทเคน “%(name)s” แล้ว โปรแกรมที่ใช้โทเคนนี้จะเรียก API ไม่ได้อีก")
                         % {"name": token.name})
    return redirect("api_tokens")


@require_safe
def docs_asset(request, name: str):
    if name not in DOCS_ASSETS:
        raise Http404("no such file")
    response = FileResponse((DOCS_DIR / name).open("rb"), content_type=DOCS_ASSETS[name])
    patch_cache_control(response, public=True, max_age=86400)
    return response
