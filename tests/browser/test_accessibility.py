"""axe-core on the main public pages of the portal: no violation of impact "serious" or "critical".

axe-core is the npm package pinned in tools/axe/package.json, installed by scripts/install (`make
test`) with `npm ci` into tools/axe/node_modules; each page gets its axe.min.js injected and
`axe.run()` checks the whole document, with every rule axe-core enables by default (WCAG 2.x A and AA
and its best practices). Each page is checked at a desktop width and at a phone's.

When axe-core is missing the tests fail and say how to install it; they are skipped only when
chromium itself is missing, as every browser test is (the root conftest.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from test_portal import REPORTS_ITEM, ROUND, SLUG, YEAR, published_year  # noqa: F401  (the fixture)

from prongsai.portal import links

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "tools" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = {"serious", "critical"}
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


def public_pages(published) -> dict[str, str]:
    """name -> path of the pages the public sees (all answer 200 but the unknown hash's verify page,
    a 404 with its "not found" explanation)."""
    pdf = published.version.files.get(name="report.pdf")
    return {
        "agency home": links.agency_path(SLUG),
        "results": links.results_path(SLUG),
        "measures": links.measures_path(SLUG, YEAR),
        "analysis": links.analysis_path(SLUG, YEAR),
        "reports": links.reports_path(SLUG),
        "report": links.round_report_path(SLUG, YEAR, ROUND),
        "OIT": links.oit_path(SLUG, YEAR),
        "OIT item": links.oit_item_path(SLUG, YEAR, REPORTS_ITEM),
        "verify (found)": links.verify_path(pdf.sha256),
        "verify (not found)": links.verify_path("0" * 64),
        "verify form": links.verify_path(),
    }


def axe_source() -> Path:
    """axe.min.js; called in the tests' bodies, so that a missing axe-core is a failed test."""
    if not AXE.is_file():
        pytest.fail(f"axe-core is not installed ({AXE} is missing): run `make test`, or `bash scripts/install`, "
                    "which runs `npm ci` in tools/axe", pytrace=False)
    return AXE


def run_axe(page, axe_source: Path) -> list[dict]:
    # Evaluated through the DevTools protocol, not added as an inline <script>: the pages' CSP forbids those.
    page.evaluate(axe_source.read_text(encoding="utf-8"))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return result["violations"]


def describe(name: str, path: str, violations: list[dict]) -> str:
    lines = []
    for v in violations:
        targets = ", ".join(" ".join(node["target"]) for node in v["nodes"][:5])
        lines.append(f"  {name} {path}: [{v['impact']}] {v['id']}: {v['help']} ({len(v['nodes'])} elements: "
                     f"{targets}) {v['helpUrl']}")
    return "\n".join(lines)


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_the_public_pages_have_no_serious_or_critical_axe_violations(published_year, new_context, viewport):
    axe = axe_source()
    page = new_context(viewport=VIEWPORTS[viewport]).new_page()
    found, checked = [], []
    for name, path in public_pages(published_year).items():
        response = page.goto(path)
        expected = 404 if name == "verify (not found)" else 200
        assert response is not None and response.status == expected, f"{name} {path}: {response and response.status}"
        violations = run_axe(page, axe)
        checked.append(name)
        blocking = [v for v in violations if v["impact"] in BLOCKING]
        if blocking:
            found.append(describe(name, path, blocking))
    assert len(checked) == len(public_pages(published_year))
    assert not found, f"axe-core found serious or critical violations ({viewport}):\n" + "\n".join(found)


def test_axe_core_reports_a_serious_violation_on_a_page_that_has_one(page):
    """The check itself works: axe-core, injected the same way, finds an image without alternative text
    and a form field without a label (both "critical") on a page made to have them."""
    axe = axe_source()
    page.goto(links.verify_path())
    page.evaluate("""() => {
        const img = document.createElement('img'); img.src = 'data:image/gif;base64,R0lGODlhAQABAAAAACw=';
        const input = document.createElement('input'); input.type = 'text';
        document.querySelector('main').append(img, input);
    }""")
    ids = {v["id"] for v in run_axe(page, axe) if v["impact"] in BLOCKING}
    assert {"image-alt", "label"} <= ids, ids
