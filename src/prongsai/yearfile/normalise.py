"""The normalised form of a year file: every key present, defaults applied, one type per field.

`normalise` keeps the file's list order (so validation paths still point into the file);
`canonical` then sorts what the database keeps sorted (results and reports by round, ITA results
by year, indicator scores by number, a measure's units in agency.units order), so that a file and
its export compare equal.

Rules: missing or null optional texts become "", lists [], mappings {}; texts lose trailing spaces
and newlines (so `|` and `|-` blocks are the same); dates become datetime.date; whole numbers
become int; indicator keys become int; analysis items become {indicator, label}. Key order is
the documented order (docs/year-file.md), which the export writes.
"""

from __future__ import annotations

import datetime as dt

DEFAULT_MONITORING = "รายงานผลการดำเนินงานตามมาตรการ"
DEFAULT_URGENT_BELOW = 75
DEFAULT_KIND = "other"
DEFAULT_DIGITS = "thai"
WORDING_KEYS = ("memo_subject", "memo_body", "cover_title", "preface", "analysis", "results_intro",
                # the plan and the announcement (reports/wording/th.yaml, docs/documents.md)
                "plan_memo_subject", "plan_memo_body", "plan_cover_title", "plan_preface", "plan_analysis_heading",
                "plan_analysis_intro", "plan_analysis", "plan_measures_heading", "plan_measures_intro",
                "announcement_title", "announcement_body", "announcement_after_measures", "announcement_annex_heading")


def text(value) -> str:
    return "" if value is None else str(value).rstrip()


def number(value):
    """int for whole numbers, float otherwise, None stays None (Decimal accepted)."""
    if value is None:
        return None
    if isinstance(value, int):
        return value
    value = float(value)
    return int(value) if value.is_integer() else value


def date(value) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def _list(value) -> list:
    return list(value) if value else []


def _texts(values) -> list[str]:
    return [text(v) for v in _list(values)]


def wording(value) -> dict:
    value = value or {}
    out = {}
    for key in WORDING_KEYS:
        if key in value and value[key] is not None:
            item = value[key]
            out[key] = _texts(item) if isinstance(item, list) else text(item)
    return out


def normalise(raw: dict) -> dict:
    """A schema-valid year file (as parsed, or as normalised before) -> the normalised dict."""
    fiscal_year = int(raw["fiscal_year"])
    return {
        "version": 1,
        "fiscal_year": fiscal_year,
        "framework_year": int(raw.get("framework_year") or fiscal_year),
        "agency": _agency(raw["agency"]),
        "ita_results": [_ita_result(r) for r in _list(raw.get("ita_results"))],
        "analysis": _analysis(raw.get("analysis"), fiscal_year),
        "measures": [_measure(m) for m in _list(raw.get("measures"))],
        "reports": [_report(r) for r in _list(raw.get("reports"))],
        "wording": wording(raw.get("wording")),
    }


def canonical(data: dict) -> dict:
    """Normalised data in the database's order (stable sorts: duplicates keep file order)."""
    out = dict(data)
    out["ita_results"] = sorted(
        ({**r, "indicators": dict(sorted(r["indicators"].items()))} for r in data["ita_results"]),
        key=lambda r: r["year"],
    )
    unit_order = {name: index for index, name in enumerate(data["agency"]["units"])}
    out["measures"] = [
        {
            **m,
            "units": sorted(m["units"], key=lambda name: unit_order.get(name, len(unit_order))),
            "results": sorted(m["results"], key=lambda r: r["round"]),
        }
        for m in data["measures"]
    ]
    out["reports"] = sorted(data["reports"], key=lambda r: r["round"])
    return out


