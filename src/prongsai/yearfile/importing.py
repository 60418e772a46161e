"""Writing one validated year file to the database (called by services.import_year inside its
transaction). The file is the truth for its agency-year: rows are matched by their natural key,
updated in place when they differ, created when missing and deleted when the file no longer has
them, so importing the same file twice changes nothing and keeps every row id.

Keys: unit and person by name; ITA result by year (only the file's years are touched); measure by
its position (order 1, 2, ...); round result by (measure, round); evidence by position within its
result; memo by round; signer by (role, position).

Each level is read with one query and written with bulk_create / bulk_update / one delete.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import models, transaction

from prongsai.agencies.models import Agency, Person, Unit
from prongsai.assessments.models import IndicatorScore, ITAResult
from prongsai.measures.models import Evidence, Measure, RoundResult, YearPlan
from prongsai.memos.models import Memo, Signer
from prongsai.yearfile.evidence import stored_name
from prongsai.yearfile.issues import Issue
from prongsai.yearfile.loader import YearFileInvalid

LABELS = {
    Agency: "agency", Unit: "unit", Person: "person", ITAResult: "ITA result", IndicatorScore: "indicator score",
    YearPlan: "year plan", Measure: "measure", Measure.units.through: "measure unit", RoundResult: "round result",
    Evidence: "evidence", Memo: "memo", Signer: "signer",
}
PLURALS = {"agency": "agencies", "person": "people", "evidence": "evidence"}
_BY_LABEL = {model._meta.label: name for model, name in LABELS.items()}


@dataclass
class ImportSummary:
    agency: str
    fiscal_year: int
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    deleted: Counter = field(default_factory=Counter)
    unchanged: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.deleted)

    def __str__(self) -> str:
        def part(word: str, counts: Counter) -> str:
            named = (f"{n} {name if n == 1 else PLURALS.get(name, name + 's')}" for name, n in counts.items() if n)
            items = ", ".join(named)
            return f"{word} {items or 'nothing'}"

        return (
            f"{self.agency} {self.fiscal_year}: {part('created', self.created)}; "
            f"{part('updated', self.updated)}; {part('deleted', self.deleted)}; {self.unchanged} rows unchanged"
        )


def _same(current, wanted) -> bool:
    if isinstance(current, Decimal) or isinstance(wanted, Decimal):
        if current is None or wanted is None:
            return current is wanted
        return Decimal(str(current)) == Decimal(str(wanted))
    if isinstance(current, models.fields.files.FieldFile):
        return (current.name or "") == (wanted or "")
    return current == wanted


def _changed(row: models.Model, fields: dict) -> list[str]:
    """Fields are given by attribute name (foreign keys as `<name>_id`), so comparing never queries."""
    return [name for name, value in fields.items() if not _same(getattr(row, name), value)]


class Writer:
    def __init__(self, summary: ImportSummary):
        self.summary = summary

    def delete(self, queryset: models.QuerySet) -> None:
        _, per_model = queryset.delete()
        for label, count in per_model.items():
            self.summary.deleted[_BY_LABEL.get(label, label)] += count

    def save_one(self, obj: models.Model, fields: dict) -> models.Model:
        changed = _changed(obj, fields)
        name = LABELS[type(obj)]
        for key in changed:
            setattr(obj, key, fields[key])
        if obj.pk is None:
            obj.save()
            self.summary.created[name] += 1
        elif changed:
            obj.save(update_fields=changed)
            self.summary.updated[name] += 1
        else:
            self.summary.unchanged += 1
        return obj

    def sync(self, model, existing: dict, wanted: dict, *, delete: bool = True) -> dict:
        """Make the rows `existing` ({key: row}) look like `wanted` ({key: {field: value}}).
        Returns {key: row} for every wanted key."""
        name = LABELS[model]
        rows, new, changed_rows, changed_fields = {}, [], [], set()
        for key, fields in wanted.items():
            row = existing.get(key)
            if row is None:
                row = model(**fields)
                new.append(row)
            else:
                changed = _changed(row, fields)
                if changed:
                    for f in changed:
                        setattr(row, f, fields[f])
                    changed_rows.append(row)
                    changed_fields.update(changed)
                else:
                    self.summary.unchanged += 1
            rows[key] = row
        if delete:
            gone = [row.pk for key, row in existing.items() if key not in wanted]
            if gone:
                self.delete(model.objects.filter(pk__in=gone))
        if new:
            model.objects.bulk_create(new)
            self.summary.created[name] += len(new)
        if changed_rows:
            model.objects.bulk_update(changed_rows, sorted(changed_fields))
            self.summary.updated[name] += len(changed_rows)
        return rows


def run(data: dict, *, base_dir: Path | None, summary: ImportSummary) -> YearPlan:
    writer = Writer(summary)
    agency = _agency(writer, data["agency"])
    fiscal_year = data["fiscal_year"]
    units = _units(writer, agency, data["agency"]["units"], fiscal_year)
    _people(writer, agency, data["agency"]["people"], units)
    _ita_results(writer, agency, data["ita_results"])
    plan = YearPlan.objects.filter(agency=agency, fiscal_year=fiscal_year).first() or YearPlan(
        agency=agency, fiscal_year=fiscal_year
    )
    files_before = set(
        Evidence.objects.filter(result__measure__plan_id=plan.pk).exclude(file="").values_list("file", flat=True)
    ) if plan.pk else set()
    writer.save_one(
        plan, {"framework_year": data["framework_year"], "analysis": data["analysis"], "wording": data["wording"]}
    )
    measures = _measures(writer, plan, data["measures"], units)
    _results(writer, plan, data["measures"], measures, base_dir)
    _reports(writer, plan, data["reports"])
    if files_before:
        transaction.on_commit(lambda: _delete_unused_files(files_before))
    return plan


AGENCY_FIELDS = (
    "name", "kind", "office_name", "district", "province", "doc_prefix", "executive_title", "digits",
    "address", "phone", "email", "website", "wording",
)


def _agency(writer: Writer, block: dict) -> Agency:
    agency = Agency.objects.filter(slug=block["slug"]).first() or Agency(slug=block["slug"])
    fields = {name: block[name] for name in AGENCY_FIELDS}
    fields["urgent_below"] = Decimal(str(block["urgent_below"]))
    return writer.save_one(agency, fields)


def _units(writer: Writer, agency: Agency, names: list[str], fiscal_year: int) -> dict[str, Unit]:
    """The file's units, in its order. A unit the file leaves out is deleted, unless measures of
    another year of the agency still name it: then it is kept, after the file's units."""
    existing = {unit.name: unit for unit in Unit.objects.filter(agency=agency)}
    wanted = {name: {"agency_id": agency.pk, "name": name, "order": index} for index, name in enumerate(names)}
    extra = [unit for name, unit in existing.items() if name not in wanted]
    if extra:
        through = Measure.units.through
        used = set(
            through.objects.filter(unit__in=extra)
            .exclude(measure__plan__fiscal_year=fiscal_year)
            .values_list("unit_id", flat=True)
        )
        kept = sorted((u for u in extra if u.pk in used), key=lambda u: (u.order, u.pk))
        for index, unit in enumerate(kept, start=len(names)):
            wanted[unit.name] = {"agency_id": agency.pk, "name": unit.name, "order": index}
    return writer.sync(Unit, existing, wanted)


