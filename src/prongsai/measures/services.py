"""Changing an agency's year in the browser: starting a year, measures, round results, evidence,
round statuses, reminders and the results spreadsheet import.

Every function that writes is keyword-only, runs in one transaction and records an audit entry in
that same transaction (prongsai.audit). Bad input raises django.core.exceptions.ValidationError with
a Thai message naming the field (keyed by field name where a form has that field), and nothing is
written. Permission checks are the caller's job (views use prongsai.agencies.access).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from prongsai.agencies.models import Agency, Membership, Person, Unit
from prongsai.audit import services as audit
from prongsai.framework.catalogue import (
    SuggestedMeasure, UnknownFrameworkYear, framework_for_plan, get_framework, suggested_measures,
)
from prongsai.lib import fiscal, thai
from prongsai.measures import limits
from prongsai.measures.models import Evidence, Measure, ReminderLog, RoundResult, YearPlan

DEFAULT_MONITORING = "รายงานผลการดำเนินงานตามมาตรการ"
RESULT_TEXT_FIELDS = ("label", "details", "period", "outputs", "outcomes", "remarks")
MEASURE_FIELDS = ("title", "indicator", "guideline", "steps", "responsible", "monitoring", "rounds")


# --- starting a year ------------------------------------------------------------------------------

def start_year(*, actor, agency: Agency, fiscal_year: int, framework_year: int | None = None) -> YearPlan:
    """A new, empty fiscal year (BE) for the agency, pinned to the catalogue that applies to it: the ITA
    year's own (framework_year defaults to the fiscal year) or, when there is none yet, the latest one,
    provisionally (framework.store)."""
    from prongsai.framework import store

    fiscal_year = int(fiscal_year)
    framework_year = int(framework_year or fiscal_year)
    try:
        row, _provisional_for = store.applicable_row(framework_year, agency.family)
    except UnknownFrameworkYear:
        raise ValidationError({"framework_year": _("ระบบยังไม่มีเกณฑ์ ITA ที่ใช้กับปี %(year)s ได้ (ปีห่างจากปัจจุบันเกินไป)")
                               % {"year": framework_year}}) from None
    with transaction.atomic():
        if YearPlan.objects.filter(agency=agency, fiscal_year=fiscal_year).exists():
            raise ValidationError({"fiscal_year": _("หน่วยงานมีปีงบประมาณ %(year)s อยู่แล้ว") % {"year": fiscal_year}})
        plan = YearPlan.objects.create(agency=agency, fiscal_year=fiscal_year, framework_year=framework_year,
                                       catalogue=row)
        audit.record(actor=actor, action="measures.yearplan.created", obj=plan, agency=agency,
                     changes=audit.diff(None, audit.snapshot(plan)))
    return plan


# --- measures -------------------------------------------------------------------------------------

def _measure_snapshot(measure: Measure) -> dict:
    data = audit.snapshot(measure)
    data["units"] = sorted(measure.units.values_list("name", flat=True)) if measure.pk else []
    return data


def _check_measure(plan: YearPlan, *, title: str, indicator: int | None, rounds: Iterable[int],
                   units: Iterable[Unit], texts: dict) -> list[int]:
    errors = limits.check({"title": title, **texts}, limits.MEASURE, plan.agency.digits)
    if not (title or "").strip():
        errors["title"] = _("กรุณากรอกชื่อตัวชี้วัด/มาตรการ")
    rounds = sorted({int(r) for r in rounds})
    if not rounds or any(r not in fiscal.ROUNDS for r in rounds):
        errors["rounds"] = _("รอบการติดตาม: เลือกอย่างน้อยหนึ่งรอบจาก ๓ ๖ ๙ ๑๒ เดือน")
    if indicator is not None:
        try:
            framework = framework_for_plan(plan)
        except UnknownFrameworkYear:
            framework = None
        if framework is not None and int(indicator) not in framework.indicator_numbers:
            errors["indicator"] = _("ตัวชี้วัดที่ %(no)s ไม่มีในเกณฑ์ ITA ปี %(year)s") % {
                "no": indicator, "year": plan.framework_year}
    if any(unit.agency_id != plan.agency_id for unit in units):
        errors["units"] = _("ส่วนราชการที่เลือกไม่ใช่ของหน่วยงานนี้")
    if errors:
        raise ValidationError(errors)
    return rounds


def _lock(plan: YearPlan) -> YearPlan:
    """Serialise changes to one year's measure order (PostgreSQL row lock; SQLite writes are serial)."""
    return YearPlan.objects.select_for_update().get(pk=plan.pk)


