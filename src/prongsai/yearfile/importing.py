"""Writing one validated year file to the database (called by services.import_year inside its
transaction). Rows are matched by their natural key, updated in place when they differ and created
when missing, so importing the same file twice changes nothing and keeps every row id.

What the import never does on its own (docs/year-file.md, "Import and what the browser added"):
- delete a row the file does not have (evidence uploaded in the browser, a result typed there, a
  measure, a unit, a signer...): such rows are *kept* and listed in the summary; only an import with
  `replace=True` (`prongsai import --replace`) deletes them, and lists each one it deleted;
- touch a memo approved in Prongsai (signed in the application, or with frozen report versions): it
  is final, whatever the file says, even with `replace`; a memo in the application's approval chain
  (sent, returned, or with an in-app signature) is kept unless `replace`. Each such memo the file
  would have changed is named in the summary (`skipped`).

Every row created, updated or deleted gets an audit entry (prongsai.audit), like a change made in the
browser, plus one `yearfile.imported` entry for the whole import.

Keys: unit and person by name; ITA result by year (only the file's years are touched); measure by
its position (order 1, 2, ...); round result by (measure, round); evidence by what it points at (its
URL, or its file's year-file name) within its result; memo by round; signer by (role, position).

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
from prongsai.assessments.services import recompute_many
from prongsai.audit import services as audit
from prongsai.measures.models import Evidence, Measure, RoundResult, YearPlan
from prongsai.memos.models import Memo, Signer
from prongsai.yearfile.evidence import EvidenceRefused, open_evidence, relative_name, stored_name
from prongsai.yearfile.issues import Issue, format_path
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
    kept: list[str] = field(default_factory=list)     # rows not in the file, kept (no replace)
    removed: list[str] = field(default_factory=list)  # rows not in the file, deleted (replace)
    skipped: list[str] = field(default_factory=list)  # memos the file would change, left as they are
    stored: list[str] = field(default_factory=list)   # evidence files this import put into storage

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


def _cheap_repr(row: models.Model) -> str:
    """A row's name for the audit trail, from its own fields only (no query)."""
    label = LABELS.get(type(row), type(row).__name__)
    for attr in ("name", "title", "url", "slug"):
        value = getattr(row, attr, "")
        if isinstance(value, str) and value:
            return f"{label} {value}"[:300]
    if isinstance(row, Evidence) and row.file:
        return f"{label} {row.file.name}"[:300]
    if isinstance(row, (RoundResult, Memo)):
        return f"{label} round {row.round}"
    if isinstance(row, YearPlan):
        return f"{label} {row.fiscal_year}"
    return f"{label} #{row.pk}"


def describe(row: models.Model) -> str:
    """One line naming a database row the way an operator recognises it (for kept/deleted lists)."""
    if isinstance(row, Evidence):
        what = row.file.name if row.file else row.url
        result = row.result
        return (f"evidence {row.title!r} ({what}) of measure {result.measure.order} "
                f"({result.measure.title}), round {result.round}")
    if isinstance(row, RoundResult):
        return f"round result of measure {row.measure.order} ({row.measure.title}), round {row.round}"
    if isinstance(row, Measure):
        return f"measure {row.order}: {row.title}"
    if isinstance(row, Signer):
        return f"{row.get_role_display()} {row.order} of the round {row.memo.round} memo: {row.name}"
    if isinstance(row, Memo):
        return f"the round {row.round} memo ({row.get_status_display()})"
    if isinstance(row, IndicatorScore):
        return f"ITA {row.result.year} indicator {row.indicator} score {row.score}"
    if isinstance(row, Measure.units.through):
        return f"unit {row.unit.name} of measure {row.measure.order} ({row.measure.title})"
    return _cheap_repr(row)


