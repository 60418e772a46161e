"""Published documents are checked by their content, as evidence uploads are (issue 10, item 8): a file is
published only when its bytes are the kind its extension names; nothing reaches storage otherwise."""

import io
import struct
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from prongsai.memos.tests.conftest import client_for
from prongsai.portal.models import PublishedFile, PublishedVersion

SLUG = "tessaban-rae"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + struct.pack(">II", 1, 1) + b"\x08\x02\x00\x00\x00" + b"\x00" * 16
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + b"\x02\x00\x3e\x00" + b"\x00" * 200
PE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 46 + b"PE\x00\x00" + b"\x00" * 200
HTML = b"<!doctype html><html><body><script>fetch('/agencies/').then(r => r.text())</script></body></html>"
SVG = (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
       b'<script>alert(document.cookie)</script><rect width="10" height="10"/></svg>')


def _upload(client, content, name):
    return client.post(f"/agencies/{SLUG}/publishing/documents/", {
        "title": "เอกสารเผยแพร่", "slug": "doc", "fiscal_year": "2568", "summary": "",
        "file": SimpleUploadedFile(name, content),
    })


def _odf(mimetype: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", mimetype, compress_type=zipfile.ZIP_STORED)
        archive.writestr("content.xml", "<office:document-content/>")
        archive.writestr("META-INF/manifest.xml", "<manifest:manifest/>")
    return out.getvalue()


def _ole(stream: str) -> bytes:
    """The start of a compound file (.doc/.xls): its signature, then a directory entry naming the stream."""
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + stream.encode("utf-16-le") + b"\x00" * 400


def _xlsx() -> bytes:
    out = io.BytesIO()
    Workbook().save(out)
    return out.getvalue()


@pytest.mark.parametrize("content, name, says", [
    (ELF, "manual.pdf", "เนื้อหาของไฟล์ไม่ใช่เอกสารที่เผยแพร่ได้"),
    (PE, "manual.doc", "เนื้อหาของไฟล์ไม่ใช่เอกสารที่เผยแพร่ได้"),
    (HTML, "manual.pdf", "เนื้อหาของไฟล์ไม่ใช่เอกสารที่เผยแพร่ได้"),
    (SVG, "chart.png", "เนื้อหาของไฟล์ไม่ใช่เอกสารที่เผยแพร่ได้"),
    (PNG, "manual.pdf", "นามสกุล .pdf ไม่ตรงกับเนื้อหาของไฟล์ซึ่งเป็น PNG"),
    (_xlsx(), "manual.docx", "นามสกุล .docx ไม่ตรงกับเนื้อหาของไฟล์ซึ่งเป็น XLSX"),
    (_odf("application/vnd.oasis.opendocument.spreadsheet"), "manual.odt", "ซึ่งเป็น ODS"),
    (_ole("Workbook"), "manual.doc", "นามสกุล .doc ไม่ตรงกับเนื้อหาของไฟล์ซึ่งเป็น XLS"),
    (b"PK\x03\x04 not really a zip", "manual.odt", "เนื้อหาของไฟล์ไม่ใช่เอกสารที่เผยแพร่ได้"),
], ids=["elf-as-pdf", "exe-as-doc", "html-as-pdf", "svg-with-script-as-png", "png-as-pdf", "xlsx-as-docx",
        "ods-as-odt", "xls-as-doc", "broken-zip-as-odt"])
def test_it_refuses_content_that_is_not_what_the_extension_names(admin, agency, settings, content, name, says):
    response = _upload(client_for(admin), content, name)
    assert response.status_code == 400
    assert says in response.content.decode()
    assert not PublishedVersion.objects.exists()
    media = settings.MEDIA_ROOT / "portal"
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))  # nothing stored


@pytest.mark.parametrize("content, name, content_type", [
    (PNG, "chart.png", "image/png"),
    (_xlsx(), "budget.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    (_odf("application/vnd.oasis.opendocument.text"), "manual.odt", "application/vnd.oasis.opendocument.text"),
    (_ole("WordDocument"), "manual.doc", "application/msword"),
    (_ole("Workbook"), "budget.xls", "application/vnd.ms-excel"),
])
def test_it_publishes_each_accepted_kind(admin, agency, content, name, content_type):
    assert _upload(client_for(admin), content, name).status_code == 302
    published = PublishedFile.objects.get()
    assert published.content_type == content_type and published.size == len(content)