def _agency(raw: dict) -> dict:
    urgent_below = number(raw.get("urgent_below"))
    return {
        "slug": text(raw["slug"]),
        "name": text(raw["name"]),
        "kind": raw.get("kind") or DEFAULT_KIND,
        "office_name": text(raw.get("office_name")),
        "district": text(raw.get("district")),
        "province": text(raw.get("province")),
        "doc_prefix": text(raw.get("doc_prefix")),
        "executive_title": text(raw.get("executive_title")),
        "digits": raw.get("digits") or DEFAULT_DIGITS,
        "address": text(raw.get("address")),
        "phone": text(raw.get("phone")),
        "email": text(raw.get("email")),
        "website": text(raw.get("website")),
        "urgent_below": DEFAULT_URGENT_BELOW if urgent_below is None else urgent_below,
        "units": _texts(raw.get("units")),
        "people": [
            {
                "name": text(p["name"]),
                "rank": text(p.get("rank")),
                "position": text(p.get("position")),
                "unit": text(p.get("unit")),
                "email": text(p.get("email")),
            }
            for p in _list(raw.get("people"))
        ],
        "wording": wording(raw.get("wording")),
    }


def _ita_result(raw: dict) -> dict:
    return {
        "year": int(raw["year"]),
        "indicators": {int(k): number(v) for k, v in (raw.get("indicators") or {}).items()},
        "iit": number(raw.get("iit")),
        "eit": number(raw.get("eit")),
        "oit": number(raw.get("oit")),
        "total": number(raw.get("total")),
        "grade": text(raw.get("grade")),
        "note": text(raw.get("note")),
    }


def _analysis_item(item) -> dict:
    if isinstance(item, dict):
        return {"indicator": int(item["indicator"]), "label": text(item.get("label"))}
    return {"indicator": int(item), "label": ""}


def _analysis(raw, fiscal_year: int) -> dict | None:
    if raw is None:
        return None
    return {
        "based_on": int(raw.get("based_on") or fiscal_year - 1),
        "urgent": [_analysis_item(i) for i in _list(raw.get("urgent"))],
        "improve": [_analysis_item(i) for i in _list(raw.get("improve"))],
    }


def _measure(raw: dict) -> dict:
    indicator = raw.get("indicator")
    return {
        "title": text(raw["title"]),
        "indicator": None if indicator is None else int(indicator),
        "guideline": text(raw.get("guideline")),
        "steps": text(raw.get("steps")),
        "responsible": text(raw.get("responsible")),
        "units": _texts(raw.get("units")),
        "monitoring": text(raw.get("monitoring")) or DEFAULT_MONITORING,
        "rounds": [int(r) for r in raw["rounds"]],
        "results": [_result(r) for r in _list(raw.get("results"))],
    }


def _result(raw: dict) -> dict:
    return {
        "round": int(raw["round"]),
        "label": text(raw.get("label")),
        "details": text(raw.get("details")),
        "period": text(raw.get("period")),
        "outputs": text(raw.get("outputs")),
        "outcomes": text(raw.get("outcomes")),
        "remarks": text(raw.get("remarks")),
        "evidence": [
            {"title": text(e.get("title")), "url": text(e.get("url")), "file": text(e.get("file"))}
            for e in _list(raw.get("evidence"))
        ],
    }


def _signer(raw: dict) -> dict:
    return {
        "name": text(raw["name"]),
        "rank": text(raw.get("rank")),
        "position": text(raw.get("position")),
        "comment": text(raw.get("comment")),
        "date": date(raw.get("date")),
    }


def _report(raw: dict) -> dict:
    memo = raw.get("memo") or {}
    preparer = raw.get("preparer") or {}
    return {
        "round": int(raw["round"]),
        "memo": {
            "number": memo.get("number"),
            "date": date(memo.get("date")),
            "subject": text(memo.get("subject")),
            "addressee": text(memo.get("addressee")),
            "body": _texts(memo.get("body")),
            "preparers": [_signer(s) for s in _list(memo.get("preparers"))],
            "approvers": [_signer(s) for s in _list(memo.get("approvers"))],
        },
        "preface_date": date(raw.get("preface_date")),
        "preparer": {"name": text(preparer.get("name")), "position": text(preparer.get("position"))},
    }
