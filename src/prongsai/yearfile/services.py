"""The year file's business operations: import one agency-year, export it back, write its files.

    summary = import_year(data=load_valid_year_file(path), base_dir=path.parent)
    data = export_year(agency=agency, fiscal_year=2563)      # import(export(x)) == x
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from django.core.files.storage import default_storage
from django.db import transaction

from prongsai.agencies.models import Agency
from prongsai.lib.txfiles import delete_on_rollback
from prongsai.measures.models import Evidence, YearPlan
from prongsai.yearfile import exporting, importing
from prongsai.yearfile.evidence import relative_name
from prongsai.yearfile.importing import ImportSummary
from prongsai.yearfile.issues import Issue, format_path
from prongsai.yearfile.loader import YearFileInvalid, validated

__all__ = ["ImportSummary", "NoSuchYear", "export_year", "import_year", "write_evidence_files"]


class NoSuchYear(LookupError):
    """The agency or its fiscal year is not in the database."""


class _DryRun(Exception):
    """Raised inside the import's transaction to roll a dry run back."""


def import_year(*, data: dict, base_dir: Path | str | None = None, actor=None, replace: bool = False,
                dry_run: bool = False, source: str = "", checked: bool = False) -> ImportSummary:
    """Write one year file's data (raw or normalised) for its agency-year, in one transaction.

    The data is validated first (YearFileInvalid, nothing written). The agency is created or
    updated from the agency block; the year plan, measures, results, evidence and memos of that
    fiscal year are updated and created to match the file; the file's ita_results update the
    agency's results of those years only; other years are untouched. `base_dir` is the folder that
    evidence `file:` paths are relative to.

    Rows the file does not have (e.g. evidence uploaded in the browser) are kept and listed in
    `summary.kept`, unless `replace`: then they are deleted and listed in `summary.removed`. A memo
    approved in Prongsai is never changed; one in the approval chain only with `replace`
    (`summary.skipped` names each memo left alone that the file would have changed). Every change is
    audited, with `actor` (a user, or a text such as "prongsai import FILE") as its author.

    `dry_run`: do everything, then roll it back (the summary says what would happen; no evidence
    file is stored). Evidence files stored by an import whose transaction fails are removed again
    (also when a caller's transaction around this one rolls back later).

    `checked`: `data` is `load_year_file(path).data` of a file without errors, unchanged, and
    `base_dir` is `path.parent`: it is not validated a second time (`prongsai import`; each evidence
    file is still opened and checked again as it is stored)."""
    base = Path(base_dir) if base_dir is not None else None
    if not checked:
        data = validated(data, base_dir=base)
    if base is None:
        missing = [
            Issue(format_path(("measures", m, "results", r, "evidence", e, "file")),
                  "an evidence file needs the year file's folder (base_dir) to be read")
            for m, measure in enumerate(data["measures"])
            for r, result in enumerate(measure["results"])
            for e, item in enumerate(result["evidence"])
            if item["file"]
        ]
        if missing:
            raise YearFileInvalid(missing)
    summary = ImportSummary(agency=data["agency"]["slug"], fiscal_year=data["fiscal_year"])
    try:
        with transaction.atomic():
            importing.run(data, base_dir=base, summary=summary, actor=actor, replace=replace,
                          store=not dry_run, source=source)
            if dry_run:
                raise _DryRun
            delete_on_rollback(list(summary.stored))  # inside a caller's transaction: follow its outcome
    except _DryRun:
        pass
    except BaseException:
        _remove_files(summary.stored)
        raise
    return summary


def _remove_files(names) -> None:
    """Remove evidence files this import stored, unless a committed row names them."""
    names = [n for n in names if n]
    if not names:
        return
    used = set(Evidence.objects.filter(file__in=names).values_list("file", flat=True))
    for name in set(names) - used:
        default_storage.delete(name)


def _plan(agency: Agency | str, fiscal_year: int) -> YearPlan:
    slug = agency if isinstance(agency, str) else agency.slug
    plan = YearPlan.objects.select_related("agency").filter(agency__slug=slug, fiscal_year=fiscal_year).first()
    if plan is not None:
        return plan
    found = Agency.objects.filter(slug=slug).first()
    if found is None:
        raise NoSuchYear(f"no agency with slug {slug!r}")
    years = ", ".join(str(y) for y in found.years.order_by("fiscal_year").values_list("fiscal_year", flat=True))
    raise NoSuchYear(f"agency {slug!r} has no fiscal year {fiscal_year} (it has: {years or 'none'})")


def export_year(*, agency: Agency | str, fiscal_year: int) -> dict:
    """The agency-year as normalised year-file data (the structure load_year_file gives), with every
    ITA result of the agency. Raises NoSuchYear."""
    with transaction.atomic():
        return exporting.year_data(_plan(agency, int(fiscal_year)))


def write_evidence_files(*, agency: Agency | str, fiscal_year: int, directory: Path | str) -> list[Path]:
    """Copy the agency-year's stored evidence files into `directory`, each under the relative path
    the export names it by. Returns the files written (a file already there with the same content
    is left alone and not listed)."""
    plan = _plan(agency, int(fiscal_year))
    root = Path(directory).resolve()
    written = []
    names = Evidence.objects.filter(result__measure__plan=plan).exclude(file="").values_list("file", flat=True)
    for name in sorted(set(names)):
        target = (root / relative_name(name)).resolve()
        if not target.is_relative_to(root):
            raise ValueError(f"evidence file {name!r} would be written outside {root}")
        with default_storage.open(name, "rb") as fh:
            content = fh.read()
        if target.is_file() and hashlib.sha256(target.read_bytes()).digest() == hashlib.sha256(content).digest():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
        written.append(target)
    return written
