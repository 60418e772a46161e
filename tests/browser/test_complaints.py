"""Corruption complaints in a browser, as issue 5 tells it: a citizen opens the agency's portal, follows
its link to the complaint channel and submits anonymously with a file attached, keeping the receipt
code that is shown once; a complaint officer, logged in through the real login form, opens the case,
registers it, acknowledges it to the complainant and writes a message; later, in a fresh browser with no
cookies, the citizen types the code on the status page, reads the officer's message and answers; the
officer sees the answer. Plus the public form on a phone: nothing wider than the screen.

Only the agency and the officer's account are made through the ORM; everything else is clicks.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from prongsai.agencies.models import Membership
from prongsai.complaints import crypto, ratelimit
from prongsai.complaints.models import Complaint
from prongsai.web.tests import factories

pytestmark = pytest.mark.browser

WHAT = "ปลัดสั่งให้ซื้อวัสดุก่อสร้างจากร้านของญาติในราคาสูงกว่าท้องตลาดสองเท่า"
OFFICER_MESSAGE = "ได้รับเรื่องแล้ว ขอทราบเลขที่ใบเสร็จหรือวันที่ซื้อเพิ่มเติม ถ้ามี"
CITIZEN_ANSWER = "ใบเสร็จลงวันที่ 12 มีนาคม เลขที่ 0457 ตามไฟล์ที่แนบไว้ตอนแรก"
CODE = re.compile(r"^\d{5}-\d{5}-\d{5}-\d{5}-\d{5}$")


def _pdf(text: str) -> bytes:
    """A small real PDF (it passes the upload check, which judges files by their content)."""
    stream = f"BT /F1 12 Tf 50 700 Td ({text}) Tj ET".encode()
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
               b"/Resources << /Font << /F1 5 0 R >> >> >>",
               b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


@pytest.fixture(autouse=True)
def _complaint_storage(settings, tmp_path):
    """Keys and sealed files of each test in its own folder (the server thread shares the settings)."""
    settings.PRONGSAI_COMPLAINT_KEYS = ""
    settings.PRONGSAI_COMPLAINT_KEYS_FILE = tmp_path / "complaint-keys"
    settings.PRONGSAI_COMPLAINT_FILES_DIR = tmp_path / "complaint-files"
    crypto.forget()
    ratelimit.reset_all()
    yield
    crypto.forget()
    ratelimit.reset_all()


@pytest.fixture
def agency(transactional_db):
    return factories.make_agency()


def _check_layout(page, agency) -> None:
    """The portal's layout around a complaint page: Thai, skip link, the agency's header and menu, one h1."""
    expect(page.locator("html")).to_have_attribute("lang", "th")
    expect(page.locator("a.skip")).to_have_attribute("href", "#main")
    expect(page.locator("header.top .site")).to_have_text(agency.name)
    expect(page.get_by_role("navigation", name="เมนูหลัก")).to_be_visible()
    expect(page.get_by_role("navigation", name="เรื่องร้องเรียนการทุจริต")).to_be_visible()
    expect(page.locator("main#main h1")).to_have_count(1)


def test_a_citizen_complains_anonymously_and_follows_up_with_the_code(new_context, log_in, browser_user, agency):
    browser_user("sudaporn", agency, Membership.Role.COMPLAINT_OFFICER, first_name="สุดาภรณ์", last_name="รับเรื่อง")

    # The citizen: from the agency's portal to the complaint form.
    citizen = new_context().new_page()
    citizen.goto(f"/a/{agency.slug}/")
    citizen.get_by_role("link", name="ร้องเรียนการทุจริตและประพฤติมิชอบ (ไม่ต้องบอกชื่อ)").click()
    expect(citizen.get_by_role("heading", level=1)).to_have_text("แจ้งเรื่องร้องเรียนการทุจริต")
    _check_layout(citizen, agency)
    expect(citizen.get_by_role("heading", name="เราปกป้องผู้ร้องเรียนอย่างไร")).to_be_visible()
    expect(citizen.get_by_label("ไม่บอกชื่อ (ร้องเรียนโดยไม่ระบุตัวตน)")).to_be_checked()
    citizen.get_by_label("จัดซื้อจัดจ้าง").check()
    citizen.get_by_label("เกิดอะไรขึ้น").fill(WHAT)
    citizen.get_by_label("เกิดขึ้นเมื่อไร").fill("มีนาคม")
    citizen.get_by_label("เกิดขึ้นที่ไหน").fill("กองช่าง")
    citizen.get_by_label("ไฟล์หลักฐาน").set_input_files(
        files=[{"name": "ใบเสร็จ.pdf", "mimeType": "application/pdf", "buffer": _pdf("receipt 0457")}])
    citizen.get_by_role("button", name="ส่งเรื่องร้องเรียน").click()

    expect(citizen.get_by_role("heading", level=1)).to_have_text("ได้รับเรื่องร้องเรียนของท่านแล้ว")
    code = citizen.locator("#receipt-code").inner_text().strip()
    assert CODE.match(code), code
    assert code.replace("-", "") not in citizen.url.replace("-", "")
    complaint = Complaint.objects.get()
    assert (complaint.channel, complaint.identified, complaint.attachments.count()) == ("web", False, 1)
    citizen.context.close()  # the citizen goes away with the code written down

    # The officer: the real login, the list, the case.
    officer = new_context().new_page()
    log_in(officer, "sudaporn")
    officer.goto(f"/agencies/{agency.slug}/complaints/")
    officer.get_by_role("link", name="ยังไม่ลงทะเบียน").click()
    expect(officer.get_by_text(WHAT)).to_be_visible()
    expect(officer.get_by_role("link", name="ใบเสร็จ.pdf")).to_be_visible()
    officer.get_by_role("button", name="เปลี่ยนสถานะเป็น “ลงทะเบียนรับเรื่องแล้ว”").click()
    expect(officer.get_by_role("heading", level=1)).to_contain_text("เรื่องร้องเรียน เลขรับ")
    officer.get_by_role("button", name="เปลี่ยนสถานะเป็น “แจ้งตอบรับผู้ร้องแล้ว”").click()
    expect(officer.locator("dl.details").first).to_contain_text("แจ้งตอบรับผู้ร้องแล้ว")
    thread = officer.get_by_role("region", name="ข้อความกับผู้ร้อง")
    thread.get_by_label("ข้อความถึงผู้ร้อง").fill(OFFICER_MESSAGE)
    thread.get_by_role("button", name="ส่งข้อความถึงผู้ร้อง").click()
    expect(officer.locator("ol.thread")).to_contain_text(OFFICER_MESSAGE)

    # Later, a fresh browser: the citizen types the code, reads the reply and answers.
    citizen = new_context().new_page()
    citizen.goto(f"/a/{agency.slug}/complaints/")
    citizen.get_by_role("navigation", name="เรื่องร้องเรียนการทุจริต").get_by_role("link", name="ติดตามเรื่อง").click()
    _check_layout(citizen, agency)
    citizen.get_by_label("รหัสติดตามเรื่อง (ตัวเลข 25 หลัก)").fill(code.replace("-", " "))
    citizen.get_by_role("button", name="ดูเรื่องของฉัน").click()
    expect(citizen.get_by_role("heading", level=1)).to_have_text("สถานะเรื่องร้องเรียนของท่าน")
    expect(citizen.locator("dl.details")).to_contain_text("แจ้งตอบรับผู้ร้องแล้ว")
    expect(citizen.locator("ol.thread li.officer").last).to_contain_text(OFFICER_MESSAGE)
    assert code.replace("-", "") not in citizen.url.replace("-", "")
    citizen.get_by_label("ข้อความถึงเจ้าหน้าที่").fill(CITIZEN_ANSWER)
    citizen.get_by_role("button", name="ส่งถึงเจ้าหน้าที่").click()
    expect(citizen.get_by_role("status")).to_have_text("ส่งข้อความถึงเจ้าหน้าที่แล้ว")
    expect(citizen.locator("ol.thread li.complainant").last).to_contain_text(CITIZEN_ANSWER)

    # The officer sees the answer.
    officer.reload()
    expect(officer.locator("ol.thread li.complainant").last).to_contain_text(CITIZEN_ANSWER)


@pytest.mark.parametrize("width", [320, 390])
def test_the_public_form_fits_a_phone(new_context, assert_no_horizontal_overflow, agency, width):
    page = new_context(viewport={"width": width, "height": 800}, is_mobile=True, has_touch=True).new_page()
    for path in ("", "status/", "guideline/", "channels/", "statistics/"):
        page.goto(f"/a/{agency.slug}/complaints/{path}")
        _check_layout(page, agency)
        assert_no_horizontal_overflow(page)
    page.goto(f"/a/{agency.slug}/complaints/")
    # The submit button is reachable and a finger-sized target.
    box = page.get_by_role("button", name="ส่งเรื่องร้องเรียน").bounding_box()
    assert box["height"] >= 40 and box["x"] >= 0 and box["x"] + box["width"] <= width


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 900}, {"width": 390, "height": 844}])
def test_the_public_complaint_pages_have_no_serious_axe_violations(new_context, agency, viewport):
    from test_accessibility import BLOCKING, axe_source, describe, run_axe

    axe = axe_source()
    page = new_context(viewport=viewport).new_page()
    found = []
    for path in ("", "status/", "guideline/", "channels/", "statistics/"):
        page.goto(f"/a/{agency.slug}/complaints/{path}")
        blocking = [v for v in run_axe(page, axe) if v["impact"] in BLOCKING]
        if blocking:
            found.append(describe("complaints", path, blocking))
    # The receipt page, after a real submission.
    page.goto(f"/a/{agency.slug}/complaints/")
    page.get_by_label("จัดซื้อจัดจ้าง").check()
    page.get_by_label("เกิดอะไรขึ้น").fill(WHAT)
    page.get_by_role("button", name="ส่งเรื่องร้องเรียน").click()
    expect(page.locator("#receipt-code")).to_be_visible()
    blocking = [v for v in run_axe(page, axe) if v["impact"] in BLOCKING]
    if blocking:
        found.append(describe("complaints", "receipt", blocking))
    assert not found, "axe-core found serious or critical violations:\n" + "\n".join(found)
