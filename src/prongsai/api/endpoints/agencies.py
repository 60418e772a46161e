"""The caller, and the agencies they belong to.

Both lists of agencies are pages (`?limit=`, `?offset=`, endpoints.common.Page), and the caller's roles in
the agencies of a page come from one query (`_AgencyRows`), so the queries of `me` and `agencies` do not grow
with the number of agencies, a superuser's 8,300 included."""

from ninja import Query, Router
from ninja.pagination import paginate

from prongsai.agencies import policy
from prongsai.agencies.access import agencies_for
from prongsai.agencies.models import Membership
from prongsai.api import lookups, serialize
from prongsai.api.endpoints.common import READ, Page, Rows, SlugP
from prongsai.api.schemas import AgencyDetailOut, AgencyOut, MeOut
from prongsai.oversight.access import scopes_for

router = Router(tags=["agencies"])


class _AgencyRows(Rows):
    """The caller's agencies, a page at a time, each with the caller's roles and permissions."""

    def __init__(self, request, user):
        self.request, self.user = request, user
        super().__init__(agencies_for(user).order_by("name", "pk"), lambda a: serialize.agency(request, a, user))

    def __getitem__(self, window: slice) -> list[dict]:
        agencies = list(self.queryset[window])
        policy.load_roles(self.user, agencies)
        return [self.to_dict(agency) for agency in agencies]


@router.get("/me", response={200: MeOut, **READ}, summary="ผู้ใช้ที่เรียก API บทบาท และหน่วยงานของตน (ทีละหน้า)")
def me(request, page: Query[Page.Input]):
    """The caller, the roles they hold in any agency, their oversight scopes, and one page of their agencies
    (`?limit=` 1–200, default 50, `?offset=`): the same items as `GET agencies`, in `agencies.items`, with
    the total in `agencies.count`."""
    user = lookups.caller(request)
    window = Page().paginate_queryset(_AgencyRows(request, user), page)
    roles = set(Membership.objects.filter(user=user).values_list("role", flat=True).distinct())
    return {
        "username": user.get_username(), "name": user.get_full_name(), "email": user.email,
        "superuser": bool(user.is_superuser), "roles": sorted(roles),
        "oversight_scopes": [{"id": s.pk, "name": s.name, "level": s.level} for s in scopes_for(user)],
        "agencies": {**window, "limit": page.limit, "offset": page.offset},
    }


@router.get("/agencies", response={200: list[AgencyOut], **READ}, summary="หน่วยงานของผู้ใช้")
@paginate(Page)
def agency_list(request):
    user = lookups.caller(request)
    return _AgencyRows(request, user)


@router.get("/agencies/{slug}", response={200: AgencyDetailOut, **READ}, summary="รายละเอียดหน่วยงาน")
def agency_detail(request, slug: SlugP):
    agency = lookups.agency(request, slug)
    return serialize.agency_detail(request, agency, lookups.caller(request))
