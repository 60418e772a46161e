"""An agency's ITA results (one per assessment year, BE): indicator scores and the weighted parts,
with what `assessments.services.evaluate` computes from them and where the given figures differ."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router
from ninja.errors import ValidationError as InputError
from ninja.pagination import paginate

from prongsai.agencies import policy
from prongsai.api import lookups, serialize
from prongsai.api.endpoints.common import READ, WRITE, Page, Rows, SlugP, YearP
from prongsai.api.schemas import ScoresIn, ScoresOut
from prongsai.assessments import editing
from prongsai.assessments.models import ITAResult
from prongsai.framework.catalogue import UnknownFrameworkYear, get_framework

router = Router(tags=["scores"])


def _results(agency):
    return ITAResult.objects.filter(agency=agency).prefetch_related("scores")


@router.get("/agencies/{slug}/scores", response={200: list[ScoresOut], **READ},
            summary="ผลการประเมิน ITA ทุกปีของหน่วยงาน (ล่าสุดก่อน)")
@paginate(Page)
def score_list(request, slug: SlugP):
    agency = lookups.agency(request, slug)
    return Rows(_results(agency).order_by("-year"), serialize.scores)


@router.get("/agencies/{slug}/scores/{int:year}", response={200: ScoresOut, **READ},
            summary="ผลการประเมิน ITA ของปีที่ประเมิน (พ.ศ.)")
def score_detail(request, slug: SlugP, year: YearP):
    agency = lookups.agency(request, slug)
    return serialize.scores(get_object_or_404(_results(agency), year=year))


@router.put("/agencies/{slug}/scores/{int:year}", response={200: ScoresOut, **WRITE},
            summary="บันทึกผลการประเมิน ITA ของปี (แทนที่ทั้งชุด: ตัวชี้วัดที่ไม่ได้ส่งมาจะถูกลบคะแนน)")
def score_save(request, slug: SlugP, year: YearP, data: ScoresIn):
    agency = lookups.agency(request, slug, policy.EDIT_YEAR)
    try:
        framework = get_framework(year)
    except UnknownFrameworkYear:
        raise InputError([{"loc": ("path", "year"), "type": "value_error", "ctx": {
            "error": _("ระบบยังไม่มีเกณฑ์ ITA ของปี %(year)s") % {"year": year}}}]) from None
    unknown = sorted(no for no in data.indicators if no not in framework.indicator_numbers)
    if unknown:
        message = _("เกณฑ์ ITA ปี %(year)s ไม่มีตัวชี้วัดที่ %(no)s")
        raise InputError([{"loc": ("body", "indicators", no), "type": "value_error",
                           "ctx": {"error": message % {"year": year, "no": no}}} for no in unknown])
    result = editing.save_ita_result(
        actor=lookups.caller(request), agency=agency, framework=framework, year=year,
        indicators=dict(data.indicators), iit=data.iit, eit=data.eit, oit=data.oit, total=data.total,
        grade=data.grade.strip(), note=data.note)
    return serialize.scores(_results(agency).get(pk=result.pk))
