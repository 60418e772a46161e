"""The whole approval chain through the web pages, with three approvers: send, sign, sign, return with
a reason, revise, resend, sign three times: approved, and the report frozen with its files and hashes."""

import hashlib
import re

from django.core.files.storage import default_storage
from django.urls import reverse

from prongsai.audit.models import AuditEntry
from prongsai.audit.services import verify
from prongsai.memos.models import Memo, Signer
from prongsai.memos.tests.conftest import client_for
from prongsai.reports.models import ReportVersion
from prongsai.reports.tests.pdftools import pdftotext

SLUG, YEAR, ROUND = "tessaban-rae", 2563, 6
COMMENTS = ["เห็นควรเสนอปลัดเพื่อโปรดพิจารณา", "เห็นควรเสนอนายกเพื่อโปรดทราบ", "ทราบ ให้เผยแพร่บนเว็บไซต์"]


def _url(name: str) -> str:
    return reverse(f"memos:{name}", args=[SLUG, YEAR, ROUND])


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _draft(planner) -> Memo:
    client = client_for(planner)
    page = client.get(reverse("memos:memo_new", args=[SLUG, YEAR]))
    assert page.status_code == 200
    form = page.context["form"]
    preparers, approvers = page.context["preparers"], page.context["approvers"]
    data = {
        "round": ROUND, "date": "2020-06-26", "subject": "", "addressee": "", "body": "",
        "preface_date": "2020-06-24", "report_preparer_name": form.initial["report_preparer_name"],
        "report_preparer_position": form.initial["report_preparer_position"],
    }
    for prefix, formset in (("preparers", preparers), ("approvers", approvers)):
        data[f"{prefix}-TOTAL_FORMS"] = formset.total_form_count()
        data[f"{prefix}-INITIAL_FORMS"] = formset.initial_form_count()
        for i, f in enumerate(formset.forms):
            for name in f.fields:
                value = f.initial.get(name, "")
                data[f"{prefix}-{i}-{name}"] = "" if value is None else value
    response = client.post(reverse("memos:memo_new", args=[SLUG, YEAR]), data)
    assert response.status_code == 302, response.context and response.context["form"].errors
    return Memo.objects.get(plan__agency__slug=SLUG, plan__fiscal_year=YEAR, round=ROUND)


def _sign(user, comment):
    return client_for(user).post(_url("memo_sign"), {"comment": comment})


def test_it_runs_the_whole_chain_with_a_return_and_freezes_the_report(plan, planner, default_chain):
    first, second, third = default_chain
    memo = _draft(planner)
    assert memo.status == Memo.Status.DRAFT and memo.number == 1
    assert [(s.name, s.position, s.user) for s in memo.approvers()] == [
        ("นายวัชร สำนับ", "รองปลัดเทศบาลตำบลแร่", first),
        ("ทวี จันทเสนา", "ปลัดเทศบาลตำบลแร่", second),
        ("นางครสวรรค์ สุพัฒนานนท์", "นายกเทศมนตรีตำบลแร่", third),
    ]
    assert [s.name for s in memo.preparers()] == ["นางสาวปราณี จันทไชย"]

    planner_client = client_for(planner)
    assert planner_client.post(_url("memo_send")).status_code == 302
    memo.refresh_from_db()
    assert memo.status == Memo.Status.IN_REVIEW
    inbox = client_for(first).get(reverse("memos:inbox"))
    assert [s.memo for s in inbox.context["steps"].rows] == [memo]
    assert list(client_for(second).get(reverse("memos:inbox")).context["steps"].rows) == []

    assert _sign(first, "เห็นชอบรอบแรก").status_code == 302
    assert _sign(second, "เห็นชอบรอบแรกเช่นกัน").status_code == 302
    response = client_for(third).post(_url("memo_return"), {"reason": "กรุณาแก้วันที่ในคำนำให้ตรงกับวันที่เสนอ"})
    assert response.status_code == 302
    memo.refresh_from_db()
    assert memo.status == Memo.Status.RETURNED
    returned = memo.approvers()[2]
    assert (returned.status, returned.return_reason) == (Signer.Status.RETURNED,
                                                        "กรุณาแก้วันที่ในคำนำให้ตรงกับวันที่เสนอ")
    assert list(client_for(planner).get(reverse("memos:inbox")).context["returned"].rows) == [memo]

    response = planner_client.post(_url("memo_revise"))
    assert response.status_code == 302 and response["Location"] == _url("memo_edit")
    memo.refresh_from_db()
    assert memo.status == Memo.Status.DRAFT
    assert planner_client.post(_url("memo_send")).status_code == 302
    memo.refresh_from_db()
    assert memo.status == Memo.Status.IN_REVIEW
    # The chain starts again: the earlier signatures are gone.
    assert [(s.status, s.comment, s.signed_on) for s in memo.approvers()] == [(Signer.Status.PENDING, "", None)] * 3

    for user, comment in zip(default_chain, COMMENTS):
        assert _sign(user, comment).status_code == 302
    memo.refresh_from_db()
    assert memo.status == Memo.Status.APPROVED
    assert [(s.status, s.comment) for s in memo.approvers()] == [(Signer.Status.SIGNED, c) for c in COMMENTS]
    assert all(s.signed_on is not None and s.signed_at is not None for s in memo.approvers())

    version = ReportVersion.objects.get(memo=memo)
    assert version.number == 1 and version.created_by == third
    for fmt, file, sha in version.files():
        with default_storage.open(file.name, "rb") as fh:
            content = fh.read()
        assert content and hashlib.sha256(content).hexdigest() == sha
        assert file.name.startswith("reports/tessaban-rae/2563/round6-v1")
    with default_storage.open(version.pdf.name, "rb") as fh:
        text = _squeeze(pdftotext(fh.read()))
    positions = [text.find(_squeeze(c)) for c in COMMENTS]
    assert -1 not in positions and positions == sorted(positions), positions
    assert _squeeze("นางครสวรรค์ สุพัฒนานนท์") in text

    actions = list(AuditEntry.objects.filter(object_type="memos.memo", object_id=str(memo.pk))
                   .values_list("action", flat=True))
    assert actions == [
        "memos.memo.drafted", "memos.memo.sent", "memos.memo.signed", "memos.memo.signed", "memos.memo.returned",
        "memos.memo.revised", "memos.memo.sent", "memos.memo.signed", "memos.memo.signed", "memos.memo.signed",
        "memos.memo.approved", "reports.version.frozen",
    ]
    assert verify() == []

    page = client_for(planner).get(_url("memo_detail"))
    assert page.status_code == 200
    html = page.content.decode()
    assert version.pdf_sha256 in html and version.docx_sha256 in html and version.html_sha256 in html
    assert "แก้ไขร่าง" not in html  # an approved memo is read-only
