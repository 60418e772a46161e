"""Documents the agency uploads: published with stable URLs, versions and hashes."""

import hashlib

from django.core.files.uploadedfile import SimpleUploadedFile

from prongsai.memos.tests.conftest import client_for
from prongsai.portal import links
from prongsai.portal.models import Publication, PublishedVersion

SLUG = "tessaban-rae"
PDF = b"%PDF-1.4 manual v1"


def _upload(client, content=PDF, name="manual.pdf", slug="service-manual", title="คู่มือการให้บริการ"):
    return client.post(f"/agencies/{SLUG}/publishing/documents/", {
        "title": title, "slug": slug, "fiscal_year": "2568", "summary": "คู่มือสำหรับประชาชน",
        "file": SimpleUploadedFile(name, content),
    })


def test_it_publishes_an_uploaded_document_and_its_new_versions(admin, agency):
    assert _upload(client_for(admin)).status_code == 302
    assert _upload(client_for(admin), content=b"%PDF-1.4 manual v2").status_code == 302
    assert Publication.objects.get().kind == "document"
    assert list(PublishedVersion.objects.values_list("number", flat=True)) == [1, 2]
    public = client_for()
    current = public.get(links.document_path(agency, "service-manual")).content.decode()
    assert "คู่มือการให้บริการ" in current and "ฉบับที่ ๒" in current
    first = public.get(links.document_file_path(agency, "service-manual", 1, "document.pdf"))
    assert first.content == PDF and first["Content-Type"] == "application/pdf"
    verify = public.get(links.verify_path(hashlib.sha256(PDF).hexdigest()))
    assert verify.status_code == 200 and links.document_version_path(agency, "service-manual", 1) in verify.content.decode()
    reports = public.get(links.reports_path(agency)).content.decode()
    assert links.document_path(agency, "service-manual") in reports


def test_it_refuses_scripts_bad_names_and_non_publishers(admin, viewer, agency):
    html = _upload(client_for(admin), content=b"<script>x</script>", name="x.html")
    assert html.status_code == 400 and "เผยแพร่ได้เฉพาะไฟล์" in html.content.decode()
    assert _upload(client_for(admin), slug="Bad Name").status_code == 400
    assert _upload(client_for(viewer)).status_code == 403
    assert not PublishedVersion.objects.exists()
