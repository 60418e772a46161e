"""The caller, and the agencies they belong to."""

from __future__ import annotations

from ninja import Router
from ninja.pagination import paginate

from prongsai.agencies.access import agencies_for
from prongsai.api import lookups, serialize
from prongsai.api.endpoints.common import READ, Page, Rows
from prongsai.api.schemas import AgencyDetailOut, AgencyOut, MeOut

router = Router(tags=["agencies"])


@router.get("/me", response={200: MeOut, **READ}, summary="ผู้ใช้ที่เรียก API และหน่วยงานของตน")
def me(request):
    user = lookups.caller(request)
    return {"username": user.get_username(), "name": user.get_full_name(), "email": user.email,
            "agencies": [serialize.agency(request, a, user) for a in agencies_for(user).order_by("name")]}


@router.get("/agencies", response={200: list[AgencyOut], **READ}, summary="หน่วยงานของผู้ใช้")
@paginate(Page)
def agency_list(request):
    user = lookups.caller(request)
    return Rows(agencies_for(user).order_by("name"), lambda a: serialize.agency(request, a, user))


@router.get("/agencies/{slug}", response={200: AgencyDetailOut, **READ}, summary="รายละเอียดหน่วยงาน")
def agency_detail(request, slug: str):
    agency = lookups.agency(request, slug)
    return serialize.agency_detail(request, agency, lookups.caller(request))
