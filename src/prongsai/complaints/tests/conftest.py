"""Fixtures for the complaint tests: the agency and another one, every role of the access matrix, keys and
sealed files in a per-test folder, fresh rate-limit counters, and helpers to submit complaints and make
real files (PDF, PNG) with a marker text inside."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from prongsai.agencies.models import Membership
from prongsai.complaints import crypto, ratelimit, services
from prongsai.web.tests import factories
from prongsai.web.tests.factories import client_for

Role = Membership.Role


@pytest.fixture(autouse=True)
def _complaint_storage(settings, tmp_path):
    settings.PRONGSAI_COMPLAINT_KEYS = ""
    settings.PRONGSAI_COMPLAINT_KEYS_FILE = tmp_path / "complaint-keys"
    settings.PRONGSAI_COMPLAINT_FILES_DIR = tmp_path / "complaint-files"
    crypto.forget()
    ratelimit.reset_all()
    yield
    crypto.forget()
    ratelimit.reset_all()


@pytest.fixture
def agency(db):
    return factories.make_agency()


@pytest.fixture
def other_agency(db):
    return factories.make_agency(slug="tessaban-other", name="เทศบาลตำบลอื่น", digits="arabic")


@pytest.fixture
def officer(agency):
    user = factories.make_user("officer", agency, Role.COMPLAINT_OFFICER)
    user.first_name, user.last_name = "นางสาวสุดา", "รับเรื่อง"
    user.save()
    return user


@pytest.fixture
def officer_client(officer):
    return client_for(officer)


def pdf_bytes(text: str) -> bytes:
    """A small real PDF whose page shows `text` (ASCII) in a plain content stream."""
    stream = f"BT /F1 12 Tf 50 700 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def pdf_upload(text: str, name: str = "หลักฐาน.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(text), content_type="application/pdf")


TEXT = {"what": "นายก อบต. ให้ผู้รับเหมารายเดียวชนะทุกโครงการ", "when": "มีนาคม 2568", "where": "ศาลาประชาคม",
        "who": "นายสมชาย ใจร้าย ผู้อำนวยการกองช่าง"}
IDENTITY = {"name": "นางสาวมานี มีใจ", "citizen_id": "1101700230708", "phone": "0812345678",
            "email": "manee@example.org", "address": "99 หมู่ 4 ตำบลแร่"}


def submit(agency, *, text=None, identity=None, uploads=(), **kwargs) -> services.Receipt:
    return services.submit(agency=agency, category=kwargs.pop("category", "procurement"), text=text or TEXT,
                           identity=identity, uploads=list(uploads), **kwargs)