class Writer:
    """Writes rows for one import and records every change in the audit trail.

    `replace`: rows the file does not have are deleted (else kept and listed). `store`: evidence
    files are put into storage (a dry run only computes their names)."""

    def __init__(self, summary: ImportSummary, *, actor=None, replace: bool = False, store: bool = True):
        self.summary = summary
        self.actor = actor or "prongsai import"
        self.replace = replace
        self.store = store
        self.agency: Agency | None = None
        self.entries: list = []  # audit entries made as the rows change, appended by flush() in one go

    def audit(self, verb: str, row: models.Model, before: dict | None, after: dict | None, **extra) -> None:
        changes = audit.diff(before, after)
        changes.update(extra)
        self.entries.append(audit.entry(actor=self.actor, action=f"yearfile.import.{verb}", obj=row,
                                        agency=row if isinstance(row, Agency) else self.agency,
                                        changes=changes, object_repr=_cheap_repr(row)))

    def flush(self) -> None:
        """Append the audit entries made so far to the chain (one lock, one insert: audit.record_many)."""
        entries, self.entries = self.entries, []
        audit.record_many(entries)

    def gone(self, model, rows: list[models.Model]) -> None:
        """Rows of `model` the file does not have: deleted when replacing (each audited and listed),
        else kept and listed."""
        if not rows:
            return
        if not self.replace:
            self.summary.kept.extend(describe(row) for row in rows)
            return
        for row in rows:
            self.summary.removed.append(describe(row))
        for row in rows:
            _, per_model = model.objects.filter(pk=row.pk).delete()
            also = {_BY_LABEL.get(label, label): n for label, n in per_model.items()
                    if label != model._meta.label and n}
            self.audit("deleted", row, audit.snapshot(row), None, **({"also_deleted": also} if also else {}))
            for label, count in per_model.items():
                self.summary.deleted[_BY_LABEL.get(label, label)] += count

    def save_one(self, obj: models.Model, fields: dict) -> models.Model:
        changed = _changed(obj, fields)
        name = LABELS[type(obj)]
        before = audit.snapshot(obj, changed) if obj.pk is not None else None
        for key in changed:
            setattr(obj, key, fields[key])
        if obj.pk is None:
            obj.save()
            self.summary.created[name] += 1
            if isinstance(obj, Agency):
                self.agency = obj
            self.audit("created", obj, None, audit.snapshot(obj))
        elif changed:
            obj.save(update_fields=changed)
            self.summary.updated[name] += 1
            self.audit("updated", obj, before, audit.snapshot(obj, changed))
        else:
            self.summary.unchanged += 1
        return obj

    def sync(self, model, existing: dict, wanted: dict, *, delete: bool = True) -> dict:
        """Make the rows `existing` ({key: row}) look like `wanted` ({key: {field: value}}); rows
        whose key is not wanted go to `gone` (kept, or deleted when replacing).
        Returns {key: row} for every wanted key."""
        name = LABELS[model]
        rows, new, changed_rows, changed_fields, befores = {}, [], [], set(), []
        for key, fields in wanted.items():
            row = existing.get(key)
            if row is None:
                row = model(**fields)
                new.append(row)
            else:
                changed = _changed(row, fields)
                if changed:
                    befores.append((row, audit.snapshot(row, changed), changed))
                    for f in changed:
                        setattr(row, f, fields[f])
                    changed_rows.append(row)
                    changed_fields.update(changed)
                else:
                    self.summary.unchanged += 1
            rows[key] = row
        if delete:
            self.gone(model, [row for key, row in existing.items() if key not in wanted])
        if new:
            model.objects.bulk_create(new)
            self.summary.created[name] += len(new)
            for row in new:
                self.audit("created", row, None, audit.snapshot(row))
        if changed_rows:
            model.objects.bulk_update(changed_rows, sorted(changed_fields))
            self.summary.updated[name] += len(changed_rows)
            for row, before, changed in befores:
                self.audit("updated", row, before, audit.snapshot(row, changed))
        return rows


