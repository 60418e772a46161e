"""QR codes (segno) as inline SVG: a printed page carries the link to its verify page."""

from __future__ import annotations

import segno
from django.utils.safestring import SafeString, mark_safe


def svg(url: str, *, title: str) -> SafeString:
    """An SVG QR code of `url` (no XML declaration, so it sits inline in a page), with a <title>."""
    code = segno.make(url, error="m", micro=False)
    text = code.svg_inline(scale=4, border=2, dark="#000", light="#fff", title=title,
                           svgclass="qr", lineclass=None)
    # segno escapes the title; the rest is its own markup. role="img": the <title> names it.
    return mark_safe(text.replace("<svg ", '<svg role="img" ', 1))
