"""Complaint intake, the officer's workflow, messages, identity reveals, shredding and key rotation.

Every function that writes is keyword-only and runs in one transaction with its audit entry
(prongsai.audit). The audit trail gets what a reviewer needs (status, category, channel, register
number, outcome, the officer's reason for a reveal) and never what the complainant wrote: no text,
identity, contact, file name or receipt code. Permission checks are the caller's (views use
prongsai.agencies.access with policy.HANDLE_COMPLAINTS).

The workflow is an explicit state machine (`NEXT`): received -> registered -> acknowledged ->
under_inquiry -> concluded -> closed. `transition` is the only code that changes a status.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables

from prongsai.agencies.models import Agency
from prongsai.audit import services as audit
from prongsai.complaints import codes, crypto, files
from prongsai.complaints.models import Attachment, Complaint, ComplaintSettings, Message
from prongsai.lib import fiscal

Status = Complaint.Status
Outcome = Complaint.Outcome
Sender = Message.Sender

NEXT: dict[str, str] = {
    Status.RECEIVED: Status.REGISTERED,
    Status.REGISTERED: Status.ACKNOWLEDGED,
    Status.ACKNOWLEDGED: Status.UNDER_INQUIRY,
    Status.UNDER_INQUIRY: Status.CONCLUDED,
    Status.CONCLUDED: Status.CLOSED,
}
TEXT_LIMITS = {"what": 10_000, "when": 300, "where": 300, "who": 2_000}
MESSAGE_LIMIT = 5_000


class TransitionError(ValidationError):
    """An illegal move of the state machine (Thai message)."""


class DuplicateSubmission(Exception):
    """The same intake form was sent twice; the first one made the complaint."""


# --- settings --------------------------------------------------------------------------------------

def settings_for(agency: Agency) -> ComplaintSettings:
    """The agency's complaint settings (defaults, unsaved, when it has none yet)."""
    found = ComplaintSettings.objects.filter(agency=agency).first()
    return found or ComplaintSettings(agency=agency)


def update_settings(*, actor, agency: Agency, values: dict) -> ComplaintSettings:
    with transaction.atomic():
        current, _created = ComplaintSettings.objects.select_for_update().get_or_create(agency=agency)
        before = audit.snapshot(current)
        for name, value in values.items():
            setattr(current, name, value)
        current.full_clean()
        current.save()
        changes = audit.diff(before, audit.snapshot(current))
        if changes:
            audit.record(actor=actor, action="complaints.settings.updated", obj=current, agency=agency,
                         changes=changes)
    return current


# --- intake ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Receipt:
    complaint: Complaint
    code: str  # the plain receipt code: shown once, never stored

    @property
    def grouped_code(self) -> str:
        return codes.grouped(self.code)


IDENTITY_FIELDS = ("name", "citizen_id", "phone", "email", "address")


@sensitive_variables()
def _clean_text(values: dict) -> dict:
    cleaned, errors = {}, {}
    for name, limit in TEXT_LIMITS.items():
        text = (values.get(name) or "").strip()
        if len(text) > limit:
            errors[name] = _("ข้อความยาวเกิน %(limit)s ตัวอักษร") % {"limit": limit}
        cleaned[name] = text
    if not cleaned["what"]:
        errors["what"] = _("เรื่องที่ร้องเรียน: กรุณาเล่าว่าเกิดอะไรขึ้น")
    if errors:
        raise ValidationError(errors)
    return cleaned


def _store_attachments(uploads, sender) -> list[tuple[Attachment, str]]:
    """Seal the files to disk (before the transaction); the rows are saved by the caller."""
    stored: list[tuple[Attachment, str]] = []
    kinds = files.check_files(uploads)
    try:
        for upload, kind in zip(uploads, kinds):
            att = Attachment(uid=uuid.uuid4(), sender=sender, kind=kind)
            name, size, digest = files.store(upload, purpose=att.purpose("file"))
            att.stored_name, att.size = name, size
            att.meta = crypto.seal_json({"name": upload.name, "sha256": digest}, purpose=att.purpose("meta"))
            stored.append((att, name))
    except BaseException:
        files.remove([name for _att, name in stored])
        raise
    return stored


