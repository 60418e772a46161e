"""Issue 10 item 10 in chromium: the public report page (with the report's own CSS and the renderer's
sizes) and the API's Swagger UI run under the Content-Security-Policy without a single violation, and
they still work (the report's CSS applies; Swagger draws the operations from the OpenAPI document)."""

from __future__ import annotations

import pytest

from prongsai.portal import links

from test_portal import ROUND, SLUG, YEAR, published_year  # noqa: F401  (the fixture)

pytestmark = pytest.mark.browser

# Every violation, as the page's own listener sees it (the console line alone may be rate-limited).
WATCH = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});
"""


def _open(new_context, path: str):
    page = new_context().new_page()
    page.add_init_script(WATCH)
    console = []
    page.on("console", lambda message: console.append(message.text))
    response = page.goto(path)
    page.wait_for_load_state("networkidle")
    assert response.status == 200
    assert "script-src 'self'" in response.headers["content-security-policy"]
    return page, console


def _violations(page, console) -> list[str]:
    return page.evaluate("window.__csp") + [line for line in console if "Content Security Policy" in line]


def test_the_public_report_page_has_no_csp_violation(published_year, new_context):
    page, console = _open(new_context, links.round_report_path(SLUG, YEAR, ROUND))
    assert _violations(page, console) == []
    # The nonced <style> block of the report's CSS did apply (a blocked one has no rules).
    rules = page.evaluate("[...document.querySelectorAll('style')].map(s => s.sheet ? s.sheet.cssRules.length : 0)")
    assert rules and all(n > 0 for n in rules), rules


def test_swagger_has_no_csp_violation(db, new_context):
    page, console = _open(new_context, "/api/v1/docs")
    page.wait_for_selector(".opblock", timeout=20_000)  # Swagger UI drew the operations
    assert page.locator(".opblock").count() > 10
    assert _violations(page, console) == []
