"""`prongsai report --document plan|announcement`: each format, from a year file and from the database
(where the plan carries its approval memo and the announcement its executive and date)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import CommandError, call_command

from prongsai.memos import services as memos
from prongsai.memos.models import Memo
from prongsai.memos.tests import helpers
from prongsai.memos.tests.conftest import agency, approvers, default_chain, plan, planner  # noqa: F401 (fixtures)
from prongsai.reports.announcement import notice_date
from prongsai.reports.tests import pdftools
from prongsai.reports.tests.conftest import SEED
from prongsai.reports.tests.test_plan_documents import text_of

pytestmark = pytest.mark.django_db

MAGIC = {"pdf": b"%PDF", "docx": b"PK", "html": b"<!DOCTYPE html>"}


@pytest.mark.parametrize("document", ["plan", "announcement"])
@pytest.mark.parametrize("fmt", ["pdf", "docx", "html"])
def test_it_writes_each_document_in_each_format_from_a_year_file(tmp_path, capsys, document, fmt):
    target = tmp_path / f"out.{fmt}"
    call_command("report", str(SEED), document=document, format=fmt, output=str(target))
    content = target.read_bytes()
    assert content.startswith(MAGIC[fmt]) and capsys.readouterr().out.strip() == str(target)
    text = pdftools.squash(text_of(content, fmt))
    assert pdftools.squash("มาตรการตรวจสอบการใช้ดุลพินิจ") in text
    assert pdftools.squash("ประกาศเทศบาลตำบลแร่" if document == "announcement" else "ส่วนที่ ๑") in text


def test_the_default_name_says_which_document(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    call_command("report", str(SEED), document="plan", format="html")
    assert capsys.readouterr().out.strip() == "tessaban-rae-2563-plan.html"


def test_round_is_for_the_round_report_only(tmp_path):
    with pytest.raises(CommandError, match="--round is for --document round only"):
        call_command("report", str(SEED), document="plan", round=6, output=str(tmp_path / "x.pdf"))
    with pytest.raises(CommandError, match="--round must be one of"):
        call_command("report", str(SEED), document="round", output=str(tmp_path / "x.pdf"))


def test_from_the_database_the_plan_has_its_memo_and_the_announcement_its_executive(
        plan, planner, default_chain, tmp_path, capsys):
    memo = memos.draft_memo(plan=plan, kind="plan", by=planner, date=dt.date(2019, 11, 20))
    memos.send_memo(memo=memo, by=planner)
    for user, comment in zip(default_chain, helpers.COMMENTS):
        memos.sign_memo(memo=Memo.objects.get(pk=memo.pk), by=user, comment=comment)
    slug, year = plan.agency.slug, plan.fiscal_year
    call_command("report", agency=slug, year=year, document="plan", format="pdf", output=str(tmp_path / "p.pdf"))
    text = pdftools.squash(pdftools.pdftotext((tmp_path / "p.pdf").read_bytes()))
    for expected in ("บันทึกข้อความ", "ขออนุมัติมาตรการ", *helpers.COMMENTS, "นายวัชร สำนับ", "การใช้งบประมาณ"):
        assert pdftools.squash(expected) in text, expected
    call_command("report", agency=slug, year=year, document="announcement", format="docx",
                 output=str(tmp_path / "a.docx"))
    notice = text_of((tmp_path / "a.docx").read_bytes(), "docx")
    announcement = Memo.objects.get(plan=plan, kind=Memo.Kind.ANNOUNCEMENT)
    assert "(นางครสวรรค์ สุพัฒนานนท์)" in notice
    assert notice_date(announcement.date, "thai") in notice  # the day the executive signed
