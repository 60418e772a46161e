"""An agency's fiscal years (BE): list, detail with round progress, start a new year."""

from django.utils import timezone
from ninja import Router, Status
from ninja.pagination import paginate

from prongsai.agencies import policy
from prongsai.api import lookups, serialize
from prongsai.api.endpoints.common import READ, WRITE, Page, Rows, SlugP, YearP
from prongsai.api.schemas import YearDetailOut, YearIn, YearOut
from prongsai.measures import services

router = Router(tags=["years"])


@router.get("/agencies/{slug}/years", response={200: list[YearOut], **READ},
            summary="ปีงบประมาณของหน่วยงาน (ล่าสุดก่อน)")
@paginate(Page)
def year_list(request, slug: SlugP):
    agency = lookups.agency(request, slug)
    return Rows(agency.years.select_related("agency").order_by("-fiscal_year"),
                lambda plan: serialize.year(request, plan))


@router.post("/agencies/{slug}/years", response={201: YearDetailOut, **WRITE}, summary="เริ่มปีงบประมาณใหม่")
def year_create(request, slug: SlugP, data: YearIn):
    agency = lookups.agency(request, slug, policy.EDIT_YEAR)
    plan = services.start_year(actor=lookups.caller(request), agency=agency, fiscal_year=data.fiscal_year,
                               framework_year=data.framework_year)
    return Status(201, serialize.year_detail(request, plan, timezone.localdate()))


@router.get("/agencies/{slug}/years/{int:year}", response={200: YearDetailOut, **READ},
            summary="ปีงบประมาณ: ความคืบหน้ารายรอบ")
def year_detail(request, slug: SlugP, year: YearP):
    return serialize.year_detail(request, lookups.plan(request, slug, year), timezone.localdate())
