from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from prongsai.measures import services
from prongsai.measures.models import Evidence, RoundResult
from prongsai.workspace.tests import files
from prongsai.workspace.tests.personas import assert_login_redirect, audit_actions


def _url(measure, round=6) -> str:
    return reverse("workspace:round_result_delete", args=["tessaban-rae", 2563, measure.pk, round])


def test_it_deletes_the_result_and_its_evidence_so_the_round_can_go(planner_client, planner, plan, media_root,
                                                                   django_capture_on_commit_callbacks):
    measure = plan.measures.get(order=1)
    result = measure.results.get(round=6)
    stored = services.add_evidence_file(actor=planner, measure=measure, round=6,
                                        upload=SimpleUploadedFile("a.pdf", files.PDF))
    with django_capture_on_commit_callbacks(execute=True):
        response = planner_client.post(_url(measure))
    assert response.status_code == 302
    assert response["Location"] == reverse("workspace:measure_edit", args=["tessaban-rae", 2563, measure.pk])
    assert not RoundResult.objects.filter(pk=result.pk).exists()
    assert not Evidence.objects.filter(result_id=result.pk).exists()
    assert not (media_root / stored.file.name).exists()
    assert audit_actions(result) == ["measures.roundresult.deleted"]
    services.update_measure(actor=planner, measure=measure, title=measure.title, rounds=[12])  # now allowed


def test_it_has_nothing_to_delete_for_a_round_without_a_result(planner_client, plan):
    assert planner_client.post(_url(plan.measures.get(order=1), 12)).status_code == 404


def test_it_rejects_wrong_methods(planner_client, plan):
    assert planner_client.get(_url(plan.measures.get(order=1))).status_code == 405


def test_it_sends_anonymous_visitors_to_login(anon_client, plan):
    assert_login_redirect(anon_client.post(_url(plan.measures.get(order=1))))
    assert RoundResult.objects.filter(round=6).exists()


def test_it_forbids_read_only_members(viewer_client, plan):
    assert viewer_client.post(_url(plan.measures.get(order=1))).status_code == 403
    assert RoundResult.objects.filter(round=6).exists()


def test_it_hides_other_agencies(outsider_client, plan):
    assert outsider_client.post(_url(plan.measures.get(order=1))).status_code == 404
    assert RoundResult.objects.filter(measure__plan=plan, round=6).exists()
