"""Agency-scoped lookups: the only way views reach an agency's data.

Outsiders get 404 (existence is not revealed); members lacking the permission asked for get 403.
A superuser sees every agency; an oversight user also the agencies of their scopes (prongsai.oversight).
"""

from django.db.models import Q, QuerySet
from django.http import Http404

from prongsai.agencies import policy
from prongsai.agencies.models import Agency, Membership


def agencies_for(user) -> QuerySet[Agency]:
    if not user.is_authenticated or not user.is_active:
        return Agency.objects.none()
    if user.is_superuser:
        return Agency.objects.all()
    from prongsai.oversight import access as oversight

    overseen = oversight.agency_q(user)  # the agencies of the user's oversight scopes (read only)
    if overseen is not None:
        return Agency.objects.filter(Q(pk__in=Membership.objects.filter(user=user).values("agency_id")) | overseen)
    return Agency.objects.filter(memberships__user=user).distinct()


def get_agency_for_user(user, slug: str, perm: str = policy.VIEW) -> Agency:
    agency = agencies_for(user).filter(slug=slug).first()
    if agency is None:
        raise Http404("agency not found")
    policy.require(user, agency, perm)
    return agency
