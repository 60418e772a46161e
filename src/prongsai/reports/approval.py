"""What an approved (frozen) version says about its approval in Prongsai.

    document = finish(document, version)     # reports.versions.document_for does this

- under each signer's block who signed in the system: "ลงนามในระบบ ๒๐ เมษายน ๒๕๖๖ เวลา ๑๐.๓๒ น."
  (local time), the comment being already part of the block;
- a stamp at the foot of every page: the version number, the version's short hash (the first 12 hex
  digits of the SHA-256 of its frozen data, the same for all three files of the version) and where to
  verify it, with a QR code of that address: the report's public page for a round report (it lists
  every published version with its SHA-256), the portal's verify page otherwise;
- the agency's emblem on the letterheads (reports.emblem);
- no draft line (Document.draft), which the builders set while the chain has not signed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass

from prongsai.lib import thai
from prongsai.reports import emblem as emblems
from prongsai.reports.document import Document, Signature, Stamp

SIGNED_PREFIX = "ลงนามในระบบ"
DRAFT_NOTE = "ฉบับร่าง ยังไม่ผ่านการอนุมัติ"


@dataclass(frozen=True)
class Approval:
    signed: dict[str, dt.datetime]  # signer name as printed -> when they signed in the system
    number: int
    short_hash: str
    verify_url: str


def signed_text(when: dt.datetime, style: str = thai.THAI) -> str:
    """"ลงนามในระบบ ๒๐ เมษายน ๒๕๖๖ เวลา ๑๐.๓๒ น." in local time."""
    from django.utils import timezone

    local = timezone.localtime(when) if timezone.is_aware(when) else when
    return thai.digits(f"{SIGNED_PREFIX} {thai.format_date(local.date(), style)} เวลา {local:%H.%M} น.", style)


def short_hash(data) -> str:
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:12]


def stamp_text(approval: Approval, style: str = thai.THAI) -> str:
    number = thai.digits(str(approval.number), style)
    return (f"ฉบับอนุมัติในระบบโปร่งใส ฉบับที่ {number} รหัส {approval.short_hash} "
            f"ตรวจสอบได้ที่ {approval.verify_url}")


def apply(document: Document, approval: Approval) -> Document:
    """Signed lines under the blocks of the signers who signed in the system, the stamp, no draft line."""
    style = document.digits
    for block in document.iter_blocks():
        if isinstance(block, Signature) and block.name in approval.signed:
            block.signed = signed_text(approval.signed[block.name], style)
    document.stamp = Stamp(text=stamp_text(approval, style), qr_url=approval.verify_url)
    document.draft = ""
    return document


def for_version(version) -> Approval:
    from prongsai.portal import links

    memo = version.memo
    plan = memo.plan
    style = plan.agency.digits
    signed = {thai.digits(s.name, style): s.signed_at for s in memo.signers.all()
              if s.signed_at is not None and s.status == "signed"}
    if getattr(memo, "kind", "round") == "round":
        path = links.round_report_path(plan.agency, plan.fiscal_year, memo.round)
    else:
        path = links.verify_path()
    return Approval(signed=signed, number=version.number, short_hash=short_hash(version.data),
                    verify_url=links.absolute(path))


def finish(document: Document, version) -> Document:
    """The document as the approved version prints it: emblem, signed lines, stamp (see above)."""
    emblems.apply(document, emblems.for_agency(version.memo.plan.agency))
    return apply(document, for_version(version))
