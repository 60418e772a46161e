from django.urls import reverse

from prongsai.accounts.tests.conftest import Role, client_for, make_member

URL = reverse("accounts:members", args=["tessaban-rae"])


def test_it_lists_members_with_their_roles_and_the_invite_form(manager_client, manager, planner, agency):
    make_member("two-roles", agency, Role.APPROVER, Role.VIEWER)
    pending = make_member("pending", agency, Role.COMPLAINT_OFFICER)
    pending.set_unusable_password()
    pending.save()
    response = manager_client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>สมาชิกและบทบาท</h1>" in html
    assert reverse("accounts:member_detail", args=["tessaban-rae", planner.pk]) in html
    assert "นางสาวปราณี จันทไชย" in html and "<li>ผู้จัดทำ</li>" in html
    assert "นางสมศรี ดูแลดี" in html and "<li>ผู้ดูแลระบบของหน่วยงาน</li>" in html
    assert "<li>ผู้บังคับบัญชา</li><li>ผู้อ่านอย่างเดียว</li>" in html
    assert html.count("รอตั้งรหัสผ่าน") == 1  # invited, no password set yet
    assert f'action="{reverse("accounts:member_invite", args=["tessaban-rae"])}#invite"' in html
    assert 'type="checkbox" name="roles" value="planner"' in html
    assert "นายปราโมทย์ แกมนิรัตน์" in html  # a person to link, in the invite form


def test_it_does_not_list_members_of_other_agencies(manager_client, manager, outsider):
    assert "outsider" not in manager_client.get(URL).content.decode()


def test_it_is_for_agency_admins_only(agency, planner, refusals):
    assert client_for(planner).get(URL).status_code == 403
    refusals.viewer(URL)


def test_it_hides_the_agency_from_outsiders(refusals):
    refusals.outsider(URL)


def test_it_sends_anonymous_visitors_to_login(refusals):
    refusals.anonymous(URL)


def test_it_rejects_post(refusals):
    refusals.wrong_method(URL)


def test_it_speaks_english_after_the_switch(manager_client, planner):
    manager_client.post(reverse("set_language"), {"language": "en", "next": URL})
    html = manager_client.get(URL).content.decode()
    assert "<h1>Members and roles</h1>" in html
    assert "Invite a new member" in html and "Agency settings" in html
    assert "สมาชิกและบทบาท" not in html and "เชิญสมาชิกใหม่" not in html
