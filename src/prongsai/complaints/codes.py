"""Receipt codes: the complainant's only key to their complaint.

A code is 25 random decimal digits (log2(10^25) = 83 bits), shown in five groups of five to read aloud
or type on a phone keypad: ``48213-90577-31864-02291-75530``. Thai digits, spaces and dashes are
accepted when it is typed back.

Stored: an Argon2id hash of the code (``code_hash``) and a keyed index (``code_index``): the first 32
bits of HMAC-SHA256(lookup key, "<agency id>:<code>"). The index narrows a look-up to a row or two
without scanning and without hashing every complaint; on its own it cannot confirm a guess (about 2^51
codes share each index value), and Argon2id then checks the candidates. Codes are compared only here,
never put in a query, a URL or a log.
"""

from __future__ import annotations

import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from django.views.decorators.debug import sensitive_variables

from prongsai.complaints import crypto
from prongsai.lib import thai

DIGITS = 25
GROUP = 5
INDEX_CHARS = 8
# OWASP's minimum for Argon2id (19 MiB, 2 passes): ~20 ms here. The code's own entropy is what makes
# guessing hopeless; the slow hash keeps a stolen database from confirming codes cheaply.
_hasher = PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1)
_DUMMY_HASH = _hasher.hash("0" * DIGITS)


def new_code() -> str:
    return "".join(secrets.choice("0123456789") for _ in range(DIGITS))


@sensitive_variables()
def grouped(code: str) -> str:
    return "-".join(code[i:i + GROUP] for i in range(0, len(code), GROUP))


@sensitive_variables()
def normalize(text: str | None) -> str | None:
    """The 25 digits of a typed code (Thai or Arabic digits, any spaces or dashes), or None."""
    digits = "".join(ch for ch in thai.to_arabic(text or "") if ch.isdigit() and ch.isascii())
    return digits if len(digits) == DIGITS else None


@sensitive_variables()
def index(agency_id: int, code: str) -> str:
    return crypto.lookup_tag(f"{agency_id}:{code}".encode(), chars=INDEX_CHARS)


@sensitive_variables()
def hash_code(code: str) -> str:
    return _hasher.hash(code)


@sensitive_variables()
def verify(code_hash: str, code: str) -> bool:
    try:
        return _hasher.verify(code_hash, code)
    except (VerificationError, InvalidHashError):
        return False


@sensitive_variables()
def burn_time(code: str) -> None:
    """Spend the time of one verification (when no row matched), so timing tells nothing."""
    verify(_DUMMY_HASH, code)
