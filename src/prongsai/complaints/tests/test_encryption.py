"""Encryption at rest: after real submissions, nothing the complainant or the officer wrote can be found
in the database (the SQLite file and its write-ahead log byte by byte, and every row of every table) or
in the attachment folder; each value opens only in its own place; a wrong or missing key gives a clear
error and decrypts nothing; keys come from the environment or a 0600 key file; rotation re-encrypts
everything."""

from __future__ import annotations

import re
import stat
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse

from prongsai.agencies.models import Membership
from prongsai.complaints import crypto, services
from prongsai.complaints.models import Attachment, Complaint, Message
from prongsai.web.tests import factories

from .conftest import client_for, pdf_bytes, pdf_upload, submit

SECRETS = {
    "what": "QZW1-what ผู้รับเหมาจ่ายเงินทอนให้ปลัด",
    "when": "QZW2-when เมื่อสงกรานต์",
    "where": "QZW3-where หลังตลาดสด",
    "who": "QZW4-who นายสมปอง ทองดี",
    "name": "QZW5-name นางสาวมาลี ใจกล้า",
    "citizen_id": "1101700230708",
    "phone": "0865559123",
    "email": "qzw6-mail@example.org",
    "address": "QZW7-address 12 ซอยวัดป่า",
    "reply": "QZW8-reply มีคลิปเสียงเพิ่ม",
    "officer": "QZW9-officer ขอเชิญให้ถ้อยคำ",
    "reason": "QZWA-reason พบหลักฐานการรับเงิน",
    "file text": "QZWB-ATTACHMENT-BODY",
    "file name": "QZWC-สัญญาลับ.pdf",
}


def _all_rows() -> list[bytes]:
    """Every value of every row of every table, as bytes."""
    values = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            for row in cursor.fetchall():
                for value in row:
                    if isinstance(value, (bytes, bytearray, memoryview)):
                        values.append(bytes(value))
                    elif value is not None:
                        values.append(str(value).encode("utf-8"))
    return values


def _database_files() -> list[Path]:
    if connection.vendor != "sqlite":
        return []
    name = Path(connection.settings_dict["NAME"])
    return [p for p in (name, Path(f"{name}-wal"), Path(f"{name}-journal")) if p.exists()]


@pytest.mark.django_db(transaction=True)
def test_it_leaves_no_plaintext_in_the_database_or_the_upload_folder(settings):
    agency = factories.make_agency()
    officer = factories.make_user("officer", agency, Membership.Role.COMPLAINT_OFFICER)
    client = client_for()
    page = client.get(reverse("complaints:intake", args=[agency.slug])).content.decode()
    token = re.search(r'name="token" value="([0-9a-f]{32})"', page).group(1)
    receipt_page = client.post(reverse("complaints:intake", args=[agency.slug]), {
        "token": token, "category": "finance", "anonymity": "confidential",
        **{k: SECRETS[k] for k in ("what", "when", "where", "who", "name", "citizen_id", "phone", "email", "address")},
        "files": [pdf_upload(SECRETS["file text"], SECRETS["file name"])],
    })
    code = re.search(r'id="receipt-code">([\d-]+)<', receipt_page.content.decode()).group(1)
    complaint = Complaint.objects.get()
    for target in ("registered", "acknowledged", "under_inquiry"):
        services.transition(actor=officer, complaint=complaint, to=target)
    services.post_message(complaint=complaint, sender="officer", officer=officer, body=SECRETS["officer"])
    status = client.post(reverse("complaints:status", args=[agency.slug]), {"code": code}).content.decode()
    follow_up = re.search(r'name="follow_up" value="([^"]+)"', status).group(1)
    client.post(reverse("complaints:status", args=[agency.slug]), {"follow_up": follow_up, "body": SECRETS["reply"]})
    services.transition(actor=officer, complaint=complaint, to="concluded", outcome="substantiated",
                        reason=SECRETS["reason"])

    # The values are really there, sealed: they open to the originals.
    complaint.refresh_from_db()
    assert complaint.read_content()["what"] == SECRETS["what"]
    assert complaint.read_identity()["citizen_id"] == SECRETS["citizen_id"]
    assert complaint.read_conclusion()["reason"] == SECRETS["reason"]
    assert {m.read_body() for m in Message.objects.all()} >= {SECRETS["officer"], SECRETS["reply"]}
    attachment = Attachment.objects.get()
    assert attachment.read_meta()["name"] == SECRETS["file name"]
    assert services.read_attachment(actor=officer, attachment=attachment)[1] == pdf_bytes(SECRETS["file text"])
    assert SECRETS["file text"].encode() in pdf_bytes(SECRETS["file text"])  # plain PDF would show it

    rows = _all_rows()
    files = [p.read_bytes() for p in settings.PRONGSAI_COMPLAINT_FILES_DIR.rglob("*") if p.is_file()]
    database_files = [p.read_bytes() for p in _database_files()]
    assert files, "the attachment was stored"
    if connection.vendor == "sqlite":
        assert database_files and any(b"tessaban-rae" in blob for blob in database_files)  # the search works
    for label, secret in SECRETS.items():
        needle = secret.encode("utf-8")
        assert not any(needle in value for value in rows), f"{label} found in a database row"
        assert not any(needle in blob for blob in database_files), f"{label} found in the database file"
        assert not any(needle in blob for blob in files), f"{label} found in the upload folder"
    digits = re.sub(r"\D", "", code).encode()
    assert not any(digits in value for value in rows)
    assert not any(digits in blob for blob in database_files)