def _people(writer: Writer, agency: Agency, people: list[dict], units: dict[str, Unit]) -> None:
    existing = {person.name: person for person in Person.objects.filter(agency=agency)}
    wanted = {
        p["name"]: {
            "agency_id": agency.pk, "name": p["name"], "rank": p["rank"], "position": p["position"],
            "unit_id": units[p["unit"]].pk if p["unit"] else None, "email": p["email"], "order": index,
        }
        for index, p in enumerate(people)
    }
    writer.sync(Person, existing, wanted)


def _score(value) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _ita_results(writer: Writer, agency: Agency, results: list[dict]) -> None:
    years = [r["year"] for r in results]
    existing = {r.year: r for r in ITAResult.objects.filter(agency=agency, year__in=years)}
    wanted = {
        r["year"]: {
            "agency_id": agency.pk, "year": r["year"], "grade": r["grade"], "note": r["note"],
            **{k: _score(r[k]) for k in ("iit", "eit", "oit", "total")},
        }
        for r in results
    }
    rows = writer.sync(ITAResult, existing, wanted, delete=False)
    existing_scores = {
        (s.result_id, s.indicator): s for s in IndicatorScore.objects.filter(result__in=list(rows.values()))
    }
    wanted_scores = {
        (rows[r["year"]].pk, number): {"result_id": rows[r["year"]].pk, "indicator": number, "score": _score(score)}
        for r in results
        for number, score in r["indicators"].items()
    }
    writer.sync(IndicatorScore, existing_scores, wanted_scores)


def _measures(writer: Writer, plan: YearPlan, measures: list[dict], units: dict[str, Unit]) -> dict[int, Measure]:
    existing = {m.order: m for m in Measure.objects.filter(plan=plan)}
    wanted = {
        order: {
            "plan_id": plan.pk, "order": order, "indicator": m["indicator"], "title": m["title"],
            "guideline": m["guideline"], "steps": m["steps"], "responsible": m["responsible"],
            "monitoring": m["monitoring"], "rounds": m["rounds"],
        }
        for order, m in enumerate(measures, start=1)
    }
    rows = writer.sync(Measure, existing, wanted)
    through = Measure.units.through
    existing_links = {
        (link.measure_id, link.unit_id): link for link in through.objects.filter(measure__plan=plan)
    }
    wanted_links = {
        (rows[order].pk, units[name].pk): {"measure_id": rows[order].pk, "unit_id": units[name].pk}
        for order, m in enumerate(measures, start=1)
        for name in m["units"]
    }
    writer.sync(through, existing_links, wanted_links)
    return rows


