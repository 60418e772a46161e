"""Making, checking and revoking API tokens. Writes run in one transaction with their audit entry.

    token, raw = create_token(actor=request.user, user=request.user, name="Excel sync")   # raw: shown once
    user = user_for_token(raw)          # None for an unknown or revoked token or an inactive user
    revoke_token(actor=request.user, token=token)
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from prongsai.api.models import ApiToken
from prongsai.audit import services as audit

TOKEN_PREFIX = "psk_"
VISIBLE = len(TOKEN_PREFIX) + 8  # how much of a token is stored in clear, to tell tokens apart
NAME_MAX = 100
# last_used_at is written at most this often per token, not on every request.
TOUCH_EVERY = dt.timedelta(minutes=1)


def hash_key(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def _snapshot(token: ApiToken) -> dict:
    # Never the key or its hash: the audit trail is readable by agency staff.
    return {"user": token.user.get_username(), "name": token.name, "prefix": token.prefix}


def _repr(token: ApiToken) -> str:
    return f"{token} – {token.user.get_username()}"


def create_token(*, actor, user, name: str) -> tuple[ApiToken, str]:
    """A new token for `user`; returns it with the raw key, which is not kept anywhere."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("ชื่อโทเคน: กรุณาตั้งชื่อโทเคน เช่น ชื่อโปรแกรมที่จะใช้")})
    if len(name) > NAME_MAX:
        raise ValidationError({"name": _("ชื่อโทเคน: ยาวได้ไม่เกิน %(max)s ตัวอักษร") % {"max": NAME_MAX}})
    if not user.is_active:
        raise ValidationError({"user": _("ผู้ใช้ %(name)s ถูกระงับการใช้งาน") % {"name": user.get_username()}})
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(user=user, name=name, prefix=raw[:VISIBLE], key_hash=hash_key(raw))
        audit.record(actor=actor, action="api.token.created", obj=token, object_repr=_repr(token),
                     changes=audit.diff(None, _snapshot(token)))
    return token, raw


def revoke_token(*, actor, token: ApiToken) -> bool:
    """Revoke a token (for good). False when it was revoked already (nothing written)."""
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().select_related("user").get(pk=token.pk)
        if token.revoked:
            return False
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.record(actor=actor, action="api.token.revoked", obj=token, object_repr=_repr(token),
                     changes={"revoked_at": [None, token.revoked_at]})
    return True


def user_for_token(raw: str | None):
    """The active user a live token belongs to, else None. Notes when the token was last used."""
    if not raw or not raw.startswith(TOKEN_PREFIX) or len(raw) > 200:
        return None
    token = (ApiToken.objects.select_related("user").filter(key_hash=hash_key(raw), revoked_at__isnull=True)
             .first())
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= TOUCH_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