@pytest.mark.django_db
def test_it_opens_a_value_only_in_its_own_place(agency):
    first, second = submit(agency).complaint, submit(agency).complaint
    Complaint.objects.filter(pk=second.pk).update(content=first.content)
    second.refresh_from_db()
    with pytest.raises(crypto.ComplaintKeyError):
        second.read_content()


def _write_ring(path: Path, ring: crypto.KeyRing) -> None:
    path.write_text("\n".join(crypto.format_entries(ring)) + "\n")
    crypto.forget()


@pytest.mark.django_db
def test_it_refuses_a_wrong_key_clearly_and_shows_nothing(agency, settings):
    officer = factories.make_user("officer", agency, Membership.Role.COMPLAINT_OFFICER)
    complaint = submit(agency, uploads=[pdf_upload("WRONG-KEY-FILE")]).complaint
    ring = crypto.keyring()
    stored = bytes(Complaint.objects.get().content)
    wrong = crypto.KeyRing(lookup=ring.lookup, keys={ring.current: b"\x01" * 32}, source=ring.source)
    _write_ring(Path(ring.source), wrong)
    with pytest.raises(crypto.ComplaintKeyError, match=f"key '{ring.current}' .* does not open this value: the key "
                                                       "is wrong .*nothing was decrypted"):
        complaint.read_content()
    page = client_for(officer).get(reverse("complaints:case", args=[agency.slug, complaint.uid]))
    assert page.status_code == 503
    html = page.content.decode()
    assert "เปิดอ่านข้อมูลเรื่องร้องเรียนไม่ได้" in html and "ระบบจึงไม่แสดงข้อมูลใดเลย" in html
    assert "ผู้รับเหมา" not in html
    with pytest.raises(CommandError, match="nothing was changed"):
        call_command("complaints_rotate_key")
    assert bytes(Complaint.objects.get().content) == stored
    assert crypto.keyring().keys == wrong.keys  # no key was added either


@pytest.mark.django_db
def test_it_names_a_missing_key(agency):
    complaint = submit(agency).complaint
    ring = crypto.keyring()
    _write_ring(Path(ring.source), crypto.KeyRing(lookup=ring.lookup, keys={"k-other": b"\x02" * 32},
                                                  source=ring.source))
    with pytest.raises(crypto.ComplaintKeyError, match=f"encrypted with key '{ring.current}', which is not among"):
        complaint.read_content()


