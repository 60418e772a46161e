from django.urls import reverse

from prongsai.agencies.models import Person, Unit
from prongsai.audit.models import AuditEntry

URL = reverse("accounts:person_add", args=["tessaban-rae"])


def test_it_adds_a_person_to_a_unit(manager_client, manager, agency):
    finance = agency.units.get(name="กองคลัง")
    response = manager_client.post(URL, {
        "person-name": "นางสาวปราณี จันทไชย", "person-rank": "", "person-position": "นักวิชาการตรวจสอบภายในชำนาญการ",
        "person-unit": finance.pk, "person-email": "pranee@rae.go.th", "person-order": "",
    })
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:agency_settings", args=["tessaban-rae"]) + "#people"
    person = agency.people.get(name="นางสาวปราณี จันทไชย")
    assert person.unit == finance and person.email == "pranee@rae.go.th"
    entry = AuditEntry.objects.get(action="agencies.person.created")
    assert entry.actor == manager and entry.agency == agency
    assert entry.changes["unit_id"] == [None, finance.pk]


def test_it_keeps_what_was_typed_and_names_the_fields(manager_client, other_agency, agency):
    foreign = Unit.objects.create(agency=other_agency, name="กองอื่น")
    response = manager_client.post(URL, {"person-name": "นายใหม่ ดี", "person-position": "",
                                         "person-unit": foreign.pk, "person-email": "x"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "กรุณากรอกตำแหน่ง" in html
    assert "ส่วนราชการ: ตัวเลือกที่เลือกไม่มีในรายการ" in html
    assert "อีเมลไม่ใช่ที่อยู่อีเมลที่ถูกต้อง" in html
    assert 'name="person-name" value="นายใหม่ ดี"' in html
    assert not Person.objects.filter(name="นายใหม่ ดี").exists()


def test_it_refuses_a_name_the_agency_already_has(manager_client, agency):
    response = manager_client.post(URL, {"person-name": "ทวี จันทเสนา", "person-position": "ปลัด"})
    assert "ชื่อ-สกุล: มีบุคลากรชื่อนี้ในหน่วยงานแล้ว" in response.content.decode()
    assert agency.people.filter(name="ทวี จันทเสนา").count() == 1


DATA = {"person-name": "นายแอบ เพิ่ม", "person-position": "ปลัด"}


def test_it_is_for_agency_admins_only(refusals):
    refusals.viewer(URL, "post", DATA)
    assert not Person.objects.filter(name="นายแอบ เพิ่ม").exists()


def test_it_hides_the_agency_from_outsiders(refusals):
    refusals.outsider(URL, "post", DATA)
    assert not Person.objects.filter(name="นายแอบ เพิ่ม").exists()


def test_it_sends_anonymous_visitors_to_login(refusals):
    refusals.anonymous(URL, "post", DATA)


def test_it_rejects_get(refusals):
    refusals.wrong_method(URL, "post")
