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
from prongsai.measures.models import Evidence, YearPlan
from prongsai.yearfile import exporting, importing
from prongsai.yearfile.evidence import relative_name
from prongsai.yearfile.importing import ImportSummary
from prongsai.yearfile.issues import Issue, format_path
from prongsai.yearfile.loader import YearFileInvalid, validated

__all__ = ["ImportSummary", "NoSuchYear", "export_year", "import_year", "write_evidence_files"]


class NoSuchYear(LookupError):
    """The agency or its fiscal year is not in the database."""


def import_year(*, data: dict, base_dir: Path | str | None = None) -> ImportSummary:
    """Write one year file's data (raw or normalised) for its agency-year, in one transaction.

    The data is validated first (YearFileInvalid, nothing written). The agency is created or
    updated from the agency block; the year plan, measures, results, evidence and memos of that
    fiscal year are made to match the file exactly; the file's ita_results replace the agency's
    results of those years only; other years are untouched. `base_dir` is the folder that evidence
    `file:` paths are relative to."""
    base = Path(base_dir) if base_dir is not None else None
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
    with transaction.atomic():
        importing.run(data, base_dir=base, summary=summary)
    return summary


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
