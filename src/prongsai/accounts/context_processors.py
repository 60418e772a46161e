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

    # The switcher lists at most this many agencies; "more" links to the paginated, searchable agency list.
    SWITCHER_LIMIT = 20

    @cached_property
    def _first(self) -> list:
        return list(agencies_for(self.user).order_by("name", "pk").only("pk", "slug", "name")[:self.SWITCHER_LIMIT + 1])

    @cached_property
    def agencies(self) -> list:
        return self._first[:self.SWITCHER_LIMIT]

    @cached_property
    def more(self) -> bool:
        """True when the user has more agencies than the switcher shows."""
        return len(self._first) > self.SWITCHER_LIMIT

    @cached_property
    def current(self):
        match = getattr(self.request, "resolver_match", None)
        slug = match.kwargs.get("slug") if match is not None else None
        if not slug:
            return None
        found = next((agency for agency in self.agencies if agency.slug == slug), None)
        if found is None and self.more:
            found = agencies_for(self.user).filter(slug=slug).only("pk", "slug", "name").first()
        return found

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
