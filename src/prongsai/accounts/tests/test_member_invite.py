from django.contrib.auth.models import User
from django.core import mail
from django.test import Client
from django.urls import reverse

from prongsai.agencies.models import Membership
from prongsai.audit.models import AuditEntry

URL = reverse("accounts:member_invite", args=["tessaban-rae"])
MEMBERS = reverse("accounts:members", args=["tessaban-rae"])


def test_it_invites_a_new_person(manager_client, manager, agency):
    person = agency.people.first()
    response = manager_client.post(URL, {"email": "kanda@rae.go.th", "name": "นางกานดา มีสุข",
                                         "roles": ["planner", "approver"], "person": person.pk})
    assert response.status_code == 302
    assert response["Location"] == MEMBERS
    user = User.objects.get(username="kanda@rae.go.th")
    assert set(Membership.objects.filter(user=user, agency=agency).values_list("role", flat=True)) == {
        "planner", "approver"}
    assert not user.has_usable_password()
    assert [m.to for m in mail.outbox] == [["kanda@rae.go.th"]]
    assert "http://testserver/accounts/set-password/" in mail.outbox[0].body
    entry = AuditEntry.objects.get(action="agencies.membership.created")
    assert entry.actor == manager and entry.agency == agency
    html = manager_client.get(MEMBERS).content.decode()
    assert "เพิ่ม นางกานดา มีสุข เป็นสมาชิกและส่งอีเมลคำเชิญไปที่ kanda@rae.go.th แล้ว" in html


def test_it_keeps_what_was_typed_and_names_the_fields_in_thai(manager_client, agency):
    response = manager_client.post(URL, {"email": "not-an-address", "name": "นาย<b>ทดสอบ</b>", "roles": []})
    assert response.status_code == 200
    html = response.content.decode()
    assert "อีเมลไม่ใช่ที่อยู่อีเมลที่ถูกต้อง" in html
    assert "กรุณาเลือกบทบาท" in html
    assert 'value="not-an-address"' in html
    assert 'value="นาย&lt;b&gt;ทดสอบ&lt;/b&gt;"' in html  # kept, and escaped
    assert 'aria-invalid="true"' in html
    assert not User.objects.filter(email="not-an-address").exists()
    assert mail.outbox == []


def test_it_says_so_when_the_address_is_already_a_member(manager_client, planner):
    planner.email = "pranee@rae.go.th"
    planner.save()
    response = manager_client.post(URL, {"email": "pranee@rae.go.th", "name": "x", "roles": ["viewer"]})
    assert response.status_code == 200
    assert "ผู้ใช้ที่มีอีเมลนี้เป็นสมาชิกของหน่วยงานอยู่แล้ว" in response.content.decode()
    assert mail.outbox == []


def test_it_refuses_a_person_of_another_agency(manager_client, other_agency):
    foreign = other_agency.people.create(name="นายต่าง ถิ่น", position="ปลัด")
    response = manager_client.post(URL, {"email": "a@rae.go.th", "name": "นายเอ บี", "roles": ["viewer"],
                                         "person": foreign.pk})
    assert response.status_code == 200
    assert "บุคลากรของหน่วยงาน: ตัวเลือกที่เลือกไม่มีในรายการ" in response.content.decode()
    assert not User.objects.filter(username="a@rae.go.th").exists()


def test_it_needs_the_csrf_token(manager):
    client = Client(enforce_csrf_checks=True)
    client.force_login(manager)
    response = client.post(URL, {"email": "a@rae.go.th", "name": "นายเอ บี", "roles": ["viewer"]})
    assert response.status_code == 403
    assert not User.objects.filter(username="a@rae.go.th").exists()


DATA = {"email": "a@rae.go.th", "name": "นายเอ บี", "roles": ["admin"]}


def test_it_is_for_agency_admins_only(refusals):
    refusals.viewer(URL, "post", DATA)
    assert not User.objects.filter(username="a@rae.go.th").exists()


def test_it_hides_the_agency_from_outsiders(refusals):
    refusals.outsider(URL, "post", DATA)
    assert not User.objects.filter(username="a@rae.go.th").exists()


def test_it_sends_anonymous_visitors_to_login(refusals):
    refusals.anonymous(URL, "post", DATA)


def test_it_rejects_get(refusals):
    refusals.wrong_method(URL, "post")
