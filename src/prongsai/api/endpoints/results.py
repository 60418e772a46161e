"""What was done for a measure in one of its rounds, and the evidence for it, via measures.services."""

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.cache import patch_cache_control
from ninja import File, Form, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from prongsai.agencies import policy
from prongsai.api import lookups, serialize
from prongsai.api.endpoints.common import READ, WRITE, IdP, Page, RoundP, Rows, SlugP, YearP
from prongsai.api.schemas import EvidenceLinkIn, EvidenceOut, RoundResultIn, RoundResultOut
from prongsai.measures import services
from prongsai.measures.models import Evidence, Measure, RoundResult

router = Router(tags=["results"])

YEAR = "/agencies/{slug}/years/{int:year}"
ROUND = YEAR + "/measures/{int:pk}/rounds/{int:round}"


def _measure(request, slug: str, year: int, pk: int, round: int, perm: str = policy.VIEW) -> Measure:
    """The measure, when it monitors the round (else 404, as in the browser)."""
    measure = lookups.measure(request, slug, year, pk, perm)
    if round not in measure.rounds:
        raise Http404("the measure does not monitor this round")
    return measure


def _result(measure: Measure, round: int) -> RoundResult | None:
    return RoundResult.objects.filter(measure=measure, round=round).prefetch_related("evidence").first()


def _out(request, measure: Measure, round: int) -> dict:
    return serialize.round_result(request, measure, round, _result(measure, round), timezone.localdate())


@router.get(ROUND, response={200: RoundResultOut, **READ},
            summary="ผลการดำเนินงานของมาตรการในรอบ (recorded=false: ยังไม่ได้บันทึก)")
def result_detail(request, slug: SlugP, year: YearP, pk: IdP, round: RoundP):
    return _out(request, _measure(request, slug, year, pk, round), round)


@router.put(ROUND, response={200: RoundResultOut, **WRITE}, summary="บันทึกผลการดำเนินงานของรอบ (ส่งทุกช่อง)")
def result_save(request, slug: SlugP, year: YearP, pk: IdP, round: RoundP, data: RoundResultIn):
    measure = _measure(request, slug, year, pk, round, policy.EDIT_YEAR)
    services.save_round_result(actor=lookups.caller(request), measure=measure, round=round, **data.model_dump())
    return _out(request, measure, round)


@router.delete(ROUND, response={204: None, **READ}, summary="ลบผลการดำเนินงานของรอบ พร้อมหลักฐาน")
def result_delete(request, slug: SlugP, year: YearP, pk: IdP, round: RoundP):
    measure = _measure(request, slug, year, pk, round, policy.EDIT_YEAR)
    result = get_object_or_404(RoundResult, measure=measure, round=round)
    services.delete_round_result(actor=lookups.caller(request), result=result)
    return Status(204, None)


@router.get(ROUND + "/evidence", response={200: list[EvidenceOut], **READ}, summary="หลักฐานของรอบ")
@paginate(Page)
def evidence_list(request, slug: SlugP, year: YearP, pk: IdP, round: RoundP):
    measure = _measure(request, slug, year, pk, round)
    rows = Evidence.objects.filter(result__measure=measure, result__round=round).order_by("order", "id")
    return Rows(rows, lambda e: serialize.evidence(request, e, measure.plan))


@router.post(ROUND + "/evidence", response={201: EvidenceOut, **WRITE}, summary="เพิ่มลิงก์หลักฐาน (http/https)")
def evidence_add_link(request, slug: SlugP, year: YearP, pk: IdP, round: RoundP, data: EvidenceLinkIn):
    measure = _measure(request, slug, year, pk, round, policy.EDIT_YEAR)
    evidence = services.add_evidence_link(actor=lookups.caller(request), measure=measure, round=round,
                                          url=data.url, title=data.title)
    return Status(201, serialize.evidence(request, evidence, measure.plan))


@router.post(ROUND + "/evidence/file", response={201: EvidenceOut, **WRITE},
             summary="แนบไฟล์หลักฐาน (multipart: file, title) PDF PNG JPEG DOCX XLSX ตรวจจากเนื้อหาและขนาด")
def evidence_add_file(request, slug: SlugP, year: YearP, pk: IdP, round: RoundP, file: File[UploadedFile],
                      title: Form[str] = ""):
    measure = _measure(request, slug, year, pk, round, policy.EDIT_YEAR)
    evidence = services.add_evidence_file(actor=lookups.caller(request), measure=measure, round=round,
                                          upload=file, title=title)
    return Status(201, serialize.evidence(request, evidence, measure.plan))


@router.delete(YEAR + "/evidence/{int:evidence_id}", response={204: None, **READ}, summary="ลบหลักฐาน")
def evidence_delete(request, slug: SlugP, year: YearP, evidence_id: IdP):
    evidence = lookups.evidence(request, slug, year, evidence_id, policy.EDIT_YEAR)
    services.delete_evidence(actor=lookups.caller(request), evidence=evidence)
    return Status(204, None)


@router.get(YEAR + "/evidence/{int:evidence_id}/file", response={200: None, **READ}, url_name="evidence_file",
            summary="ดาวน์โหลดไฟล์หลักฐาน")
def evidence_file(request, slug: SlugP, year: YearP, evidence_id: IdP):
    evidence = lookups.evidence(request, slug, year, evidence_id)
    if not evidence.file:
        raise Http404("this evidence is a link")
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError:
        raise Http404("the stored file is missing") from None
    extension = evidence.file.name.rsplit(".", 1)[-1].lower()
    response = FileResponse(handle, as_attachment=True, filename=f"evidence-{evidence.pk}.{extension}",
                            content_type=services.evidence_content_type(evidence))
    response["X-Content-Type-Options"] = "nosniff"
    response["X-Content-SHA256"] = evidence.sha256
    patch_cache_control(response, private=True, no_cache=True)
    return response
