"""Loading and validating ITA year files (docs/year-file.md).

    yf = load_year_file("examples/tessaban-rae-2563.yaml")
    yf.errors, yf.warnings   # lists of Issue: "measures[3].rounds[0]: 7 is not one of 3, 6, 9, 12 (line 41)"
    yf.data                  # the normalised dict (None when there are errors)

    data = load_valid_year_file(path)   # or raise YearFileInvalid, whose str() is the error lines

Validation is the schema (schema.json) first; the semantic checks (checks.py) run once the data
has the schema's shape. Nothing here raises for bad input.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from prongsai.yearfile import checks, schema
from prongsai.yearfile.evidence import EvidenceRefused, open_evidence
from prongsai.yearfile.issues import ERROR, Issue, format_path
from prongsai.yearfile.normalise import canonical, normalise
from prongsai.yearfile.source import Source, read

log = logging.getLogger(__name__)

__all__ = ["Issue", "YearFile", "YearFileInvalid", "load_valid_year_file", "load_year_file", "validate_data"]


class YearFileInvalid(ValueError):
    """A year file (or data) with errors. str() is one error per line, sorted by line."""

    def __init__(self, errors: list[Issue], path: Path | str | None = None):
        self.errors = sorted(errors, key=Issue.sort_key)
        self.path = path
        super().__init__("\n".join(str(e) for e in self.errors))


@dataclass
class YearFile:
    path: Path | None
    data: dict | None  # normalised and in canonical order; None when there are errors
    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def load_year_file(path: Path | str) -> YearFile:
    path = Path(path)
    try:
        source = read(path)
        data, issues = _validate(source, base_dir=path.parent)
    except (Exception, RecursionError) as exc:  # last resort: a bug, never a traceback for the user
        log.exception("year file %s could not be checked", path)
        data, issues = None, [Issue("", f"{path}: the file could not be checked ({type(exc).__name__}); "
                                        f"this is a bug in Prongsai, please report it with the file")]
    errors = sorted((i for i in issues if i.is_error), key=Issue.sort_key)
    warnings = sorted((i for i in issues if not i.is_error), key=Issue.sort_key)
    return YearFile(path=path, data=None if errors else data, errors=errors, warnings=warnings)


def load_valid_year_file(path: Path | str) -> dict:
    year_file = load_year_file(path)
    if year_file.errors:
        raise YearFileInvalid(year_file.errors, path)
    return year_file.data


def validate_data(data: dict, *, base_dir: Path | None = None) -> list[Issue]:
    """Errors and warnings (Issue.severity) of a year file given as a dict: raw (dates as ISO strings
    or dates, indicator keys as strings or ints) or normalised (e.g. an export). No line numbers;
    evidence files are looked up only when `base_dir` is given."""
    _, issues = _validate(Source(data=data), base_dir=base_dir)
    return sorted(issues, key=lambda i: (not i.is_error, i.path, i.message))


def validated(data: dict, *, base_dir: Path | None = None) -> dict:
    """Normalised canonical data from raw or normalised data; raises YearFileInvalid on errors."""
    source = Source(data=data)
    result, issues = _validate(source, base_dir=base_dir)
    errors = [i for i in issues if i.is_error]
    if errors:
        raise YearFileInvalid(errors)
    return result


def _validate(source: Source, *, base_dir: Path | None) -> tuple[dict | None, list[Issue]]:
    issues = list(source.errors)
    if not issues and not isinstance(source.data, dict):
        issues.append(Issue("", f"the year file must be a mapping, not {type(source.data).__name__}"))
    if issues:
        return None, issues

    def issue(path, message, severity=ERROR) -> Issue:
        return Issue(format_path(path), message, source.line_of(path), severity=severity)

    for path, message in schema.check(schema.json_view(source.data)):
        issues.append(issue(path, message))
    if issues:
        return None, issues

    data = normalise(source.data)
    for path, message, severity in checks.check(data, source.data, base_dir=base_dir):
        found = issue(path, message, severity)
        if found not in issues:
            issues.append(found)
    if base_dir is not None:
        flagged = {i.path for i in issues if i.is_error}
        for path, message in _evidence_files(data, base_dir):
            if format_path(path) not in flagged:
                issues.append(issue(path, message))
    return canonical(data), issues


def _evidence_files(data: dict, base_dir: Path):
    """(path, message) for each evidence file the import would refuse: a symlink anywhere in its path,
    outside the folder, not a regular file, or content that is not what a browser upload may be."""
    for m_index, measure in enumerate(data["measures"]):
        for r_index, result in enumerate(measure["results"]):
            for e_index, item in enumerate(result["evidence"]):
                if not item["file"]:
                    continue
                try:
                    open_evidence(base_dir, item["file"]).close()
                except EvidenceRefused as exc:
                    yield ("measures", m_index, "results", r_index, "evidence", e_index, "file"), str(exc)
