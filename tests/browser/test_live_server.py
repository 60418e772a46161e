"""The browser-test set-up itself: the live server serves the pages with their static files and the Thai
font, and the login form logs a member in (what every other browser test stands on)."""

import pytest

pytestmark = pytest.mark.browser


def test_the_login_page_has_its_stylesheets_and_the_thai_font(page):
    responses = {}
    page.on("response", lambda r: responses.setdefault(r.url.split("?")[0], r.status))
    page.goto("/accounts/login/")
    stylesheets = [url for url in responses if url.endswith(".css")]
    assert any(url.endswith("/static/web/site.css") for url in stylesheets), responses
    assert all(responses[url] == 200 for url in stylesheets), responses
    # site.css is applied: the header has the brand colour.
    assert page.locator("header.site-header").evaluate("e => getComputedStyle(e).backgroundColor") != "rgba(0, 0, 0, 0)"
    # The font view answers with the built WOFF2 (the page may take the installed TH Sarabun New instead).
    font = page.request.get("/fonts/SarabunCompat-Regular.woff2")
    assert font.status == 200 and font.headers["content-type"] == "font/woff2"
    assert font.body()[:4] == b"wOF2"


def test_a_member_logs_in_through_the_form_and_a_wrong_password_is_refused(page, log_in, browser_user):
    browser_user("somsri", first_name="สมศรี", last_name="ทดสอบ")
    page.goto("/accounts/login/")
    page.get_by_label("ชื่อผู้ใช้").fill("somsri")
    page.get_by_label("รหัสผ่าน").fill("not-the-password")
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    assert page.get_by_role("alert").inner_text().startswith("ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง")
    log_in(page, "somsri")
    assert page.locator("header .who").inner_text() == "สมศรี ทดสอบ"
