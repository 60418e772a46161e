"""The plan's approval memo (kind "plan"): the same register, chain, freezing and hashes as a round
memo; its last signature issues the executive's announcement, frozen too; and the pages for it."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.urls import reverse

from prongsai.audit.models import AuditEntry
from prongsai.memos import services
from prongsai.memos.models import Memo, RegisterEntry, Signer
from prongsai.memos.services import MemoError
from prongsai.memos.tests import helpers
from prongsai.memos.tests.conftest import client_for
from prongsai.reports import versions
from prongsai.reports.models import FORMATS, ReportVersion
from prongsai.reports.render_html import render_html
from prongsai.reports.tests.test_plan_documents import text_of
from prongsai.yearfile.services import export_year

pytestmark = pytest.mark.django_db


draft_plan, approved_plan = helpers.draft_plan, helpers.approved_plan


def test_a_plan_memo_takes_the_next_register_number_and_has_no_round(plan, planner, default_chain):
    round_memo = helpers.draft(plan, planner, round=6, date=dt.date(2019, 11, 1))
    memo = draft_plan(plan, planner)
    assert (memo.kind, memo.round, memo.number) == ("plan", None, round_memo.number + 1)
    entry = RegisterEntry.objects.get(memo=memo)
    assert entry.subject == "ขออนุมัติมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน ประจำปีงบประมาณ ๒๕๖๓"
    assert [s.name for s in memo.approvers()] == ["นายวัชร สำนับ", "ทวี จันทเสนา", "นางครสวรรค์ สุพัฒนานนท์"]
    with pytest.raises(MemoError, match="ขออนุมัติมาตรการแล้ว"):
        draft_plan(plan, planner)
    with pytest.raises(MemoError, match="ไม่มีรอบ"):
        services.draft_memo(plan=plan, kind="plan", round=6, by=planner)


def test_the_database_allows_one_plan_memo_per_year_and_no_round_on_it(plan):
    Memo.objects.create(plan=plan, kind=Memo.Kind.PLAN)
    with pytest.raises(IntegrityError), transaction.atomic():
        Memo.objects.create(plan=plan, kind=Memo.Kind.PLAN)
    with pytest.raises(IntegrityError), transaction.atomic():
        Memo.objects.create(plan=plan, kind=Memo.Kind.ANNOUNCEMENT, round=6)
    with pytest.raises(IntegrityError), transaction.atomic():
        Memo.objects.create(plan=plan, kind=Memo.Kind.ROUND, round=None)
    Memo.objects.create(plan=plan, kind=Memo.Kind.ROUND, round=6)  # round memos are unaffected


def test_the_chain_signs_the_plan_memo_and_its_approval_issues_the_announcement(plan, planner, default_chain):
    memo = approved_plan(plan, planner, default_chain)
    assert memo.status == Memo.Status.APPROVED
    version = ReportVersion.objects.get(memo=memo)
    for fmt in FORMATS:  # stored, hashed, and re-checked on read
        content = versions.check_file(version, fmt)
        assert hashlib.sha256(content).hexdigest() == version.sha256(fmt)
        assert f"/plan-v1." in version.file(fmt).name
    html = text_of(versions.check_file(version, "html"), "html")
    for comment in helpers.COMMENTS:
        assert comment in html  # the approvers' comments are in the frozen memo
    assert "การใช้งบประมาณ" in html and "ส่วนที่ ๒" in html

    announcement = Memo.objects.get(plan=plan, kind=Memo.Kind.ANNOUNCEMENT)
    signer = announcement.approvers()[0]
    last = memo.approvers()[-1]
    assert announcement.status == Memo.Status.APPROVED and announcement.round is None
    assert (signer.name, signer.position, signer.user, signer.status) == (
        last.name, last.position, default_chain[-1], Signer.Status.SIGNED)
    assert announcement.date == last.signed_on
    frozen = ReportVersion.objects.get(memo=announcement)
    text = text_of(versions.check_file(frozen, "html"), "html")
    assert "ประกาศเทศบาลตำบลแร่" in text and f"({last.name})" in text and "ประกาศ ณ วันที่" in text
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"memos.memo.drafted", "memos.memo.sent", "memos.memo.signed", "memos.memo.approved",
            "memos.announcement.issued", "reports.version.frozen"} <= actions


def test_a_version_rebuilds_from_its_frozen_data_not_the_live_rows(plan, planner, default_chain):
    memo = approved_plan(plan, planner, default_chain)
    version = ReportVersion.objects.get(memo=memo)
    measure = plan.measures.get(order=1)
    measure.title = "ชื่อมาตรการที่แก้ภายหลัง"
    measure.save()
    rebuilt = text_of(render_html(versions.document_for(version)), "html")
    assert "ชื่อมาตรการที่แก้ภายหลัง" not in rebuilt and "การใช้งบประมาณ" in rebuilt
    assert "นายวัชร สำนับ" in rebuilt


def test_a_failed_freeze_signs_nothing_and_leaves_no_files(plan, planner, default_chain):
    memo = draft_plan(plan, planner)
    services.send_memo(memo=memo, by=planner)
    for user, comment in zip(default_chain[:2], helpers.COMMENTS):
        services.sign_memo(memo=Memo.objects.get(pk=memo.pk), by=user, comment=comment)
    agency = plan.agency
    agency.wording = {"announcement_title": "มาตรการ {unknown}"}  # the announcement cannot be made
    agency.save()
    with pytest.raises(MemoError, match="unknown"):
        services.sign_memo(memo=Memo.objects.get(pk=memo.pk), by=default_chain[2], comment="อนุมัติ")
    memo.refresh_from_db()
    assert memo.status == Memo.Status.IN_REVIEW
    assert not Memo.objects.filter(kind=Memo.Kind.ANNOUNCEMENT).exists()
    assert not ReportVersion.objects.exists()
    assert not default_storage.exists("reports") or not any(default_storage.listdir("reports")[1])


def test_the_year_export_and_import_leave_the_plan_memo_alone(plan, planner, default_chain):
    from prongsai.yearfile.services import import_year

    memo = approved_plan(plan, planner, default_chain)
    data = export_year(agency=plan.agency, fiscal_year=plan.fiscal_year)
    assert [r["round"] for r in data["reports"]] == []  # only round memos are year-file reports
    import_year(data=data)
    assert Memo.objects.filter(pk=memo.pk, status=Memo.Status.APPROVED).exists()
    assert Memo.objects.filter(plan=plan, kind=Memo.Kind.ANNOUNCEMENT).count() == 1


# --- pages ---------------------------------------------------------------------------------------

def test_from_the_year_page_the_planner_drafts_the_plan_memo_and_the_chain_signs_it(plan, planner, default_chain):
    agency = plan.agency
    client = client_for(planner)
    page = client.get(reverse("web:year_detail", args=[agency.slug, plan.fiscal_year])).content.decode()
    new_url = reverse("memos:plan_memo_new", args=[agency.slug, plan.fiscal_year])
    assert new_url in page and "จัดทำบันทึกข้อความขออนุมัติมาตรการ" in page
    form = client.get(new_url)
    assert form.status_code == 200 and 'name="round"' not in form.content.decode()
    chain = [(u, "นายกเทศมนตรีตำบลแร่" if u == default_chain[-1] else "") for u in default_chain]
    data = helpers.memo_post(approvers=chain)
    # as the browser posts it: the rows the page filled in are the formsets' initial forms
    data.update({"preparers-INITIAL_FORMS": 1, "approvers-INITIAL_FORMS": len(chain)})
    response = client.post(new_url, data)
    memo = Memo.objects.get(plan=plan, kind=Memo.Kind.PLAN)
    detail = reverse("memos:plan_memo_detail", args=[agency.slug, plan.fiscal_year])
    assert response.status_code == 302 and response["Location"] == detail
    assert client.get(new_url)["Location"] == detail  # one per year: the page leads to the existing one
    assert client.post(reverse("memos:plan_memo_send", args=[agency.slug, plan.fiscal_year])).status_code == 302
    for user, comment in zip(default_chain, helpers.COMMENTS):
        approver = client_for(user)
        inbox = approver.get(reverse("memos:inbox")).content.decode()
        assert detail in inbox and "ขออนุมัติมาตรการ" in inbox
        approver.post(reverse("memos:plan_memo_sign", args=[agency.slug, plan.fiscal_year]), {"comment": comment})
    memo.refresh_from_db()
    assert memo.status == Memo.Status.APPROVED
    shown = client.get(detail).content.decode()
    version = ReportVersion.objects.get(memo=memo)
    announcement = ReportVersion.objects.get(memo__kind=Memo.Kind.ANNOUNCEMENT)
    assert version.pdf_sha256 in shown and announcement.pdf_sha256 in shown
    plan_pdf = reverse("memos:plan_version_file", args=[agency.slug, plan.fiscal_year, 1, "pdf"])
    notice_pdf = reverse("memos:announcement_version_file", args=[agency.slug, plan.fiscal_year, 1, "pdf"])
    assert plan_pdf in shown and notice_pdf in shown
    downloaded = client.get(plan_pdf)
    assert downloaded["X-Content-SHA256"] == version.pdf_sha256
    assert client.get(notice_pdf)["X-Content-SHA256"] == announcement.pdf_sha256
    year_page = client.get(reverse("web:year_detail", args=[agency.slug, plan.fiscal_year])).content.decode()
    assert "ออกประกาศมาตรการแล้ว" in year_page and detail in year_page


def test_before_approval_the_plan_page_previews_the_announcement_and_offers_live_files(
        plan, planner, default_chain):
    agency = plan.agency
    draft_plan(plan, planner)
    client = client_for(planner)
    page = text_of(client.get(reverse("memos:plan_memo_detail", args=[agency.slug, plan.fiscal_year])).content,
                   "html")
    assert "ประกาศเทศบาลตำบลแร่" in page and "(นางครสวรรค์ สุพัฒนานนท์)" in page
    for document in ("plan", "announcement"):
        response = client.get(reverse("memos:plan_live_document", args=[agency.slug, plan.fiscal_year, document,
                                                                         "docx"]))
        assert response.status_code == 200 and response.content[:2] == b"PK"
    assert client.get(reverse("memos:plan_live_document",
                              args=[agency.slug, plan.fiscal_year, "other", "pdf"])).status_code == 404


def test_outsiders_get_404_and_viewers_may_not_draft(plan, planner, viewer, outsider, default_chain):
    agency = plan.agency
    draft_plan(plan, planner)
    detail = reverse("memos:plan_memo_detail", args=[agency.slug, plan.fiscal_year])
    assert client_for(outsider).get(detail).status_code == 404
    assert client_for(outsider).get(reverse("memos:plan_live_document",
                                            args=[agency.slug, plan.fiscal_year, "plan", "pdf"])).status_code == 404
    assert client_for(viewer).get(detail).status_code == 200
    assert client_for(viewer).post(reverse("memos:plan_memo_send",
                                           args=[agency.slug, plan.fiscal_year])).status_code == 403
