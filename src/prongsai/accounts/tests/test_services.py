import re

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.core.exceptions import ValidationError

from prongsai.accounts import services
from prongsai.accounts.models import Invitation
from prongsai.accounts.tests.conftest import Role, make_member
from prongsai.agencies import policy
from prongsai.agencies.models import Membership, Person, Unit
from prongsai.audit.models import AuditEntry
from prongsai.audit.services import verify
from prongsai.web.tests import factories

SITE = "https://ita.example.go.th/"


def roles_of(user, agency):
    return sorted(Membership.objects.filter(user=user, agency=agency).values_list("role", flat=True))


def test_it_makes_an_invitation_and_mails_its_link_without_adding_anybody(agency, manager):
    person = agency.people.first()
    invitation = services.invite_member(agency=agency, actor=manager, email=" New.Person@Example.GO.th ",
                                        name="นางสาวใหม่  ใจดี", roles=["approver", "planner"], person=person,
                                        site_url=SITE)
    assert (invitation.email, invitation.name, invitation.roles) == (
        "new.person@example.go.th", "นางสาวใหม่ ใจดี", ["planner", "approver"])
    assert invitation.person == person and invitation.status == "pending" and invitation.is_open()
    assert not User.objects.filter(username="new.person@example.go.th").exists()  # made on acceptance only
    [message] = mail.outbox
    assert message.to == ["new.person@example.go.th"]
    assert message.subject == "คำเชิญเข้าใช้ระบบโปร่งใส: เทศบาลตำบลแร่"
    assert "เรียน นางสาวใหม่ ใจดี" in message.body
    assert "นางสมศรี ดูแลดี เชิญท่านเป็นสมาชิกของเทศบาลตำบลแร่" in message.body
    assert "บทบาท: ผู้จัดทำ, ผู้บังคับบัญชา" in message.body
    assert "ภายใน ๗ วัน" in message.body  # INVITATION_DAYS, in the agency's Thai digits
    token = re.search(r"https://ita\.example\.go\.th/accounts/invitations/([\w-]+)/", message.body).group(1)
    assert services.invitation_for_token(token) == invitation
    assert token not in invitation.token_hash  # only its hash is kept
    entry = AuditEntry.objects.get(action="accounts.invitation.created")
    assert entry.agency == agency and entry.actor == manager
    assert entry.changes == {"email": [None, "new.person@example.go.th"], "name": [None, "นางสาวใหม่ ใจดี"],
                             "roles": [None, ["planner", "approver"]], "person": [None, person.pk]}
    assert verify() == []


def test_it_refuses_to_invite_a_member_twice(agency, manager, planner):
    planner.email = "pranee@rae.go.th"
    planner.save()
    with pytest.raises(ValidationError) as caught:
        services.invite_member(agency=agency, actor=manager, email="pranee@rae.go.th", name="x",
                               roles=["viewer"], site_url=SITE)
    assert caught.value.code == "already_member"
    assert roles_of(planner, agency) == ["planner"]
    assert mail.outbox == []
    assert not AuditEntry.objects.exists()


def test_a_new_invitation_of_the_same_address_replaces_the_open_one(agency, manager):
    first = services.invite_member(agency=agency, actor=manager, email="a@rae.go.th", name="นายเอ",
                                   roles=["viewer"], site_url=SITE)
    second = services.invite_member(agency=agency, actor=manager, email="A@rae.go.th", name="นายเอ",
                                    roles=["planner"], site_url=SITE)
    first.refresh_from_db()
    assert first.status == "cancelled" and second.status == "pending"
    assert [i.pk for i in services.pending_invitations(agency=agency)] == [second.pk]