def test_it_creates_the_key_file_readable_by_its_owner_only(settings):
    path = Path(settings.PRONGSAI_COMPLAINT_KEYS_FILE)
    assert not path.exists()
    ring = crypto.keyring()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert len(ring.lookup) == 32 and len(ring.keys[ring.current]) == 32
    crypto.forget()
    assert crypto.keyring() == ring


def test_it_takes_keys_from_the_environment_and_explains_bad_ones(settings):
    settings.PRONGSAI_COMPLAINT_KEYS = f"lookup:{'ab' * 32}, k2025:{'cd' * 32},k2024:{'ef' * 32}"
    crypto.forget()
    ring = crypto.keyring()
    assert ring.current == "k2025" and list(ring.keys) == ["k2025", "k2024"] and not ring.from_file
    assert crypto.key_id_of(crypto.seal(b"x", purpose="t")) == "k2025"
    assert not Path(settings.PRONGSAI_COMPLAINT_KEYS_FILE).exists()
    settings.PRONGSAI_COMPLAINT_KEYS = f"k2025:{'cd' * 32}"
    with pytest.raises(crypto.ComplaintKeyError, match="no 'lookup:<64 hex>' entry"):
        crypto.keyring()
    settings.PRONGSAI_COMPLAINT_KEYS = f"lookup:{'ab' * 32},k2025:short"
    with pytest.raises(crypto.ComplaintKeyError, match="entry 2 is not"):
        crypto.keyring()


def _key_ids() -> set[str]:
    ids = set()
    for model, field, _purpose in services.sealed_values():
        for blob in model.objects.exclude(**{f"{field}__isnull": True}).values_list(field, flat=True):
            ids.add(crypto.key_id_of(blob))
    for att in Attachment.objects.all():
        from prongsai.complaints import files
        ids.add(crypto.key_id_of(files.path_of(att.stored_name).read_bytes()))
    return ids


@pytest.mark.django_db
def test_it_rotates_the_key_file_and_everything_still_opens(agency, capsys):
    from .conftest import IDENTITY
    officer = factories.make_user("officer", agency, Membership.Role.COMPLAINT_OFFICER)
    receipts = [submit(agency, identity=IDENTITY, uploads=[pdf_upload(f"FILE-{n}")]) for n in range(3)]
    services.post_message(complaint=receipts[0].complaint, sender="officer", officer=officer, body="ข้อความ")
    old = crypto.keyring().current
    assert _key_ids() == {old}
    call_command("complaints_rotate_key", batch_size=2)
    ring = crypto.keyring()
    assert ring.current != old and list(ring.keys) == [ring.current, old]
    assert _key_ids() == {ring.current}
    for receipt in receipts:
        complaint = Complaint.objects.get(pk=receipt.complaint.pk)
        assert complaint.read_identity() == IDENTITY
        assert services.find_by_code(agency=agency, code_text=receipt.code) == complaint  # lookup key kept
        att = complaint.attachments.get()
        assert services.read_attachment(actor=officer, attachment=att)[1].startswith(b"%PDF")
    call_command("complaints_rotate_key", drop_unused=True)
    assert list(crypto.keyring().keys) == [ring.current]
    assert Complaint.objects.get(pk=receipts[0].complaint.pk).read_content()["what"]
    assert "Re-encrypted" in capsys.readouterr().out


@pytest.mark.django_db
def test_it_reencrypts_under_the_first_key_of_the_environment(agency, settings):
    settings.PRONGSAI_COMPLAINT_KEYS = f"lookup:{'ab' * 32},k1:{'cd' * 32}"
    crypto.forget()
    receipt = submit(agency, uploads=[pdf_upload("ENV-FILE")])
    settings.PRONGSAI_COMPLAINT_KEYS = f"lookup:{'ab' * 32},k2:{'12' * 32},k1:{'cd' * 32}"
    crypto.forget()
    call_command("complaints_rotate_key")
    assert _key_ids() == {"k2"}
    settings.PRONGSAI_COMPLAINT_KEYS = f"lookup:{'ab' * 32},k2:{'12' * 32}"
    crypto.forget()
    assert Complaint.objects.get().read_content()["what"]
    assert services.find_by_code(agency=agency, code_text=receipt.code) is not None
