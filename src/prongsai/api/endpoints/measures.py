"""A year's measures (มาตรการ): list, create, change, delete and order them, through measures.services."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.errors import ValidationError as InputError
from ninja.pagination import paginate

from prongsai.agencies import policy
from prongsai.api import lookups, serialize
from prongsai.api.endpoints.common import READ, WRITE, IdP, Page, Rows, SlugP, YearP
from prongsai.api.schemas import MeasureIn, MeasureOut, MoveIn, ReorderIn
from prongsai.measures import services
from prongsai.measures.models import Measure, YearPlan

router = Router(tags=["measures"])

YEAR = "/agencies/{slug}/years/{int:year}"
MEASURE = YEAR + "/measures/{int:pk}"


def _rows(plan: YearPlan):
    return Measure.objects.filter(plan=plan).select_related("plan__agency").prefetch_related("units", "results")


def _out(request, measure: Measure) -> dict:
    return serialize.measure(request, _rows(measure.plan).get(pk=measure.pk), timezone.localdate())


def _fields(plan: YearPlan, data: MeasureIn) -> dict:
    """The service's keyword arguments; units are looked up in the plan's agency only."""
    wanted = list(dict.fromkeys(data.units))
    units = list(plan.agency.units.filter(pk__in=wanted))
    missing = sorted(set(wanted) - {u.pk for u in units})
    if missing:
        raise InputError([{"loc": ("body", "units"), "type": "value_error", "ctx": {"error": _(
            "ไม่พบส่วนราชการ id %(ids)s ในหน่วยงานนี้") % {"ids": ", ".join(str(i) for i in missing)}}}])
    return {**data.model_dump(exclude={"units"}), "units": units}


@router.get(YEAR + "/measures", response={200: list[MeasureOut], **READ}, summary="มาตรการของปี ตามลำดับ")
@paginate(Page)
def measure_list(request, slug: SlugP, year: YearP):
    plan = lookups.plan(request, slug, year)
    today = timezone.localdate()
    return Rows(_rows(plan).order_by("order"), lambda m: serialize.measure(request, m, today))


@router.post(YEAR + "/measures", response={201: MeasureOut, **WRITE}, summary="เพิ่มมาตรการ (ต่อท้ายตาราง)")
def measure_create(request, slug: SlugP, year: YearP, data: MeasureIn):
    plan = lookups.plan(request, slug, year, policy.EDIT_YEAR)
    measure = services.create_measure(actor=lookups.caller(request), plan=plan, **_fields(plan, data))
    return Status(201, _out(request, measure))


@router.post(YEAR + "/measures/reorder", response={200: list[MeasureOut], **WRITE},
             summary="เรียงลำดับมาตรการทั้งปีใหม่ (ส่ง id ครบทุกข้อ)")
def measure_reorder(request, slug: SlugP, year: YearP, data: ReorderIn):
    plan = lookups.plan(request, slug, year, policy.EDIT_YEAR)
    actor = lookups.caller(request)
    with transaction.atomic():
        YearPlan.objects.select_for_update().get(pk=plan.pk)  # the lock the services take for the order
        current = list(Measure.objects.filter(plan=plan).values_list("pk", flat=True))
        if sorted(data.order) != sorted(current) or len(set(data.order)) != len(data.order):
            raise InputError([{"loc": ("body", "order"), "type": "value_error", "ctx": {"error": _(
                "ต้องระบุ id ของมาตรการทุกข้อของปีนี้ ข้อละครั้ง")}}])
        # One step at a time through the same move the browser's up/down buttons make (each audited).
        for place, pk in enumerate(data.order, start=1):
            measure = Measure.objects.get(pk=pk)
            while measure.order > place:
                measure = services.move_measure(actor=actor, measure=measure, direction="up")
    today = timezone.localdate()
    return [serialize.measure(request, m, today) for m in _rows(plan).order_by("order")]


@router.get(MEASURE, response={200: MeasureOut, **READ}, summary="มาตรการ")
def measure_detail(request, slug: SlugP, year: YearP, pk: IdP):
    return _out(request, lookups.measure(request, slug, year, pk))


@router.put(MEASURE, response={200: MeasureOut, **WRITE}, summary="แก้ไขมาตรการ (ส่งทุกช่อง)")
def measure_update(request, slug: SlugP, year: YearP, pk: IdP, data: MeasureIn):
    measure = lookups.measure(request, slug, year, pk, policy.EDIT_YEAR)
    measure = services.update_measure(actor=lookups.caller(request), measure=measure,
                                      **_fields(measure.plan, data))
    return _out(request, measure)


@router.delete(MEASURE, response={204: None, **READ}, summary="ลบมาตรการ พร้อมผลการดำเนินงานและหลักฐาน")
def measure_delete(request, slug: SlugP, year: YearP, pk: IdP):
    measure = lookups.measure(request, slug, year, pk, policy.EDIT_YEAR)
    services.delete_measure(actor=lookups.caller(request), measure=measure)
    return Status(204, None)


@router.post(MEASURE + "/move", response={200: MeasureOut, **WRITE}, summary="เลื่อนมาตรการขึ้นหรือลงหนึ่งลำดับ")
def measure_move(request, slug: SlugP, year: YearP, pk: IdP, data: MoveIn):
    measure = lookups.measure(request, slug, year, pk, policy.EDIT_YEAR)
    measure = services.move_measure(actor=lookups.caller(request), measure=measure, direction=data.direction)
    return _out(request, measure)
