from django.urls import reverse

from prongsai.agencies.models import Unit
from prongsai.workspace.tests.personas import assert_login_redirect, audit_actions


def _url(measure, slug="tessaban-rae") -> str:
    return reverse("workspace:measure_edit", args=[slug, 2563, measure.pk])


def _form(measure, **overrides) -> dict:
    data = {"title": measure.title, "indicator": str(measure.indicator or ""), "guideline": measure.guideline,
            "steps": measure.steps, "responsible": measure.responsible, "monitoring": measure.monitoring,
            "rounds": [str(r) for r in measure.rounds], "units": []}
    data.update(overrides)
    return data


def test_it_changes_a_measure_and_records_what_changed(planner_client, agency, plan):
    measure = plan.measures.get(order=1)
    office = Unit.objects.get(agency=agency, name="สำนักปลัด")
    response = planner_client.post(_url(measure), _form(measure, title="การใช้งบประมาณอย่างโปร่งใส",
                                                        rounds=["3", "6", "12"], units=[str(office.pk)]))
    assert response.status_code == 302
    measure.refresh_from_db()
    assert measure.title == "การใช้งบประมาณอย่างโปร่งใส" and measure.rounds == [3, 6, 12]
    assert [u.name for u in measure.units.all()] == ["สำนักปลัด"]
    assert audit_actions(measure) == ["measures.measure.updated"]
    changes = measure  # the page shows the history with before → after
    html = planner_client.get(_url(changes)).content.decode()
    assert "ประวัติการเปลี่ยนแปลง" in html and "measures.measure.updated" in html
    assert "การใช้งบประมาณ → การใช้งบประมาณอย่างโปร่งใส" in html


def test_it_will_not_drop_a_round_that_has_a_result(planner_client, plan):
    measure = plan.measures.get(order=1)  # has a round-6 result
    response = planner_client.post(_url(measure), _form(measure, rounds=["12"]))
    assert response.status_code == 200
    assert "รอบ 6 เดือน มีผลการดำเนินงานบันทึกไว้แล้ว".replace("6", "๖") in response.content.decode()
    measure.refresh_from_db()
    assert measure.rounds == [6, 12]


def test_it_shows_read_only_members_the_measure_without_a_form_to_send(viewer_client, plan):
    response = viewer_client.get(_url(plan.measures.get(order=1)))
    assert response.status_code == 200
    html = response.content.decode()
    assert "บันทึกมาตรการ" not in html
    assert 'name="title"' in html and "disabled" in html
    assert "ประวัติการเปลี่ยนแปลง" not in html  # viewers do not see the audit trail


def test_it_rejects_wrong_methods(planner_client, plan):
    assert planner_client.put(_url(plan.measures.get(order=1))).status_code == 405


def test_it_sends_anonymous_visitors_to_login(anon_client, plan):
    measure = plan.measures.get(order=1)
    assert_login_redirect(anon_client.post(_url(measure), _form(measure, title="x")))


def test_it_forbids_read_only_members_to_change_it(viewer_client, plan):
    measure = plan.measures.get(order=1)
    assert viewer_client.post(_url(measure), _form(measure, title="x")).status_code == 403
    measure.refresh_from_db()
    assert measure.title == "การใช้งบประมาณ"


def test_it_hides_other_agencies(outsider_client, plan):
    measure = plan.measures.get(order=1)
    assert outsider_client.get(_url(measure)).status_code == 404
    assert outsider_client.post(_url(measure), _form(measure, title="x")).status_code == 404


def test_it_hides_a_measure_of_another_agency_behind_its_own_slug(outsider_client, plan, outsider):
    """The outsider's own agency in the URL, our measure's id: still 404."""
    measure = plan.measures.get(order=1)
    url = reverse("workspace:measure_edit", args=["tessaban-other", 2563, measure.pk])
    assert outsider_client.post(url, _form(measure, title="x")).status_code == 404
