"""Who oversees what: a user's scopes, loaded once per request (cached on the user object), and the
scope-checked lookups of the oversight views (outside the scope: 404).

agencies.policy asks `covers(user, agency)` (no query once the scopes are loaded) to give oversight
users read access (policy.VIEW) to the agencies of their scopes; agencies.access asks `agency_q(user)`.
"""

from __future__ import annotations

from functools import reduce
from operator import or_

from django.db.models import Q
from django.http import Http404

from prongsai.agencies.models import Agency
from prongsai.oversight.models import OversightScope

_CACHE = "_prongsai_oversight_scopes"


def scopes_for(user) -> list[OversightScope]:
    """The scopes the user oversees (one query per request)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cached = getattr(user, _CACHE, None)
    if cached is None:
        cached = list(OversightScope.objects.filter(members__user=user).distinct())
        setattr(user, _CACHE, cached)
    return cached


def forget(user) -> None:
    if hasattr(user, _CACHE):
        delattr(user, _CACHE)


def covers(user, agency: Agency) -> bool:
    return any(scope.covers(agency) for scope in scopes_for(user))


def agency_q(user) -> Q | None:
    """A filter on Agency for every agency the user oversees; None when the user oversees nothing."""
    scopes = scopes_for(user)
    if not scopes:
        return None
    return reduce(or_, (scope.agency_q() for scope in scopes))


def visible_scopes(user):
    """The scopes the user may open: their own; every scope for a superuser."""
    if getattr(user, "is_superuser", False) and user.is_active:
        return OversightScope.objects.all()
    return OversightScope.objects.filter(members__user=user).distinct()


def get_scope(user, scope_id: int) -> OversightScope:
    if getattr(user, "is_superuser", False) and user.is_active:
        scope = OversightScope.objects.filter(pk=scope_id).first()
    else:
        scope = next((s for s in scopes_for(user) if s.pk == scope_id), None)
    if scope is None:
        raise Http404("no such oversight scope")
    return scope


def get_agency_in_scope(scope: OversightScope, slug: str) -> Agency:
    agency = Agency.objects.filter(scope.agency_q(), slug=slug).first()
    if agency is None:
        raise Http404("agency not in scope")
    return agency