def run(data: dict, *, base_dir: Path | None, summary: ImportSummary, actor=None, replace: bool = False,
        store: bool = True, source: str = "") -> YearPlan:
    writer = Writer(summary, actor=actor, replace=replace, store=store)
    agency = _agency(writer, data["agency"])
    writer.agency = agency
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
    if summary.changed or summary.skipped or summary.kept:
        writer.entries.append(audit.entry(
            actor=writer.actor, action="yearfile.imported", obj=plan, agency=agency,
            object_repr=f"{agency.slug} {fiscal_year}",
            changes={"file": source, "replace": replace, "created": dict(summary.created),
                     "updated": dict(summary.updated), "deleted": dict(summary.deleted),
                     "kept": summary.kept, "skipped": summary.skipped},
        ))
    writer.flush()
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
    # The stored final figures (oversight aggregates them) follow the scores just written.
    recompute_many(ITAResult.objects.filter(pk__in=[row.pk for row in rows.values()]))


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

    rows_by_result: dict[int, list[Evidence]] = {}
    for item in Evidence.objects.filter(result__measure__plan=plan).order_by("result_id", "order", "id"):
        rows_by_result.setdefault(item.result_id, []).append(item)
    existing_evidence = {row.pk: row for items in rows_by_result.values() for row in items}
    matched: set[int] = set()
    wanted_evidence = {}
    for m_index, (order, m) in enumerate(enumerate(measures, start=1)):
        for r_index, r in enumerate(m["results"]):
            result = results[(rows[order].pk, r["round"])]
            for position, e in enumerate(r["evidence"]):
                where = ("measures", m_index, "results", r_index, "evidence", position, "file")
                name, sha = _store(writer, e["file"], base_dir, where) if e["file"] else ("", "")
                ident = ("file", e["file"]) if e["file"] else ("url", e["url"])
                row = next((row for row in rows_by_result.get(result.pk, [])
                            if row.pk not in matched and _identity(row) == ident), None)
                if row is not None:
                    matched.add(row.pk)
                    if row.file and row.sha256 == sha:
                        name = row.file.name  # the same content already stored (e.g. uploaded in the browser)
                key = row.pk if row is not None else ("new", result.pk, position)
                wanted_evidence[key] = {
                    "result_id": result.pk, "order": position, "title": e["title"], "url": e["url"],
                    "file": name, "sha256": sha,
                }
    writer.sync(Evidence, existing_evidence, wanted_evidence)


def _identity(row: Evidence) -> tuple[str, str]:
    """What an evidence row points at, as a year file names it: its file's year-file name, or its URL."""
    return ("file", relative_name(row.file.name)) if row.file else ("url", row.url)


def _store(writer: Writer, relative: str, base_dir: Path | None, where: tuple) -> tuple[str, str]:
    """Put an evidence file into storage under a name made from its content and its path, so the
    same file always gets the same name (and is stored once). The file is opened safely and checked
    like a browser upload (evidence.open_evidence); its bytes are hashed and stored from that one
    open file. A dry run (writer.store False) stores nothing."""
    if base_dir is None:
        raise ValueError(f"evidence file {relative!r}: the year file's folder is needed to read it")
    try:
        upload = open_evidence(base_dir, relative)
    except EvidenceRefused as exc:
        raise YearFileInvalid([Issue(format_path(where), str(exc))]) from exc
    with upload:
        digest = hashlib.sha256()
        for chunk in upload.chunks():
            digest.update(chunk)
        sha = digest.hexdigest()
        name = stored_name(sha, relative)
        if writer.store and not default_storage.exists(name):
            upload.seek(0)
            saved = default_storage.save(name, File(upload.file, name=relative))
            writer.summary.stored.append(saved)
            if saved != name:
                raise RuntimeError(f"storage saved {relative!r} as {saved!r}, not {name!r}")
    return name, sha


def _memo_status(memo: dict) -> str:
    """An imported memo is approved when it has approvers and every one of them has a date, else a draft."""
    approvers = memo["approvers"]
    return Memo.Status.APPROVED if approvers and all(a["date"] for a in approvers) else Memo.Status.DRAFT


def _protection(memo: Memo, signers: list[Signer], versions: int) -> str | None:
    """Why an import must leave this memo alone: "final" (approved in Prongsai: its signatures were
    made in the application, or it has frozen report versions; not even --replace changes it),
    "workflow" (in the application's approval chain: sent, returned, or with an in-app signature or
    return; kept unless --replace), or None (a draft the file owns)."""
    in_app = any(s.signed_at is not None for s in signers)
    if memo.status == Memo.Status.APPROVED and (versions or in_app):
        return "final"
    if memo.status in (Memo.Status.IN_REVIEW, Memo.Status.RETURNED) or in_app or versions:
        return "workflow"
    return None


def _memo_notice(memo: Memo, kind: str, signers: list[Signer], versions: int, in_file: bool) -> str:
    signed = sum(1 for s in signers if s.status == Signer.Status.SIGNED and s.signed_at is not None)
    state = f"{memo.get_status_display()} ({memo.status})"
    facts = [f"{signed} signature{'s' if signed != 1 else ''} made in Prongsai"]
    if versions:
        facts.append(f"{versions} frozen report version{'s' if versions != 1 else ''}")
    what = "the file's memo for this round was not applied" if in_file else "the file has no report for this round"
    if kind == "final":
        return (f"reports: round {memo.round}: the memo is {state} with {', '.join(facts)}: it is final and "
                f"kept as it is; {what}")
    return (f"reports: round {memo.round}: the memo is {state} with {', '.join(facts)}: kept as it is; {what} "
            f"(--replace applies the file's memo and drops the chain's signatures and comments)")


