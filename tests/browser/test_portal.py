"""The public portal in a browser, as issue 4 tells it: a citizen opens the agency's OIT page, follows
the item that Prongsai filled with the round report (O43, การดำเนินการตามมาตรการส่งเสริมคุณธรรมและ
ความโปร่งใสภายในหน่วยงาน) to the published report, and downloads its PDF.

Only the starting point is made through the services, as staff would make it: the example year file
of เทศบาลตำบลแร่ FY 2563 and the demo users (`prongsai demo`), its round-6 memo sent along the agency's
default chain and signed by the three approvers (which freezes the report), the report published
(`portal.services.publish_report`) and the OIT items Prongsai produces filled in
(`oit.services.autofill`). After that, only clicks in chromium, with no login.

`published_year` is also used by test_accessibility.py.
"""

from __future__ import annotations

import hashlib
import io
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from prongsai.agencies.models import Agency
from prongsai.memos import services as memos
from prongsai.memos.models import Memo
from prongsai.oit import services as oit
from prongsai.portal import links
from prongsai.portal import services as portal

pytestmark = pytest.mark.browser

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "tessaban-rae-2563.yaml"
SLUG, YEAR, ROUND = "tessaban-rae", 2563, 6
AGENCY_NAME = "เทศบาลตำบลแร่"
# The OIT item of FY 2563 that auto-fill answers with the round reports' portal URLs.
REPORTS_ITEM = "O43"
COMMENTS = ("ตรวจสอบแล้วเห็นควรเสนอ", "เห็นควรอนุมัติ", "อนุมัติให้เผยแพร่")


@dataclass
class Published:
    agency: Agency
    memo: Memo
    version: object  # portal.models.PublishedVersion
    autofilled: list[str]


@pytest.fixture
def published_year(live_server, settings, tmp_path) -> Published:
    """เทศบาลตำบลแร่ FY 2563 with its round-6 report approved, frozen and published, and the OIT items
    Prongsai produces filled with URLs on the live server."""
    settings.PRONGSAI_PUBLIC_DIR = tmp_path / "public"
    settings.PRONGSAI_PUBLIC_URL = live_server.url
    call_command("demo", str(EXAMPLE), stdout=io.StringIO(), stderr=io.StringIO())
    agency = Agency.objects.get(slug=SLUG)
    users = get_user_model().objects
    planner, admin = users.get(username="demo"), users.get(username="admin")

    # The imported memo is a draft whose approvers are names only: the planner gives it the agency's
    # default chain (approver1..3, linked to those people), keeping everything else, and sends it.
    memo = Memo.objects.get(plan__agency=agency, plan__fiscal_year=YEAR, round=ROUND)
    preparers = [memos.SignerSpec(name=s.name, position=s.position, rank=s.rank) for s in memo.preparers()]
    memo = memos.update_memo(
        memo=memo, by=planner, date=memo.date, subject=memo.subject, addressee=memo.addressee, body=memo.body,
        preparers=preparers, approvers=memos.default_chain(agency), preface_date=memo.preface_date,
        report_preparer_name=memo.report_preparer_name, report_preparer_position=memo.report_preparer_position,
    )
    memos.send_memo(memo=memo, by=planner)
    frozen = None
    for n, comment in enumerate(COMMENTS, start=1):
        frozen = memos.sign_memo(memo=Memo.objects.get(pk=memo.pk), by=users.get(username=f"approver{n}"),
                                 comment=comment)
    memo.refresh_from_db()
    assert memo.status == Memo.Status.APPROVED and frozen is not None

    version = portal.publish_report(memo=memo, by=admin)
    autofilled = oit.autofill(actor=admin, agency=agency, fiscal_year=YEAR, base_url=live_server.url)
    assert REPORTS_ITEM in autofilled, autofilled
    return Published(agency=agency, memo=memo, version=version, autofilled=autofilled)


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_a_citizen_follows_the_oit_item_to_the_published_report_and_downloads_its_pdf(
        published_year, page, live_server, tmp_path):
    report_path = links.round_report_path(SLUG, YEAR, ROUND)

    # The OIT page: the items grouped by sub-indicator, as a table ข้อ | ข้อมูล | รายละเอียด | ลิงก์.
    page.goto(links.oit_path(SLUG, YEAR))
    assert page.get_by_role("heading", level=1).inner_text() == "การเปิดเผยข้อมูลสาธารณะ (OIT) ประจำปีงบประมาณ ๒๕๖๓"
    headers = page.locator("table.oit").first.locator("thead th").all_inner_texts()
    assert headers == ["ข้อ", "ข้อมูล", "รายละเอียด", "ลิงก์"]
    row = page.locator(f"tr#{REPORTS_ITEM.lower()}")
    assert "การดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน" in row.inner_text()
    # An item nobody answered says so instead of offering a link.
    assert page.locator("tbody tr").filter(has_text="ยังไม่ได้ระบุ").count() > 0

    # The item's own page (its stable URL), then its link to the report.
    row.get_by_role("link", name=REPORTS_ITEM, exact=True).click()
    page.wait_for_url(re.compile(rf"/a/{SLUG}/oit/{YEAR}/{REPORTS_ITEM.lower()}/$"))
    assert page.get_by_role("heading", level=1).inner_text().startswith(REPORTS_ITEM)
    facts = page.locator("dl.facts").inner_text()
    assert "มี" in facts
    page.get_by_role("link", name=live_server.url + report_path).click()
    page.wait_for_url(live_server.url + report_path)

    # The published report: its title, version, downloads with their SHA-256.
    title = page.get_by_role("heading", level=1).inner_text()
    assert title.startswith("รายงานผลการดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน")
    assert "๒๕๖๓" in title and "รอบ ๖ เดือน" in title
    pdf_item = page.locator("ul.files li").filter(has_text="ดาวน์โหลด PDF")
    shown_hash = pdf_item.locator("code").inner_text().strip()
    with page.expect_download() as info:
        pdf_item.get_by_role("link", name="ดาวน์โหลด PDF").click()
    download = info.value
    pdf = download.path().read_bytes()
    assert pdf[:5] == b"%PDF-", pdf[:40]
    assert download.suggested_filename.endswith(".pdf")
    # The copy is the published one: the hash the page shows, the frozen version's hash.
    assert hashlib.sha256(pdf).hexdigest() == shown_hash
    assert shown_hash == published_year.memo.versions.get().sha256("pdf")
    saved = tmp_path / "report.pdf"
    saved.write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(saved), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert AGENCY_NAME in _squeeze(text)
    # The approvers' comments made it into the approved report's memo.
    assert all(_squeeze(comment) in _squeeze(text) for comment in COMMENTS)

    # Its verify link says the copy is the published one.
    pdf_item.get_by_role("link", name="ตรวจสอบ").click()
    page.wait_for_url(re.compile(rf"/verify/{shown_hash}/$"))
    assert page.get_by_role("status").inner_text().startswith("ถูกต้อง")
    assert AGENCY_NAME in page.locator("main").inner_text()
