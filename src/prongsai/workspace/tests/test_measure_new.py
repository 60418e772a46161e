from django.urls import reverse

from prongsai.agencies.models import Unit
from prongsai.measures.models import Measure
from prongsai.workspace.tests.personas import assert_login_redirect, audit_actions

URL = reverse("workspace:measure_new", args=["tessaban-rae", 2563])


def _form(agency, **overrides) -> dict:
    data = {"title": "การป้องกันการทุจริต", "indicator": "10", "guideline": "- จัดทำแผน", "steps": "1. ประชุม",
            "responsible": "สำนักปลัด", "monitoring": "รายงานผลการดำเนินงาน", "rounds": ["6", "12"],
            "units": [str(Unit.objects.get(agency=agency, name="กองคลัง").pk)]}
    data.update(overrides)
    return data


def test_it_adds_a_measure_at_the_end_of_the_table(planner_client, agency, plan):
    response = planner_client.post(URL, _form(agency))
    assert response.status_code == 302
    assert response["Location"] == reverse("workspace:measure_list", args=["tessaban-rae", 2563])
    measure = Measure.objects.get(plan=plan, title="การป้องกันการทุจริต")
    assert (measure.order, measure.indicator, measure.rounds) == (3, 10, [6, 12])
    assert [u.name for u in measure.units.all()] == ["กองคลัง"]
    assert audit_actions(measure) == ["measures.measure.created"]


def test_it_offers_rounds_and_units_as_checkboxes(planner_client, plan):
    html = planner_client.get(URL).content.decode()
    assert 'type="checkbox" name="rounds" value="3"' in html
    assert "รอบ ๙ เดือน (ตุลาคม ๒๕๖๒ – มิถุนายน ๒๕๖๓)" in html
    assert 'type="checkbox" name="units"' in html and "สำนักปลัด" in html
    assert '<option value="9">๙. การเปิดเผยข้อมูล</option>' in html


def test_it_names_missing_fields_and_keeps_the_input(planner_client, agency, plan):
    response = planner_client.post(URL, _form(agency, title="", rounds=[], guideline="- ข้อความที่พิมพ์ไว้"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "ตัวชี้วัด/มาตรการ: กรุณากรอกชื่อ" in html
    assert "รอบการติดตาม: เลือกอย่างน้อยหนึ่งรอบ" in html
    assert "- ข้อความที่พิมพ์ไว้</textarea>" in html
    assert plan.measures.count() == 2


def test_it_refuses_a_unit_of_another_agency(planner_client, agency, plan, outsider):
    other_unit = Unit.objects.create(agency=outsider.memberships.get().agency, name="กองช่าง")
    response = planner_client.post(URL, _form(agency, units=[str(other_unit.pk)]))
    assert response.status_code == 200
    assert plan.measures.count() == 2


def test_it_rejects_wrong_methods(planner_client, plan):
    assert planner_client.patch(URL).status_code == 405


def test_it_sends_anonymous_visitors_to_login(anon_client, agency, plan):
    assert_login_redirect(anon_client.post(URL, _form(agency)))
    assert plan.measures.count() == 2


def test_it_forbids_read_only_members(viewer_client, agency, plan):
    assert viewer_client.get(URL).status_code == 403
    assert viewer_client.post(URL, _form(agency)).status_code == 403
    assert plan.measures.count() == 2


def test_it_hides_other_agencies(outsider_client, agency, plan):
    assert outsider_client.post(URL, _form(agency)).status_code == 404
    assert plan.measures.count() == 2


def test_it_needs_the_csrf_token(planner, agency, plan):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(planner)
    assert client.post(URL, _form(agency)).status_code == 403
    assert plan.measures.count() == 2
