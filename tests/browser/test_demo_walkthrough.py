"""The start of the README's walk-through on `prongsai demo`'s data, in a browser: the demo planner drafts
a memo without choosing anyone (the agency's default chain fills the approvers in), sends it, and
approver1 finds it in the inbox, under the example's name."""

from io import StringIO

import pytest
from playwright.sync_api import expect
from django.core.management import call_command

pytestmark = pytest.mark.browser

DEMO_PASSWORD = "prongsai-demo"


def test_the_demo_planner_sends_a_memo_to_approver1_without_choosing_anyone(new_context, log_in, monkeypatch):
    monkeypatch.delenv("PRONGSAI_DEMO_PASSWORD", raising=False)
    call_command("demo", stdout=StringIO())

    planner = new_context().new_page()
    log_in(planner, "demo", DEMO_PASSWORD)
    planner.get_by_role("link", name="เทศบาลตำบลแร่").first.click()
    planner.get_by_role("link", name="ปีงบประมาณ ๒๕๖๓").first.click()
    planner.get_by_role("link", name="จัดทำบันทึกข้อความรายงานผล").click()
    chosen = [planner.locator(f"select[name=approvers-{row}-user] option:checked").inner_text() for row in range(3)]
    assert chosen == ["นายวัชร สำนับ (รองปลัดปลัดเทศบาลตำบลแร่)", "ทวี จันทเสนา (ปลัดเทศบาลตำบลแร่)",
                      "นางครสวรรค์ สุพัฒนานนท์ (นายกเทศมนตรีตำบลแร่)"]
    planner.get_by_role("button", name="บันทึกร่างและออกเลขทะเบียน").click()
    planner.get_by_role("button", name="ส่งให้ผู้บังคับบัญชาพิจารณา").click()
    # The demo's real year has results for round 6 only: the page lists the measures without one first.
    planner.get_by_role("button", name="ยืนยันส่งโดยยังไม่มีผลของมาตรการเหล่านี้").click()
    assert planner.locator(".status-in_review").first.inner_text() == "อยู่ระหว่างเสนอลงนาม"

    approver = new_context().new_page()
    log_in(approver, "approver1", DEMO_PASSWORD)
    approver.get_by_role("link", name="รายการรอลงนาม").click()
    approver.wait_for_url("**/inbox/")  # a click does not wait for the next page
    card = approver.locator("ul.cards li.card")
    expect(card).to_have_count(1)
    assert "เทศบาลตำบลแร่" in card.inner_text()
    card.get_by_role("link").click()
    assert approver.locator("ol.chain li.current .who").inner_text() == "นายวัชร สำนับ"
    expect(approver.get_by_role("button", name="ลงนาม", exact=True)).to_be_visible()
