"""Checks the schema cannot express: references, duplicates, the year's ITA framework, wording.

Run on normalised data whose lists are still in file order, so every path points into the file.
Each check yields (path, message, severity).
"""

from __future__ import annotations

import math
import re
import string
from decimal import Decimal
from pathlib import Path, PurePosixPath

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email

from prongsai.assessments.services import evaluate
from prongsai.framework.catalogue import Framework, UnknownFrameworkYear, available_years, get_framework
from prongsai.lib.fiscal import ROUNDS
from prongsai.yearfile.issues import ERROR, WARNING, Path_, format_path

PLACEHOLDERS = (
    "agency", "office", "location", "district", "province", "fiscal_year", "prior_year", "round_label", "period",
)
ANALYSIS_ONLY = ("summary",)
_url = URLValidator(schemes=["http", "https"])

Finding = tuple[Path_, str, str]


def check(data: dict, raw: dict, *, base_dir: Path | None = None) -> list[Finding]:
    found: list[Finding] = []
    for check_part in (_framework_year, _agency, _ita_results, _analysis, _measures, _reports, _wordings):
        found.extend(check_part(data, raw))
    found.extend(_evidence(data, base_dir))
    found.extend(_characters(raw, ()))
    return found


# Characters no document format can hold: XML 1.0 refuses C0 controls other than tab and line breaks, the
# non-characters U+FFFE and U+FFFF (the DOCX refuses them), and a lone surrogate cannot be written as UTF-8
# at all (no format, and no PostgreSQL text, takes it).
_UNWRITABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _characters(value, path: Path_):
    """An error for each text of the file (as written) holding a character the documents cannot hold."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _characters(item, (*path, str(key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _characters(item, (*path, index))
    elif isinstance(value, str):
        found = _UNWRITABLE.search(value)
        if found:
            code = ord(found.group(0))
            what = ("a lone surrogate" if 0xD800 <= code <= 0xDFFF else
                    "the non-character" if code >= 0xFFFE else "the control character")
            yield path, (f"holds {what} U+{code:04X} (character {found.start() + 1}), which the documents "
                         "cannot hold: remove it"), ERROR


def _framework(year: int) -> Framework | None:
    try:
        return get_framework(year)
    except UnknownFrameworkYear:
        return None


def _years() -> str:
    return ", ".join(str(y) for y in available_years())


def _duplicates(values, path_of, what: str):
    """An error at every repeat of a value, naming where it was first given."""
    first: dict = {}
    for index, value in enumerate(values):
        if value in first:
            yield path_of(index), f"duplicate {what} {value!r} (first at {format_path(path_of(first[value]))})", ERROR
        else:
            first[value] = index


def _framework_year(data: dict, raw: dict):
    year = data["framework_year"]
    if _framework(year) is None:
        path = ("framework_year",) if raw.get("framework_year") else ("fiscal_year",)
        note = "" if raw.get("framework_year") else " (framework_year defaults to fiscal_year)"
        yield path, f"Prongsai has no ITA framework for {year}{note}; available: {_years()}", ERROR


def _agency(data: dict, raw: dict):
    agency = data["agency"]
    units = agency["units"]
    yield from _duplicates(units, lambda i: ("agency", "units", i), "unit")
    yield from _duplicates([p["name"] for p in agency["people"]], lambda i: ("agency", "people", i, "name"), "person")
    for index, person in enumerate(agency["people"]):
        path = ("agency", "people", index)
        if person["unit"] and person["unit"] not in units:
            yield (*path, "unit"), _unknown_unit(person["unit"], units), ERROR
        if person["email"]:
            yield from _email((*path, "email"), person["email"])
    if agency["email"]:
        yield from _email(("agency", "email"), agency["email"])
    if agency["website"]:
        yield from _link(("agency", "website"), agency["website"])
    if "urgent_below" in raw["agency"]:
        yield from _places(("agency", "urgent_below"), agency["urgent_below"])


def _unknown_unit(name: str, units: list[str]) -> str:
    listed = ", ".join(units) if units else "none listed"
    return f"unknown unit {name!r}: not in agency.units ({listed})"


def _email(path: Path_, value: str):
    try:
        validate_email(value)
    except ValidationError:
        yield path, f"{value!r} is not a valid e-mail address", ERROR


def _link(path: Path_, value: str):
    try:
        _url(value)
    except ValidationError:
        yield path, f"{value!r} is not a valid http(s) link", ERROR


def _places(path: Path_, value):
    if value is None:
        return
    if isinstance(value, float) and not math.isfinite(value):
        yield path, f"{value} is not a number", ERROR
    elif Decimal(str(value)).as_tuple().exponent < -2:
        yield path, f"{value} has more than 2 decimal places", ERROR


def _ita_results(data: dict, raw: dict):
    results = data["ita_results"]
    yield from _duplicates([r["year"] for r in results], lambda i: ("ita_results", i, "year"), "ITA result year")
    for index, result in enumerate(results):
        path = ("ita_results", index)
        for key in ("iit", "eit", "oit", "total"):
            yield from _places((*path, key), result[key])
        for number, score in result["indicators"].items():
            yield from _places((*path, "indicators", str(number)), score)
        if result["year"] > data["fiscal_year"]:
            yield (*path, "year"), f"{result['year']} is after the fiscal year {data['fiscal_year']}", WARNING
        framework = _framework(result["year"])
        if framework is None:
            yield (*path, "year"), f"Prongsai has no ITA framework for {result['year']}: scores not checked", WARNING
            continue
        bad = False
        for number in result["indicators"]:
            if number not in framework.indicator_numbers:
                bad = True
                yield (*path, "indicators", str(number)), _not_indicator(number, framework), ERROR
        if not bad:
            yield from _evaluate(path, result, framework)


def _not_indicator(number: int, framework: Framework) -> str:
    numbers = framework.indicator_numbers
    return f"indicator {number} is not in the ITA {framework.year} framework (indicators {min(numbers)}–{max(numbers)})"


def _evaluate(path: Path_, result: dict, framework: Framework):
    try:
        evaluation = evaluate(
            framework=framework,
            indicators={n: Decimal(str(s)) for n, s in result["indicators"].items()},
            **{k: None if result[k] is None else Decimal(str(result[k])) for k in ("iit", "eit", "oit", "total")},
            grade=result["grade"] or None,
        )
    except ValueError as exc:
        yield path, str(exc), WARNING
        return
    for mismatch in evaluation.mismatches:
        yield path, mismatch, WARNING


def _analysis(data: dict, raw: dict):
    analysis = data["analysis"]
    if analysis is None:
        prior = data["fiscal_year"] - 1
        if not any(r["year"] == prior and r["indicators"] for r in data["ita_results"]):
            yield ("ita_results",), (
                f"no analysis block and no indicator scores for {prior} in ita_results: "
                "the reports will have no analysis"
            ), WARNING
        return
    given = raw.get("analysis") or {}
    if given.get("urgent") is None and given.get("improve") is None:
        yield ("analysis",), (
            "lists neither urgent nor improve items: the reports will say every indicator passed "
            "(leave analysis out to compute it from ita_results)"
        ), WARNING
    framework = _framework(analysis["based_on"]) or _framework(data["framework_year"])
    if framework is None:
        return
    for key in ("urgent", "improve"):
        for index, item in enumerate(analysis[key]):
            if item["indicator"] not in framework.indicator_numbers:
                path = ("analysis", key, index)
                if isinstance(raw["analysis"][key][index], dict):
                    path = (*path, "indicator")
                yield path, _not_indicator(item["indicator"], framework), ERROR


def _measures(data: dict, raw: dict):
    units = data["agency"]["units"]
    framework = _framework(data["framework_year"])
    for m_index, measure in enumerate(data["measures"]):
        path = ("measures", m_index)
        if framework and measure["indicator"] is not None and measure["indicator"] not in framework.indicator_numbers:
            yield (*path, "indicator"), _not_indicator(measure["indicator"], framework), ERROR
        for u_index, unit in enumerate(measure["units"]):
            if unit not in units:
                yield (*path, "units", u_index), _unknown_unit(unit, units), ERROR
        yield from _duplicates(measure["units"], lambda i, p=path: (*p, "units", i), "unit")
        yield from _duplicates(measure["rounds"], lambda i, p=path: (*p, "rounds", i), "round")
        rounds = ", ".join(str(r) for r in measure["rounds"])
        for r_index, result in enumerate(measure["results"]):
            if result["round"] not in measure["rounds"]:
                yield (*path, "results", r_index, "round"), (
                    f"round {result['round']} is not one of this measure's rounds ({rounds})"
                ), ERROR
        yield from _duplicates(
            [r["round"] for r in measure["results"]],
            lambda i, p=path: (*p, "results", i, "round"),
            "result for round",
        )


def _reports(data: dict, raw: dict):
    reports = data["reports"]
    yield from _duplicates([r["round"] for r in reports], lambda i: ("reports", i, "round"), "report for round")
    for index, report in enumerate(reports):
        months = report["round"]
        monitored = [i for i, m in enumerate(data["measures"]) if months in m["rounds"]]
        if not monitored:
            yield ("reports", index, "round"), f"no measure is monitored in round {months}", WARNING
        for m_index in monitored:
            measure = data["measures"][m_index]
            results = [(r_index, r) for r_index, r in enumerate(measure["results"]) if r["round"] == months]
            if not results:
                yield ("measures", m_index, "results"), (
                    f"no result for round {months}, which has a report: its row will be empty"
                ), WARNING
            for r_index, result in results:
                if not result["details"]:
                    yield ("measures", m_index, "results", r_index), (
                        f"no details for round {months}, which has a report: "
                        "its รายละเอียดการดำเนินงาน cell will be empty"
                    ), WARNING
        yield from _report_parts(index, report, data["agency"])
    yield from _rounds_without_report(data)


def _report_parts(index: int, report: dict, agency: dict):
    """A warning for each part of a round report's memo and signatures the file leaves out: the report
    prints it blank (or, without approvers or their dates, marks the whole report as a draft)."""
    path = ("reports", index, "memo")
    memo = report["memo"]
    months = report["round"]
    if memo["number"] is None:
        yield (*path, "number"), "no memo number: ที่ will print without a number from the outgoing register", WARNING
    if memo["date"] is None:
        yield (*path, "date"), "no memo date: วันที่ will print empty", WARNING
    if not memo["addressee"] and not agency["executive_title"]:
        yield (*path, "addressee"), (
            "no addressee and no agency.executive_title to default to: เรียน will print empty"), WARNING
    if not memo["preparers"]:
        yield (*path, "preparers"), "no preparers: the memo will have no signature under its text", WARNING
    if not memo["approvers"]:
        yield (*path, "approvers"), (
            f"no approvers: the round {months} memo will have no ความเห็นผู้บังคับบัญชา and the report is "
            "marked as a draft"), WARNING
    undated = [(a_index, a["name"]) for a_index, a in enumerate(memo["approvers"]) if a["date"] is None]
    if undated:
        names = ", ".join(repr(name) for _i, name in undated)
        yield (*path, "approvers", undated[0][0], "date"), (
            f"no date for {names}: the round {months} report is marked as a draft until every approver "
            "has a date"), WARNING
    if report["preface_date"] is None:
        yield ("reports", index, "preface_date"), "no preface_date: the date under the preface will print empty", WARNING
    if not report["preparer"]["name"]:
        yield ("reports", index, "preparer"), (
            "no preparer name: the report will end without the ผู้จัดทำ signature"), WARNING


def _rounds_without_report(data: dict):
    """A round that measures monitor but `reports` does not list: `prongsai report --round N` refuses it."""
    reported = {r["round"] for r in data["reports"]}
    monitored = {r for m in data["measures"] for r in m["rounds"]}
    missing = [months for months in ROUNDS if months in monitored and months not in reported]
    if missing:
        rounds = ", ".join(str(m) for m in missing)
        yield ("reports",), (
            f"no report entry for round{'s' if len(missing) > 1 else ''} {rounds}, which measures monitor: `prongsai report --round "
            f"{missing[0]}` refuses {'it' if len(missing) == 1 else 'each'} until reports lists it "
            f"(- round: {missing[0]})"), WARNING


def _wordings(data: dict, raw: dict):
    for base, block in ((("agency", "wording"), data["agency"]["wording"]), (("wording",), data["wording"])):
        for key, value in block.items():
            allowed = PLACEHOLDERS + (ANALYSIS_ONLY if key in ("analysis", "plan_analysis") else ())
            if isinstance(value, list):
                for index, paragraph in enumerate(value):
                    yield from _placeholders((*base, key, index), paragraph, allowed)
            else:
                yield from _placeholders((*base, key), value, allowed)


def _placeholders(path: Path_, template: str, allowed: tuple[str, ...]):
    try:
        parsed = [(name, spec, conversion) for _, name, spec, conversion in string.Formatter().parse(template)
                  if name is not None]
    except ValueError as exc:
        yield path, f"{exc} (write a literal brace as {{{{ or }}}})", ERROR
        return
    fields = []
    for name, spec, conversion in parsed:
        if spec or conversion:  # the documents refuse {agency!r} and {agency:>10}
            yield path, f"placeholder {{{name}}} takes no format spec or conversion (write {{{name}}})", ERROR
        else:
            fields.append(name)
    for name in fields:
        if name not in allowed:
            known = " ".join("{" + p + "}" for p in allowed)
            yield path, f"unknown placeholder {{{name}}}; known: {known}", ERROR


def _evidence(data: dict, base_dir: Path | None):
    for m_index, measure in enumerate(data["measures"]):
        for r_index, result in enumerate(measure["results"]):
            for e_index, item in enumerate(result["evidence"]):
                path = ("measures", m_index, "results", r_index, "evidence", e_index)
                if bool(item["url"]) == bool(item["file"]):
                    which = "both url and file" if item["url"] else "neither url nor file"
                    yield path, f"gives {which}: give one of them", ERROR
                if item["url"]:
                    yield from _link((*path, "url"), item["url"])
                if item["file"]:
                    yield from _file((*path, "file"), item["file"], base_dir)


def _file(path: Path_, name: str, base_dir: Path | None):
    pure = PurePosixPath(name)
    if "\\" in name or pure.is_absolute() or ".." in pure.parts or name.startswith("~") or ":" in pure.parts[0]:
        yield path, f"{name!r} must be a relative path inside the year file's folder (e.g. evidence/plan.pdf)", ERROR
        return
    if base_dir is not None and not (base_dir / name).is_file():
        yield path, f"no such file: {base_dir / name}", ERROR
