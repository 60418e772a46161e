"""Model rows to the API's JSON shapes (plain dicts, validated by the response schemas)."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from prongsai.agencies import policy
from prongsai.agencies.models import Agency
from prongsai.assessments.models import ITAResult
from prongsai.assessments.services import evaluate
from prongsai.framework.catalogue import UnknownFrameworkYear, get_framework
from prongsai.lib import fiscal
from prongsai.measures import services as measures
from prongsai.measures.models import Evidence, Measure, RoundResult, YearPlan
from prongsai.memos.models import Memo, Signer
from prongsai.reports.models import ReportVersion

NAMESPACE = "api-v1"


def absolute(request, path: str) -> str:
    return request.build_absolute_uri(path)


def api_url(request, name: str, *args) -> str:
    return absolute(request, reverse(f"{NAMESPACE}:{name}", args=args))


def web_url(request, name: str, *args) -> str:
    return absolute(request, reverse(name, args=args))


# --- agencies ----------------------------------------------------------------------------------------

def agency(request, item: Agency, user) -> dict:
    return {
        "slug": item.slug, "name": item.name, "kind": item.kind, "office": item.office,
        "district": item.district, "province": item.province, "digits": item.digits,
        "roles": sorted(policy.roles(user, item)), "permissions": sorted(policy.permissions(user, item)),
        "url": web_url(request, "web:agency_detail", item.slug),
    }


def agency_detail(request, item: Agency, user) -> dict:
    return {
        **agency(request, item, user),
        "doc_prefix": item.doc_prefix, "executive_title": item.executive_title, "address": item.address,
        "phone": item.phone, "email": item.email, "website": item.website,
        "units": [{"id": u.pk, "name": u.name} for u in item.units.all()],
        "fiscal_years": list(item.years.order_by("-fiscal_year").values_list("fiscal_year", flat=True)),
    }


# --- years -------------------------------------------------------------------------------------------

def based_on(plan: YearPlan) -> int:
    """The ITA year whose result the year's measures answer (as the year page decides it)."""
    return int((plan.analysis or {}).get("based_on") or plan.fiscal_year - 1)


def year(request, plan: YearPlan) -> dict:
    return {
        "fiscal_year": plan.fiscal_year, "framework_year": plan.framework_year, "based_on": based_on(plan),
        "measures": plan.measures.count(), "memos": plan.memos.count(),
        "url": web_url(request, "web:year_detail", plan.agency.slug, plan.fiscal_year),
    }


def _progress(progress: measures.Progress) -> dict:
    return {"done": progress.done, "monitored": progress.monitored, "percent": progress.percent,
            "counts": dict(progress.counts)}


def year_detail(request, plan: YearPlan, today: dt.date) -> dict:
    progress = measures.year_progress(plan=plan, today=today)
    rounds = []
    for months in fiscal.ROUNDS:
        rnd = fiscal.round_of(plan.fiscal_year, months)
        rounds.append({"round": months, "start": rnd.start, "end": rnd.end, **_progress(progress.by_round[months])})
    return {
        **year(request, plan), "start": fiscal.start(plan.fiscal_year), "end": fiscal.end(plan.fiscal_year),
        "analysis": plan.analysis, "progress": _progress(progress.overall), "rounds": rounds,
    }


# --- ITA scores --------------------------------------------------------------------------------------

def _figures(source, grade: str) -> dict:
    return {"iit": source.iit, "eit": source.eit, "oit": source.oit, "total": source.total, "grade": grade}


def scores(result: ITAResult) -> dict:
    indicators = {s.indicator: s.score for s in result.scores.order_by("indicator")}
    try:
        framework = get_framework(result.year)
    except UnknownFrameworkYear:
        framework = None
    evaluation = None
    if framework is not None:
        evaluation = evaluate(framework=framework, indicators=indicators, iit=result.iit, eit=result.eit,
                              oit=result.oit, total=result.total, grade=result.grade)
    return {
        "year": result.year, "indicators": indicators, "iit": result.iit, "eit": result.eit, "oit": result.oit,
        "total": result.total, "grade": result.grade, "note": result.note,
        "framework_year": framework.year if framework else None,
        "computed": _figures(evaluation.computed, evaluation.computed_grade) if evaluation else None,
        "evaluated": _figures(evaluation, evaluation.grade) if evaluation else None,
        "mismatches": list(evaluation.mismatches) if evaluation else [],
    }


