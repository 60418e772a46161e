"""Frozen report versions: made when the last approver signs, stored with their SHA-256, served to
members only, and never changed by later edits of the year."""

import hashlib
import re

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from prongsai.measures.models import RoundResult
from prongsai.memos.models import Signer
from prongsai.memos.tests import helpers
from prongsai.memos.tests.conftest import client_for
from prongsai.reports import versions
from prongsai.reports.models import FORMATS, ReportVersion
from prongsai.reports.tests.pdftools import pdftotext
from prongsai.reports.tests.readers import html_text
from prongsai.yearfile.services import export_year

SLUG, YEAR, ROUND = "tessaban-rae", 2563, 6
OLD_DETAILS = "จัดทำแผนการใช้จ่ายงบประมาณประจำปีและประชาสัมพันธ์บนเว็บไซต์"
NEW_DETAILS = "ข้อความที่แก้ภายหลังการอนุมัติ"


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _file_url(fmt, number=1):
    return reverse("memos:version_file", args=[SLUG, YEAR, ROUND, number, fmt])


@pytest.fixture
def version(plan, planner, default_chain):
    memo = helpers.approved(plan, planner, default_chain)
    return ReportVersion.objects.get(memo=memo)


def _stored(version, fmt) -> bytes:
    with default_storage.open(version.file(fmt).name, "rb") as fh:
        return fh.read()


def test_it_keeps_the_exported_year_and_three_files_with_their_hashes(version, settings):
    data = versions.version_data(version)
    assert data == export_year(agency=SLUG, fiscal_year=YEAR)  # nothing changed since: the same dict
    assert [a["comment"] for a in data["reports"][0]["memo"]["approvers"]] == list(helpers.COMMENTS)
    for fmt in FORMATS:
        path = settings.MEDIA_ROOT / version.file(fmt).name
        assert path.is_file() and path.parent == settings.MEDIA_ROOT / "reports" / SLUG / str(YEAR)
        assert hashlib.sha256(path.read_bytes()).hexdigest() == version.sha256(fmt)
    assert _stored(version, "pdf").startswith(b"%PDF-")
    assert "ทราบ" in _stored(version, "html").decode()


def test_later_changes_to_the_year_never_alter_a_frozen_version(version):
    before = {fmt: _stored(version, fmt) for fmt in FORMATS}
    snapshot = dict(version.data)
    RoundResult.objects.filter(measure__plan__fiscal_year=YEAR, round=ROUND).update(details=NEW_DETAILS)
    Signer.objects.filter(memo=version.memo, role="approver", order=1).update(comment="ความเห็นที่ถูกแก้")
    version.memo.plan.agency.__class__.objects.filter(slug=SLUG).update(name="เทศบาลที่เปลี่ยนชื่อ")

    version.refresh_from_db()
    assert version.data == snapshot
    assert {fmt: _stored(version, fmt) for fmt in FORMATS} == before
    for fmt in FORMATS:
        response = client_for(version.created_by).get(_file_url(fmt))
        assert response.content == before[fmt]
    pdf_text = _squeeze(pdftotext(client_for(version.created_by).get(_file_url("pdf")).content))
    assert _squeeze("เทศบาลตำบลแร่") in pdf_text and _squeeze(helpers.COMMENTS[0]) in pdf_text
    assert _squeeze("เทศบาลที่เปลี่ยนชื่อ") not in pdf_text and _squeeze("ความเห็นที่ถูกแก้") not in pdf_text
    # The memo page shows the frozen report; the live download follows the data.
    page = client_for(version.created_by).get(reverse("memos:memo_detail", args=[SLUG, YEAR, ROUND]))
    html = html_text(page.content)
    assert OLD_DETAILS in html and NEW_DETAILS not in html
    live = client_for(version.created_by).get(reverse("web:round_report", args=[SLUG, YEAR, ROUND, "html"]))
    assert NEW_DETAILS in html_text(live.content)


def test_it_serves_a_frozen_file_to_members(version, viewer):
    response = client_for(viewer).get(_file_url("pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="tessaban-rae-2563-round6-v1.pdf"'
    assert response["X-Content-SHA256"] == version.pdf_sha256
    assert "private" in response["Cache-Control"]
    assert hashlib.sha256(response.content).hexdigest() == version.pdf_sha256
    docx = client_for(viewer).get(_file_url("docx"))
    assert docx["Content-Type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def test_it_lists_the_versions_with_their_hashes(version, viewer):
    html = client_for(viewer).get(reverse("memos:memo_detail", args=[SLUG, YEAR, ROUND])).content.decode()
    for fmt in FORMATS:
        assert _file_url(fmt) in html and version.sha256(fmt) in html


def test_it_refuses_a_file_that_no_longer_matches_its_hash(version, viewer, settings):
    (settings.MEDIA_ROOT / version.pdf.name).write_bytes(b"%PDF-1.7 tampered")
    response = client_for(viewer).get(_file_url("pdf"))
    assert response.status_code == 500
    assert "ไม่ตรงกับค่า SHA-256 ที่บันทึกไว้" in response.content.decode()


def test_it_gives_404_for_unknown_versions_and_formats(version, viewer):
    assert client_for(viewer).get(_file_url("pdf", number=2)).status_code == 404
    assert client_for(viewer).get(_file_url("xlsx")).status_code == 404


def test_a_memo_with_versions_cannot_be_deleted(version):
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        version.memo.delete()
