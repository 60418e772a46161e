"""Maintaining the catalogues: import (with its difference shown first), export, and moving an agency's
year to another catalogue version. Every change is one transaction and one audit entry."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from prongsai.audit import services as audit
from prongsai.framework import formats, store
from prongsai.framework.diff import Change, compare
from prongsai.framework.models import Catalogue
from prongsai.framework.validation import FAMILIES, FrameworkDataError
from prongsai.lib import fiscal

EDITOR_PERMISSION = "framework.change_catalogue"
EARLIEST = 2560


class CatalogueError(ValueError):
    """A catalogue cannot be imported; `place` names the file place (line, or sheet/row/column)."""

    def __init__(self, message: str, place: str = ""):
        self.message, self.place = message, place
        super().__init__(f"{place}: {message}" if place else message)


def can_edit(user) -> bool:
    """The install-level role: a superuser, or a user given the catalogue-editor permission."""
    return bool(user and user.is_authenticated and (user.is_superuser or user.has_perm(EDITOR_PERMISSION)))


def require_editor(user) -> None:
    if not can_edit(user):
        raise PermissionDenied


# --- import ---------------------------------------------------------------------------------------------

@dataclass
class Proposal:
    """What an import would do, shown before it applies."""

    data: dict
    year: int
    family: str
    status: str
    against: Catalogue | None  # the catalogue agencies of this year use today (own or provisional)
    own: Catalogue | None  # the year's own current catalogue, if any
    changes: list[Change] = field(default_factory=list)

    @property
    def identical(self) -> bool:
        return self.own is not None and self.own.sha256 == store.digest(self.data)

    @property
    def next_version(self) -> int:
        latest = Catalogue.objects.filter(fiscal_year=self.year, family=self.family).order_by("-version").first()
        return latest.version + 1 if latest else 1


def read_file(name: str, content: bytes) -> formats.Parsed:
    try:
        return formats.read(name, content)
    except formats.CatalogueFileError as exc:
        raise CatalogueError(exc.message, exc.place) from None


def propose(parsed: formats.Parsed, *, name: str, year: int | None = None, status: str | None = None,
            today: dt.date | None = None) -> Proposal:
    """Validate a parsed file and compute its difference; raises CatalogueError naming the place."""
    try:
        data = store.plain(parsed.data)
    except (TypeError, ValueError) as exc:
        raise CatalogueError(str(exc), name) from None
    if year is not None:
        data["year"] = int(year)
    if status is not None:
        data["status"] = status
    data.setdefault("status", Catalogue.Status.PROVISIONAL)
    data = store.normalise(data)
    try:
        store.check(data, where=name)
    except FrameworkDataError as exc:
        raise CatalogueError(_problem(exc), parsed.locate(getattr(exc, "field", "")) or name) from None
    target = int(data["year"])
    present = fiscal.of_date(today or dt.date.today())
    if not EARLIEST <= target <= present + 1:
        raise CatalogueError(_("ปี %(year)s ห่างจากปัจจุบันเกินไป (รับปี %(low)s ถึง %(high)s)")
                             % {"year": target, "low": EARLIEST, "high": present + 1},
                             parsed.locate("year") or name)
    if data["family"] not in FAMILIES:
        raise CatalogueError(_("ไม่รู้จักกลุ่มการประเมิน %(family)s") % {"family": data["family"]},
                             parsed.locate("family") or name)
    _check_previous_codes(data, parsed, name)
    own = store.current_row(target, data["family"])
    if own is not None and own.family != data["family"]:
        own = None
    try:
        against, _for = store.applicable_row(target, data["family"], today=today)
    except store.UnknownFrameworkYear:
        against = None
    proposal = Proposal(data=data, year=target, family=data["family"], status=data["status"], against=against,
                        own=own)
    proposal.changes = compare(against.data if against else None, data)
    return proposal


def _problem(exc: FrameworkDataError) -> str:
    return getattr(exc, "problem", None) or str(exc)


def _check_previous_codes(data: dict, parsed: formats.Parsed, name: str) -> None:
    """Every mapped previous code must be an item of the previous year's catalogue, when there is one."""
    try:
        previous = store.current_row(int(data["year"]) - 1, data["family"])
    except Exception:  # noqa: BLE001 - no database answer means nothing to check against
        previous = None
    if previous is None:
        return
    known = {i["code"] for i in (previous.data.get("oit_items") or {}).get("items", [])}
    if not known:
        return
    for index, item in enumerate((data.get("oit_items") or {}).get("items", [])):
        for code in item.get("previous") or []:
            if code not in known:
                raise CatalogueError(
                    _("ข้อ %(item)s อ้างถึงข้อ %(code)s ของปี %(year)s ซึ่งไม่มีในเกณฑ์ปีนั้น")
                    % {"item": item.get("code"), "code": code, "year": previous.fiscal_year},
                    parsed.locate(f"oit_items.items.{index}.previous") or name)


def apply(proposal: Proposal, *, actor, note: str = "") -> Catalogue | None:
    """Store the proposal as the next version (None when it equals the current one). One transaction."""
    if proposal.identical:
        return None
    with transaction.atomic():
        row = Catalogue.objects.create(
            fiscal_year=proposal.year, family=proposal.family, version=proposal.next_version,
            status=proposal.status, origin=Catalogue.Origin.IMPORTED, data=proposal.data,
            sha256=store.digest(proposal.data), note=note,
            created_by=actor if getattr(actor, "is_authenticated", False) else None)
        audit.record(actor=actor, action="framework.catalogue.imported", obj=row, object_repr=row.label,
                     changes={"version": row.version, "status": row.status, "sha256": row.sha256,
                              "changes": [str(c) for c in proposal.changes][:500]})
    return row


def import_file(name: str, content: bytes, *, actor, year: int | None = None, status: str | None = None,
                dry_run: bool = False) -> tuple[Proposal, Catalogue | None]:
    proposal = propose(read_file(name, content), name=name, year=year, status=status)
    return proposal, (None if dry_run else apply(proposal, actor=actor))


# --- export ---------------------------------------------------------------------------------------------

def find(year: int, family: str = "general", version: int | None = None) -> Catalogue:
    rows = Catalogue.objects.filter(fiscal_year=int(year), family=family)
    row = rows.filter(version=int(version)).first() if version else (
        rows.exclude(status=Catalogue.Status.DRAFT).order_by("-version").first() or rows.order_by("-version").first())
    if row is None:
        raise CatalogueError(_("ไม่มีเกณฑ์ปี %(year)s กลุ่ม %(family)s") % {"year": year, "family": family})
    return row


def export(row: Catalogue, fmt: str) -> bytes:
    data = {"year": row.fiscal_year, "family": row.family, "status": row.status,
            **{k: v for k, v in row.data.items() if k not in ("year", "family", "status")}}
    if fmt == "xlsx":
        return formats.write_xlsx(data)
    if fmt in ("yaml", "yml"):
        return formats.write_yaml(data)
    raise CatalogueError(_("รูปแบบไฟล์ต้องเป็น yaml หรือ xlsx"))
