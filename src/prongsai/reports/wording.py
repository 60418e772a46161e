"""Document wording: default templates per report kind, overridable per agency and per year.

Defaults live in `wording/th.yaml`, one section per document kind. Merge order, later wins key by key:
defaults ← agency.wording ← the year file's top-level wording. The round report's keys are
overridden by their own names (memo_subject); the other kinds' keys with the kind as a prefix
(plan_memo_subject, announcement_body), so one wording block serves every document.
"""

from __future__ import annotations

import string
from functools import lru_cache
from importlib import resources
from typing import Mapping

import yaml

PLACEHOLDERS = frozenset({
    "agency", "office", "location", "district", "province", "fiscal_year", "prior_year",
    "round_label", "period", "summary",
})
KINDS = ("round_report", "plan", "announcement")
# How an override names a key of each kind: the prefix before the key (docs/documents.md).
OVERRIDE_PREFIX = {"round_report": "", "plan": "plan_", "announcement": "announcement_"}
# Lists of paragraphs; the other keys are one text.
LIST_KEYS = frozenset({"memo_body", "preface", "body", "after_measures"})
# The keys in which {summary} may be used (the analysis paragraphs).
SUMMARY_KEYS = frozenset({"analysis", "plan_analysis"})

_FORMATTER = string.Formatter()


def _parse(template: str) -> list[tuple[str, str | None]]:
    """(literal text, placeholder name or None) pairs; {{ and }} are literal braces (as the year-file
    validator reads templates). A lone brace is a ValueError."""
    try:
        parsed = list(_FORMATTER.parse(template))
    except ValueError as exc:
        raise ValueError(f"{exc} in wording template (write a literal brace as {{{{ or }}}})") from None
    out = []
    for literal, name, spec, conversion in parsed:
        if name is not None and (spec or conversion):
            raise ValueError(f"placeholder {{{name}}} takes no format spec or conversion")
        out.append((literal, name))
    return out


def placeholders_in(template: str) -> list[str]:
    """The placeholder names a template uses, in order of appearance."""
    return [name for _, name in _parse(template) if name is not None]


def check_template(template: str) -> None:
    """Raise ValueError naming the first unknown placeholder of a template."""
    for name in placeholders_in(template):
        if name not in PLACEHOLDERS:
            known = ", ".join("{" + p + "}" for p in sorted(PLACEHOLDERS))
            raise ValueError(f"unknown placeholder {{{name}}} in wording template (known: {known})")


def fill(template: str, context: Mapping[str, str]) -> str:
    """Replace each {placeholder} with its value. An unknown name, or a known one missing from
    `context`, is a ValueError naming it."""
    check_template(template)
    out = []
    for literal, name in _parse(template):
        out.append(literal)
        if name is not None:
            if name not in context:
                raise ValueError(f"placeholder {{{name}}} has no value here")
            out.append(str(context[name]))
    return "".join(out)


@lru_cache(maxsize=None)
def _defaults_file(language: str) -> dict:
    text = resources.files("prongsai.reports").joinpath("wording", f"{language}.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def defaults(*, kind: str = "round_report", language: str = "th") -> dict:
    """A fresh copy of the default templates of one report kind."""
    if kind not in KINDS:
        raise ValueError(f"unknown report kind {kind!r} (known: {', '.join(KINDS)})")
    base = _defaults_file(language)[kind]
    return {key: list(val) if isinstance(val, list) else val for key, val in base.items()}


def override_keys(language: str = "th") -> dict[str, bool]:
    """{override key: is a list of paragraphs} for every kind: the keys a wording block may hold."""
    files = _defaults_file(language)
    return {OVERRIDE_PREFIX[kind] + key: key in LIST_KEYS for kind in KINDS for key in files[kind]}


def merged(*, data: Mapping, kind: str = "round_report", language: str = "th") -> dict:
    """The templates in force for a year: defaults ← agency.wording ← year wording. Keys that do not
    belong to this kind are ignored; an override of a list key may be a single text (one paragraph)."""
    result = defaults(kind=kind, language=language)
    prefix = OVERRIDE_PREFIX[kind]
    layers = [(data.get("agency") or {}).get("wording") or {}, data.get("wording") or {}]
    for layer in layers:
        for name, val in layer.items():
            if prefix and not name.startswith(prefix):
                continue
            key = name[len(prefix):]
            if key not in result or val is None:
                continue
            if key in LIST_KEYS:
                result[key] = [val] if isinstance(val, str) else [str(v) for v in val]
            else:
                result[key] = str(val)
    return result
