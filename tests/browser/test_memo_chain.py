"""The round memo's whole chain in a browser, as issue 3 tells it: a planner records a round result with
an uploaded file, drafts the memo choosing three approvers and sends it; the three approvers each log in,
find it in their inbox, comment and sign in turn; the approved report downloads through the memo page's
link and its PDF text holds the three comments, in the chain's order.

Only the starting point is made with the ORM (the agency, its people, last year's scores, the year with
its measures, the users and their roles); everything after is clicks and typing in chromium.
"""

import re
import subprocess

import pytest
from playwright.sync_api import expect
from django.urls import reverse

from prongsai.agencies.models import Membership, Person
from prongsai.memos.models import Memo
from prongsai.web.tests import factories
from prongsai.workspace.tests.files import PDF

pytestmark = pytest.mark.browser

Role = Membership.Role
SLUG, YEAR, ROUND = "tessaban-rae", 2563, 6
# (username, person's name, position): the chain, in signing order.
APPROVERS = [
    ("watchara", "นายวัชร สำนับ", "รองปลัดเทศบาลตำบลแร่"),
    ("thawi", "ทวี จันทเสนา", "ปลัดเทศบาลตำบลแร่"),
    ("khonsawan", "นางครสวรรค์ สุพัฒนานนท์", "นายกเทศมนตรีตำบลแร่"),
]
# Words that appear nowhere else in the report, so their places in the PDF text are theirs.
COMMENTS = [
    "ตรวจสอบแล้วเห็นควรเสนอปลัดเทศบาลพิจารณา",
    "เห็นควรเสนอนายกเทศมนตรีเพื่อโปรดพิจารณาอนุมัติ",
    "อนุมัติตามเสนอและให้เผยแพร่บนเว็บไซต์",
]
DETAILS = "ประชุมชี้แจงแผนการใช้จ่ายงบประมาณให้บุคลากรทุกกองรับทราบ"
EVIDENCE_TITLE = "รายงานการประชุมชี้แจงแผนการใช้จ่ายงบประมาณ"


@pytest.fixture
def year(db, browser_user):
    """เทศบาลตำบลแร่ with last year's scores and FY 2563's two measures (no round result yet), its
    planner and three approvers (each linked to a person of the agency), no default chain."""
    agency = factories.make_agency()
    factories.make_people(agency)
    factories.make_result(agency, year=YEAR - 1)
    plan = factories.make_plan(agency, YEAR)
    budget = factories.make_measure(plan, order=1)
    factories.make_measure(plan, order=2, title="การเปิดเผยข้อมูล", indicator=9, rounds=[12], guideline="", steps="")
    pranee = Person.objects.create(agency=agency, name="นางสาวปราณี จันทไชย",
                                   position="นักวิชาการตรวจสอบภายในชำนาญการ")
    browser_user("pranee", agency, Role.PLANNER, person=pranee)
    for username, name, position in APPROVERS:
        person = Person.objects.filter(agency=agency, name=name).first() or Person.objects.create(
            agency=agency, name=name, position=position)
        browser_user(username, agency, Role.APPROVER, person=person)
    return plan, budget


