"""Checking data against schema.json, with messages written for the person who typed the file."""

from __future__ import annotations

import datetime as dt
import difflib
import json
import re
from functools import lru_cache
from importlib import resources

from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError

from prongsai.yearfile.issues import Path_

TYPE_WORDS = {
    "integer": "a whole number",
    "number": "a number",
    "string": "text",
    "array": "a list",
    "object": "a mapping (key: value)",
    "boolean": "yes/no",
}


def published_schema() -> dict:
    """schema.json as shipped: the published definition of the format."""
    return json.loads(resources.files("prongsai.yearfile").joinpath("schema.json").read_text(encoding="utf-8"))


def node(document: dict, pointer: str) -> dict:
    """The part of a schema at a JSON pointer ("/$defs/measure/properties/title")."""
    for part in pointer.lstrip("/").split("/"):
        document = document[part.replace("~1", "/").replace("~0", "~")]
    return document


@lru_cache(maxsize=1)
def schema() -> dict:
    """The schema validation uses: schema.json with the text limits of measures.limits, the numbers the
    forms and the API enforce (measures/tests/test_limits.py checks that schema.json already says so)."""
    from prongsai.measures import limits

    document = published_schema()
    for pointer, limit in limits.YEAR_FILE_MAX_LENGTH.items():
        node(document, pointer)["maxLength"] = limit
    for pointer, limit in limits.YEAR_FILE_MAX_ITEMS.items():
        node(document, pointer)["maxItems"] = limit
    return document


@lru_cache(maxsize=1)
def _validator() -> Draft202012Validator:
    return Draft202012Validator(schema(), format_checker=FormatChecker(formats=["date"]))


def json_view(value):
    """The data as JSON would hold it: string keys, ISO dates. What the schema checks."""
    if isinstance(value, dict):
        return {str(k): json_view(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_view(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def check(data) -> list[tuple[Path_, str]]:
    """(path, message) for every schema violation of `data` (already a json_view)."""
    found: list[tuple[Path_, str]] = []
    for error in _validator().iter_errors(data):
        found.extend(_explain(error))
    unique = []
    for item in found:
        if item not in unique:
            unique.append(item)
    return unique


def show(value) -> str:
    """A value as the user typed it: 7, 'thia', 2563.5, an empty value."""
    if value is None:
        return "an empty value"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return str(value)


def _explain(error: ValidationError) -> list[tuple[Path_, str]]:
    path: Path_ = tuple(error.absolute_path)
    kind, value, sub = error.validator, error.instance, error.schema

    if kind == "anyOf":
        return _explain_any_of(error, path)
    if kind == "additionalProperties":
        props, patterns = sub.get("properties", {}), sub.get("patternProperties", {})
        out = []
        for key in value:
            if key in props or any(re.search(p, key) for p in patterns):
                continue
            if patterns and not props:
                out.append(((*path, key), f"{key!r} is not an indicator number"))
            else:
                hint = difflib.get_close_matches(key, list(props), n=1)
                suffix = f" (did you mean {hint[0]!r}?)" if hint else f"; allowed: {', '.join(props)}"
                out.append(((*path, key), f"unknown key {key!r}{suffix}"))
        return out
    if kind == "required":
        return [((*path, key), "missing (required)") for key in error.validator_value if key not in value]
    if kind == "enum":
        allowed = ", ".join(str(v) for v in error.validator_value if v is not None)
        return [(path, f"{show(value)} is not one of {allowed}")]
    if kind == "const":
        return [(path, f"unsupported version {show(value)}: this Prongsai reads version {error.validator_value}")]
    if kind == "type":
        wanted = error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
        words = " or ".join(TYPE_WORDS[t] for t in wanted if t != "null")
        return [(path, f"expected {words}, got {show(value)}")]
    if kind in ("format", "pattern") and sub.get("format") == "date":
        return [(path, f"{show(value)} is not a valid date (YYYY-MM-DD, Gregorian, e.g. 2020-06-26)")]
    if kind == "pattern" and path and path[-1] == "slug":
        return [(path, f"{show(value)} may contain only a-z, 0-9 and - (e.g. tessaban-rae)")]
    if kind == "minLength":
        return [(path, "must not be empty")]
    if kind == "maxLength":
        return [(path, f"is too long ({len(value)} characters; at most {error.validator_value})")]
    if kind == "minItems":
        return [(path, "must list at least one item")]
    if kind == "maxItems":
        return [(path, f"has too many items ({len(value)}; at most {error.validator_value})")]
    if kind in ("minimum", "maximum"):
        return [(path, error.message + _year_hint(sub, value))]
    return [(path, error.message)]


def _year_hint(sub: dict, value) -> str:
    if sub.get("minimum") == 2400 and isinstance(value, int) and 1900 <= value <= 2200:
        return f" (years are Buddhist era: {value + 543}, not {value})"
    return ""


def _explain_any_of(error: ValidationError, path: Path_) -> list[tuple[Path_, str]]:
    """An analysis item is a number or a mapping: explain the branch that fits its type."""
    branches: dict[int, list[ValidationError]] = {}
    for sub_error in error.context or []:
        branches.setdefault(sub_error.relative_schema_path[0], []).append(sub_error)
    for errors in branches.values():
        if not any(e.validator == "type" and not e.relative_path for e in errors):
            out = []
            for sub_error in errors:
                out.extend(_explain(sub_error))
            return out
    return [(path, error.schema.get("x-error") or error.message)]
