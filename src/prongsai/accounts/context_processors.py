"""The header navigation: the user's agencies (the switcher), the current one (the agency of the URL)
and the pages the user may open in it. Computed only when a template uses it."""

from __future__ import annotations

from functools import cached_property

from prongsai.agencies import policy
from prongsai.agencies.access import agencies_for


class Navigation:
    def __init__(self, request):
        self.request = request
        self.user = request.user

    @cached_property
    def agencies(self) -> list:
        return list(agencies_for(self.user).only("pk", "slug", "name"))

    @cached_property
    def current(self):
        match = getattr(self.request, "resolver_match", None)
        slug = match.kwargs.get("slug") if match is not None else None
        if not slug:
            return None
        return next((agency for agency in self.agencies if agency.slug == slug), None)

    @cached_property
    def can_manage_members(self) -> bool:
        return self.current is not None and policy.can(self.user, self.current, policy.MANAGE_MEMBERS)

    @cached_property
    def can_edit_agency(self) -> bool:
        return self.current is not None and policy.can(self.user, self.current, policy.EDIT_AGENCY)

    @cached_property
    def can_handle_complaints(self) -> bool:
        return self.current is not None and policy.can(self.user, self.current, policy.HANDLE_COMPLAINTS)

    @cached_property
    def can_publish(self) -> bool:
        return self.current is not None and policy.can(self.user, self.current, policy.PUBLISH)


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"nav": Navigation(request)}
