"""The portal's two settings, read from the environment (settings.py stays the other apps').

PRONGSAI_PUBLIC_URL    the public address of the site, used in Open Graph tags, the Atom feed and QR
                       codes (default http://127.0.0.1:8000)
PRONGSAI_PUBLIC_DIR    where the static copy of the public site is written (default DATA_DIR/public)
"""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings


def public_url() -> str:
    return (getattr(settings, "PRONGSAI_PUBLIC_URL", "") or os.environ.get("PRONGSAI_PUBLIC_URL")
            or "http://127.0.0.1:8000").rstrip("/")


def public_dir() -> Path:
    configured = getattr(settings, "PRONGSAI_PUBLIC_DIR", "") or os.environ.get("PRONGSAI_PUBLIC_DIR")
    return Path(configured) if configured else Path(settings.DATA_DIR) / "public"
