"""Agency-scoped lookups for the memo pages: outsiders get 404, members lacking the permission 403."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from prongsai.agencies import policy
from prongsai.agencies.access import get_agency_for_user
from prongsai.agencies.models import Agency
from prongsai.measures.models import YearPlan
from prongsai.memos.models import Memo

# Who may read the outgoing register: those who draft or sign memos, and agency admins.
REGISTER_READERS = (policy.DRAFT_MEMO, policy.SIGN_MEMO, policy.EDIT_AGENCY)


def get_plan_for_user(user, slug: str, year: int, perm: str = policy.VIEW) -> YearPlan:
    agency = get_agency_for_user(user, slug, perm)
    return get_object_or_404(YearPlan.objects.select_related("agency"), agency=agency, fiscal_year=year)


def get_memo_for_user(user, slug: str, year: int, round: int | None = None, perm: str = policy.VIEW,
                      kind: str = Memo.Kind.ROUND) -> Memo:
    """A round memo by its round, or the year's plan memo or announcement (kind, no round)."""
    plan = get_plan_for_user(user, slug, year, perm)
    lookup = {"round": round} if kind == Memo.Kind.ROUND else {}
    memo = get_object_or_404(Memo.objects.select_related("plan__agency"), plan=plan, kind=kind, **lookup)
    memo.plan = plan
    return memo


def get_register_agency_for_user(user, slug: str) -> Agency:
    agency = get_agency_for_user(user, slug)
    if not any(policy.can(user, agency, perm) for perm in REGISTER_READERS):
        raise PermissionDenied("register")
    return agency
