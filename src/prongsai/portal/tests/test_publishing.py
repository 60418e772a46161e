"""Publishing an approved round report: the staff action, the public pages and files, republishing."""

import hashlib

import pytest
from django.db import transaction

from prongsai.audit.models import AuditEntry
from prongsai.memos.tests.conftest import client_for
from prongsai.memos.tests import helpers
from prongsai.portal import links, services
from prongsai.portal.models import PublishedVersion
from prongsai.reports import versions

SLUG, FY, ROUND = "tessaban-rae", 2563, 6


def _publish(client):
    return client.post(f"/agencies/{SLUG}/publishing/reports/{FY}/{ROUND}/")


def test_it_publishes_an_approved_report_with_one_action(admin, report_version):
    response = _publish(client_for(admin))
    assert response.status_code == 302 and response["Location"] == f"/agencies/{SLUG}/publishing/"
    published = PublishedVersion.objects.get()
    assert published.number == 1 and published.report_version == report_version
    assert {f.name: f.sha256 for f in published.files.all()} == {
        "report.pdf": report_version.pdf_sha256, "report.docx": report_version.docx_sha256,
        "report.html": report_version.html_sha256}
    assert AuditEntry.objects.filter(action="portal.report.published", actor=admin).count() == 1
    page = client_for(admin).get(f"/agencies/{SLUG}/publishing/")
    assert "เผยแพร่แล้ว" in page.content.decode()


def test_it_serves_the_report_page_and_its_files_to_anyone(admin, report_version):
    _publish(client_for(admin))
    public = client_for()
    page = public.get(links.round_report_path(SLUG, FY, ROUND))
    text = page.content.decode()
    assert page.status_code == 200
    assert "ประจำปีงบประมาณ ๒๕๖๓" in text and report_version.pdf_sha256 in text
    assert 'property="og:title"' in text and "https://ita.example.go.th/a/tessaban-rae/reports/2563/round-6/" in text
    assert '<svg role="img"' in text  # the QR code to the verify page
    assert "จัดทำแผนการใช้จ่ายงบประมาณประจำปี" in text  # the report itself, as HTML
    pdf = public.get(links.round_report_file_path(SLUG, FY, ROUND, 1, "pdf"))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert hashlib.sha256(pdf.content).hexdigest() == report_version.pdf_sha256
    docx = public.get(links.round_report_file_path(SLUG, FY, ROUND, 1, "docx"))
    assert "attachment" in docx["Content-Disposition"]
    assert public.get(links.round_report_file_path(SLUG, FY, ROUND, 1, "exe")).status_code == 404
    assert public.get(links.round_report_version_path(SLUG, FY, ROUND, 9)).status_code == 404


def test_it_refuses_members_without_the_publish_permission_and_outsiders(viewer, outsider, report_version):
    assert _publish(client_for(viewer)).status_code == 403
    assert _publish(client_for(outsider)).status_code == 404
    assert client_for().post(f"/agencies/{SLUG}/publishing/reports/{FY}/{ROUND}/").status_code == 302  # to login
    assert client_for(viewer).get(f"/agencies/{SLUG}/publishing/").status_code == 403
    assert not PublishedVersion.objects.exists()


def test_it_refuses_a_memo_that_is_not_approved(plan, planner, admin):
    memo = helpers.draft(plan, planner)
    with pytest.raises(services.PublishError):
        services.publish_report(memo=memo, by=admin)


def test_it_keeps_every_version_reachable_when_a_newer_one_is_published(admin, memo, report_version):
    first = services.publish_report(memo=memo, by=admin)
    assert services.publish_report(memo=memo, by=admin) == first  # the same version again: nothing new
    with transaction.atomic():
        newer = versions.freeze(memo=memo, by=admin)
    second = services.publish_report(memo=memo, by=admin)
    assert (first.number, second.number) == (1, 2) and second.report_version == newer
    public = client_for()
    current = public.get(links.round_report_path(SLUG, FY, ROUND)).content.decode()
    assert "ฉบับที่ ๒" in current and links.round_report_version_path(SLUG, FY, ROUND, 1) in current
    old = public.get(links.round_report_version_path(SLUG, FY, ROUND, 1))
    assert old.status_code == 200 and "ดูฉบับล่าสุด" in old.content.decode()
    old_pdf = public.get(links.round_report_file_path(SLUG, FY, ROUND, 1, "pdf"))
    assert hashlib.sha256(old_pdf.content).hexdigest() == report_version.pdf_sha256
