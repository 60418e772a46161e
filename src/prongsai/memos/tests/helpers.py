"""Memos in a given state, made through the services (as the pages do)."""

from __future__ import annotations

import datetime as dt

from prongsai.memos import services
from prongsai.memos.models import Memo

COMMENTS = ("เห็นควรเสนอปลัด", "เห็นควรเสนอนายก", "ทราบ")


def draft(plan, planner, round: int = 6, **fields) -> Memo:
    fields.setdefault("date", dt.date(2020, 6, 26))
    return services.draft_memo(plan=plan, round=round, by=planner, **fields)


def sent(plan, planner, **fields) -> Memo:
    memo = draft(plan, planner, **fields)
    services.send_memo(memo=memo, by=planner)
    memo.refresh_from_db()
    return memo


def approved(plan, planner, approvers, **fields) -> Memo:
    memo = sent(plan, planner, **fields)
    for user, comment in zip(approvers, COMMENTS):
        services.sign_memo(memo=memo, by=user, comment=comment)
    memo.refresh_from_db()
    return memo


def draft_plan(plan, planner, **fields) -> Memo:
    """The year's plan memo (ขออนุมัติมาตรการ) as a draft."""
    fields.setdefault("date", dt.date(2019, 11, 20))
    return services.draft_memo(plan=plan, kind=Memo.Kind.PLAN, by=planner, **fields)


def approved_plan(plan, planner, approvers, **fields) -> Memo:
    """The plan memo sent and signed by every approver: the plan and the announcement are frozen."""
    memo = draft_plan(plan, planner, **fields)
    services.send_memo(memo=memo, by=planner)
    for user, comment in zip(approvers, COMMENTS):
        services.sign_memo(memo=Memo.objects.get(pk=memo.pk), by=user, comment=comment)
    memo.refresh_from_db()
    return memo


def formset_data(prefix: str, rows: list[dict], total: int | None = None) -> dict:
    data = {f"{prefix}-TOTAL_FORMS": total if total is not None else len(rows), f"{prefix}-INITIAL_FORMS": 0}
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"{prefix}-{i}-{key}"] = value
    return data


def memo_post(*, round=None, date="2020-06-26", preparers=None, approvers=(), **fields) -> dict:
    """The memo form's POST data: `approvers` as (user, position) pairs."""
    data = {"date": date, "subject": "", "addressee": "", "body": "", "preface_date": "",
            "report_preparer_name": "", "report_preparer_position": "", **fields}
    if round is not None:
        data["round"] = round
    if preparers is None:
        preparers = [{"name": "นางสาวปราณี จันทไชย", "rank": "", "position": "นักวิชาการตรวจสอบภายในชำนาญการ"}]
    data.update(formset_data("preparers", preparers))
    data.update(formset_data("approvers", [{"user": u.pk if u else "", "position": p} for u, p in approvers]))
    return data
