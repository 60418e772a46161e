"""Where evidence files named by a year file live in storage, and the way back to their names.

A file `evidence/plan.pdf` (relative to the year file's folder) with SHA-256 `ab12…` is stored as
`yf/ab12…(16 hex)/evidence/plan.pdf`: the same content under the same name always maps to the same
stored file, so re-importing stores nothing new, and the export can write it back under its name.
"""

from __future__ import annotations

import re

PREFIX = "yf"
_STORED = re.compile(rf"^{PREFIX}/[0-9a-f]{{16}}/(.+)$")


def stored_name(sha256: str, relative: str) -> str:
    return f"{PREFIX}/{sha256[:16]}/{relative}"


def is_stored_name(name: str) -> bool:
    return bool(_STORED.match(name))


def relative_name(name: str) -> str:
    """The path a stored file is exported under: its year-file name, or for a file uploaded some
    other way its storage name (e.g. evidence/2025/photo.jpg)."""
    match = _STORED.match(name)
    return match.group(1) if match else name
