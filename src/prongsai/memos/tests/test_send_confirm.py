"""Sending a round memo whose round has measures without a result asks first (issue 9): the first POST
shows those measures and a confirm button and changes nothing; the confirmed POST sends (and the audit
entry keeps what was confirmed); with nothing missing the first POST sends at once. The memo form's texts
take the limits of measures.limits, with a Thai message naming the field."""

from __future__ import annotations

import re

from django.urls import reverse

from prongsai.audit.models import AuditEntry
from prongsai.measures import limits
from prongsai.memos.models import Memo
from prongsai.memos.tests import helpers
from prongsai.memos.tests.conftest import client_for
from prongsai.memos.views import CONFIRM_MISSING
from prongsai.web.tests import factories

SLUG, YEAR = "tessaban-rae", 2563


def _send_url(round: int) -> str:
    return reverse("memos:memo_send", args=[SLUG, YEAR, round])


def _listed(html: str) -> list[str]:
    block = html.split('<ul class="missing-results">', 1)[1].split("</ul>", 1)[0]
    return [re.sub(r"<[^>]+>", "", item).strip() for item in re.findall(r"<li>(.*?)</li>", block, re.S)]


def test_sending_with_results_missing_lists_them_and_asks_to_confirm(plan, planner, default_chain):
    memo = helpers.draft(plan, planner, round=12)  # round 12: neither measure has a result yet
    before = AuditEntry.objects.count()

    response = client_for(planner).post(_send_url(12))

    assert response.status_code == 200
    html = response.content.decode()
    assert "ยังไม่ได้บันทึกผลการดำเนินงานรอบ ๑๒ เดือน ๒ มาตรการ" in html
    assert _listed(html) == ["๑. การใช้งบประมาณ", "๒. การเปิดเผยข้อมูล"]
    first = plan.measures.get(order=1)
    assert reverse("workspace:round_result", args=[SLUG, YEAR, first.pk, 12]) in html  # to record it
    assert f'name="confirm" value="{CONFIRM_MISSING}"' in html
    assert Memo.objects.get(pk=memo.pk).status == Memo.Status.DRAFT
    assert AuditEntry.objects.count() == before  # asking changes nothing

    response = client_for(planner).post(_send_url(12), {"confirm": CONFIRM_MISSING})

    assert response.status_code == 302 and response["Location"] == memo.get_absolute_url()
    assert Memo.objects.get(pk=memo.pk).status == Memo.Status.IN_REVIEW
    sent = AuditEntry.objects.get(action="memos.memo.sent")
    assert sent.changes["sent_without_results"] == [None, ["การใช้งบประมาณ", "การเปิดเผยข้อมูล"]]


def test_a_result_without_details_still_counts_as_missing(plan, planner, default_chain):
    factories.make_round_result(plan.measures.get(order=2), round=12, details="  ", outputs="รายงาน")
    factories.make_round_result(plan.measures.get(order=1), round=12)
    helpers.draft(plan, planner, round=12)

    response = client_for(planner).post(_send_url(12))

    assert response.status_code == 200 and _listed(response.content.decode()) == ["๒. การเปิดเผยข้อมูล"]


def test_sending_with_every_result_recorded_sends_at_once(plan, planner, default_chain):
    memo = helpers.draft(plan, planner, round=6)  # the round-6 result of the one measure monitored is there

    response = client_for(planner).post(_send_url(6))

    assert response.status_code == 302
    assert Memo.objects.get(pk=memo.pk).status == Memo.Status.IN_REVIEW
    assert "sent_without_results" not in AuditEntry.objects.get(action="memos.memo.sent").changes


def test_a_memo_that_is_not_a_draft_is_not_asked_about(plan, planner, default_chain):
    memo = helpers.draft(plan, planner, round=12)
    client_for(planner).post(_send_url(12), {"confirm": CONFIRM_MISSING})

    response = client_for(planner).post(_send_url(12))  # already sent: the state error, not the question

    assert response.status_code == 302
    assert Memo.objects.get(pk=memo.pk).status == Memo.Status.IN_REVIEW
    assert AuditEntry.objects.filter(action="memos.memo.sent").count() == 1


def test_the_memo_form_names_the_field_over_its_limit(plan, planner, default_chain):
    data = helpers.memo_post(round=12, subject="ร" * (limits.MEMO_SUBJECT + 1),
                             body="ย่อหน้าแรก\n\n" + "ก" * (limits.MEMO_PARAGRAPH + 1),
                             approvers=[(default_chain[0], "")])

    response = client_for(planner).post(reverse("memos:memo_new", args=[SLUG, YEAR]), data)

    assert response.status_code == 200
    html = response.content.decode()
    assert "เรื่อง: ยาวเกินไป (๕๐๑ ตัวอักษร) ยาวได้ไม่เกิน ๕๐๐ ตัวอักษร" in html
    assert "ข้อความ ย่อหน้าที่ ๒: ยาวเกินไป (๓,๐๐๑ ตัวอักษร) ยาวได้ไม่เกิน ๓,๐๐๐ ตัวอักษร" in html
    assert not Memo.objects.filter(plan=plan, round=12).exists()

    data.update(subject="ร" * 400, body="ย่อหน้าแรก")  # the 400-character subject
    assert client_for(planner).post(reverse("memos:memo_new", args=[SLUG, YEAR]), data).status_code == 302
    assert Memo.objects.get(plan=plan, round=12).subject == "ร" * 400
