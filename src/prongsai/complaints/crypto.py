"""Encryption at rest for complaint content: AES-256-GCM (authenticated), a key id in every sealed value.

A sealed value (a database field or a whole attachment file) is

    0x01 | length of the key id (1 byte) | key id (ASCII) | nonce (12 random bytes) | ciphertext + 16-byte tag

The associated data names what the value is ("complaint:<uid>:identity", "attachment:<uid>", ...), so a
value copied into another row or field does not open. A value opens only with the key its id names:
several keys can be known at once (the first one seals, all of them open), which is how rotation works
(`prongsai complaints_rotate_key`).

Where the keys come from (docs/complaints.md):

- PRONGSAI_COMPLAINT_KEYS: ``lookup:<64 hex>,<id>:<64 hex>[,<id>:<64 hex>...]``: the ``lookup`` key (for the
  receipt-code index; never rotated) and the data keys, newest first;
- otherwise the key file PRONGSAI_COMPLAINT_KEYS_FILE (default: ``complaint-keys`` in the data directory),
  one ``<id>:<64 hex>`` per line in the same order, created with mode 0600 on first use.

A value sealed under a key id the key ring does not have, or under a different key with that id, raises
`ComplaintKeyError` with a plain explanation: nothing is returned, not even part of the text.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.views.decorators.debug import sensitive_variables

VERSION = 1
NONCE_BYTES = 12
LOOKUP_ID = "lookup"
_KEY_ID = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
_HEADER = (
    "# Prongsai complaint keys: keep this file secret (mode 0600) and back it up apart from the database.\n"
    "# Without it nothing in the complaints can be read again. Lines: <id>:<64 hex digits>.\n"
    "# 'lookup' finds a complaint by its receipt code; the first other key encrypts, every key decrypts.\n"
)


class ComplaintKeyError(Exception):
    """The complaint keys are missing, malformed, or do not open a value."""


@dataclass(frozen=True)
class KeyRing:
    lookup: bytes
    keys: dict[str, bytes]  # newest first
    source: str  # "environment" or the key file's path

    @property
    def current(self) -> str:
        return next(iter(self.keys))

    @property
    def from_file(self) -> bool:
        return self.source != "environment"


def new_key_id(today: dt.date | None = None) -> str:
    return f"k{(today or dt.date.today()):%Y%m%d}{secrets.token_hex(2)}"


def _parse(entries: list[str], source: str) -> KeyRing:
    lookup: bytes | None = None
    keys: dict[str, bytes] = {}
    for number, entry in enumerate(entries, start=1):
        key_id, sep, hex_key = entry.partition(":")
        key_id, hex_key = key_id.strip(), hex_key.strip()
        if not sep or not _KEY_ID.match(key_id) or not re.fullmatch(r"[0-9a-fA-F]{64}", hex_key):
            raise ComplaintKeyError(f"{source}: entry {number} is not '<id>:<64 hex digits>' (id: letters, digits, - _)")
        if key_id in keys or (key_id == LOOKUP_ID and lookup is not None):
            raise ComplaintKeyError(f"{source}: key id {key_id!r} appears twice")
        if key_id == LOOKUP_ID:
            lookup = bytes.fromhex(hex_key)
        else:
            keys[key_id] = bytes.fromhex(hex_key)
    if lookup is None:
        raise ComplaintKeyError(f"{source}: no 'lookup:<64 hex>' entry (the receipt-code index key)")
    if not keys:
        raise ComplaintKeyError(f"{source}: no data key ('<id>:<64 hex>' besides 'lookup')")
    return KeyRing(lookup=lookup, keys=keys, source=source)


def format_entries(ring: KeyRing) -> list[str]:
    return [f"{LOOKUP_ID}:{ring.lookup.hex()}", *(f"{kid}:{key.hex()}" for kid, key in ring.keys.items())]


def key_file() -> Path:
    return Path(settings.PRONGSAI_COMPLAINT_KEYS_FILE)


def _write_file(path: Path, ring: KeyRing, *, replace: bool) -> None:
    """Write the key file through a 0600 temporary file: replacing it atomically, or creating it only
    when it does not exist yet (another process may be creating it at the same moment)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w") as fh:
            fh.write(_HEADER + "\n".join(format_entries(ring)) + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        if replace:
            os.replace(tmp, path)
        else:
            try:
                os.link(tmp, path)
            except FileExistsError:
                pass
    finally:
        if tmp.exists():
            tmp.unlink()


def _read_file(path: Path) -> KeyRing:
    lines = [line.strip() for line in path.read_text().splitlines()]
    return _parse([line for line in lines if line and not line.startswith("#")], str(path))


_cache: tuple[tuple, KeyRing] | None = None


def keyring() -> KeyRing:
    """The key ring in force. From the environment variable if set; else the key file, created on first
    use. Re-read when the file changes (after a rotation, running processes pick up the new key)."""
    global _cache
    raw = (getattr(settings, "PRONGSAI_COMPLAINT_KEYS", "") or "").strip()
    if raw:
        signature: tuple = ("env", raw)
        if _cache is None or _cache[0] != signature:
            entries = [part for part in re.split(r"[,\s]+", raw) if part]
            _cache = (signature, _parse(entries, "environment"))
        return _cache[1]
    path = key_file()
    if not path.exists():
        fresh = KeyRing(lookup=secrets.token_bytes(32), keys={new_key_id(): AESGCM.generate_key(256)},
                        source=str(path))
        _write_file(path, fresh, replace=False)
    stat = path.stat()
    signature = ("file", str(path), stat.st_mtime_ns, stat.st_size, stat.st_ino)
    if _cache is None or _cache[0] != signature:
        _cache = (signature, _read_file(path))
    return _cache[1]


def forget() -> None:
    """Drop the cached key ring (tests, or after changing the settings)."""
    global _cache
    _cache = None


def add_key_to_file(ring: KeyRing) -> KeyRing:
    """A new data key, first in the key file (it seals from now on); the old keys stay to open old values."""
    new = KeyRing(lookup=ring.lookup, keys={new_key_id(): AESGCM.generate_key(256), **ring.keys}, source=ring.source)
    _write_file(Path(ring.source), new, replace=True)
    forget()
    return new


def drop_keys_from_file(ring: KeyRing, key_ids: set[str]) -> KeyRing:
    if ring.current in key_ids:
        raise ComplaintKeyError("the current key cannot be dropped")
    new = KeyRing(lookup=ring.lookup, keys={k: v for k, v in ring.keys.items() if k not in key_ids},
                  source=ring.source)
    _write_file(Path(ring.source), new, replace=True)
    forget()
    return new


def new_entry_line() -> str:
    return f"{new_key_id()}:{AESGCM.generate_key(256).hex()}"


# --- sealing ---------------------------------------------------------------------------------------

def _aad(purpose: str) -> bytes:
    return b"prongsai.complaints\x00" + purpose.encode()


@sensitive_variables()
def seal(plaintext: bytes, *, purpose: str, ring: KeyRing | None = None) -> bytes:
    ring = ring or keyring()
    key_id = ring.current
    nonce = secrets.token_bytes(NONCE_BYTES)
    sealed = AESGCM(ring.keys[key_id]).encrypt(nonce, plaintext, _aad(purpose))
    kid = key_id.encode("ascii")
    return bytes([VERSION, len(kid)]) + kid + nonce + sealed


def key_id_of(blob: bytes) -> str:
    blob = bytes(blob)
    if len(blob) < 2 or blob[0] != VERSION:
        raise ComplaintKeyError("not a sealed complaint value (unknown format)")
    return blob[2:2 + blob[1]].decode("ascii")


@sensitive_variables()
def unseal(blob: bytes, *, purpose: str, ring: KeyRing | None = None) -> bytes:
    ring = ring or keyring()
    blob = bytes(blob)
    key_id = key_id_of(blob)
    key = ring.keys.get(key_id)
    if key is None:
        raise ComplaintKeyError(
            f"this value was encrypted with key {key_id!r}, which is not among the complaint keys "
            f"({ring.source}); restore that key to read it")
    start = 2 + blob[1]
    nonce, sealed = blob[start:start + NONCE_BYTES], blob[start + NONCE_BYTES:]
    try:
        return AESGCM(key).decrypt(nonce, sealed, _aad(purpose))
    except InvalidTag:
        raise ComplaintKeyError(
            f"key {key_id!r} of the complaint keys ({ring.source}) does not open this value: the key is wrong "
            f"(or the value was changed); nothing was decrypted") from None


@sensitive_variables()
def seal_json(value, *, purpose: str, ring: KeyRing | None = None) -> bytes:
    return seal(json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8"),
                purpose=purpose, ring=ring)


@sensitive_variables()
def unseal_json(blob: bytes, *, purpose: str, ring: KeyRing | None = None):
    return json.loads(unseal(blob, purpose=purpose, ring=ring).decode("utf-8"))


@sensitive_variables()
def reseal(blob: bytes, *, purpose: str, ring: KeyRing) -> bytes | None:
    """The value sealed again under the current key; None when it already is."""
    if key_id_of(blob) == ring.current:
        return None
    return seal(unseal(blob, purpose=purpose, ring=ring), purpose=purpose, ring=ring)


@sensitive_variables()
def lookup_tag(message: bytes, *, chars: int, ring: KeyRing | None = None) -> str:
    """A keyed, truncated HMAC-SHA256 (hex) for finding a row without storing what it was made from."""
    ring = ring or keyring()
    return hmac.new(ring.lookup, message, hashlib.sha256).hexdigest()[:chars]
