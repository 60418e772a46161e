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


def load_roles(user, agencies) -> None:
    """The user's roles in these agencies, in one query, into the per-request cache `roles` reads: a page
    that lists many agencies asks the database once, not once per agency."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return
    cache = getattr(user, "_prongsai_roles", None)
    if cache is None:
        cache = {}
        user._prongsai_roles = cache
    wanted = {agency.pk: set() for agency in agencies if agency.pk not in cache}
    if not wanted:
        return
    for agency_id, role in Membership.objects.filter(user=user, agency_id__in=wanted).values_list("agency_id", "role"):
        wanted[agency_id].add(role)
    cache.update(wanted)


def agencies_where(user, perm: str):
    """The agencies where the user holds `perm` through a role (or as a superuser), as one queryset: for
    lists across agencies, instead of asking `can` agency by agency. Oversight scopes grant VIEW only;
    VIEW lists go through agencies.access.agencies_for."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Agency.objects.none()
    if getattr(user, "is_superuser", False) and perm != HANDLE_COMPLAINTS:
        return Agency.objects.all()
    granting = [role for role, perms in PERMISSIONS.items() if perm in perms]
    return Agency.objects.filter(pk__in=Membership.objects.filter(user=user, role__in=granting).values("agency_id"))


def permissions(user, agency: Agency) -> frozenset[str]:
    granted: set[str] = set()
    for role in roles(user, agency):
        granted |= PERMISSIONS.get(role, frozenset())
    if getattr(user, "is_superuser", False) and user.is_active:
        # Superusers run the install; complaint content stays with complaint officers only.
        granted |= set().union(*PERMISSIONS.values()) - {HANDLE_COMPLAINTS}
    if VIEW not in granted and _oversees(user, agency):
        granted.add(VIEW)  # oversight users read the agencies of their scopes (never complaint content)
    return frozenset(granted)


def _oversees(user, agency: Agency) -> bool:
    """True when one of the user's oversight scopes covers the agency: the scopes are loaded once per
    request (prongsai.oversight.access), then matched on the agency's attributes without a query."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    from prongsai.oversight import access as oversight

    return oversight.covers(user, agency)


def can(user, agency: Agency, perm: str) -> bool:
    return perm in permissions(user, agency)


def require(user, agency: Agency, perm: str) -> None:
    if not can(user, agency, perm):
        raise PermissionDenied(perm)


def forget(user) -> None:
    """Drop the per-request role cache (after a role change)."""
    if hasattr(user, "_prongsai_roles"):
        del user._prongsai_roles
    if hasattr(user, "_prongsai_oversight_scopes"):
        del user._prongsai_oversight_scopes
