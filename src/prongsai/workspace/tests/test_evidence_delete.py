import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from prongsai.measures import services
from prongsai.measures.models import Evidence
from prongsai.workspace.tests import files
from prongsai.workspace.tests.personas import assert_login_redirect, audit_actions


@pytest.fixture
def evidence(plan, planner):
    return services.add_evidence_file(actor=planner, measure=plan.measures.get(order=1), round=6,
                                      upload=SimpleUploadedFile("plan.pdf", files.PDF))


def _url(evidence) -> str:
    return reverse("workspace:evidence_delete", args=["tessaban-rae", 2563, evidence.pk])


def test_it_deletes_the_evidence_and_its_file(planner_client, evidence, media_root,
                                             django_capture_on_commit_callbacks):
    path = media_root / evidence.file.name
    assert path.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = planner_client.post(_url(evidence))
    assert response.status_code == 302
    assert response["Location"].endswith(f"/measures/{evidence.result.measure_id}/rounds/6/#evidence")
    assert not Evidence.objects.filter(pk=evidence.pk).exists()
    assert not path.exists()
    assert audit_actions(evidence) == ["measures.evidence.added", "measures.evidence.deleted"]


def test_it_rejects_wrong_methods(planner_client, evidence):
    assert planner_client.get(_url(evidence)).status_code == 405


def test_it_sends_anonymous_visitors_to_login(anon_client, evidence):
    assert_login_redirect(anon_client.post(_url(evidence)))
    assert Evidence.objects.filter(pk=evidence.pk).exists()


def test_it_forbids_read_only_members(viewer_client, evidence):
    assert viewer_client.post(_url(evidence)).status_code == 403
    assert Evidence.objects.filter(pk=evidence.pk).exists()


def test_it_hides_other_agencies(outsider_client, evidence):
    assert outsider_client.post(_url(evidence)).status_code == 404
    other = reverse("workspace:evidence_delete", args=["tessaban-other", 2563, evidence.pk])
    assert outsider_client.post(other).status_code == 404
    assert Evidence.objects.filter(pk=evidence.pk).exists()
