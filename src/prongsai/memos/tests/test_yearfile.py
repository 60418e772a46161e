"""The year file and the approval chain: an imported memo is approved when every approver has a date,
else a draft; export keeps comments and dates; import never removes or changes a memo approved in Prongsai; the
register skips the numbers imported memos carry."""

import copy
import datetime as dt
from pathlib import Path

import pytest

from prongsai.agencies.models import Agency, Membership
from prongsai.memos import services
from prongsai.memos.models import Memo
from prongsai.memos.tests import helpers
from prongsai.reports.models import ReportVersion
from prongsai.web.tests import factories
from prongsai.yearfile.loader import load_valid_year_file
from prongsai.yearfile.services import export_year, import_year

EXAMPLES = Path(__file__).resolve().parents[4] / "examples"


@pytest.fixture
def nong_bua(db):
    return load_valid_year_file(EXAMPLES / "sao-nong-bua-2566.yaml")


def _memo(slug="sao-nong-bua-ngoen", year=2566, round=12) -> Memo:
    return Memo.objects.get(plan__agency__slug=slug, plan__fiscal_year=year, round=round)


def test_a_memo_with_an_undated_approver_imports_as_a_draft(nong_bua):
    import_year(data=nong_bua)
    memo = _memo(nong_bua["agency"]["slug"])
    assert memo.status == Memo.Status.DRAFT
    assert [(s.status, s.user) for s in memo.approvers()] == [("signed", None), ("signed", None), ("pending", None)]
    assert {s.status for s in memo.preparers()} == {"pending"}


def test_a_memo_whose_approvers_all_have_dates_imports_as_approved(nong_bua):
    data = copy.deepcopy(nong_bua)
    data["reports"][0]["memo"]["approvers"][2]["date"] = dt.date(2023, 10, 19)
    import_year(data=data)
    memo = _memo(data["agency"]["slug"])
    assert memo.status == Memo.Status.APPROVED
    assert [s.status for s in memo.approvers()] == ["signed"] * 3
    assert not ReportVersion.objects.exists()  # versions are made by signing in Prongsai only
    # And back: one undated approver again makes it a draft.
    import_year(data=nong_bua)
    assert _memo(data["agency"]["slug"]).status == Memo.Status.DRAFT


def test_a_memo_without_approvers_imports_as_a_draft(nong_bua):
    data = copy.deepcopy(nong_bua)
    data["reports"][0]["memo"]["approvers"] = []
    import_year(data=data)
    assert _memo(data["agency"]["slug"]).status == Memo.Status.DRAFT


def test_an_approved_memo_goes_through_export_and_import_unchanged(plan, planner, default_chain):
    memo = helpers.approved(plan, planner, default_chain)
    data = export_year(agency=plan.agency, fiscal_year=plan.fiscal_year)
    approvers = data["reports"][0]["memo"]["approvers"]
    assert [(a["comment"], a["date"]) for a in approvers] == [(c, s.signed_on) for c, s in
                                                              zip(helpers.COMMENTS, memo.approvers())]
    summary = import_year(data=data)
    touched = set(summary.updated) | set(summary.created) | set(summary.deleted)
    assert not touched & {"memo", "signer"}, str(summary)
    memo.refresh_from_db()
    assert memo.status == Memo.Status.APPROVED
    assert [s.user for s in memo.approvers()] == default_chain


def test_a_renamed_signer_loses_its_user(plan, planner, default_chain):
    memo = helpers.draft(plan, planner)
    data = export_year(agency=plan.agency, fiscal_year=plan.fiscal_year)
    data["reports"][0]["memo"]["approvers"][0]["name"] = "นายคนใหม่ ใจดี"
    import_year(data=data)
    assert [s.user for s in Memo.objects.get(pk=memo.pk).approvers()] == [None, *default_chain[1:]]


def test_import_never_removes_a_memo_with_frozen_versions(plan, planner, default_chain):
    memo = helpers.approved(plan, planner, default_chain)
    data = export_year(agency=plan.agency, fiscal_year=plan.fiscal_year)
    data["reports"] = []
    summary = import_year(data=data, replace=True)  # not even --replace: an approved memo is final
    assert summary.skipped == [
        "reports: round 6: the memo is อนุมัติแล้ว (approved) with 3 signatures made in Prongsai, 1 frozen report "
        "version: it is final and kept as it is; the file has no report for this round"]
    assert Memo.objects.filter(pk=memo.pk).exists() and ReportVersion.objects.filter(memo=memo).count() == 1


def test_the_register_continues_after_an_imported_number(nong_bua):
    import_year(data=nong_bua)  # memo 412 dated 16 Oct 2023 (BE 2566)
    agency = Agency.objects.get(slug=nong_bua["agency"]["slug"])
    planner = factories.make_user("nongbua-planner", agency, Membership.Role.PLANNER)
    plan = agency.years.get(fiscal_year=2566)
    memo = services.draft_memo(plan=plan, round=6, by=planner, date=dt.date(2023, 11, 1), approvers=[])
    assert memo.number == 413