def create_measure(*, actor, plan: YearPlan, title: str, rounds: Iterable[int], indicator: int | None = None,
                   guideline: str = "", steps: str = "", responsible: str = "",
                   monitoring: str = DEFAULT_MONITORING, units: Iterable[Unit] = (),
                   action: str = "measures.measure.created", source: str | None = None) -> Measure:
    """A new measure at the end of the year's table."""
    units = list(units)
    rounds = _check_measure(plan, title=title, indicator=indicator, rounds=rounds, units=units,
                            texts={"guideline": guideline, "steps": steps, "responsible": responsible,
                                   "monitoring": monitoring})
    with transaction.atomic():
        _lock(plan)
        last = plan.measures.aggregate(last=Max("order"))["last"] or 0
        measure = Measure.objects.create(
            plan=plan, order=last + 1, title=title.strip(), indicator=indicator, guideline=guideline,
            steps=steps, responsible=responsible, monitoring=monitoring, rounds=rounds,
        )
        measure.units.set(units)
        changes = audit.diff(None, _measure_snapshot(measure))
        if source:
            changes["source"] = [None, source]
        audit.record(actor=actor, action=action, obj=measure, agency=plan.agency, changes=changes)
    return measure


def update_measure(*, actor, measure: Measure, title: str, rounds: Iterable[int], indicator: int | None = None,
                   guideline: str = "", steps: str = "", responsible: str = "",
                   monitoring: str = DEFAULT_MONITORING, units: Iterable[Unit] = ()) -> Measure:
    """Change a measure's texts, rounds and units. A round that already has a result cannot be
    dropped (the report and the year file need every result's round among the measure's rounds)."""
    units = list(units)
    plan = measure.plan
    rounds = _check_measure(plan, title=title, indicator=indicator, rounds=rounds, units=units,
                            texts={"guideline": guideline, "steps": steps, "responsible": responsible,
                                   "monitoring": monitoring})
    with transaction.atomic():
        measure = Measure.objects.select_for_update().get(pk=measure.pk)
        recorded = sorted(set(measure.results.values_list("round", flat=True)) - set(rounds))
        if recorded:
            raise ValidationError({"rounds": _(
                "รอบการติดตาม: รอบ %(rounds)s เดือน มีผลการดำเนินงานบันทึกไว้แล้ว ต้องลบผลของรอบนั้นก่อนจึงจะนำรอบออกได้"
            ) % {"rounds": ", ".join(str(r) for r in recorded)}})
        before = _measure_snapshot(measure)
        measure.title, measure.indicator, measure.rounds = title.strip(), indicator, rounds
        measure.guideline, measure.steps, measure.responsible = guideline, steps, responsible
        measure.monitoring = monitoring
        measure.save()
        measure.units.set(units)
        changes = audit.diff(before, _measure_snapshot(measure))
        if changes:
            audit.record(actor=actor, action="measures.measure.updated", obj=measure, agency=plan.agency,
                         changes=changes)
    return measure


def delete_measure(*, actor, measure: Measure) -> None:
    """Delete a measure with its results and evidence; the measures after it move up one place."""
    plan = measure.plan
    with transaction.atomic():
        _lock(plan)
        measure = Measure.objects.get(pk=measure.pk)
        files = list(Evidence.objects.filter(result__measure=measure).exclude(file="").values_list("file", flat=True))
        before = _measure_snapshot(measure)
        audit.record(actor=actor, action="measures.measure.deleted", obj=measure, agency=plan.agency,
                     changes=audit.diff(before, None))
        order = measure.order
        measure.delete()
        for later in plan.measures.filter(order__gt=order).order_by("order"):
            later.order -= 1
            later.save(update_fields=["order"])
        _delete_files_on_commit(files)