@sensitive_variables()
def submit(*, agency: Agency, category: str, text: dict, identity: dict | None = None, uploads=(),
           channel: str = Complaint.Channel.WEB, received_on: dt.date | None = None, actor=None,
           intake_token: str | None = None) -> Receipt:
    """A new complaint with a fresh receipt code. From the web (actor None, channel web, today) or
    registered by an officer for a complaint that came by phone, letter, walk-in, Facebook or LINE."""
    if category not in Complaint.Category.values:
        raise ValidationError({"category": _("ประเภทเรื่อง: กรุณาเลือกประเภทของเรื่องที่ร้องเรียน")})
    if channel not in Complaint.Channel.values:
        raise ValidationError({"channel": _("ช่องทาง: กรุณาเลือกช่องทางที่รับเรื่อง")})
    text = _clean_text(text)
    identity = {k: (identity or {}).get(k, "").strip() for k in IDENTITY_FIELDS} if identity else None
    if identity is not None and not any(identity.values()):
        identity = None
    today = timezone.localdate()
    received_on = received_on or today
    if received_on > today:
        raise ValidationError({"received_on": _("วันที่รับเรื่อง: ต้องไม่เป็นวันในอนาคต")})
    uploads = list(uploads)
    code = codes.new_code()
    code_hash = codes.hash_code(code)
    complaint = Complaint(uid=uuid.uuid4(), agency=agency, category=category, channel=channel,
                          received_on=received_on, identified=identity is not None, code_hash=code_hash,
                          code_index=codes.index(agency.pk, code),
                          registered_by=actor if getattr(actor, "is_authenticated", False) else None,
                          intake_token=hashlib.sha256(intake_token.encode()).hexdigest() if intake_token else None)
    complaint.content = crypto.seal_json(text, purpose=complaint.purpose("content"))
    if identity is not None:
        complaint.identity = crypto.seal_json(identity, purpose=complaint.purpose("identity"))
    stored = _store_attachments(uploads, Sender.COMPLAINANT)
    try:
        with transaction.atomic():
            rules = settings_for(agency)
            complaint.acknowledge_due = received_on + dt.timedelta(days=rules.acknowledge_days)
            complaint.conclude_due = received_on + dt.timedelta(days=rules.conclude_days)
            try:
                with transaction.atomic():
                    complaint.save()
            except IntegrityError:
                if intake_token and Complaint.objects.filter(intake_token=complaint.intake_token).exists():
                    raise DuplicateSubmission() from None
                raise
            for att, _name in stored:
                att.complaint = complaint
                att.added_on = received_on
                att.save()
            audit.record(actor=actor, action="complaints.complaint.received", obj=complaint, agency=agency,
                         changes={"status": [None, complaint.status], "category": [None, category],
                                  "channel": [None, channel], "identified": [None, complaint.identified],
                                  "attachments": [None, len(stored)]},
                         day_only=True)  # the receipt's day only: a time could be matched to an access log
    except BaseException:
        files.remove([name for _att, name in stored])
        raise
    return Receipt(complaint=complaint, code=code)


@sensitive_variables()
def find_by_code(*, agency: Agency, code_text: str) -> Complaint | None:
    """The agency's complaint with this receipt code, or None. Never puts the code in a query."""
    code = codes.normalize(code_text)
    if code is None:
        return None
    found = None
    for candidate in Complaint.objects.filter(agency=agency, code_index=codes.index(agency.pk, code)):
        if codes.verify(candidate.code_hash, code):
            found = candidate
    if found is None:
        codes.burn_time(code)
    return found


# --- the state machine -----------------------------------------------------------------------------

def allowed_next(complaint: Complaint) -> str | None:
    return NEXT.get(complaint.status)


def _label(status: str) -> str:
    return str(Status(status).label)


def check_transition(current: str, target: str) -> None:
    if target not in Status.values:
        raise TransitionError(_("ไม่มีสถานะ %(status)s ในขั้นตอนการจัดการเรื่องร้องเรียน") % {"status": target})
    if NEXT.get(current) == target:
        return
    if current == Status.CLOSED:
        raise TransitionError(_("เรื่องนี้ปิดแล้ว เปลี่ยนเป็น “%(target)s” ไม่ได้") % {"target": _label(target)})
    raise TransitionError(_("เปลี่ยนสถานะจาก “%(current)s” เป็น “%(target)s” ไม่ได้: ขั้นตอนถัดไปคือ “%(next)s”") % {
        "current": _label(current), "target": _label(target), "next": _label(NEXT[current])})


