"""Reading one agency-year back out of the database as year-file data (see services.export_year)."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Prefetch

from prongsai.agencies.models import Agency, Unit
from prongsai.measures.models import Evidence, Measure, RoundResult, YearPlan
from prongsai.memos.models import Memo, Signer
from prongsai.yearfile.evidence import relative_name
from prongsai.yearfile.normalise import canonical, normalise


def _num(value: Decimal | None):
    return None if value is None else float(value)


def year_data(plan: YearPlan) -> dict:
    agency: Agency = plan.agency
    raw = {
        "version": 1,
        "fiscal_year": plan.fiscal_year,
        "framework_year": plan.framework_year,
        "agency": _agency(agency),
        "ita_results": [
            {
                "year": r.year,
                "indicators": {s.indicator: _num(s.score) for s in r.scores.all()},
                "iit": _num(r.iit), "eit": _num(r.eit), "oit": _num(r.oit), "total": _num(r.total),
                "grade": r.grade, "note": r.note,
            }
            for r in agency.ita_results.prefetch_related("scores")
        ],
        "analysis": plan.analysis,
        "measures": [_measure(m) for m in _measures(plan)],
        "reports": [_report(memo) for memo in Memo.objects.filter(plan=plan, kind=Memo.Kind.ROUND)
                    .prefetch_related("signers")],
        "wording": plan.wording,
    }
    return canonical(normalise(raw))


def _agency(agency: Agency) -> dict:
    fields = (
        "slug", "name", "kind", "office_name", "district", "province", "doc_prefix", "executive_title", "digits",
        "address", "phone", "email", "website",
    )
    return {
        **{name: getattr(agency, name) for name in fields},
        "urgent_below": _num(agency.urgent_below),
        "units": [unit.name for unit in Unit.objects.filter(agency=agency)],
        "people": [
            {"name": p.name, "rank": p.rank, "position": p.position, "unit": p.unit.name if p.unit else "",
             "email": p.email}
            for p in agency.people.select_related("unit")
        ],
        "wording": agency.wording,
    }


def _measures(plan: YearPlan):
    results = RoundResult.objects.prefetch_related(Prefetch("evidence", Evidence.objects.order_by("order", "id")))
    return Measure.objects.filter(plan=plan).prefetch_related("units", Prefetch("results", results))


def _measure(measure: Measure) -> dict:
    return {
        "title": measure.title, "indicator": measure.indicator, "guideline": measure.guideline,
        "steps": measure.steps, "responsible": measure.responsible,
        "units": [unit.name for unit in measure.units.all()],
        "monitoring": measure.monitoring, "rounds": measure.rounds,
        "results": [
            {
                "round": r.round, "label": r.label, "details": r.details, "period": r.period,
                "outputs": r.outputs, "outcomes": r.outcomes, "remarks": r.remarks,
                "evidence": [
                    {"title": e.title, "url": e.url, "file": relative_name(e.file.name) if e.file else ""}
                    for e in r.evidence.all()
                ],
            }
            for r in measure.results.all()
        ],
    }


def _signer(signer: Signer) -> dict:
    return {"name": signer.name, "rank": signer.rank, "position": signer.position, "comment": signer.comment,
            "date": signer.signed_on}


def _report(memo: Memo) -> dict:
    signers = sorted(memo.signers.all(), key=lambda s: s.order)
    return {
        "round": memo.round,
        "memo": {
            "number": memo.number, "date": memo.date, "subject": memo.subject, "addressee": memo.addressee,
            "body": memo.body,
            "preparers": [_signer(s) for s in signers if s.role == Signer.Role.PREPARER],
            "approvers": [_signer(s) for s in signers if s.role == Signer.Role.APPROVER],
        },
        "preface_date": memo.preface_date,
        "preparer": {"name": memo.report_preparer_name, "position": memo.report_preparer_position},
    }