# --- measures, results, evidence ---------------------------------------------------------------------

def measure(request, item: Measure, today: dt.date) -> dict:
    plan = item.plan
    results = {r.round: r for r in item.results.all()}
    states = []
    for months in sorted(item.rounds):
        result = results.get(months)
        status = measures.round_status(result=result, round=fiscal.round_of(plan.fiscal_year, months), today=today)
        states.append({"round": months, "status": status, "recorded": result is not None})
    return {
        "id": item.pk, "order": item.order, "indicator": item.indicator, "title": item.title,
        "guideline": item.guideline, "steps": item.steps, "responsible": item.responsible,
        "monitoring": item.monitoring, "rounds": sorted(item.rounds),
        "units": [{"id": u.pk, "name": u.name} for u in item.units.all()], "round_states": states,
        "url": web_url(request, "workspace:measure_edit", plan.agency.slug, plan.fiscal_year, item.pk),
    }


def evidence(request, item: Evidence, plan: YearPlan) -> dict:
    has_file = bool(item.file)
    return {
        "id": item.pk, "order": item.order, "title": item.title, "url": item.url, "has_file": has_file,
        "sha256": item.sha256,
        "download_url": api_url(request, "evidence_file", plan.agency.slug, plan.fiscal_year, item.pk)
        if has_file else None,
    }


def round_result(request, item: Measure, months: int, result: RoundResult | None, today: dt.date) -> dict:
    plan = item.plan
    rnd = fiscal.round_of(plan.fiscal_year, months)
    texts = {name: getattr(result, name) if result else "" for name in measures.RESULT_TEXT_FIELDS}
    return {
        "measure_id": item.pk, "round": months, "start": rnd.start, "end": rnd.end,
        "status": measures.round_status(result=result, round=rnd, today=today), "recorded": result is not None,
        **texts,
        "evidence": [evidence(request, e, plan) for e in result.evidence.all()] if result else [],
        "url": web_url(request, "workspace:round_result", plan.agency.slug, plan.fiscal_year, item.pk, months),
    }


# --- memos -------------------------------------------------------------------------------------------

def _username(user) -> str | None:
    return user.get_username() if user is not None else None


def _signer(signer: Signer) -> dict:
    return {"order": signer.order, "name": signer.name, "rank": signer.rank, "position": signer.position}


def _approver(signer: Signer) -> dict:
    return {**_signer(signer), "username": _username(signer.user), "status": signer.status,
            "comment": signer.comment, "signed_on": signer.signed_on, "signed_at": signer.signed_at,
            "return_reason": signer.return_reason}


def memo(request, item: Memo) -> dict:
    plan = item.plan
    current = item.current_approver()
    return {
        "fiscal_year": plan.fiscal_year, "round": item.round, "number": item.number, "date": item.date,
        "subject": item.subject, "status": item.status, "status_label": str(item.get_status_display()),
        "current_approver": _approver(current) if current else None,
        "url": web_url(request, "memos:memo_detail", plan.agency.slug, plan.fiscal_year, item.round),
    }


def version(request, item: ReportVersion) -> dict:
    plan = item.memo.plan
    args = (plan.agency.slug, plan.fiscal_year, item.memo.round, item.number)
    return {
        "number": item.number, "created_at": item.created_at, "created_by": _username(item.created_by),
        "files": [{"format": fmt, "sha256": sha,
                   "download_url": api_url(request, "version_file", *args, fmt),
                   "web_url": web_url(request, "memos:version_file", *args, fmt)}
                  for fmt, _file, sha in item.files()],
    }


def memo_detail(request, item: Memo) -> dict:
    item = (Memo.objects.select_related("plan__agency", "created_by").prefetch_related("signers__user")
            .get(pk=item.pk))
    versions = ReportVersion.objects.filter(memo=item).select_related("memo__plan__agency", "created_by")
    return {
        **memo(request, item), "addressee": item.addressee, "body": list(item.body or []),
        "preface_date": item.preface_date, "report_preparer_name": item.report_preparer_name,
        "report_preparer_position": item.report_preparer_position, "created_by": _username(item.created_by),
        "preparers": [_signer(s) for s in item.preparers()], "approvers": [_approver(s) for s in item.approvers()],
        "versions": [version(request, v) for v in versions.order_by("number")],
    }
