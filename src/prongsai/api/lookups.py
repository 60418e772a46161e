"""The API's object lookups: the same scoping as the browser's views, through the same helpers.

Outsiders get 404 (existence is not revealed); members lacking the permission 403.
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from prongsai.agencies import policy
from prongsai.agencies.access import get_agency_for_user
from prongsai.agencies.models import Agency
from prongsai.measures.models import Evidence, Measure, YearPlan
from prongsai.memos.access import get_memo_for_user, get_plan_for_user
from prongsai.memos.models import Memo

VIEW = policy.VIEW


def caller(request):
    """The authenticated user (token or session), as set by the API's auth."""
    return request.auth


def agency(request, slug: str, perm: str = VIEW) -> Agency:
    return get_agency_for_user(caller(request), slug, perm)


def plan(request, slug: str, year: int, perm: str = VIEW) -> YearPlan:
    return get_plan_for_user(caller(request), slug, year, perm)


def measure(request, slug: str, year: int, pk: int, perm: str = VIEW) -> Measure:
    found = get_object_or_404(Measure.objects.select_related("plan__agency"), plan=plan(request, slug, year, perm),
                              pk=pk)
    return found


def evidence(request, slug: str, year: int, pk: int, perm: str = VIEW) -> Evidence:
    return get_object_or_404(Evidence.objects.select_related("result__measure__plan__agency"), pk=pk,
                             result__measure__plan=plan(request, slug, year, perm))


def memo(request, slug: str, year: int, round: int, perm: str = VIEW) -> Memo:
    return get_memo_for_user(caller(request), slug, year, round, perm)
