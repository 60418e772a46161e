"""The default chain settings page (agency admins)."""

from django.urls import reverse

from prongsai.audit.models import AuditEntry
from prongsai.memos.models import AgencyChainStep
from prongsai.memos.tests import helpers
from prongsai.memos.tests.conftest import client_for

URL = reverse("memos:chain_settings", args=["tessaban-rae"])


def test_it_shows_the_current_chain(admin, default_chain):
    response = client_for(admin).get(URL)
    assert response.status_code == 200
    assert [row["user"] for row in response.context["formset"].initial] == [u.pk for u in default_chain]
    assert "นายวัชร สำนับ (รองปลัดเทศบาลตำบลแร่)" in response.content.decode()


def test_it_saves_a_new_chain(admin, approvers):
    data = helpers.formset_data("approvers", [{"user": approvers[1].pk, "position": ""},
                                              {"user": "", "position": ""},
                                              {"user": approvers[2].pk, "position": "นายกเทศมนตรีตำบลแร่"}])
    response = client_for(admin).post(URL, data)
    assert response.status_code == 302 and response["Location"] == URL
    assert list(AgencyChainStep.objects.values_list("order", "user", "position")) == [
        (1, approvers[1].pk, ""), (2, approvers[2].pk, "นายกเทศมนตรีตำบลแร่")]
    entry = AuditEntry.objects.get(action="memos.chain.updated")
    assert entry.actor == admin and entry.changes["chain"][1] == ["thawi", "khonsawan: นายกเทศมนตรีตำบลแร่"]


def test_it_names_the_problem_and_keeps_the_input(admin, approvers, default_chain):
    data = helpers.formset_data("approvers", [{"user": approvers[2].pk, "position": ""},
                                              {"user": "999999", "position": "ปลัด"}])
    response = client_for(admin).post(URL, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "ตำแหน่ง: กรุณากรอกตำแหน่งของ นางครสวรรค์ สุพัฒนานนท์" in html
    assert "ผู้บังคับบัญชา: ผู้ที่เลือกไม่ได้มีบทบาทผู้บังคับบัญชาในหน่วยงานนี้" in html
    assert 'value="ปลัด"' in html
    assert list(AgencyChainStep.objects.values_list("user", flat=True)) == [u.pk for u in default_chain]
    assert not AuditEntry.objects.filter(action="memos.chain.updated").exists()


def test_planners_may_not_change_it(planner, approvers):
    data = helpers.formset_data("approvers", [{"user": approvers[0].pk, "position": ""}])
    assert client_for(planner).post(URL, data).status_code == 403
    assert not AgencyChainStep.objects.exists()
