from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse

from prongsai.measures.models import Evidence, Measure, RoundResult
from prongsai.workspace.tests.personas import assert_login_redirect, audit_actions


def _url(measure) -> str:
    return reverse("workspace:measure_delete", args=["tessaban-rae", 2563, measure.pk])


def test_it_deletes_the_measure_its_results_and_files_and_closes_the_gap(planner_client, plan,
                                                                         django_capture_on_commit_callbacks):
    first = plan.measures.get(order=1)
    result = first.results.get(round=6)
    name = default_storage.save("evidence/2020/abc.pdf", ContentFile(b"%PDF-1.4"))
    Evidence.objects.create(result=result, order=2, title="แผน", file=name, sha256="0" * 64)
    with django_capture_on_commit_callbacks(execute=True):
        response = planner_client.post(_url(first))
    assert response.status_code == 302
    assert not Measure.objects.filter(pk=first.pk).exists()
    assert not RoundResult.objects.filter(pk=result.pk).exists()
    assert not default_storage.exists(name)
    assert [(m.order, m.title) for m in plan.measures.all()] == [(1, "การเปิดเผยข้อมูล")]
    assert audit_actions(first) == ["measures.measure.deleted"]


def test_it_asks_for_confirmation_first(planner_client, plan):
    html = planner_client.get(_url(plan.measures.get(order=1))).content.decode()
    assert "ต้องการลบมาตรการที่ ๑ “การใช้งบประมาณ” ใช่หรือไม่" in html
    assert "ผลการดำเนินงาน ๑ รอบ" in html
    assert plan.measures.count() == 2


def test_it_rejects_wrong_methods(planner_client, plan):
    assert planner_client.delete(_url(plan.measures.get(order=1))).status_code == 405


def test_it_sends_anonymous_visitors_to_login(anon_client, plan):
    assert_login_redirect(anon_client.post(_url(plan.measures.get(order=1))))
    assert plan.measures.count() == 2


def test_it_forbids_read_only_members(viewer_client, plan):
    assert viewer_client.post(_url(plan.measures.get(order=1))).status_code == 403
    assert plan.measures.count() == 2


def test_it_hides_other_agencies(outsider_client, plan):
    assert outsider_client.post(_url(plan.measures.get(order=1))).status_code == 404
    assert plan.measures.count() == 2
