"""The agency's Garuda emblem, uploaded once on the settings page (issue 9), and used by the memo."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from prongsai.agencies.models import Agency
from prongsai.audit.models import AuditEntry
from prongsai.reports import emblem
from prongsai.reports.tests.test_issue9_rendering import png

URL = reverse("accounts:agency_emblem", args=["tessaban-rae"])
IMAGE = reverse("accounts:agency_emblem_image", args=["tessaban-rae"])
SETTINGS = reverse("accounts:agency_settings", args=["tessaban-rae"])
SVG = (b'<svg xmlns="http://www.w3.org/2000/svg" width="90" height="100"><script>alert(1)</script>'
       b'<circle cx="45" cy="50" r="40"/></svg>')


def test_without_an_emblem_the_settings_page_says_none_is_drawn(manager_client, agency, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    html = manager_client.get(SETTINGS).content.decode()
    assert "ยังไม่มีตราครุฑ" in html and 'enctype="multipart/form-data"' in html
    assert manager_client.get(IMAGE).status_code == 404


def test_it_stores_an_svg_as_a_safe_png_audits_it_and_the_memo_uses_it(manager_client, manager, agency, settings,
                                                                      tmp_path):
    settings.MEDIA_ROOT = tmp_path
    response = manager_client.post(URL, {"emblem-file": SimpleUploadedFile("garuda.png", SVG, "image/png")})
    assert response.status_code == 302
    agency.refresh_from_db()
    stored = agency.emblem.read()
    assert stored.startswith(emblem.PNG_SIGNATURE) and b"script" not in stored
    assert AuditEntry.objects.get(action="agencies.agency.emblem").actor == manager
    image = manager_client.get(IMAGE)
    assert image.status_code == 200 and image["Content-Type"] == "image/png" and image.content == stored
    assert "ยังไม่มีตราครุฑ" not in manager_client.get(SETTINGS).content.decode()
    assert emblem.for_slug("tessaban-rae") == stored  # what round_report puts on the letterhead
    # removing it
    assert manager_client.post(URL, {"emblem-remove": "on"}).status_code == 302
    assert not Agency.objects.get(pk=agency.pk).emblem


def test_it_refuses_a_file_that_is_not_png_or_svg_by_content(manager_client, agency, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    fake = SimpleUploadedFile("garuda.png", b"GIF89a" + b"\x00" * 64, "image/png")
    response = manager_client.post(URL, {"emblem-file": fake})
    assert response.status_code == 200
    assert "ตราครุฑต้องเป็นไฟล์ PNG หรือ SVG" in response.content.decode()
    assert not Agency.objects.get(pk=agency.pk).emblem
    ok = SimpleUploadedFile("e.png", png(), "image/png")
    assert manager_client.post(URL, {"emblem-file": ok}).status_code == 302


def test_only_the_agencys_editors_change_it(refusals):
    refusals.anonymous(URL, method="post")
    refusals.viewer(URL, method="post", data={})
    refusals.outsider(URL, method="post", data={})
    refusals.outsider(IMAGE)