def move_measure(*, actor, measure: Measure, direction: str) -> Measure:
    """Swap a measure with the one above ("up") or below ("down") it; at either end nothing changes."""
    if direction not in ("up", "down"):
        raise ValidationError({"direction": _("ทิศทางต้องเป็น up หรือ down")})
    plan = measure.plan
    with transaction.atomic():
        _lock(plan)
        measure = Measure.objects.get(pk=measure.pk)
        siblings = plan.measures.order_by("order" if direction == "down" else "-order")
        other = siblings.filter(**{"order__gt" if direction == "down" else "order__lt": measure.order}).first()
        if other is None:
            return measure
        mine, theirs = measure.order, other.order
        measure.order = 0  # orders start at 1: 0 is free while the two swap places
        measure.save(update_fields=["order"])
        other.order = mine
        other.save(update_fields=["order"])
        measure.order = theirs
        measure.save(update_fields=["order"])
        audit.record(actor=actor, action="measures.measure.moved", obj=measure, agency=plan.agency,
                     changes={"order": [mine, theirs]})
    return measure


def ranked_suggestions(*, gap_indicators: list[int]) -> list[tuple[SuggestedMeasure, bool]]:
    """The catalogue's suggestions, those addressing the given (below the pass mark) indicators
    first, in the order of `gap_indicators`; each with True when it addresses one of them."""
    rank = {no: index for index, no in enumerate(gap_indicators)}
    everything = suggested_measures()
    first = sorted((s for s in everything if s.indicator in rank), key=lambda s: rank[s.indicator])
    rest = [s for s in everything if s.indicator not in rank]
    return [(s, True) for s in first] + [(s, False) for s in rest]


def adopt_measure(*, actor, plan: YearPlan, key: str) -> Measure:
    """Copy a catalogue suggestion into a new measure at the end of the table, for the user to edit."""
    found = next((s for s in suggested_measures() if s.key == key), None)
    if found is None:
        raise ValidationError({"key": _("ไม่พบมาตรการแนะนำที่เลือก")})
    indicator = found.indicator
    try:
        if indicator is not None and indicator not in framework_for_plan(plan).indicator_numbers:
            indicator = None
    except UnknownFrameworkYear:
        pass
    return create_measure(
        actor=actor, plan=plan, title=found.title, indicator=indicator, guideline=found.guideline,
        steps=found.steps, responsible=found.responsible, monitoring=found.monitoring, rounds=list(found.rounds),
        action="measures.measure.adopted", source=found.key,
    )


# --- round results --------------------------------------------------------------------------------

def _check_round(measure: Measure, round: int) -> int:
    round = int(round)
    if round not in measure.rounds:
        raise ValidationError({"round": _("มาตรการนี้ไม่ได้ติดตามผลรอบ %(round)s เดือน") % {"round": round}})
    return round


def save_round_result(*, actor, measure: Measure, round: int, label: str = "", details: str = "",
                      period: str = "", outputs: str = "", outcomes: str = "", remarks: str = "") -> RoundResult:
    """Record (create or change) what was done for a measure in one of its rounds."""
    round = _check_round(measure, round)
    values = {"label": label, "details": details, "period": period, "outputs": outputs,
              "outcomes": outcomes, "remarks": remarks}
    limits.require(values, limits.RESULT, measure.plan.agency.digits)
    with transaction.atomic():
        result = RoundResult.objects.select_for_update().filter(measure=measure, round=round).first()
        before = audit.snapshot(result) if result else None
        if result is None:
            result = RoundResult(measure=measure, round=round)
        for name, value in values.items():
            setattr(result, name, value or "")
        result.save()
        changes = audit.diff(before, audit.snapshot(result))
        if changes:
            action = "measures.roundresult.updated" if before else "measures.roundresult.created"
            audit.record(actor=actor, action=action, obj=result, agency=measure.plan.agency, changes=changes)
    return result


def delete_round_result(*, actor, result: RoundResult) -> None:
    """Delete a round's result with its evidence (e.g. before dropping the round from the measure)."""
    with transaction.atomic():
        files = list(result.evidence.exclude(file="").values_list("file", flat=True))
        audit.record(actor=actor, action="measures.roundresult.deleted", obj=result,
                     agency=result.measure.plan.agency, changes=audit.diff(audit.snapshot(result), None))
        result.delete()
        _delete_files_on_commit(files)


