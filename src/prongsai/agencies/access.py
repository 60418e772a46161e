"""Agency-scoped lookups: the only way views reach an agency's data.

Outsiders get 404 (existence is not revealed); members lacking the permission asked for get 403.
A superuser sees every agency.
"""

from django.db.models import QuerySet
from django.http import Http404

from prongsai.agencies import policy
from prongsai.agencies.models import Agency


def agencies_for(user) -> QuerySet[Agency]:
    if not user.is_authenticated or not user.is_active:
        return Agency.objects.none()
    if user.is_superuser:
        return Agency.objects.all()
    return Agency.objects.filter(memberships__user=user).distinct()


def get_agency_for_user(user, slug: str, perm: str = policy.VIEW) -> Agency:
    agency = agencies_for(user).filter(slug=slug).first()
    if agency is None:
        raise Http404("agency not found")
    policy.require(user, agency, perm)
    return agency