def _said(page, text: str) -> bool:
    """The page (once the form's POST and redirect have finished) shows a success message with `text`."""
    expect(page.get_by_role("status").filter(has_text=text).first).to_be_visible()
    return True


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_a_round_memo_goes_through_the_chain_and_its_approved_pdf_holds_the_comments_in_order(
        year, new_context, log_in, tmp_path):
    plan, budget = year
    planner = new_context().new_page()
    log_in(planner, "pranee")

    # The planner finds the measure's round-6 page from the year page and records the result.
    planner.get_by_role("link", name="เทศบาลตำบลแร่").first.click()
    planner.get_by_role("link", name=re.compile("ปีงบประมาณ ๒๕๖๓")).first.click()
    planner.get_by_role("link", name="แก้ไขมาตรการและผลการดำเนินงาน").click()
    planner.get_by_role("link", name=re.compile(r"^ผลรอบ ๖ เดือน\s+การใช้งบประมาณ$")).click()
    result_form = planner.locator("form.ws-form").first
    result_form.locator("[name=details]").fill(DETAILS)
    result_form.locator("[name=period]").fill("เดือนเมษายน ๒๕๖๓")
    result_form.locator("[name=outputs]").fill("บุคลากรรับทราบแผนการใช้จ่ายงบประมาณ")
    result_form.locator("[name=outcomes]").fill("การเบิกจ่ายเป็นไปตามแผน")
    result_form.get_by_role("button", name="บันทึกผลการดำเนินงาน").click()
    assert planner.locator("form.ws-form").first.locator("[name=details]").input_value() == DETAILS

    # ... and uploads the meeting's report as a PDF.
    evidence = tmp_path / "meeting.pdf"
    evidence.write_bytes(PDF)
    upload = planner.locator("section[aria-labelledby=add-file] form")
    # By name: the link form above has a title field with the same id, so the label points there.
    upload.locator("[name=title]").fill(EVIDENCE_TITLE)
    upload.locator("input[type=file]").set_input_files(evidence)
    upload.get_by_role("button", name="แนบไฟล์").click()
    evidence_link = planner.locator(".evidence-list").get_by_role("link", name=EVIDENCE_TITLE)
    with planner.expect_download() as download:
        evidence_link.click()
    assert download.value.path().read_bytes() == PDF

    # The planner drafts the round-6 memo from the year page, choosing the three approvers in order.
    planner.get_by_role("link", name=re.compile("ปีงบประมาณ ๒๕๖๓")).first.click()
    planner.get_by_role("link", name="จัดทำบันทึกข้อความรายงานผล").click()
    planner.get_by_label("รอบการรายงาน").select_option(label="รอบ ๖ เดือน")
    for row, (_username, name, position) in enumerate(APPROVERS):
        planner.locator(f"select[name=approvers-{row}-user]").select_option(label=f"{name} ({position})")
    planner.get_by_role("button", name="บันทึกร่างและออกเลขทะเบียน").click()
    assert _said(planner, "จัดทำร่างบันทึกข้อความแล้ว ได้เลขทะเบียนส่งที่ ๑")
    memo_path = reverse("memos:memo_detail", args=[SLUG, YEAR, ROUND])
    assert planner.url.endswith(memo_path)
    chain = planner.locator("ol.chain .who").all_inner_texts()  # with the rank: "จ.อ. ทวี จันทเสนา"
    assert [who.endswith(name) for who, (_u, name, _p) in zip(chain, APPROVERS)] == [True] * 3 and len(chain) == 3
    planner.get_by_role("button", name="ส่งให้ผู้บังคับบัญชาพิจารณา").click()
    assert planner.locator(".status-in_review").first.inner_text() == "อยู่ระหว่างเสนอลงนาม"

    # Each approver in turn: the inbox holds the memo (only on their turn), they comment and sign.
    for order, ((username, name, _position), comment) in enumerate(zip(APPROVERS, COMMENTS), start=1):
        approver = new_context().new_page()
        log_in(approver, username)
        approver.get_by_role("link", name="รายการรอลงนาม").click()
        approver.wait_for_url("**" + reverse("memos:inbox"))  # a click does not wait for the next page
        card = approver.locator("ul.cards li.card")
        expect(card, f"{username}'s inbox").to_have_count(1)
        assert "ท่านลงนามเป็นลำดับที่ " + "๑๒๓"[order - 1] in card.inner_text()
        card.get_by_role("link").click()
        approver.get_by_role("textbox", name="ความเห็น", exact=True).fill(comment)
        approver.get_by_role("button", name="ลงนาม", exact=True).click()
        message = "ลงนามแล้ว บันทึกข้อความได้รับอนุมัติ" if order == len(APPROVERS) else "ลงนามแล้ว ส่งต่อให้"
        assert _said(approver, message)
        if order < len(APPROVERS):
            # The next approver's turn has not come for the others: the one who signed sees no form now.
            assert approver.get_by_role("textbox", name="ความเห็น", exact=True).count() == 0
        approver.context.close()

    # Anyone of the agency (here the planner) downloads the frozen PDF through the memo page's link.
    planner.goto(memo_path)
    assert planner.locator(".status-approved").first.inner_text() == "อนุมัติแล้ว"
    assert planner.locator("ol.chain p.comment").all_inner_texts() == [f"ความเห็น: {c}" for c in COMMENTS]
    with planner.expect_download() as download:
        planner.locator("#versions ~ .table-wrap").get_by_role("link", name="ดาวน์โหลด PDF").click()
    assert download.value.suggested_filename == f"{SLUG}-{YEAR}-round{ROUND}-v1.pdf"
    pdf = download.value.path().read_bytes()
    assert pdf.startswith(b"%PDF-")
    text = _squeeze(subprocess.run(["pdftotext", "-raw", str(download.value.path()), "-"],
                                   capture_output=True, text=True, check=True).stdout)
    places = [text.find(_squeeze(comment)) for comment in COMMENTS]
    assert all(place >= 0 for place in places), f"comments missing from the PDF text: {places}"
    assert places == sorted(places), f"the comments are not in the chain's order: {places}"
    assert _squeeze(DETAILS) in text  # the round result the planner typed is in the frozen report
    memo = Memo.objects.get(plan=plan, round=ROUND)
    assert memo.status == Memo.Status.APPROVED
    assert [s.comment for s in memo.approvers()] == COMMENTS


def test_the_inbox_and_the_memo_page_fit_a_phone_screen(year, new_context, log_in, assert_no_horizontal_overflow):
    """A 390×844 phone: an approver opens the inbox and the memo page (with its report preview) and
    never has to scroll sideways (the wide tables scroll inside their own box)."""
    from prongsai.memos import services
    from prongsai.memos.services import ApproverChoice

    plan, _budget = year
    # The memo itself is not under test here: drafted and sent as the pages do, through the services.
    users = {m.user.username: m.user for m in Membership.objects.select_related("user").filter(agency=plan.agency)}
    memo = services.draft_memo(plan=plan, round=ROUND, by=users["pranee"],
                               approvers=[ApproverChoice(user=users[u]) for u, _n, _p in APPROVERS])
    services.send_memo(memo=memo, by=users["pranee"])

    phone = new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True).new_page()
    log_in(phone, APPROVERS[0][0])
    phone.goto(reverse("memos:inbox"))
    assert phone.locator("ul.cards li.card").count() == 1
    assert_no_horizontal_overflow(phone)
    phone.locator("ul.cards li.card").get_by_role("link").click()
    assert phone.get_by_role("textbox", name="ความเห็น", exact=True).is_visible()
    assert_no_horizontal_overflow(phone)