def _next_register_number(agency: Agency, year: int) -> int:
    ComplaintSettings.objects.get_or_create(agency=agency)
    ComplaintSettings.objects.select_for_update().get(agency=agency)  # serialises numbering per agency
    last = Complaint.objects.filter(agency=agency, register_year=year).aggregate(n=Max("register_number"))["n"]
    return (last or 0) + 1


def acknowledgement_text(complaint: Complaint) -> str:
    return _("หน่วยงานได้รับเรื่องร้องเรียนของท่านแล้ว ลงทะเบียนรับไว้เป็นเลขรับที่ %(number)s "
             "เจ้าหน้าที่จะตรวจสอบข้อเท็จจริงและแจ้งความคืบหน้าให้ทราบทางหน้าติดตามเรื่องนี้") % {
        "number": complaint.register_label}


@sensitive_variables()
def transition(*, actor, complaint: Complaint, to: str, message: str = "", outcome: str = "", reason: str = "",
               forwarded_to: str = "") -> Complaint:
    """Move a complaint one step along the workflow; an illegal move raises TransitionError (Thai).

    registered: takes the next number of the agency's complaint register for this fiscal year;
    acknowledged: tells the complainant (a message; a standard one when none is written);
    concluded: needs the outcome and the reason (and the body it went to, when forwarded)."""
    message = (message or "").strip()
    if len(message) > MESSAGE_LIMIT:
        raise ValidationError({"message": _("ข้อความถึงผู้ร้อง: ยาวเกิน %(limit)s ตัวอักษร") % {"limit": MESSAGE_LIMIT}})
    with transaction.atomic():
        complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
        before = complaint.status
        check_transition(before, to)
        now = timezone.now()
        changes: dict = {"status": [before, to]}
        if to == Status.REGISTERED:
            complaint.register_year = fiscal.of_date(timezone.localdate(now))
            complaint.register_number = _next_register_number(complaint.agency, complaint.register_year)
            complaint.registered_at = now
            changes["register_number"] = [None, complaint.register_label]
        elif to == Status.ACKNOWLEDGED:
            complaint.acknowledged_at = now
            message = message or acknowledgement_text(complaint)
            changes["acknowledged_in_time"] = [None, complaint.acknowledged_in_time()]
        elif to == Status.UNDER_INQUIRY:
            complaint.inquiry_started_at = now
        elif to == Status.CONCLUDED:
            _conclude(complaint, outcome=outcome, reason=reason, forwarded_to=forwarded_to)
            complaint.concluded_at = now
            changes["outcome"] = [None, complaint.outcome]
            if complaint.forwarded_to:
                changes["forwarded_to"] = [None, complaint.forwarded_to]
            changes["concluded_in_time"] = [None, complaint.concluded_in_time()]
        elif to == Status.CLOSED:
            complaint.closed_at = now
        complaint.status = to
        complaint.save()
        audit.record(actor=actor, action=f"complaints.complaint.{to}", obj=complaint, agency=complaint.agency,
                     changes=changes)
        if message:
            _add_message(complaint=complaint, sender=Sender.OFFICER, body=message, officer=actor, stored=[],
                         actor=actor)
        # The year's statistics changed: the OIT complaint-statistics item follows (same transaction).
        from prongsai.oit.services import refresh_auto_answers

        refresh_auto_answers(agency=complaint.agency, fiscal_year=fiscal.of_date(complaint.received_on), actor=actor)
    return complaint


@sensitive_variables()
def _conclude(complaint: Complaint, *, outcome: str, reason: str, forwarded_to: str) -> None:
    errors = {}
    reason, forwarded_to = (reason or "").strip(), (forwarded_to or "").strip()
    if outcome not in Outcome.values:
        errors["outcome"] = _("ผลการตรวจสอบ: กรุณาเลือกว่ามีมูล ไม่มีมูล หรือส่งต่อหน่วยงานอื่น")
    if not reason:
        errors["reason"] = _("เหตุผล: กรุณาระบุเหตุผลของข้อยุติ")
    elif len(reason) > MESSAGE_LIMIT:
        errors["reason"] = _("เหตุผล: ยาวเกิน %(limit)s ตัวอักษร") % {"limit": MESSAGE_LIMIT}
    if outcome == Outcome.FORWARDED and not forwarded_to:
        errors["forwarded_to"] = _("ส่งต่อให้: กรุณาระบุหน่วยงานที่ส่งเรื่องต่อ เช่น สำนักงาน ป.ป.ช.")
    if len(forwarded_to) > 200:
        errors["forwarded_to"] = _("ส่งต่อให้: ยาวเกิน 200 ตัวอักษร")
    if errors:
        raise ValidationError(errors)
    complaint.outcome = outcome
    complaint.forwarded_to = forwarded_to if outcome == Outcome.FORWARDED else ""
    complaint.conclusion = crypto.seal_json({"reason": reason}, purpose=complaint.purpose("conclusion"))


