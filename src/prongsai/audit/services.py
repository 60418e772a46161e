"""Writing and checking the audit trail."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime, time
from datetime import timezone as dt_timezone
from decimal import Decimal

from django.db import models, transaction
from django.utils import timezone

from prongsai.audit.models import AuditEntry, ChainHead

GENESIS = "0" * 64


def _plain(value):
    """JSON-safe form of a field value (dates ISO, decimals as text, files by name)."""
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, models.fields.files.FieldFile):
        return value.name or ""
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def snapshot(instance: models.Model, fields: list[str] | None = None) -> dict:
    """The concrete field values of an instance, JSON-safe, for before/after comparisons."""
    names = fields or [f.attname for f in instance._meta.concrete_fields if f.attname != "id"]
    return {name: _plain(getattr(instance, name)) for name in names}


def diff(before: dict | None, after: dict | None) -> dict:
    """{field: [before, after]} for the fields that differ (None before = created, None after = deleted)."""
    before, after = before or {}, after or {}
    keys = list(dict.fromkeys([*before, *after]))
    return {k: [before.get(k), after.get(k)] for k in keys if before.get(k) != after.get(k)}


def _digest(prev_hash: str, entry: AuditEntry) -> str:
    payload = {
        "prev": prev_hash,
        "agency": entry.agency_id,
        "actor": entry.actor_id,
        "actor_name": entry.actor_name,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "object_repr": entry.object_repr,
        "changes": entry.changes,
        "created_at": entry.created_at.isoformat(),
    }
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def record(*, actor, action: str, obj: models.Model | None = None, agency=None, changes: dict | None = None,
           object_repr: str | None = None, day_only: bool = False) -> AuditEntry:
    """Append one entry. Must run inside the transaction of the change it describes.

    `day_only`: the entry keeps the day, not the time (created_at is local midnight of today), for
    events whose time of day must not be kept (a citizen's complaint and its messages)."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        raise RuntimeError("audit.record() must be called inside transaction.atomic()")
    head = ChainHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        head = ChainHead.objects.create(pk=1, last_hash=GENESIS)
        head = ChainHead.objects.select_for_update().get(pk=1)
    new = entry(actor=actor, action=action, obj=obj, agency=agency, changes=changes, object_repr=object_repr,
                day_only=day_only)
    new.prev_hash = head.last_hash
    new.hash = _digest(head.last_hash, new)
    new.save()
    head.last_hash = new.hash
    head.save(update_fields=["last_hash"])
    return new


def entry(*, actor, action: str, obj: models.Model | None = None, agency=None, changes: dict | None = None,
          object_repr: str | None = None, day_only: bool = False) -> AuditEntry:
    """An unsaved entry, not yet in the chain (`record` appends one, `record_many` many); made now: its
    time and the object's id are those of now."""
    user = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEntry(
        agency=agency if agency is not None else _agency_of(obj),
        actor=user,
        actor_name=(user.get_full_name() or user.get_username()) if user else str(actor or "ระบบ"),
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
        object_repr=(object_repr if object_repr is not None else str(obj) if obj is not None else "")[:300],
        changes=_plain(changes or {}),
        created_at=start_of_today() if day_only else timezone.now(),
    )


def record_many(entries: list[AuditEntry]) -> list[AuditEntry]:
    """Append unsaved entries (from `entry()`), in their order, with one lock of the chain head, one
    bulk insert and one head update: the same chain `record()` one by one would make (each entry's
    hash covers the previous one's), for an operation that writes many rows (the year-file import).
    Sends post_save for each entry, as saving it would. Must run inside the change's transaction."""
    from django.db.models.signals import post_save

    if not entries:
        return []
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record_many() must be called inside transaction.atomic()")
    if any(e.pk is not None for e in entries):
        raise ValueError("record_many() appends new entries only")
    head = ChainHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        ChainHead.objects.create(pk=1, last_hash=GENESIS)
        head = ChainHead.objects.select_for_update().get(pk=1)
    prev = head.last_hash
    for item in entries:
        item.prev_hash = prev
        item.hash = prev = _digest(prev, item)
    AuditEntry.objects.bulk_create(entries, batch_size=500)
    head.last_hash = prev
    head.save(update_fields=["last_hash"])
    for item in entries:
        post_save.send(sender=AuditEntry, instance=item, created=True, update_fields=None, raw=False,
                       using=item._state.db)
    return entries


def start_of_today() -> datetime:
    """Local midnight of today, as an aware UTC datetime (what the database gives back, so the hash of
    created_at.isoformat() is the same before and after saving)."""
    midnight = datetime.combine(timezone.localdate(), time.min, tzinfo=timezone.get_current_timezone())
    return midnight.astimezone(dt_timezone.utc)


def _agency_of(obj):
    """Follow the usual paths from an object to its agency (agency, plan.agency, measure.plan.agency…)."""
    if obj is None:
        return None
    if obj._meta.label_lower == "agencies.agency":
        return obj
    for path in ("agency", "plan.agency", "measure.plan.agency", "result.measure.plan.agency",
                 "memo.plan.agency", "result.agency"):
        current = obj
        for part in path.split("."):
            current = getattr(current, part, None)
            if current is None:
                break
        if current is not None and current._meta.label_lower == "agencies.agency":
            return current
    return None


@dataclass(frozen=True)
class Problem:
    entry_id: int
    message: str


def verify() -> list[Problem]:
    """Walk the whole chain; an empty list means it is intact."""
    problems: list[Problem] = []
    prev = GENESIS
    last_id = None
    for entry in AuditEntry.objects.order_by("id").iterator(chunk_size=2000):
        if entry.prev_hash != prev:
            problems.append(Problem(entry.id, f"entry {entry.id}: link to the previous entry is broken"))
        if _digest(entry.prev_hash, entry) != entry.hash:
            problems.append(Problem(entry.id, f"entry {entry.id}: content does not match its hash"))
        prev = entry.hash
        last_id = entry.id
    head = ChainHead.objects.filter(pk=1).first()
    if head is not None and head.last_hash != prev:
        problems.append(Problem(last_id or 0, "the newest entry is missing (chain head does not match)"))
    return problems


def history(obj: models.Model):
    return AuditEntry.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk)).select_related("actor")