def _result_for_evidence(measure: Measure, round: int) -> RoundResult:
    """The round's result, created empty when evidence comes before the details."""
    round = _check_round(measure, round)
    result, created = RoundResult.objects.get_or_create(measure=measure, round=round)
    return result


def _next_evidence_order(result: RoundResult) -> int:
    return (result.evidence.aggregate(last=Max("order"))["last"] or 0) + 1


def add_evidence_link(*, actor, measure: Measure, round: int, url: str, title: str = "") -> Evidence:
    """A link (http or https) as evidence of the round's result."""
    url = (url or "").strip()
    if not url.lower().startswith(("http://", "https://")):
        raise ValidationError({"url": _("ลิงก์: ต้องขึ้นต้นด้วย http:// หรือ https://")})
    limits.require({"url": url, "title": (title or "").strip()}, limits.EVIDENCE, measure.plan.agency.digits)
    with transaction.atomic():
        result = _result_for_evidence(measure, round)
        evidence = Evidence.objects.create(result=result, order=_next_evidence_order(result),
                                           title=(title or "").strip(), url=url)
        audit.record(actor=actor, action="measures.evidence.added", obj=evidence, agency=measure.plan.agency,
                     changes=audit.diff(None, audit.snapshot(evidence)))
    return evidence


# Evidence files: the kinds accepted, each with the extensions that may claim it and its content type.
UPLOAD_KINDS: dict[str, tuple[tuple[str, ...], str]] = {
    "pdf": ((".pdf",), "application/pdf"),
    "png": ((".png",), "image/png"),
    "jpeg": ((".jpg", ".jpeg"), "image/jpeg"),
    "docx": ((".docx",), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xlsx": ((".xlsx",), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}
EXTENSIONS = {ext: kind for kind, (exts, _type) in UPLOAD_KINDS.items() for ext in exts}


def max_upload_bytes() -> int:
    return int(getattr(settings, "PRONGSAI_MAX_UPLOAD_MB", 20)) * 1024 * 1024


def sniff(fh) -> str | None:
    """The kind of a file judged by its content alone (magic bytes; for DOCX/XLSX the zip's parts),
    or None when it is none of the accepted kinds. Leaves the file at its start."""
    fh.seek(0)
    head = fh.read(8)
    fh.seek(0)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(fh) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            return None
        finally:
            fh.seek(0)
        if "[Content_Types].xml" in names and "word/document.xml" in names:
            return "docx"
        if "[Content_Types].xml" in names and "xl/workbook.xml" in names:
            return "xlsx"
    return None


def check_upload(upload, *, field_name: str = "file") -> str:
    """The kind of an uploaded evidence file, after checking its size, its content and that its
    name's extension matches that content. Raises ValidationError (Thai, naming the field)."""
    limit = max_upload_bytes()
    if upload.size > limit:
        raise ValidationError({field_name: _("ไฟล์: มีขนาดเกิน %(mb)s MB ที่ระบบรับได้") % {
            "mb": getattr(settings, "PRONGSAI_MAX_UPLOAD_MB", 20)}})
    if upload.size == 0:
        raise ValidationError({field_name: _("ไฟล์: เป็นไฟล์ว่าง")})
    extension = PurePath(upload.name or "").suffix.lower()
    claimed = EXTENSIONS.get(extension)
    if claimed is None:
        raise ValidationError({field_name: _("ไฟล์: รับเฉพาะ PDF, PNG, JPEG, DOCX และ XLSX (ไฟล์นี้เป็น %(ext)s)")
                               % {"ext": extension or _("ไฟล์ไม่มีนามสกุล")}})
    actual = sniff(upload)
    if actual is None:
        raise ValidationError({field_name: _("ไฟล์: เนื้อหาของไฟล์ไม่ใช่ PDF, PNG, JPEG, DOCX หรือ XLSX")})
    if actual != claimed:
        raise ValidationError({field_name: _("ไฟล์: นามสกุล %(ext)s ไม่ตรงกับเนื้อหาของไฟล์ซึ่งเป็น %(kind)s")
                               % {"ext": extension, "kind": actual.upper()}})
    return actual


def add_evidence_file(*, actor, measure: Measure, round: int, upload, title: str = "") -> Evidence:
    """Store an uploaded file under a random name in MEDIA_ROOT (never served publicly; see the
    workspace's download view) with its SHA-256, as evidence of the round's result."""
    kind = check_upload(upload)
    _check_round(measure, round)
    limits.require({"title": (title or "").strip()}, limits.EVIDENCE, measure.plan.agency.digits)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    extension = UPLOAD_KINDS[kind][0][0]
    name = f"evidence/{timezone.localdate():%Y}/{secrets.token_hex(16)}{extension}"
    title = (title or "").strip() or PurePath(upload.name).stem[:limits.EVIDENCE_TITLE]
    saved = default_storage.save(name, upload)
    try:
        with transaction.atomic():
            result = _result_for_evidence(measure, round)
            evidence = Evidence.objects.create(result=result, order=_next_evidence_order(result), title=title,
                                               file=saved, sha256=digest.hexdigest())
            audit.record(actor=actor, action="measures.evidence.added", obj=evidence, agency=measure.plan.agency,
                         changes=audit.diff(None, audit.snapshot(evidence)))
    except BaseException:
        default_storage.delete(saved)  # the row was not written: the file must not stay behind
        raise
    return evidence


def delete_evidence(*, actor, evidence: Evidence) -> None:
    with transaction.atomic():
        agency = evidence.result.measure.plan.agency
        audit.record(actor=actor, action="measures.evidence.deleted", obj=evidence, agency=agency,
                     changes=audit.diff(audit.snapshot(evidence), None))
        files = [evidence.file.name] if evidence.file else []
        evidence.delete()
        _delete_files_on_commit(files)


def evidence_content_type(evidence: Evidence) -> str:
    kind = EXTENSIONS.get(PurePath(evidence.file.name).suffix.lower())
    return UPLOAD_KINDS[kind][1] if kind else "application/octet-stream"


def _delete_files_on_commit(names: list[str]) -> None:
    """Once the rows are gone for good, remove the stored files no other evidence row names."""
    if not names:
        return

    def remove():
        used = set(Evidence.objects.filter(file__in=names).values_list("file", flat=True))
        for name in set(names) - used:
            default_storage.delete(name)

    transaction.on_commit(remove)


# --- round status ---------------------------------------------------------------------------------

PLANNED, IN_PROGRESS, DONE, OVERDUE = "planned", "in_progress", "done", "overdue"
STATUSES = (PLANNED, IN_PROGRESS, DONE, OVERDUE)


def round_begins(round: fiscal.Round) -> dt.date:
    """When work on a round's report starts: the day after the previous round (3 months earlier)
    ends; the first round (3 months) starts with the fiscal year."""
    if round.months == fiscal.ROUNDS[0]:
        return round.start
    return fiscal.round_of(round.fiscal_year, round.months - 3).end + dt.timedelta(days=1)


def round_status(*, result: RoundResult | None, round: fiscal.Round, today: dt.date) -> str:
    """planned / in_progress / done / overdue for one measure in one round.

    done: a result with details recorded. overdue: not done and the round has ended. in_progress:
    not done, and a result exists (without details) or the round's period has begun (see
    `round_begins`). planned: otherwise."""
    if result is not None and (result.details or "").strip():
        return DONE
    if today > round.end:
        return OVERDUE
    if result is not None or today >= round_begins(round):
        return IN_PROGRESS
    return PLANNED


def missing_results(plan: YearPlan, round: int) -> list[Measure]:
    """The measures of the year monitored in `round` that have no result with details for it yet (not
    done): the rows the round's report leaves empty. In the table's order."""
    missing = []
    for measure in plan.measures.prefetch_related("results").order_by("order"):
        if int(round) not in measure.rounds:
            continue
        result = next((r for r in measure.results.all() if r.round == int(round)), None)
        if result is None or not (result.details or "").strip():
            missing.append(measure)
    return missing


@dataclass
class Progress:
    done: int = 0
    monitored: int = 0
    counts: dict = field(default_factory=lambda: dict.fromkeys(STATUSES, 0))

    def add(self, status: str) -> None:
        self.monitored += 1
        self.counts[status] += 1
        if status == DONE:
            self.done += 1

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.monitored) if self.monitored else 0


@dataclass(frozen=True)
class Cell:
    round: fiscal.Round
    status: str  # one of STATUSES; "" when the measure does not monitor the round
    result: RoundResult | None


@dataclass(frozen=True)
class MeasureRow:
    measure: Measure
    cells: list[Cell]


@dataclass
class YearProgress:
    plan: YearPlan
    today: dt.date
    rows: list[MeasureRow]
    by_round: dict[int, Progress]
    by_indicator: dict[int | None, Progress]
    overall: Progress


def year_progress(*, plan: YearPlan, today: dt.date) -> YearProgress:
    """Every measure × round of the year with its status, and progress per round and per indicator."""
    rows = []
    by_round = {m: Progress() for m in fiscal.ROUNDS}
    by_indicator: dict[int | None, Progress] = {}
    overall = Progress()
    for measure in plan.measures.prefetch_related("results"):
        results = {r.round: r for r in measure.results.all()}
        cells = []
        for months in fiscal.ROUNDS:
            rnd = fiscal.round_of(plan.fiscal_year, months)
            if months not in measure.rounds:
                cells.append(Cell(rnd, "", results.get(months)))
                continue
            status = round_status(result=results.get(months), round=rnd, today=today)
            cells.append(Cell(rnd, status, results.get(months)))
            by_round[months].add(status)
            by_indicator.setdefault(measure.indicator, Progress()).add(status)
            overall.add(status)
        rows.append(MeasureRow(measure, cells))
    ordered = dict(sorted(by_indicator.items(), key=lambda item: (item[0] is None, item[0] or 0)))
    return YearProgress(plan=plan, today=today, rows=rows, by_round=by_round, by_indicator=ordered, overall=overall)


# --- reminders ------------------------------------------------------------------------------------

DUE_SOON, LATE = "due_soon", "overdue"


@dataclass(frozen=True)
class ReminderItem:
    measure: Measure
    round: fiscal.Round
    kind: str  # DUE_SOON or LATE
    days: int  # days left (due soon) or days past the end (overdue)

    @property
    def agency(self) -> Agency:
        return self.measure.plan.agency


def reminder_items(*, today: dt.date, days: int = 14, overdue_days: int = 90) -> list[ReminderItem]:
    """Every measure × monitored round not done whose round ends within `days` days from today
    (due soon) or ended at most `overdue_days` days ago (overdue), over all agencies."""
    current = fiscal.of_date(today)
    plans = YearPlan.objects.filter(fiscal_year__in=[current - 1, current]).select_related("agency")
    measures = (Measure.objects.filter(plan__in=plans).select_related("plan__agency")
                .prefetch_related("results", "units").order_by("plan__agency__name", "plan__fiscal_year", "order"))
    items = []
    for measure in measures:
        results = {r.round: r for r in measure.results.all()}
        for months in sorted(measure.rounds):
            rnd = fiscal.round_of(measure.plan.fiscal_year, months)
            if round_status(result=results.get(months), round=rnd, today=today) == DONE:
                continue
            left = (rnd.end - today).days
            if 0 <= left <= days:
                items.append(ReminderItem(measure, rnd, DUE_SOON, left))
            elif -overdue_days <= left < 0:
                items.append(ReminderItem(measure, rnd, LATE, -left))
    return items


def recipients_of(measure: Measure) -> set[str]:
    """The e-mail addresses of the people of the measure's units and of the agency's planners."""
    agency = measure.plan.agency
    people = Person.objects.filter(agency=agency, unit__in=measure.units.all()).exclude(email="")
    planners = Membership.objects.filter(agency=agency, role=Membership.Role.PLANNER, user__is_active=True)
    emails = set(people.values_list("email", flat=True))
    emails |= set(planners.exclude(user__email="").values_list("user__email", flat=True))
    return {email.strip().lower() for email in emails if email.strip()}


@dataclass
class ReminderSummary:
    items: int = 0
    sent: list[str] = field(default_factory=list)
    already_sent: list[str] = field(default_factory=list)
    no_recipient: int = 0


def _item_line(item: ReminderItem) -> str:
    style = item.agency.digits
    measure = item.measure
    end = thai.format_date(item.round.end, style)
    if item.kind == DUE_SOON:
        when = (_("ครบกำหนดวันนี้ (%(end)s)") if item.days == 0 else _("ครบกำหนด %(end)s (อีก %(days)s วัน)"))
    else:
        when = _("เลยกำหนดมาแล้ว %(days)s วัน (ครบกำหนด %(end)s)")
    text = _("- มาตรการที่ %(order)s %(title)s: %(round)s %(when)s") % {
        "order": measure.order, "title": measure.title, "round": item.round.label(style),
        "when": when % {"end": end, "days": item.days},
    }
    return thai.digits(text, style)


def reminder_message(items: list[ReminderItem]) -> tuple[str, str]:
    """(subject, body) of one recipient's reminder, in Thai, grouped by agency and year."""
    style = items[0].agency.digits
    due = sum(1 for i in items if i.kind == DUE_SOON)
    late = len(items) - due
    subject = thai.digits(_("[โปร่งใส] แจ้งเตือนการรายงานผลตามมาตรการ: ใกล้ครบกำหนด %(due)s รายการ เลยกำหนด %(late)s รายการ")
                          % {"due": due, "late": late}, style)
    lines = [_("เรียน ผู้รับผิดชอบมาตรการส่งเสริมคุณธรรมและความโปร่งใส"), "",
             _("รายการต่อไปนี้ยังไม่ได้บันทึกรายละเอียดผลการดำเนินงาน:")]
    groups: dict[tuple, list[ReminderItem]] = defaultdict(list)
    for item in items:
        groups[(item.agency.name, item.measure.plan.fiscal_year, item.agency.digits)].append(item)
    for (name, year, digits), group in groups.items():
        lines += ["", thai.digits(_("%(agency)s ปีงบประมาณ %(year)s") % {"agency": name, "year": year}, digits)]
        lines += [_item_line(item) for item in sorted(group, key=lambda i: (i.kind != LATE, i.round.end, i.measure.order))]
    lines += ["", _("กรุณาบันทึกผลการดำเนินงานในระบบโปร่งใส (หน้าภาพรวมรอบการติดตามของปีงบประมาณ)"), "",
              _("อีเมลฉบับนี้ส่งโดยอัตโนมัติ วันละไม่เกินหนึ่งฉบับ")]
    return subject, "\n".join(lines)


def send_reminders(*, today: dt.date, days: int = 14, overdue_days: int = 90) -> ReminderSummary:
    """E-mail each recipient, at most once a day, the list of their due-soon and overdue items.

    A ReminderLog row per (day, address) is written in the same transaction as the sending, so a
    rerun on the same day skips the addresses already done and a failed send leaves no row."""
    summary = ReminderSummary()
    per_address: dict[str, list[ReminderItem]] = defaultdict(list)
    with translation.override("th"):
        items = reminder_items(today=today, days=days, overdue_days=overdue_days)
        summary.items = len(items)
        for item in items:
            emails = recipients_of(item.measure)
            if not emails:
                summary.no_recipient += 1
            for email in emails:
                per_address[email].append(item)
        for email in sorted(per_address):
            if ReminderLog.objects.filter(sent_on=today, email=email).exists():
                summary.already_sent.append(email)
                continue
            subject, body = reminder_message(per_address[email])
            try:
                with transaction.atomic():
                    ReminderLog.objects.create(sent_on=today, email=email, items=len(per_address[email]))
                    send_mail(subject, body, None, [email])
            except IntegrityError:  # another run got there first
                summary.already_sent.append(email)
                continue
            summary.sent.append(email)
    return summary


# --- the results spreadsheet ----------------------------------------------------------------------

# The columns of the sheet "ผลการดำเนินงาน", in order: a measure key (hidden), the round, then the
# report's results table (ตัวชี้วัด … หมายเหตุ). Used by the export and the import alike.
RESULT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("key", "รหัสมาตรการ"),
    ("round", "รอบ (เดือน)"),
    ("label", "ตัวชี้วัด"),
    ("details", "รายละเอียดการดำเนินงาน"),
    ("period", "ระยะเวลาการดำเนินงาน"),
    ("outputs", "ผลผลิต"),
    ("outcomes", "ผลลัพธ์"),
    ("remarks", "หมายเหตุ"),
)
RESULT_HEADINGS = dict(RESULT_COLUMNS)
MAX_LENGTHS = {name: limit for name, (limit, _label) in limits.RESULT.items()}


