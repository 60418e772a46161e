"""Which document a memo carries, and the memo's own data for it.

Three documents are built from one year dict (docs/documents.md):

    round         build.round_report(data, round=R): the memo data is the year's `reports` entry
    plan          plan.plan_report(data, entry=...): the approval memo, the analysis and the measures
    announcement  announcement.announcement(data, notice=...): the executive's ประกาศ

A round memo's data travels in the year dict (it is part of the year file); a plan memo's and an
announcement's do not, so they are passed beside it: `entry_for(memo)` reads them from the database,
and a frozen version keeps them in its data under DOCUMENT_KEY (reports.versions).
"""

from __future__ import annotations

import datetime as dt
from typing import Mapping

from prongsai.reports.document import Document

DOCUMENTS = ("plan", "announcement", "round")
DOCUMENT_KEY = "document"  # where a frozen version's data keeps {"kind", "entry"}


def build(kind: str, data: dict, *, entry: Mapping | None = None, round: int | None = None) -> Document:
    """The Document of `kind` for a year dict (and the memo's entry; the round for a round report)."""
    if kind == "round":
        from prongsai.reports.build import round_report

        if round is None:
            raise ValueError("a round report needs its round (3, 6, 9 or 12)")
        return round_report(data, round=round)
    if kind == "plan":
        from prongsai.reports.plan import plan_report

        return plan_report(data, entry=normalise_entry(entry))
    if kind == "announcement":
        from prongsai.reports.announcement import announcement

        return announcement(data, notice=normalise_notice(entry))
    raise ValueError(f"unknown document {kind!r}; choose one of {', '.join(DOCUMENTS)}")


# --- the memo's own data ------------------------------------------------------------------------------

def _date(value) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def _signer(raw: Mapping) -> dict:
    return {"name": raw.get("name") or "", "rank": raw.get("rank") or "", "position": raw.get("position") or "",
            "comment": raw.get("comment") or "", "date": _date(raw.get("date"))}


def normalise_entry(raw: Mapping | None) -> dict:
    """A plan entry with every key present and dates as datetime.date (it may come back from JSON)."""
    raw = raw or {}
    memo = raw.get("memo")
    preparer = raw.get("preparer") or {}
    out = {"memo": None, "preface_date": _date(raw.get("preface_date")),
           "preparer": {"name": preparer.get("name") or "", "position": preparer.get("position") or ""}}
    if memo is not None:
        out["memo"] = {
            "number": memo.get("number"), "date": _date(memo.get("date")), "subject": memo.get("subject") or "",
            "addressee": memo.get("addressee") or "", "body": list(memo.get("body") or []),
            "preparers": [_signer(s) for s in memo.get("preparers") or []],
            "approvers": [_signer(s) for s in memo.get("approvers") or []],
        }
    return out


def normalise_notice(raw: Mapping | None) -> dict:
    raw = raw or {}
    signer = raw.get("signer")
    return {"date": _date(raw.get("date")), "signer": _signer(signer) if signer else None}


def entry_for(memo) -> dict:
    """The plan entry (kind plan) or the notice (kind announcement) of a Memo, from the database."""
    from prongsai.memos.models import Memo, Signer

    signers = sorted(memo.signers.all(), key=lambda s: (s.role, s.order))

    def person(s: Signer) -> dict:
        return {"name": s.name, "rank": s.rank, "position": s.position, "comment": s.comment, "date": s.signed_on}

    if memo.kind == Memo.Kind.ANNOUNCEMENT:
        approver = next((s for s in signers if s.role == Signer.Role.APPROVER), None)
        return {"date": memo.date, "signer": person(approver) if approver else None}
    return {
        "memo": {
            "number": memo.number, "date": memo.date, "subject": memo.subject, "addressee": memo.addressee,
            "body": list(memo.body or []),
            "preparers": [person(s) for s in signers if s.role == Signer.Role.PREPARER],
            "approvers": [person(s) for s in signers if s.role == Signer.Role.APPROVER],
        },
        "preface_date": memo.preface_date,
        "preparer": {"name": memo.report_preparer_name, "position": memo.report_preparer_position},
    }


def preview_notice(plan_memo) -> dict:
    """The announcement as it will be issued from a plan memo not yet approved: its last approver signs;
    no date yet."""
    from prongsai.memos.models import Signer

    approvers = [s for s in plan_memo.signers.all() if s.role == Signer.Role.APPROVER]
    approvers.sort(key=lambda s: s.order)
    if not approvers:
        return {"date": None, "signer": None}
    last = approvers[-1]
    return {"date": last.signed_on, "signer": {"name": last.name, "rank": last.rank, "position": last.position}}


def for_memo(memo, data: dict | None = None) -> Document:
    """The live document of a memo (from the year's current data unless `data` is given)."""
    if data is None:
        from prongsai.yearfile.services import export_year

        data = export_year(agency=memo.plan.agency, fiscal_year=memo.plan.fiscal_year)
    if memo.kind == "round":
        return build("round", data, round=memo.round)
    return build(memo.kind, data, entry=entry_for(memo))
