"""Writing year-file data as a file a person can read and edit: YAML in the documented key order,
Thai as is, multi-line texts as `|` blocks, short lists of numbers or names on one line, and
optional fields left out when they hold their default (the reader puts the defaults back)."""

from __future__ import annotations

import datetime as dt
import json

import yaml

from prongsai.yearfile.normalise import DEFAULT_DIGITS, DEFAULT_KIND, DEFAULT_MONITORING, DEFAULT_URGENT_BELOW

# Keys always written, even when empty: the required ones and the analysis lists (an analysis
# block with empty lists says "nothing to fix").
KEEP = {"version", "fiscal_year", "framework_year", "agency", "slug", "name", "title", "rounds", "round", "year",
        "position", "urgent", "improve"}
DEFAULTS = {"kind": DEFAULT_KIND, "digits": DEFAULT_DIGITS, "monitoring": DEFAULT_MONITORING,
            "urgent_below": DEFAULT_URGENT_BELOW}


def compact(value, key: str | None = None):
    """Drop optional keys that hold their default ("", [], {}, None, the documented defaults)."""
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            v = compact(v, k)
            if k not in KEEP and (_empty(v) or (k in DEFAULTS and v == DEFAULTS[k])):
                continue
            out[k] = v
        return out
    if isinstance(value, list):
        if key in ("urgent", "improve"):
            return [item["indicator"] if not item.get("label") else item for item in value]
        return [compact(v) for v in value]
    return value


def _empty(value) -> bool:
    if isinstance(value, dict):
        return all(_empty(v) for v in value.values())
    return value is None or value == "" or value == []


class _Dumper(yaml.SafeDumper):
    def increase_indent(self, flow=False, indentless=False):
        return super().increase_indent(flow, False)  # lists indented under their key


class _FlowList(list):
    pass


class _FlowDict(dict):
    pass


def _str(dumper: yaml.SafeDumper, value: str):
    if "\n" in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


def _flow(dumper: yaml.SafeDumper, value: _FlowList):
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=True)


def _flow_dict(dumper: yaml.SafeDumper, value: _FlowDict):
    return dumper.represent_mapping("tag:yaml.org,2002:map", value.items(), flow_style=True)


_Dumper.add_representer(str, _str)
_Dumper.add_representer(_FlowList, _flow)
_Dumper.add_representer(_FlowDict, _flow_dict)

FLOW_ITEMS = {"urgent", "improve", "evidence", "preparers", "approvers"}


def _short(value) -> bool:
    if isinstance(value, str):
        return "\n" not in value and len(value) < 40
    return isinstance(value, (int, float, dt.date))


def _flows(value, key: str | None = None):
    """Lists of plain numbers or short names print on one line (rounds: [6, 12]); so do the short
    items of evidence, signer and analysis lists ({title: ..., url: ...})."""
    if isinstance(value, dict):
        return {k: _flows(v, k) for k, v in value.items()}
    if isinstance(value, list):
        if value and all(_short(v) for v in value):
            return _FlowList(value)
        items = []
        for v in value:
            flat = isinstance(v, dict) and all(_short(x) or (isinstance(x, str) and "\n" not in x) for x in v.values())
            if key in FLOW_ITEMS and flat and sum(len(str(x)) for x in v.values()) < 100:
                items.append(_FlowDict(v))
            else:
                items.append(_flows(v))
        return items
    return value


def to_yaml(data: dict) -> str:
    return yaml.dump(
        _flows(compact(data)), Dumper=_Dumper, allow_unicode=True, sort_keys=False, default_flow_style=False,
        width=1_000_000, indent=2,
    )


def to_json(data: dict) -> str:
    def default(value):
        if isinstance(value, dt.date):
            return value.isoformat()
        raise TypeError(f"cannot write {type(value).__name__} as JSON")

    return json.dumps(compact(data), ensure_ascii=False, indent=2, default=default) + "\n"