# --- messages and files ----------------------------------------------------------------------------

@sensitive_variables()
def _add_message(*, complaint: Complaint, sender: str, body: str, officer, stored, actor) -> Message:
    message = Message(uid=uuid.uuid4(), complaint=complaint, sender=sender,
                      officer=officer if sender == Sender.OFFICER else None, sent_on=timezone.localdate())
    message.body = crypto.seal(body.encode("utf-8"), purpose=message.purpose())
    message.save()
    for att, _name in stored:
        att.complaint, att.message, att.added_on = complaint, message, message.sent_on
        att.save()
    audit.record(actor=actor, action=f"complaints.message.from_{sender}", obj=complaint, agency=complaint.agency,
                 changes={"message": [None, str(message.uid)], "attachments": [None, len(stored)]},
                 day_only=sender == Sender.COMPLAINANT)  # like the receipt: a citizen's message keeps its day
    return message


@sensitive_variables()
def post_message(*, complaint: Complaint, sender: str, body: str, uploads=(), officer=None) -> Message:
    """A message in the case's thread, from the officer or (with the receipt code) the complainant."""
    body = (body or "").strip()
    uploads = list(uploads)
    if complaint.status == Status.CLOSED:
        raise ValidationError({"body": _("เรื่องนี้ปิดแล้ว ส่งข้อความเพิ่มไม่ได้")})
    if not body and not uploads:
        raise ValidationError({"body": _("ข้อความ: กรุณาพิมพ์ข้อความหรือแนบไฟล์")})
    if len(body) > MESSAGE_LIMIT:
        raise ValidationError({"body": _("ข้อความ: ยาวเกิน %(limit)s ตัวอักษร") % {"limit": MESSAGE_LIMIT}})
    stored = _store_attachments(uploads, sender)
    try:
        with transaction.atomic():
            locked = Complaint.objects.select_for_update().get(pk=complaint.pk)
            if locked.status == Status.CLOSED:
                raise ValidationError({"body": _("เรื่องนี้ปิดแล้ว ส่งข้อความเพิ่มไม่ได้")})
            return _add_message(complaint=locked, sender=sender, body=body, officer=officer, stored=stored,
                                actor=officer if sender == Sender.OFFICER else None)
    except BaseException:
        files.remove([name for _att, name in stored])
        raise


@sensitive_variables()
def read_attachment(*, actor, attachment: Attachment) -> tuple[dict, bytes]:
    """An attachment's name and content for an officer; the opening is audited."""
    meta = attachment.read_meta()
    data = files.read(attachment.stored_name, purpose=attachment.purpose("file"))
    with transaction.atomic():
        audit.record(actor=actor, action="complaints.attachment.opened", obj=attachment.complaint,
                     agency=attachment.complaint.agency, changes={"attachment": [None, str(attachment.uid)]})
    return meta, data


@sensitive_variables()
def reveal_identity(*, actor, complaint: Complaint, reason: str) -> dict | None:
    """The complainant's identity and contact, for an officer who gives a reason; logged with that reason."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("เหตุผลที่ต้องเปิดดูตัวตนผู้ร้อง: กรุณาระบุเหตุผล")})
    if len(reason) > 500:
        raise ValidationError({"reason": _("เหตุผลที่ต้องเปิดดูตัวตนผู้ร้อง: ยาวเกิน 500 ตัวอักษร")})
    if complaint.identity is None:
        return None
    identity = complaint.read_identity()
    with transaction.atomic():
        audit.record(actor=actor, action="complaints.identity.revealed", obj=complaint, agency=complaint.agency,
                     changes={"reason": [None, reason]})
    return identity


# --- retention -------------------------------------------------------------------------------------

def due_for_shredding(*, today: dt.date):
    """Closed complaints whose identity is still kept past their agency's retention period."""
    due = []
    candidates = (Complaint.objects.filter(status=Status.CLOSED, identity__isnull=False)
                  .select_related("agency").order_by("id"))
    retention: dict[int, int] = {}
    for complaint in candidates:
        if complaint.agency_id not in retention:
            retention[complaint.agency_id] = settings_for(complaint.agency).retention_days
        if timezone.localdate(complaint.closed_at) + dt.timedelta(days=retention[complaint.agency_id]) <= today:
            due.append(complaint)
    return due


