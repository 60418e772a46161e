"""Drafting, editing, showing, sending and revising a memo through its pages."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from prongsai.audit.models import AuditEntry
from prongsai.memos import services
from prongsai.memos.models import Memo, RegisterEntry, Signer
from prongsai.memos.tests import helpers
from prongsai.memos.tests.conftest import client_for
from prongsai.web.tests import factories

SLUG, YEAR = "tessaban-rae", 2563


def _url(name, round=None):
    args = [SLUG, YEAR] + ([round] if round is not None else [])
    return reverse(f"memos:{name}", args=args)


def _messages(response) -> list[str]:
    return [str(m) for m in response.wsgi_request._messages]


# ------------------------------------------------------------------------------------------ new

def test_it_shows_the_new_memo_form_with_defaults(plan, planner, default_chain):
    response = client_for(planner).get(_url("memo_new"))
    assert response.status_code == 200
    form, preparers, approvers = (response.context[k] for k in ("form", "preparers", "approvers"))
    assert form.initial["date"] == timezone.localdate() and form.initial["round"] == 3
    assert preparers.initial == [{"name": "นางสาวปราณี จันทไชย", "rank": "",
                                  "position": "นักวิชาการตรวจสอบภายในชำนาญการ"}]
    assert [row["user"] for row in approvers.initial] == [u.pk for u in default_chain]
    html = response.content.decode()
    assert 'name="approvers-2-position" value="นายกเทศมนตรีตำบลแร่"' in html
    assert "csrfmiddlewaretoken" in html


def test_it_drafts_a_memo_with_a_register_number(plan, planner, default_chain):
    first, second, third = default_chain
    data = helpers.memo_post(round=6, subject="รายงานผล รอบ 6 เดือน", body="ย่อหน้าแรก\n\nย่อหน้าที่สอง\nบรรทัดต่อ",
                             approvers=[(second, ""), (third, "นายกเทศมนตรีตำบลแร่"), (None, "")])
    response = client_for(planner).post(_url("memo_new"), data)
    memo = Memo.objects.get(plan=plan, round=6)
    assert response.status_code == 302 and response["Location"] == _url("memo_detail", 6)
    assert (memo.status, memo.number, memo.date, memo.subject) == ("draft", 1, dt.date(2020, 6, 26),
                                                                   "รายงานผล รอบ 6 เดือน")
    assert memo.body == ["ย่อหน้าแรก", "ย่อหน้าที่สอง\nบรรทัดต่อ"]
    assert [(s.user, s.name, s.position) for s in memo.approvers()] == [
        (second, "ทวี จันทเสนา", "ปลัดเทศบาลตำบลแร่"), (third, "นางครสวรรค์ สุพัฒนานนท์", "นายกเทศมนตรีตำบลแร่")]
    entry = RegisterEntry.objects.get(memo=memo)
    assert (entry.year, entry.number, entry.subject) == (2563, 1, "รายงานผล รอบ ๖ เดือน")
    assert AuditEntry.objects.filter(action="memos.memo.drafted", object_id=str(memo.pk)).count() == 1
    assert "ได้เลขทะเบียนส่งที่ ๑" in _messages(response)[0]


def test_it_keeps_the_input_and_names_the_fields_in_thai(plan, planner, approvers):
    data = helpers.memo_post(round=6, date="2563-02-30", subject="เรื่องที่พิมพ์ไว้",
                             preparers=[{"name": "นายสมชาย ใจดี", "rank": "", "position": ""}],
                             approvers=[(approvers[2], ""), (approvers[0], ""), (approvers[0], "")])
    response = client_for(planner).post(_url("memo_new"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "วันที่: รูปแบบไม่ถูกต้อง (เช่น 2025-06-26 หรือ 26/06/2568)" in html
    assert "ตำแหน่ง: กรุณากรอกตำแหน่งของผู้เสนอ" in html
    assert "ตำแหน่ง: กรุณากรอกตำแหน่งของ นางครสวรรค์ สุพัฒนานนท์" in html
    assert "ผู้บังคับบัญชา: เลือก watchara ซ้ำกัน แต่ละคนลงนามได้ครั้งเดียว" in html
    assert 'value="เรื่องที่พิมพ์ไว้"' in html and 'value="นายสมชาย ใจดี"' in html
    assert not Memo.objects.filter(plan=plan).exists() and not RegisterEntry.objects.exists()


@pytest.mark.parametrize("typed", ["2020-06-26", "26/06/2563", "๒๖/๐๖/๒๕๖๓", "26/06/2020"])
def test_it_reads_iso_and_buddhist_era_dates(plan, planner, typed):
    response = client_for(planner).post(_url("memo_new"), helpers.memo_post(round=6, date=typed))
    assert response.status_code == 302
    assert Memo.objects.get(plan=plan, round=6).date == dt.date(2020, 6, 26)


def test_it_escapes_what_users_typed(plan, planner):
    data = helpers.memo_post(round=6, subject="<script>alert(1)</script>")
    client = client_for(planner)
    client.post(_url("memo_new"), data)
    html = client.get(_url("memo_detail", 6)).content.decode()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(๑)&lt;/script&gt;" in html


def test_it_says_when_every_round_has_a_memo(plan, planner):
    for months in (3, 6, 9, 12):
        helpers.draft(plan, planner, round=months)
    response = client_for(planner).get(_url("memo_new"))
    assert response.status_code == 302 and response["Location"] == reverse("web:year_detail", args=[SLUG, YEAR])
    assert _messages(response) == ["ปีนี้มีบันทึกข้อความครบทุกรอบแล้ว"]


def test_it_gives_404_for_a_year_the_agency_does_not_have(plan, planner):
    assert client_for(planner).get(reverse("memos:memo_new", args=[SLUG, 2570])).status_code == 404


# ----------------------------------------------------------------------------------------- edit

def test_it_edits_a_draft(plan, planner, default_chain):
    memo = helpers.draft(plan, planner)
    client = client_for(planner)
    page = client.get(_url("memo_edit", 6))
    assert page.status_code == 200 and page.context["form"].initial["date"] == dt.date(2020, 6, 26)
    data = helpers.memo_post(date="2020-06-29", addressee="นายกเทศมนตรีตำบลแร่", approvers=[(default_chain[1], "")])
    response = client.post(_url("memo_edit", 6), data)
    assert response.status_code == 302
    memo.refresh_from_db()
    assert (memo.date, memo.addressee, memo.number) == (dt.date(2020, 6, 29), "นายกเทศมนตรีตำบลแร่", 1)
    assert [s.user for s in memo.approvers()] == [default_chain[1]]
    assert RegisterEntry.objects.get(memo=memo).date == dt.date(2020, 6, 29)
    entry = AuditEntry.objects.get(action="memos.memo.updated")
    assert entry.changes["date"] == ["2020-06-26", "2020-06-29"]


def test_it_offers_imported_approvers_matched_by_name(plan, planner, approvers):
    imported = factories.make_memo(plan, round=12)  # approver "นางครสวรรค์ สุพัฒนานนท์", no user, no person
    memo = factories.make_memo(plan, round=9)
    Signer.objects.filter(memo=memo, role="approver").update(name="ทวี จันทเสนา", position="ปลัดเทศบาลตำบลแร่")
    client = client_for(planner)
    assert client.get(_url("memo_edit", 12)).context["approvers"].initial == []
    assert imported.approvers()[0].user is None
    assert client.get(_url("memo_edit", 9)).context["approvers"].initial == [{"user": approvers[1].pk,
                                                                              "position": ""}]


def test_a_memo_in_review_cannot_be_edited(plan, planner, default_chain):
    memo = helpers.sent(plan, planner)
    for response in (client_for(planner).get(_url("memo_edit", 6)),
                     client_for(planner).post(_url("memo_edit", 6), helpers.memo_post())):
        assert response.status_code == 302 and response["Location"] == _url("memo_detail", 6)
        assert _messages(response) == ["แก้ไขได้เฉพาะบันทึกข้อความที่เป็นฉบับร่าง (สถานะตอนนี้: อยู่ระหว่างเสนอลงนาม)"]
    assert Memo.objects.get(pk=memo.pk).date == dt.date(2020, 6, 26)


# --------------------------------------------------------------------------------------- detail

def test_it_shows_the_memo_with_its_chain_and_the_embedded_report(plan, planner, default_chain, viewer):
    helpers.sent(plan, planner)
    response = client_for(viewer).get(_url("memo_detail", 6))
    assert response.status_code == 200
    html = response.content.decode()
    assert "อยู่ระหว่างเสนอลงนาม" in html and "สน ๘๐๗๐๑/๑" in html and "๒๖ มิถุนายน ๒๕๖๓" in html
    assert html.index("นายวัชร สำนับ") < html.index("ทวี จันทเสนา") < html.index("นางครสวรรค์ สุพัฒนานนท์")
    assert 'class="prongsai-doc' in html and "ความเห็นผู้บังคับบัญชา" in html  # the generated memo
    assert reverse("web:round_report", args=[SLUG, YEAR, 6, "pdf"]) in html
    assert "memos.memo.sent" in html  # the audit history
    assert "ลงนาม</button>" not in html  # a viewer has no forms
    assert response.context["my_turn"] is False


def test_only_the_current_approver_sees_the_sign_form(plan, planner, default_chain):
    helpers.sent(plan, planner)
    first = client_for(default_chain[0]).get(_url("memo_detail", 6))
    second = client_for(default_chain[1]).get(_url("memo_detail", 6))
    assert first.context["my_turn"] and 'action="%s"' % _url("memo_sign", 6) in first.content.decode()
    assert not second.context["my_turn"] and _url("memo_sign", 6) not in second.content.decode()


# ----------------------------------------------------------------------------------- send/revise

def test_it_sends_a_draft_to_the_first_approver(plan, planner, default_chain):
    memo = helpers.draft(plan, planner)
    response = client_for(planner).post(_url("memo_send", 6))
    assert response.status_code == 302 and response["Location"] == _url("memo_detail", 6)
    assert Memo.objects.get(pk=memo.pk).status == "in_review"
    assert AuditEntry.objects.get(action="memos.memo.sent").changes["status"] == ["draft", "in_review"]
    assert [s.memo for s in services.awaiting_signature(default_chain[0])] == [memo]


def test_sending_twice_is_refused_in_thai(plan, planner, default_chain):
    helpers.sent(plan, planner)
    response = client_for(planner).post(_url("memo_send", 6))
    assert response.status_code == 302
    assert _messages(response) == [
        "ไม่สามารถเปลี่ยนสถานะบันทึกข้อความจาก “อยู่ระหว่างเสนอลงนาม” เป็น “อยู่ระหว่างเสนอลงนาม” ได้"]
    assert AuditEntry.objects.filter(action="memos.memo.sent").count() == 1


def test_it_takes_a_returned_memo_back_to_draft(plan, planner, default_chain):
    memo = helpers.sent(plan, planner)
    services.return_memo(memo=memo, by=default_chain[0], reason="แก้เรื่อง")
    response = client_for(planner).post(_url("memo_revise", 6))
    assert response.status_code == 302 and response["Location"] == _url("memo_edit", 6)
    assert Memo.objects.get(pk=memo.pk).status == "draft"
    assert AuditEntry.objects.get(action="memos.memo.revised").changes == {"status": ["returned", "draft"]}
    page = client_for(planner).get(_url("memo_detail", 6)).content.decode()
    assert "ส่งกลับให้แก้ไขโดย นายวัชร สำนับ" in page and "แก้เรื่อง" in page


def test_revising_a_draft_is_refused_in_thai(plan, planner):
    helpers.draft(plan, planner)
    response = client_for(planner).post(_url("memo_revise", 6))
    assert response["Location"] == _url("memo_detail", 6)
    assert _messages(response) == ["ไม่สามารถเปลี่ยนสถานะบันทึกข้อความจาก “ฉบับร่าง” เป็น “ฉบับร่าง” ได้"]


@pytest.mark.parametrize("name", ["memo_send", "memo_revise"])
def test_approvers_cannot_send_or_revise(plan, planner, default_chain, name):
    helpers.draft(plan, planner)
    assert client_for(default_chain[0]).post(_url(name, 6)).status_code == 403
    assert Memo.objects.get(plan=plan, round=6).status == "draft"


def test_the_year_page_links_to_the_memo_pages(plan, planner, default_chain, viewer):
    helpers.draft(plan, planner)
    year_url = reverse("web:year_detail", args=[SLUG, YEAR])
    html = client_for(planner).get(year_url).content.decode()
    assert _url("memo_detail", 6) in html and "(ฉบับร่าง)" in html
    assert _url("memo_new") in html and reverse("memos:register", args=[SLUG]) in html
    assert reverse("memos:chain_settings", args=[SLUG]) not in html  # agency admins only
    seen_by_viewer = client_for(viewer).get(year_url).content.decode()
    assert _url("memo_detail", 6) in seen_by_viewer
    assert _url("memo_new") not in seen_by_viewer and reverse("memos:register", args=[SLUG]) not in seen_by_viewer