def _results(writer: Writer, plan, measures: list[dict], rows: dict[int, Measure], base_dir: Path | None) -> None:
    existing = {(r.measure_id, r.round): r for r in RoundResult.objects.filter(measure__plan=plan)}
    wanted = {}
    for order, m in enumerate(measures, start=1):
        measure = rows[order]
        for r in m["results"]:
            wanted[(measure.pk, r["round"])] = {
                "measure_id": measure.pk, "round": r["round"],
                **{k: r[k] for k in ("label", "details", "period", "outputs", "outcomes", "remarks")},
            }
    results = writer.sync(RoundResult, existing, wanted)

    existing_evidence: dict = {}
    positions: Counter = Counter()
    for item in Evidence.objects.filter(result__measure__plan=plan).order_by("result_id", "order", "id"):
        existing_evidence[(item.result_id, positions[item.result_id])] = item
        positions[item.result_id] += 1
    wanted_evidence = {}
    for order, m in enumerate(measures, start=1):
        for r in m["results"]:
            result = results[(rows[order].pk, r["round"])]
            for position, e in enumerate(r["evidence"]):
                name, sha = _store(e["file"], base_dir) if e["file"] else ("", "")
                wanted_evidence[(result.pk, position)] = {
                    "result_id": result.pk, "order": position, "title": e["title"], "url": e["url"],
                    "file": name, "sha256": sha,
                }
    writer.sync(Evidence, existing_evidence, wanted_evidence)


def _store(relative: str, base_dir: Path | None) -> tuple[str, str]:
    """Put an evidence file into storage under a name made from its content and its path, so the
    same file always gets the same name (and is stored once)."""
    if base_dir is None:
        raise ValueError(f"evidence file {relative!r}: the year file's folder is needed to read it")
    path = Path(base_dir) / relative
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 16), b""):
            digest.update(chunk)
    sha = digest.hexdigest()
    name = stored_name(sha, relative)
    if not default_storage.exists(name):
        with path.open("rb") as fh:
            saved = default_storage.save(name, File(fh))
        if saved != name:
            raise RuntimeError(f"storage saved {relative!r} as {saved!r}, not {name!r}")
    return name, sha


def _memo_status(memo: dict) -> str:
    """An imported memo is approved when it has approvers and every one of them has a date, else a draft."""
    approvers = memo["approvers"]
    return Memo.Status.APPROVED if approvers and all(a["date"] for a in approvers) else Memo.Status.DRAFT


def _keep_versions(existing: dict, reports: list[dict]) -> None:
    """A memo with frozen report versions is never deleted by an import."""
    from prongsai.reports.models import ReportVersion

    gone = [memo.pk for rnd, memo in existing.items() if rnd not in {r["round"] for r in reports}]
    frozen = sorted(set(ReportVersion.objects.filter(memo_id__in=gone).values_list("memo__round", flat=True)))
    if frozen:
        raise YearFileInvalid([
            Issue("reports", f"the round {rnd} memo is approved with frozen report versions: "
                             f"keep its report (round: {rnd}) in the file")
            for rnd in frozen
        ])


def _reports(writer: Writer, plan: YearPlan, reports: list[dict]) -> None:
    existing = {m.round: m for m in Memo.objects.filter(plan=plan)}
    _keep_versions(existing, reports)
    wanted = {}
    for report in reports:
        memo = report["memo"]
        wanted[report["round"]] = {
            "plan_id": plan.pk, "round": report["round"], "number": memo["number"], "date": memo["date"],
            "subject": memo["subject"], "addressee": memo["addressee"], "body": memo["body"],
            "preface_date": report["preface_date"],
            "report_preparer_name": report["preparer"]["name"],
            "report_preparer_position": report["preparer"]["position"],
            "status": _memo_status(memo),
        }
    memos = writer.sync(Memo, existing, wanted)
    existing_signers = {(s.memo_id, s.role, s.order): s for s in Signer.objects.filter(memo__plan=plan)}
    wanted_signers = {}
    for report in reports:
        memo = memos[report["round"]]
        for role, key in ((Signer.Role.PREPARER, "preparers"), (Signer.Role.APPROVER, "approvers")):
            for order, s in enumerate(report["memo"][key], start=1):
                current = existing_signers.get((memo.pk, str(role), order))
                signed = role == Signer.Role.APPROVER and s["date"] is not None
                wanted_signers[(memo.pk, str(role), order)] = {
                    "memo_id": memo.pk, "role": str(role), "order": order, "name": s["name"], "rank": s["rank"],
                    "position": s["position"], "comment": s["comment"], "signed_on": s["date"],
                    # The application's chain: a signer keeps its user while the file keeps its name.
                    "user_id": current.user_id if current is not None and current.name == s["name"] else None,
                    "status": str(Signer.Status.SIGNED if signed else Signer.Status.PENDING),
                    "signed_at": current.signed_at if current is not None and signed else None,
                    "return_reason": "",
                }
    writer.sync(Signer, existing_signers, wanted_signers)


def _delete_unused_files(names: set[str]) -> None:
    """After commit: remove stored evidence files no row refers to any more (only our own names)."""
    from prongsai.yearfile.evidence import is_stored_name

    used = set(Evidence.objects.filter(file__in=list(names)).values_list("file", flat=True))
    for name in names - used:
        if is_stored_name(name):
            default_storage.delete(name)