def test_it_saves_nothing_when_the_invitation_cannot_be_sent(agency, manager, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens on the discard port
    with pytest.raises(ValidationError) as caught:
        services.invite_member(agency=agency, actor=manager, email="new@rae.go.th", name="นายใหม่ ดี",
                               roles=["viewer"], site_url=SITE)
    assert caught.value.code == "mail_failed"
    assert not Invitation.objects.exists()
    assert not AuditEntry.objects.exists()


def test_it_changes_roles_and_the_linked_person(agency, manager, planner):
    person = agency.people.first()
    assert policy.can(planner, agency, policy.EDIT_YEAR)
    assert services.set_member_roles(agency=agency, actor=manager, user=planner, roles=["viewer", "approver"],
                                     person=person)
    assert roles_of(planner, agency) == ["approver", "viewer"]
    assert set(Membership.objects.filter(user=planner).values_list("person", flat=True)) == {person.pk}
    # The role cache of the changed user object is dropped: the new roles apply at once.
    assert not policy.can(planner, agency, policy.EDIT_YEAR)
    assert policy.can(planner, agency, policy.SIGN_MEMO)
    entry = AuditEntry.objects.get(action="agencies.membership.updated")
    assert entry.changes == {"roles": [["planner"], ["approver", "viewer"]], "person": [None, person.pk]}


def test_an_unchanged_member_writes_no_audit_entry(agency, manager, planner):
    assert not services.set_member_roles(agency=agency, actor=manager, user=planner, roles=["planner"])
    assert not AuditEntry.objects.exists()


def test_the_last_admin_can_be_neither_demoted_nor_removed(agency, manager):
    with pytest.raises(ValidationError) as caught:
        services.set_member_roles(agency=agency, actor=manager, user=manager, roles=["planner"])
    assert caught.value.code == "last_admin"
    assert "ผู้ดูแลระบบของหน่วยงานอย่างน้อยหนึ่งคน" in caught.value.messages[0]
    with pytest.raises(ValidationError):
        services.remove_member(agency=agency, actor=manager, user=manager)
    assert roles_of(manager, agency) == ["admin"]
    assert not AuditEntry.objects.exists()


def test_an_admin_may_step_down_once_there_is_another(agency, manager, planner):
    services.set_member_roles(agency=agency, actor=manager, user=planner, roles=["admin", "planner"])
    services.set_member_roles(agency=agency, actor=manager, user=manager, roles=["viewer"])
    assert roles_of(manager, agency) == ["viewer"]
    # Now the planner is the last admin.
    with pytest.raises(ValidationError):
        services.remove_member(agency=agency, actor=planner, user=planner)


def test_an_inactive_admin_does_not_count(agency, manager):
    dormant = make_member("dormant", agency, Role.ADMIN)
    dormant.is_active = False
    dormant.save()
    with pytest.raises(ValidationError):
        services.remove_member(agency=agency, actor=manager, user=manager)


def test_it_removes_a_member_but_keeps_the_account(agency, other_agency, manager):
    both = make_member("both", agency, Role.PLANNER, Role.APPROVER)
    Membership.objects.create(user=both, agency=other_agency, role=Role.VIEWER)
    assert policy.can(both, agency, policy.VIEW)
    services.remove_member(agency=agency, actor=manager, user=both)
    assert roles_of(both, agency) == []
    assert roles_of(both, other_agency) == ["viewer"]
    assert not policy.can(both, agency, policy.VIEW)
    entry = AuditEntry.objects.get(action="agencies.membership.deleted")
    assert entry.changes == {"roles": [["planner", "approver"], None]}


def test_it_lists_members_with_their_roles_in_role_order(agency, manager, planner):
    make_member("two", agency, Role.VIEWER, Role.APPROVER)
    listed = {m.user.username: m.roles for m in services.members(agency=agency)}
    assert listed == {"manager": ("admin",), "planner": ("planner",), "two": ("approver", "viewer")}


def test_it_resends_only_to_members_without_a_password(agency, manager, planner):
    new = make_member("new@rae.go.th", agency, Role.VIEWER)
    new.email = "new@rae.go.th"
    new.set_unusable_password()
    new.save()
    services.resend_invitation(agency=agency, actor=manager, user=new, site_url=SITE)
    assert len(mail.outbox) == 1 and "set-password" in mail.outbox[0].body
    with pytest.raises(ValidationError):
        services.resend_invitation(agency=agency, actor=manager, user=planner, site_url=SITE)
    assert AuditEntry.objects.filter(action="agencies.membership.invited").count() == 1


def test_it_updates_the_agency_and_audits_the_changed_fields(agency, manager):
    assert services.update_agency(agency=agency, actor=manager,
                                  values={"name": "เทศบาลตำบลแร่ใหม่", "digits": "arabic", "province": "สกลนคร"})
    agency.refresh_from_db()
    assert agency.name == "เทศบาลตำบลแร่ใหม่" and agency.digits == "arabic"
    entry = AuditEntry.objects.get(action="agencies.agency.updated")
    assert entry.changes == {"name": ["เทศบาลตำบลแร่", "เทศบาลตำบลแร่ใหม่"], "digits": ["thai", "arabic"]}
    assert not services.update_agency(agency=agency, actor=manager, values={"name": "เทศบาลตำบลแร่ใหม่"})


def test_it_adds_units_at_the_end_and_refuses_to_delete_one_in_use(agency, manager):
    unit = services.save_unit(agency=agency, actor=manager, values={"name": "กองช่าง", "order": None})
    assert unit.order == 3  # after สำนักปลัด (1) and กองคลัง (2)
    plan = factories.make_plan(agency)
    factories.make_measure(plan).units.add(unit)
    with pytest.raises(ValidationError) as caught:
        services.delete_unit(agency=agency, actor=manager, unit=unit)
    assert "๑ รายการ" in caught.value.messages[0]
    assert Unit.objects.filter(pk=unit.pk).exists()
    assert [e.action for e in AuditEntry.objects.all()] == ["agencies.unit.created"]


def test_it_keeps_people_when_their_unit_is_deleted(agency, manager):
    office = agency.units.get(name="สำนักปลัด")
    services.delete_unit(agency=agency, actor=manager, unit=office)
    assert agency.people.get(name="นายปราโมทย์ แกมนิรัตน์").unit is None
    entry = AuditEntry.objects.get(action="agencies.unit.deleted")
    assert entry.changes == {"name": ["สำนักปลัด", None], "order": [1, None]}


def test_it_edits_people_within_the_agency_only(agency, other_agency, manager):
    foreign_unit = Unit.objects.create(agency=other_agency, name="กองอื่น")
    with pytest.raises(ValidationError):
        services.save_person(agency=agency, actor=manager,
                             values={"name": "นายก ข", "position": "ปลัด", "unit": foreign_unit})
    person = services.save_person(agency=agency, actor=manager,
                                  values={"name": "นายก ข", "position": "ปลัด", "unit": None, "order": None})
    assert person.agency == agency and person.order == 1  # after the two people of order 0
    services.save_person(agency=agency, actor=manager, person=person, values={"position": "ปลัดเทศบาล"})
    services.delete_person(agency=agency, actor=manager, person=person)
    assert not Person.objects.filter(pk=person.pk).exists()
    assert [e.action for e in AuditEntry.objects.order_by("id")] == [
        "agencies.person.created", "agencies.person.updated", "agencies.person.deleted"]
    assert AuditEntry.objects.get(action="agencies.person.updated").changes == {"position": ["ปลัด", "ปลัดเทศบาล"]}
