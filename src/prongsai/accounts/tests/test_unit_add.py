from django.urls import reverse

from prongsai.agencies.models import Unit
from prongsai.audit.models import AuditEntry

URL = reverse("accounts:unit_add", args=["tessaban-rae"])


def test_it_adds_a_unit_at_the_end(manager_client, manager, agency):
    response = manager_client.post(URL, {"unit-name": "  กองช่าง ", "unit-order": ""})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:agency_settings", args=["tessaban-rae"]) + "#units"
    unit = agency.units.get(name="กองช่าง")
    assert unit.order == 3
    entry = AuditEntry.objects.get(action="agencies.unit.created")
    assert entry.actor == manager and entry.agency == agency and entry.object_id == str(unit.pk)


def test_it_refuses_a_name_the_agency_already_has(manager_client, agency):
    response = manager_client.post(URL, {"unit-name": "กองคลัง", "unit-order": "7"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "ชื่อส่วนราชการ: มีส่วนราชการชื่อนี้ในหน่วยงานแล้ว" in html
    assert 'name="unit-order" value="7"' in html
    assert agency.units.filter(name="กองคลัง").count() == 1


def test_the_same_name_is_fine_in_another_agency(manager_client, other_agency, agency):
    Unit.objects.create(agency=other_agency, name="กองช่าง")
    assert manager_client.post(URL, {"unit-name": "กองช่าง"}).status_code == 302
    assert agency.units.filter(name="กองช่าง").exists()


def test_it_is_for_agency_admins_only(refusals, agency):
    refusals.viewer(URL, "post", {"unit-name": "กองช่าง"})
    assert not agency.units.filter(name="กองช่าง").exists()


def test_it_hides_the_agency_from_outsiders(refusals, agency):
    refusals.outsider(URL, "post", {"unit-name": "กองช่าง"})
    assert not Unit.objects.filter(name="กองช่าง").exists()


def test_it_sends_anonymous_visitors_to_login(refusals):
    refusals.anonymous(URL, "post", {"unit-name": "กองช่าง"})


def test_it_rejects_get(refusals):
    refusals.wrong_method(URL, "post")