def _reports(writer: Writer, plan: YearPlan, reports: list[dict]) -> None:
    from prongsai.reports.models import ReportVersion

    # Only round memos are in a year file: the plan memo and the announcement are left alone.
    existing = {m.round: m for m in Memo.objects.filter(plan=plan, kind=Memo.Kind.ROUND)}
    existing_signers = {(s.memo_id, s.role, s.order): s
                        for s in Signer.objects.filter(memo__plan=plan, memo__kind=Memo.Kind.ROUND)}
    versions = Counter(ReportVersion.objects.filter(memo__plan=plan, memo__kind=Memo.Kind.ROUND)
                       .values_list("memo_id", flat=True))
    by_memo: dict[int, list[Signer]] = {}
    for signer in existing_signers.values():
        by_memo.setdefault(signer.memo_id, []).append(signer)
    in_file = {r["round"] for r in reports}
    protected: dict[int, Memo] = {}
    for rnd, memo in existing.items():
        kind = _protection(memo, by_memo.get(memo.pk, []), versions[memo.pk])
        if kind == "final" or (kind == "workflow" and not writer.replace):
            protected[rnd] = memo
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
    memos = {}
    for rnd, memo in protected.items():
        memos[rnd] = memo
    wanted_signers = {}
    for report in reports:
        rnd = report["round"]
        memo = memos.get(rnd) or existing.get(rnd)
        for role, key in ((Signer.Role.PREPARER, "preparers"), (Signer.Role.APPROVER, "approvers")):
            for order, s in enumerate(report["memo"][key], start=1):
                current = existing_signers.get((memo.pk, str(role), order)) if memo is not None else None
                signed = role == Signer.Role.APPROVER and s["date"] is not None
                wanted_signers[(rnd, str(role), order)] = {
                    "role": str(role), "order": order, "name": s["name"], "rank": s["rank"],
                    "position": s["position"], "comment": s["comment"], "signed_on": s["date"],
                    # The application's chain: a signer keeps its user while the file keeps its name.
                    "user_id": current.user_id if current is not None and current.name == s["name"] else None,
                    "status": str(Signer.Status.SIGNED if signed else Signer.Status.PENDING),
                    "signed_at": current.signed_at if current is not None and signed else None,
                    "return_reason": "",
                }
    # A protected memo is left alone; say so when the file would have changed it.
    for rnd, memo in sorted(protected.items()):
        signers = by_memo.get(memo.pk, [])
        kind = _protection(memo, signers, versions[memo.pk])
        differs = rnd not in wanted or bool(_changed(memo, wanted[rnd]))
        if not differs:
            mine = {(s.role, s.order): s for s in signers}
            theirs = {(k[1], k[2]): v for k, v in wanted_signers.items() if k[0] == rnd}
            differs = mine.keys() != theirs.keys() or any(
                _changed(mine[k], {f: v for f, v in theirs[k].items() if f not in ("user_id", "signed_at")})
                for k in mine)
        if differs:
            writer.summary.skipped.append(_memo_notice(memo, kind, signers, versions[memo.pk], rnd in in_file))
    free_existing = {rnd: m for rnd, m in existing.items() if rnd not in protected}
    free_wanted = {rnd: fields for rnd, fields in wanted.items() if rnd not in protected}
    memos.update(writer.sync(Memo, free_existing, free_wanted))
    free_memo_ids = {m.pk for rnd, m in memos.items() if rnd not in protected}
    writer.sync(
        Signer,
        {k: s for k, s in existing_signers.items() if s.memo_id in free_memo_ids},
        {(memos[k[0]].pk, k[1], k[2]): {"memo_id": memos[k[0]].pk, **fields}
         for k, fields in wanted_signers.items() if k[0] not in protected},
    )


def _delete_unused_files(names: set[str]) -> None:
    """After commit: remove the evidence files (imported, or uploaded in the browser) that this
    agency-year's rows named before the import and no evidence row of any agency names any more."""
    from prongsai.yearfile.evidence import is_stored_name

    used = set(Evidence.objects.filter(file__in=list(names)).values_list("file", flat=True))
    for name in names - used:
        if is_stored_name(name) or name.startswith("evidence/"):
            default_storage.delete(name)
