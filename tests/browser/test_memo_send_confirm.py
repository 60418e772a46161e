"""Sending a round memo with results missing, in a browser (issue 9): the planner presses
ส่งให้ผู้บังคับบัญชาพิจารณา on the round-12 memo while neither measure has a round-12 result; the page lists
the two measures and asks; cancelling leaves the draft; confirming sends it to the first approver.

The starting point (the agency, the year with its measures, the users, the drafted memo) is made with the
ORM and the memo services; the sending is clicks in chromium.
"""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from prongsai.agencies.models import Membership, Person
from prongsai.memos import services
from prongsai.memos.models import Memo
from prongsai.memos.services import ApproverChoice
from prongsai.web.tests import factories

pytestmark = pytest.mark.browser

Role = Membership.Role
SLUG, YEAR, ROUND = "tessaban-rae", 2563, 12


@pytest.fixture
def memo(db, browser_user):
    agency = factories.make_agency()
    plan = factories.make_plan(agency, YEAR)
    factories.make_measure(plan, order=1)  # rounds 6 and 12, no result
    factories.make_measure(plan, order=2, title="การเปิดเผยข้อมูล", indicator=9, rounds=[12], guideline="", steps="")
    pranee = Person.objects.create(agency=agency, name="นางสาวปราณี จันทไชย", position="นักวิชาการตรวจสอบภายในชำนาญการ")
    planner = browser_user("pranee", agency, Role.PLANNER, person=pranee)
    thawi = Person.objects.create(agency=agency, name="ทวี จันทเสนา", position="ปลัดเทศบาลตำบลแร่")
    approver = browser_user("thawi", agency, Role.APPROVER, person=thawi)
    return services.draft_memo(plan=plan, round=ROUND, by=planner, approvers=[ApproverChoice(user=approver)])


def test_sending_with_results_missing_lists_them_and_sends_only_when_confirmed(memo, page, log_in,
                                                                             assert_no_horizontal_overflow):
    log_in(page, "pranee")
    detail = reverse("memos:memo_detail", args=[SLUG, YEAR, ROUND])
    page.goto(detail)

    page.get_by_role("button", name="ส่งให้ผู้บังคับบัญชาพิจารณา").click()
    alert = page.get_by_role("alert").filter(has_text="ยังไม่ได้บันทึกผลการดำเนินงานรอบ ๑๒ เดือน ๒ มาตรการ")
    expect(alert).to_be_visible()
    assert alert.get_by_role("listitem").all_inner_texts() == ["๑. การใช้งบประมาณ", "๒. การเปิดเผยข้อมูล"]
    assert_no_horizontal_overflow(page)
    # Each listed measure links to its round-12 result page.
    href = alert.get_by_role("link", name=re.compile("การใช้งบประมาณ")).get_attribute("href")
    assert href == reverse("workspace:round_result", args=[SLUG, YEAR, memo.plan.measures.get(order=1).pk, ROUND])

    page.get_by_role("link", name="ยกเลิก กลับไปที่บันทึกข้อความ").click()
    page.wait_for_url("**" + detail)
    assert Memo.objects.get(pk=memo.pk).status == Memo.Status.DRAFT

    page.get_by_role("button", name="ส่งให้ผู้บังคับบัญชาพิจารณา").click()
    page.get_by_role("button", name="ยืนยันส่งโดยยังไม่มีผลของมาตรการเหล่านี้").click()
    expect(page.get_by_role("status").filter(has_text="ส่งบันทึกข้อความให้ผู้บังคับบัญชาลำดับแรกแล้ว").first).to_be_visible()
    assert page.url.endswith(detail)
    assert page.locator(".status-in_review").first.inner_text() == "อยู่ระหว่างเสนอลงนาม"
    assert Memo.objects.get(pk=memo.pk).status == Memo.Status.IN_REVIEW
