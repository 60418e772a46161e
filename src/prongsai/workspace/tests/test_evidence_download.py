import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from prongsai.measures import services
from prongsai.workspace.tests import files
from prongsai.workspace.tests.personas import assert_login_redirect


@pytest.fixture
def evidence(plan, planner):
    return services.add_evidence_file(actor=planner, measure=plan.measures.get(order=1), round=6,
                                      upload=SimpleUploadedFile("photo.png", files.png()), title="ภาพถ่ายการประชุม")


def _url(evidence, slug="tessaban-rae") -> str:
    return reverse("workspace:evidence_download", args=[slug, 2563, evidence.pk])


def test_it_gives_members_the_file_as_an_attachment(viewer_client, evidence):
    response = viewer_client.get(_url(evidence))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == files.png()
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''%E0%B8%A0" in response["Content-Disposition"]  # ภาพถ่าย… .png
    assert response["Content-Disposition"].endswith(".png")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "private" in response["Cache-Control"]


def test_it_is_linked_from_the_year_page(viewer_client, evidence):
    html = viewer_client.get(reverse("web:year_detail", args=["tessaban-rae", 2563])).content.decode()
    assert _url(evidence) in html


def test_media_files_are_not_served_at_their_storage_path(viewer_client, evidence):
    assert viewer_client.get("/media/" + evidence.file.name).status_code == 404


def test_it_has_no_download_for_a_link(viewer_client, plan):
    link = plan.measures.get(order=1).results.get(round=6).evidence.get()
    assert viewer_client.get(_url(link)).status_code == 404


def test_it_rejects_wrong_methods(viewer_client, evidence):
    assert viewer_client.post(_url(evidence)).status_code == 405


def test_it_sends_anonymous_visitors_to_login(anon_client, evidence):
    assert_login_redirect(anon_client.get(_url(evidence)))


def test_it_hides_other_agencies(outsider_client, evidence):
    assert outsider_client.get(_url(evidence)).status_code == 404
    assert outsider_client.get(_url(evidence, "tessaban-other")).status_code == 404
