"""Start fiscal year N+1 from year N in one action (`prongsai start_year`, the new-year page).

What comes over: the measures (title, indicator, guideline, steps, responsible, units, monitoring,
rounds; never results or evidence), the OIT answers mapped through the catalogue's item mapping (URLs
kept, each flagged "to check"), the year's wording overrides. The agency's default signing chain is the
agency's and stays. A preview lists what comes over and what does not map; the start is one transaction
and one audit entry.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from prongsai.agencies.models import Agency
from prongsai.audit import services as audit
from prongsai.framework.catalogue import Framework, UnknownFrameworkYear, framework_for_plan, get_framework
from prongsai.measures.models import Measure, YearPlan


@dataclass
class Mapped:
    new_code: str
    old_codes: tuple[str, ...]
    urls: list[str]
    explanation: str
    has: bool | None


@dataclass
class Preview:
    agency: Agency
    source: YearPlan
    fiscal_year: int
    framework: Framework
    measures: list[Measure]
    answers: list[Mapped] = field(default_factory=list)
    unmapped: list[str] = field(default_factory=list)  # old codes with an answer that map to no new item
    new_items: list[str] = field(default_factory=list)  # new items with nothing to come from
    wording_keys: list[str] = field(default_factory=list)
    chain_steps: int = 0

    @property
    def provisional(self) -> bool:
        return self.framework.provisional_for is not None


def existing_data(agency: Agency, fiscal_year: int) -> list[str]:
    """What the agency already holds for the year, in words (empty: the year is free)."""
    from prongsai.oit.models import OITAnswer

    found = []
    plan = YearPlan.objects.filter(agency=agency, fiscal_year=fiscal_year).first()
    if plan is not None:
        found.append(_("ปีงบประมาณ %(year)s มีอยู่แล้ว (มาตรการ %(n)s รายการ)")
                     % {"year": fiscal_year, "n": plan.measures.count()})
    answers = OITAnswer.objects.filter(agency=agency, fiscal_year=fiscal_year).count()
    if answers:
        found.append(_("คำตอบ OIT ของปี %(year)s %(n)s ข้อ") % {"year": fiscal_year, "n": answers})
    return found


def preview(*, agency: Agency, fiscal_year: int, from_year: int | None = None) -> Preview:
    from prongsai.memos.models import AgencyChainStep
    from prongsai.oit.models import OITAnswer

    fiscal_year = int(fiscal_year)
    from_year = int(from_year or fiscal_year - 1)
    source = YearPlan.objects.filter(agency=agency, fiscal_year=from_year).first()
    if source is None:
        raise ValidationError({"from_year": _("หน่วยงานไม่มีปีงบประมาณ %(year)s ให้ยกมา") % {"year": from_year}})
    if from_year >= fiscal_year:
        raise ValidationError({"from_year": _("ปีที่ยกมาต้องเป็นปีก่อนหน้า")})
    exists = existing_data(agency, fiscal_year)
    if exists:
        raise ValidationError({"fiscal_year": _("เริ่มปี %(year)s จากปีก่อนไม่ได้ เพราะมีข้อมูลอยู่แล้ว: %(what)s")
                               % {"year": fiscal_year, "what": "; ".join(exists)}})
    try:
        target = get_framework(fiscal_year, agency.family)
    except UnknownFrameworkYear:
        raise ValidationError({"fiscal_year": _("ระบบยังไม่มีเกณฑ์ ITA ที่ใช้กับปี %(year)s ได้") % {"year": fiscal_year}}) from None
    try:
        old = framework_for_plan(source)
    except UnknownFrameworkYear:
        old = None
    measures = list(source.measures.prefetch_related("units").order_by("order"))
    result = Preview(agency=agency, source=source, fiscal_year=fiscal_year, framework=target, measures=measures,
                     wording_keys=sorted((source.wording or {}).keys()),
                     chain_steps=AgencyChainStep.objects.filter(agency=agency).count())
    old_answers = {a.code.upper(): a for a in OITAnswer.objects.filter(agency=agency, fiscal_year=from_year)}
    used: set[str] = set()
    for item in target.oit_items:
        olds = _sources_of(item.code, target, old)
        found = [old_answers[c.upper()] for c in olds if c.upper() in old_answers]
        if not olds:
            result.new_items.append(item.code)
        if not found:
            continue
        used.update(a.code.upper() for a in found)
        urls = list(dict.fromkeys(u for a in found for u in a.urls))
        explanation = "\n".join(dict.fromkeys(a.explanation for a in found if a.explanation))
        has = True if any(a.has for a in found) else (False if all(a.has is False for a in found) else None)
        result.answers.append(Mapped(item.code, tuple(a.code for a in found), urls, explanation, has))
    result.unmapped = sorted((c for c in old_answers if c not in used), key=_code_order)
    return result


def _code_order(code: str) -> tuple:
    return (len(code), code)


def _sources_of(code: str, target: Framework, old: Framework | None) -> tuple[str, ...]:
    """The old year's codes an item of the new year continues. The same catalogue (a year started on
    the previous year's catalogue, provisionally) maps by code; the next year's catalogue by its
    item mapping; anything else does not map."""
    if old is None:
        return ()
    if target.catalogue_id == old.catalogue_id or target.year == old.year:
        return (code,) if any(i.code == code for i in old.oit_items) else ()
    if target.year == old.year + 1:
        return target.previous_codes(code)
    return ()


def start_from(*, actor, agency: Agency, fiscal_year: int, from_year: int | None = None) -> YearPlan:
    """Carry the year over as the preview says; nothing is written when any part fails."""
    from prongsai.measures import services
    from prongsai.oit.models import OITAnswer

    with transaction.atomic():
        plan_preview = preview(agency=agency, fiscal_year=fiscal_year, from_year=from_year)
        plan = services.start_year(actor=actor, agency=agency, fiscal_year=fiscal_year)
        plan.wording = dict(plan_preview.source.wording or {})
        plan.save(update_fields=["wording"])
        for measure in plan_preview.measures:
            copy = Measure.objects.create(
                plan=plan, order=measure.order, indicator=_indicator(measure.indicator, plan_preview.framework),
                title=measure.title, guideline=measure.guideline, steps=measure.steps,
                responsible=measure.responsible, monitoring=measure.monitoring, rounds=list(measure.rounds))
            copy.units.set(measure.units.all())
        OITAnswer.objects.bulk_create([
            OITAnswer(agency=agency, fiscal_year=plan.fiscal_year, code=m.new_code, has=m.has, urls=m.urls,
                      explanation=m.explanation, source=OITAnswer.Source.MANUAL, to_check=True,
                      carried_from="+".join(m.old_codes)[:10], updated_by=_user(actor))
            for m in plan_preview.answers])
        audit.record(actor=actor, action="measures.yearplan.rolled_over", obj=plan, agency=agency, changes={
            "from_year": plan_preview.source.fiscal_year, "measures": len(plan_preview.measures),
            "oit_answers": {m.new_code: list(m.old_codes) for m in plan_preview.answers},
            "not_mapped": plan_preview.unmapped, "wording": plan_preview.wording_keys,
            "catalogue": plan.catalogue.label if plan.catalogue_id else None})
    return plan


def _indicator(number: int | None, framework: Framework) -> int | None:
    return number if number is None or number in framework.indicator_numbers else None


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


# --- moving a year to another catalogue version ----------------------------------------------------------

@dataclass
class Move:
    plan: YearPlan
    old: Framework | None
    new: Framework
    answers: list[Mapped] = field(default_factory=list)
    unmapped: list[str] = field(default_factory=list)
    measures_without_indicator: list[str] = field(default_factory=list)


def move_preview(*, plan: YearPlan, catalogue) -> Move:
    """What moving `plan` to `catalogue` (a framework.Catalogue row) does to its OIT answers and measures."""
    from prongsai.framework import store
    from prongsai.oit.models import OITAnswer

    if catalogue.pk == plan.catalogue_id:
        raise ValidationError(_("ปีนี้ใช้เกณฑ์ฉบับนี้อยู่แล้ว"))
    if catalogue.fiscal_year > plan.framework_year or catalogue.status == catalogue.Status.DRAFT:
        raise ValidationError(_("ใช้เกณฑ์ฉบับนี้กับปีนี้ไม่ได้ (เป็นร่าง หรือเป็นเกณฑ์ของปีหลัง)"))
    old = framework_for_plan(plan)
    provisional_for = plan.framework_year if catalogue.fiscal_year != plan.framework_year else None
    new = store.framework_of(catalogue, provisional_for=provisional_for)
    move = Move(plan=plan, old=old, new=new)
    current = {a.code.upper(): a for a in OITAnswer.objects.filter(agency=plan.agency, fiscal_year=plan.fiscal_year)}
    used: set[str] = set()
    for item in new.oit_items:
        found = [current[c.upper()] for c in _sources_of(item.code, new, old) if c.upper() in current]
        if not found:
            continue
        used.update(a.code.upper() for a in found)
        move.answers.append(Mapped(
            item.code, tuple(a.code for a in found), list(dict.fromkeys(u for a in found for u in a.urls)),
            "\n".join(dict.fromkeys(a.explanation for a in found if a.explanation)),
            True if any(a.has for a in found) else (False if all(a.has is False for a in found) else None)))
    move.unmapped = sorted((c for c in current if c not in used), key=_code_order)
    move.measures_without_indicator = [m.title for m in plan.measures.all()
                                       if m.indicator is not None and m.indicator not in new.indicator_numbers]
    return move


def move(*, actor, plan: YearPlan, catalogue) -> Move:
    """Move the year to the catalogue version: answers re-keyed by the item mapping (unchanged codes stay
    as they are, moved ones flagged to check); the old answers are kept in the audit entry."""
    from prongsai.oit.models import OITAnswer
    from prongsai.oit.services import FIELDS

    with transaction.atomic():
        plan = YearPlan.objects.select_for_update().get(pk=plan.pk)
        result = move_preview(plan=plan, catalogue=catalogue)
        answers = OITAnswer.objects.filter(agency=plan.agency, fiscal_year=plan.fiscal_year)
        before = {a.code: audit.snapshot(a, FIELDS) for a in answers}
        answers.delete()
        OITAnswer.objects.bulk_create([
            OITAnswer(agency=plan.agency, fiscal_year=plan.fiscal_year, code=m.new_code, has=m.has, urls=m.urls,
                      explanation=m.explanation, source=OITAnswer.Source.MANUAL,
                      to_check=m.old_codes != (m.new_code,) or before.get(m.new_code, {}).get("to_check", False),
                      carried_from=before.get(m.new_code, {}).get("carried_from", "") if m.old_codes == (m.new_code,)
                      else "+".join(m.old_codes)[:10], updated_by=_user(actor))
            for m in result.answers])
        old_label = plan.catalogue.label if plan.catalogue_id else ""
        plan.catalogue = catalogue
        plan.save(update_fields=["catalogue"])
        audit.record(actor=actor, action="measures.yearplan.catalogue_moved", obj=plan, agency=plan.agency, changes={
            "catalogue": [old_label, catalogue.label],
            "oit_answers": {m.new_code: list(m.old_codes) for m in result.answers},
            "not_mapped": {code: before[code] for code in before if code.upper() in result.unmapped}})
    return result
