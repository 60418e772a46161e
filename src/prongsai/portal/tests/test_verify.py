"""The verify page: the right hash names the document, a wrong one says clearly no."""

from django.core.files.uploadedfile import SimpleUploadedFile

from prongsai.memos.tests.conftest import client_for
from prongsai.portal import links, services


def test_it_confirms_a_published_document_by_its_hash(admin, memo, report_version):
    services.publish_report(memo=memo, by=admin)
    response = client_for().get(links.verify_path(report_version.pdf_sha256.upper()))
    text = response.content.decode()
    assert response.status_code == 200 and "ถูกต้อง" in text
    assert links.round_report_file_path("tessaban-rae", 2563, 6, 1, "pdf") in text


def test_it_says_no_for_an_unknown_or_unpublished_hash(admin, report_version):
    # frozen but not published: the verify page does not vouch for it
    response = client_for().get(links.verify_path(report_version.pdf_sha256))
    assert response.status_code == 404 and "ไม่พบ" in response.content.decode()
    assert client_for().get(links.verify_path("0" * 64)).status_code == 404
    assert client_for().get("/verify/not-a-hash/").status_code == 404


def test_it_checks_an_uploaded_copy_and_redirects_a_typed_hash(admin, memo, report_version):
    services.publish_report(memo=memo, by=admin)
    content = services.read_file(report_version.publication_version.files.get(name="report.html"))
    ok = client_for().post("/verify/", {"file": SimpleUploadedFile("copy.html", content)})
    assert ok.status_code == 200 and "ถูกต้อง" in ok.content.decode()
    tampered = client_for().post("/verify/", {"file": SimpleUploadedFile("copy.html", content + b" ")})
    assert tampered.status_code == 404 and "ไม่พบ" in tampered.content.decode()
    typed = client_for().get("/verify/", {"sha256": f"  {report_version.pdf_sha256}  "})
    assert typed.status_code == 302 and typed["Location"] == links.verify_path(report_version.pdf_sha256)
    bad = client_for().get("/verify/", {"sha256": "xyz"})
    assert bad.status_code == 200 and "64 ตัว" in bad.content.decode()
