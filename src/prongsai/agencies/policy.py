"""The permission policy: which role may do what, decided in one place.

Roles are data (Membership rows); their permissions are listed here. Views, the API and commands ask
`can(user, agency, perm)` / `require(...)`, or use the lookup helpers in `access`, which add the
agency scoping (outsiders: 404) on top (members without the permission: 403).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from prongsai.agencies.models import Agency, Membership

Role = Membership.Role

VIEW = "agency.view"
MANAGE_MEMBERS = "agency.manage_members"
EDIT_AGENCY = "agency.edit"
EDIT_YEAR = "year.edit"  # scores, measures, round results, evidence
DRAFT_MEMO = "memo.draft"
SIGN_MEMO = "memo.sign"
PUBLISH = "portal.publish"
HANDLE_COMPLAINTS = "complaints.handle"
VIEW_AUDIT = "audit.view"

PERMISSIONS: dict[str, frozenset[str]] = {
    Role.ADMIN: frozenset({VIEW, MANAGE_MEMBERS, EDIT_AGENCY, EDIT_YEAR, DRAFT_MEMO, PUBLISH, VIEW_AUDIT}),
    Role.PLANNER: frozenset({VIEW, EDIT_YEAR, DRAFT_MEMO, VIEW_AUDIT}),
    Role.APPROVER: frozenset({VIEW, SIGN_MEMO, VIEW_AUDIT}),
    Role.COMPLAINT_OFFICER: frozenset({VIEW, HANDLE_COMPLAINTS}),
    Role.VIEWER: frozenset({VIEW}),
}


def roles(user, agency: Agency) -> set[str]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return set()
    cache = getattr(user, "_prongsai_roles", None)
    if cache is None:
        cache = {}
        user._prongsai_roles = cache
    if agency.pk not in cache:
        cache[agency.pk] = set(Membership.objects.filter(user=user, agency=agency).values_list("role", flat=True))
    return cache[agency.pk]


def permissions(user, agency: Agency) -> frozenset[str]:
    granted: set[str] = set()
    for role in roles(user, agency):
        granted |= PERMISSIONS.get(role, frozenset())
    if getattr(user, "is_superuser", False) and user.is_active:
        # Superusers run the install; complaint content stays with complaint officers only.
        granted |= set().union(*PERMISSIONS.values()) - {HANDLE_COMPLAINTS}
    return frozenset(granted)


def can(user, agency: Agency, perm: str) -> bool:
    return perm in permissions(user, agency)


def require(user, agency: Agency, perm: str) -> None:
    if not can(user, agency, perm):
        raise PermissionDenied(perm)


def forget(user) -> None:
    """Drop the per-request role cache (after a role change)."""
    if hasattr(user, "_prongsai_roles"):
        del user._prongsai_roles
