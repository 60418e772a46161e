import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import Http404

from prongsai.agencies import policy
from prongsai.agencies.access import agencies_for, get_agency_for_user
from prongsai.agencies.models import Agency, Membership


@pytest.fixture
def agencies(db):
    return Agency.objects.create(slug="a1", name="หนึ่ง"), Agency.objects.create(slug="a2", name="สอง")


def _member(username, agency, *roles):
    user = User.objects.create_user(username)
    for role in roles:
        Membership.objects.create(user=user, agency=agency, role=role)
    return user


def test_it_grants_by_role(agencies):
    a1, _ = agencies
    planner = _member("planner", a1, Membership.Role.PLANNER)
    viewer = _member("viewer", a1, Membership.Role.VIEWER)
    assert policy.can(planner, a1, policy.EDIT_YEAR)
    assert not policy.can(planner, a1, policy.SIGN_MEMO)
    assert not policy.can(viewer, a1, policy.EDIT_YEAR)
    assert policy.can(viewer, a1, policy.VIEW)


def test_it_combines_several_roles(agencies):
    a1, _ = agencies
    both = _member("both", a1, Membership.Role.PLANNER, Membership.Role.APPROVER)
    assert policy.can(both, a1, policy.EDIT_YEAR) and policy.can(both, a1, policy.SIGN_MEMO)


def test_it_scopes_lookups_to_the_users_agencies(agencies):
    a1, a2 = agencies
    viewer = _member("viewer", a1, Membership.Role.VIEWER)
    assert list(agencies_for(viewer)) == [a1]
    assert get_agency_for_user(viewer, "a1") == a1
    with pytest.raises(Http404):
        get_agency_for_user(viewer, "a2")
    with pytest.raises(PermissionDenied):
        get_agency_for_user(viewer, "a1", policy.EDIT_YEAR)


def test_it_keeps_complaints_from_superusers(agencies):
    a1, _ = agencies
    root = User.objects.create_superuser("root")
    assert policy.can(root, a1, policy.EDIT_YEAR)
    assert not policy.can(root, a1, policy.HANDLE_COMPLAINTS)


def test_it_gives_nothing_to_inactive_or_anonymous_users(agencies):
    a1, _ = agencies
    user = _member("gone", a1, Membership.Role.ADMIN)
    user.is_active = False
    assert not policy.can(user, a1, policy.VIEW)
    from django.contrib.auth.models import AnonymousUser
    assert not policy.can(AnonymousUser(), a1, policy.VIEW)


@pytest.mark.parametrize("perm", sorted(set().union(*policy.PERMISSIONS.values())))
def test_agencies_where_agrees_with_can_for_every_permission_and_role_mix(agencies, perm):
    """The one-query list of agencies where a user holds a permission is exactly the agencies `can`
    says yes to, for each role in one agency and another role in the other, and for a superuser."""
    a1, a2 = agencies
    roles = list(Membership.Role)
    users = [_member(f"u{i}", a1, first) for i, first in enumerate(roles)]
    for user, second in zip(users, reversed(roles)):
        Membership.objects.create(user=user, agency=a2, role=second)
    users += [User.objects.create_superuser("root", password="x"), User.objects.create_user("nobody")]
    for user in users:
        expected = {a.pk for a in (a1, a2) if policy.can(user, a, perm)}
        assert set(policy.agencies_where(user, perm).values_list("pk", flat=True)) == expected, (user, perm)
