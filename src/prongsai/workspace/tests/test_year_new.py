from django.urls import reverse

from prongsai.measures.models import YearPlan
from prongsai.workspace.tests.personas import assert_login_redirect, audit_actions

URL = reverse("workspace:year_new", args=["tessaban-rae"])


def test_it_starts_a_fiscal_year(planner_client, agency):
    response = planner_client.post(URL, {"fiscal_year": "๒๕๖๘", "framework_year": ""})
    assert response.status_code == 302
    assert response["Location"] == reverse("web:year_detail", args=["tessaban-rae", 2568])
    plan = YearPlan.objects.get(agency=agency, fiscal_year=2568)
    assert plan.framework_year == 2568  # defaults to the fiscal year's framework
    assert plan.measures.count() == 0
    assert audit_actions(plan) == ["measures.yearplan.created"]


def test_it_takes_another_framework_year(planner_client, agency):
    planner_client.post(URL, {"fiscal_year": "2570", "framework_year": "2569"})
    assert YearPlan.objects.get(agency=agency, fiscal_year=2570).framework_year == 2569


def test_it_shows_the_form_with_the_catalogue_years(planner_client, agency):
    html = planner_client.get(URL).content.decode()
    assert '<option value="2563">๒๕๖๓</option>' in html
    assert '<option value="2569">๒๕๖๙</option>' in html


def test_it_refuses_a_year_the_agency_already_has_and_keeps_the_input(planner_client, agency, plan):
    response = planner_client.post(URL, {"fiscal_year": "๒๕๖๓", "framework_year": ""})
    assert response.status_code == 200
    html = response.content.decode()
    assert "ปีงบประมาณ: หน่วยงานมีปี ๒๕๖๓ อยู่แล้ว" in html
    assert 'value="๒๕๖๓"' in html
    assert YearPlan.objects.filter(agency=agency).count() == 1


def test_it_refuses_a_year_far_from_the_present(planner_client, agency):
    html = planner_client.post(URL, {"fiscal_year": "2575", "framework_year": ""}).content.decode()
    assert "ระบบยังไม่มีเกณฑ์ ITA ที่ใช้กับปี ๒๕๗๕ ได้" in html
    assert not YearPlan.objects.filter(fiscal_year=2575).exists()


def test_the_current_fiscal_year_starts_from_the_default_form_on_the_provisional_catalogue(planner_client, agency):
    from django.utils import timezone

    from prongsai.lib import fiscal

    year = fiscal.of_date(timezone.localdate())
    form = planner_client.get(URL).content.decode()
    assert f'value="{year}"' in form or f"value=\"{year}\"" in form
    response = planner_client.post(URL, {"fiscal_year": str(year), "framework_year": "", "from_year": ""})
    assert response.status_code == 302
    plan = YearPlan.objects.get(fiscal_year=year)
    assert plan.catalogue is not None


def test_it_names_the_field_of_a_bad_year(planner_client, agency):
    html = planner_client.post(URL, {"fiscal_year": "สองพัน", "framework_year": ""}).content.decode()
    assert "ปีงบประมาณ: กรอกปี พ.ศ. เป็นตัวเลข" in html


def test_it_rejects_wrong_methods(planner_client, agency):
    assert planner_client.put(URL).status_code == 405


def test_it_sends_anonymous_visitors_to_login(anon_client, agency):
    assert_login_redirect(anon_client.post(URL, {"fiscal_year": "2568"}))
    assert not YearPlan.objects.exists()


def test_it_forbids_read_only_members(viewer_client, agency):
    assert viewer_client.get(URL).status_code == 403
    assert viewer_client.post(URL, {"fiscal_year": "2568"}).status_code == 403
    assert not YearPlan.objects.filter(fiscal_year=2568).exists()


def test_it_hides_other_agencies(outsider_client, agency):
    assert outsider_client.post(URL, {"fiscal_year": "2568"}).status_code == 404
    assert not YearPlan.objects.filter(agency=agency).exists()