def shred_identity(*, complaint: Complaint) -> None:
    with transaction.atomic():
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA secure_delete = ON")  # freed bytes are zeroed, not left in the file
        locked = Complaint.objects.select_for_update().get(pk=complaint.pk)
        locked.identity = None
        locked.identity_shredded_at = timezone.now()
        locked.save(update_fields=["identity", "identity_shredded_at"])
        audit.record(actor=None, action="complaints.identity.shredded", obj=locked, agency=locked.agency,
                     changes={"identity": ["kept", "shredded"]})


def compact_storage() -> None:
    """After shredding: make the database drop the old row versions (SQLite: checkpoint the write-ahead
    log; PostgreSQL: VACUUM the table), so the sealed identity is gone from the files too."""
    if connection.in_atomic_block:
        return  # neither can run inside a transaction (the tests run in one)
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        elif connection.vendor == "postgresql":
            cursor.execute(f"VACUUM {Complaint._meta.db_table}")


# --- key rotation ----------------------------------------------------------------------------------

def sealed_values():
    """Every sealed value: (model, pk, field, purpose getter). Files are listed by `sealed_files`."""
    return [
        (Complaint, "content", lambda o: o.purpose("content")),
        (Complaint, "identity", lambda o: o.purpose("identity")),
        (Complaint, "conclusion", lambda o: o.purpose("conclusion")),
        (Message, "body", lambda o: o.purpose()),
        (Attachment, "meta", lambda o: o.purpose("meta")),
    ]


@dataclass
class RotationReport:
    key_id: str
    values: int = 0
    files: int = 0
    already: int = 0
    keys_in_use: set | None = None


def check_all(ring: crypto.KeyRing) -> set[str]:
    """Open every sealed value and file with the ring; the key ids in use. Raises ComplaintKeyError at the
    first value that does not open, before anything is changed."""
    in_use: set[str] = set()
    for model, field, purpose in sealed_values():
        for obj in model.objects.exclude(**{f"{field}__isnull": True}).iterator(chunk_size=500):
            blob = getattr(obj, field)
            crypto.unseal(blob, purpose=purpose(obj), ring=ring)
            in_use.add(crypto.key_id_of(blob))
    for att in Attachment.objects.iterator(chunk_size=500):
        blob = files.path_of(att.stored_name).read_bytes()
        crypto.unseal(blob, purpose=att.purpose("file"), ring=ring)
        in_use.add(crypto.key_id_of(blob))
    return in_use


def reencrypt_all(*, ring: crypto.KeyRing, batch_size: int = 200, progress=None) -> RotationReport:
    """Seal every value and file again under the ring's current key, in batches of rows, each batch one
    transaction (a crash leaves each value whole, under the old key or the new one: run again)."""
    report = RotationReport(key_id=ring.current)
    for model, field, purpose in sealed_values():
        pks = list(model.objects.exclude(**{f"{field}__isnull": True}).order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(pks), batch_size):
            with transaction.atomic():
                for obj in model.objects.select_for_update().filter(pk__in=pks[start:start + batch_size]):
                    blob = getattr(obj, field)
                    if blob is None:
                        continue
                    new = crypto.reseal(blob, purpose=purpose(obj), ring=ring)
                    if new is None:
                        report.already += 1
                        continue
                    model.objects.filter(pk=obj.pk).update(**{field: new})
                    report.values += 1
            if progress:
                progress(model._meta.model_name, field, min(start + batch_size, len(pks)), len(pks))
    for att in Attachment.objects.order_by("pk").iterator(chunk_size=500):
        path = files.path_of(att.stored_name)
        new = crypto.reseal(path.read_bytes(), purpose=att.purpose("file"), ring=ring)
        if new is None:
            report.already += 1
            continue
        files.write_sealed(path, new)
        report.files += 1
    if progress:
        progress("attachment", "file", report.files, report.files)
    return report


def max_upload_summary() -> dict:
    return {"mb": getattr(settings, "PRONGSAI_COMPLAINT_MAX_FILE_MB", 10), "count": files.max_files()}