def measure_key(measure: Measure) -> str:
    """The stable key of a measure in exported spreadsheets (its order may change, its id does not)."""
    return f"M{measure.pk}"


class ImportInvalid(ValueError):
    """The rows of an import have errors; nothing was written. `.errors`: Thai, naming row and column."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("\n".join(errors))


@dataclass
class ImportOutcome:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def _cell_error(row: int, column: str, message: str) -> str:
    return _("แถวที่ %(row)s คอลัมน์ %(column)s: %(message)s") % {
        "row": row, "column": RESULT_HEADINGS[column], "message": message}


def import_results(*, actor, plan: YearPlan, rows: list[tuple[int, dict]]) -> ImportOutcome:
    """Write the rows of a results sheet ((row number, {column key: text})) into the year's round
    results, all or nothing. A row is matched by its measure key and round; the ตัวชี้วัด cell
    becomes the result's own label unless it is empty or the measure's title. A row with every text
    empty creates nothing (but clears an existing result's texts)."""
    measures = {measure_key(m): m for m in plan.measures.all()}
    errors: list[str] = []
    wanted: dict[tuple[int, int], tuple[int, Measure, dict]] = {}
    for number, row in rows:
        key = (row.get("key") or "").strip().upper()
        measure = measures.get(key)
        if not key:
            errors.append(_cell_error(number, "key", _("ไม่มีรหัสมาตรการ (ใช้ไฟล์ที่ส่งออกจากระบบ)")))
            continue
        if measure is None:
            errors.append(_cell_error(number, "key", _("ไม่พบมาตรการรหัส %(key)s ในปีงบประมาณนี้") % {"key": key}))
            continue
        round_text = thai.to_arabic(row.get("round") or "").strip()
        digits_only = "".join(ch for ch in round_text if ch.isdigit())
        if not digits_only or int(digits_only) not in fiscal.ROUNDS:
            errors.append(_cell_error(number, "round", _("ต้องเป็น ๓ ๖ ๙ หรือ ๑๒")))
            continue
        months = int(digits_only)
        if months not in measure.rounds:
            errors.append(_cell_error(number, "round", _("มาตรการ %(title)s ไม่ได้ติดตามผลรอบ %(round)s เดือน")
                                      % {"title": measure.title, "round": months}))
            continue
        if (measure.pk, months) in wanted:
            first = wanted[(measure.pk, months)][0]
            errors.append(_cell_error(number, "key", _("ซ้ำกับแถวที่ %(row)s (มาตรการและรอบเดียวกัน)") % {"row": first}))
            continue
        values = {name: (row.get(name) or "").strip() for name in RESULT_TEXT_FIELDS}
        if values["label"] == measure.title:
            values["label"] = ""
        bad = False
        for name, limit in MAX_LENGTHS.items():
            if len(values[name]) > limit:
                errors.append(_cell_error(number, name, _("ยาวเกิน %(limit)s ตัวอักษร") % {
                    "limit": thai.format_number(limit, plan.agency.digits)}))
                bad = True
        if not bad:
            wanted[(measure.pk, months)] = (number, measure, values)
    if errors:
        raise ImportInvalid(errors)

    outcome = ImportOutcome()
    with transaction.atomic():
        existing = {(r.measure_id, r.round): r for r in
                    RoundResult.objects.select_for_update().filter(measure__plan=plan)}
        for (measure_id, months), (number, measure, values) in wanted.items():
            result = existing.get((measure_id, months))
            if result is None and not any(values.values()):
                continue
            before = audit.snapshot(result) if result else None
            result = result or RoundResult(measure=measure, round=months)
            for name, value in values.items():
                setattr(result, name, value)
            changes = audit.diff(before, audit.snapshot(result))
            if not changes:
                outcome.unchanged += 1
                continue
            result.save()
            changes = audit.diff(before, audit.snapshot(result))
            changes["source"] = [None, _("นำเข้าจากไฟล์ Excel แถวที่ %(row)s") % {"row": number}]
            action = "measures.roundresult.updated" if before else "measures.roundresult.created"
            audit.record(actor=actor, action=action, obj=result, agency=plan.agency, changes=changes)
            if before:
                outcome.updated += 1
            else:
                outcome.created += 1
    return outcome
