"""Checks one framework year file (data/years/YYYY.json) before it is used.

A broken file must fail loudly with the file and the field, never produce a wrong score.
The format is documented in docs/framework.md.
"""

from __future__ import annotations

import re
from decimal import Decimal

INSTRUMENTS = ("IIT", "EIT", "OIT")
RATING_KINDS = ("grade", "pass")
SOURCE_QUALITIES = ("A", "B", "C", "D")
TOP_LEVEL = {
    "year", "provisional", "uncertain", "summary", "notes", "indicators", "sub_indicators", "weights",
    "rating", "pass_mark", "oit_scoring", "oit_items", "item_map_from_previous", "national_results", "sources",
    "family", "status",
}
FAMILIES = ("general", "obec", "ovec", "moph")
STATUSES = ("draft", "provisional", "confirmed")
PRODUCES = ("measures", "measures_done", "plan", "previous_year_report", "complaints_guideline",
            "complaints_channel", "complaints_statistics")
REQUIRED = ("year", "indicators", "weights", "rating", "pass_mark", "sources")
OIT_CODE = re.compile(r"^O\d+$")
SUB_CODE = re.compile(r"^\d+\.\d+$")
CENT = Decimal("0.01")


class FrameworkDataError(ValueError):
    """A framework data file is malformed; the message names the file and the field."""

    def __init__(self, message: str, *, field: str = "", problem: str = ""):
        super().__init__(message)
        self.field, self.problem = field, problem or message


def check_year_data(data, *, filename: str) -> None:
    def fail(field: str, message: str):
        raise FrameworkDataError(f"{filename}: field {field!r}: {message}", field=field,
                                 problem=f"{field}: {message}")

    if not isinstance(data, dict):
        fail("(top)", "must be a JSON object")
    for key in REQUIRED:
        if key not in data:
            fail(key, "is required")
    for key in data:
        if key not in TOP_LEVEL:
            fail(key, f"unknown field (known: {', '.join(sorted(TOP_LEVEL))})")
    stem = filename.rsplit("/", 1)[-1].removesuffix(".json")
    if stem.isdigit() and (not isinstance(data["year"], int) or str(data["year"]) != stem):
        fail("year", f"must be the integer {stem} (the file name)")
    if not isinstance(data["year"], int) or isinstance(data["year"], bool) or not 2500 <= data["year"] <= 2700:
        fail("year", "must be a Buddhist-era year such as 2569")
    if data.get("family", "general") not in FAMILIES:
        fail("family", f"unknown family {data.get('family')!r} (known: {', '.join(FAMILIES)})")
    if data.get("status", "confirmed") not in STATUSES:
        fail("status", f"must be one of {', '.join(STATUSES)}")

    _check_flags(data, "", fail)
    _check_sources(data, fail)
    numbers = _check_indicators(data, fail)
    _check_weights(data, numbers, fail)
    _check_rating(data, fail)
    _check_pass_mark(data, fail)
    subs = _check_sub_indicators(data, numbers, fail)
    codes = _check_oit_items(data, subs, numbers, fail)
    _check_item_map(data, codes, fail)


def _is_number(value) -> bool:
    return isinstance(value, (int, Decimal, float)) and not isinstance(value, bool)


def _items(data, key: str, fail) -> list:
    block = data.get(key)
    if not isinstance(block, dict) or not isinstance(block.get("items"), list):
        fail(key, 'must be an object with an "items" list')
    return block["items"]


def _check_flags(node, path: str, fail) -> None:
    """Every "uncertain" is a boolean, every "sources" a list of strings, everywhere."""
    if isinstance(node, dict):
        if "uncertain" in node and not isinstance(node["uncertain"], bool):
            fail(f"{path}.uncertain".lstrip("."), "must be true or false")
        for key, value in node.items():
            if path == "" and key == "sources":
                continue
            _check_flags(value, f"{path}.{key}".lstrip("."), fail)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            _check_flags(value, f"{path}.{index}", fail)


def _check_sources(data, fail) -> None:
    sources = data["sources"]
    if not isinstance(sources, dict):
        fail("sources", "must be an object of key -> {url, q, note}")
    for key, src in sources.items():
        if not isinstance(src, dict) or not isinstance(src.get("url"), str) or not src["url"]:
            fail(f"sources.{key}.url", "is required")
        if src.get("q", "A") not in SOURCE_QUALITIES:
            fail(f"sources.{key}.q", f"must be one of {', '.join(SOURCE_QUALITIES)}")

    def walk(node, path):
        if isinstance(node, dict):
            for key, value in node.items():
                if path == "" and key == "sources":
                    continue
                if key == "sources":
                    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                        fail(f"{path}.sources", "must be a list of source keys")
                    for ref in value:
                        if ref not in sources:
                            fail(f"{path}.sources", f"unknown source {ref!r} (not in the file's sources)")
                else:
                    walk(value, f"{path}.{key}".lstrip("."))
        elif isinstance(node, list):
            for index, value in enumerate(node):
                walk(value, f"{path}.{index}")

    walk(data, "")


def _check_indicators(data, fail) -> set[int]:
    items = _items(data, "indicators", fail)
    if not items:
        fail("indicators.items", "must not be empty")
    numbers: set[int] = set()
    for index, ind in enumerate(items):
        at = f"indicators.items.{index}"
        if not isinstance(ind, dict):
            fail(at, "must be an object")
        if not isinstance(ind.get("no"), int) or ind["no"] < 1:
            fail(f"{at}.no", "must be a positive integer")
        if ind["no"] in numbers:
            fail(f"{at}.no", f"indicator {ind['no']} is listed twice")
        numbers.add(ind["no"])
        if not isinstance(ind.get("name_th"), str) or not ind["name_th"].strip():
            fail(f"{at}.name_th", "is required")
        if ind.get("instrument") not in INSTRUMENTS:
            fail(f"{at}.instrument", f"must be one of {', '.join(INSTRUMENTS)}")
    return numbers


def _check_weights(data, numbers: set[int], fail) -> None:
    weights = data["weights"]
    if not isinstance(weights, dict):
        fail("weights", "must be an object")
    for name in INSTRUMENTS:
        if not _is_number(weights.get(name)) or not 0 <= weights[name] <= 100:
            fail(f"weights.{name}", "must be a number from 0 to 100")
    total = sum(Decimal(str(weights[n])) for n in INSTRUMENTS)
    if total != 100:
        fail("weights", f"IIT + EIT + OIT must be 100, not {total}")
    used = {ind["instrument"] for ind in data["indicators"]["items"]}
    for name in INSTRUMENTS:
        if weights[name] and name not in used:
            fail(f"weights.{name}", f"has weight {weights[name]} but no indicator uses {name}")


def _check_rating(data, fail) -> None:
    rating = data["rating"]
    if not isinstance(rating, dict):
        fail("rating", "must be an object")
    if rating.get("kind") not in RATING_KINDS:
        fail("rating.kind", f"must be one of {', '.join(RATING_KINDS)}")
    bands = rating.get("bands")
    if not isinstance(bands, list) or not bands:
        fail("rating.bands", "must be a non-empty list, highest band first")
    labels: set[str] = set()
    previous = None
    for index, band in enumerate(bands):
        at = f"rating.bands.{index}"
        if not isinstance(band, dict) or not isinstance(band.get("label"), str) or not band["label"]:
            fail(f"{at}.label", "is required")
        if band["label"] in labels:
            fail(f"{at}.label", f"{band['label']!r} is listed twice")
        labels.add(band["label"])
        for edge in ("min", "max"):
            if not _is_number(band.get(edge)):
                fail(f"{at}.{edge}", "must be a number")
        low, high = Decimal(str(band["min"])), Decimal(str(band["max"]))
        if low > high:
            fail(at, f"min {low} is above max {high}")
        if previous is None and high != 100:
            fail(f"{at}.max", "the first (highest) band must end at 100")
        if previous is not None and high != previous - CENT:
            fail(f"{at}.max", f"must be {previous - CENT} (0.01 below the band above) so every score has a band")
        previous = low
    if previous != 0:
        fail(f"rating.bands.{len(bands) - 1}.min", "the last (lowest) band must start at 0")


def _check_pass_mark(data, fail) -> None:
    mark = data["pass_mark"]
    if not isinstance(mark, dict) or not _is_number(mark.get("value")) or not 0 < mark["value"] <= 100:
        fail("pass_mark.value", "must be a number above 0 and at most 100")


def _check_sub_indicators(data, numbers: set[int], fail) -> set[str]:
    if "sub_indicators" not in data:
        return set()
    codes: set[str] = set()
    for index, sub in enumerate(_items(data, "sub_indicators", fail)):
        at = f"sub_indicators.items.{index}"
        code = sub.get("code") if isinstance(sub, dict) else None
        if not isinstance(code, str) or not SUB_CODE.match(code):
            fail(f"{at}.code", 'must look like "9.1"')
        if code in codes:
            fail(f"{at}.code", f"{code} is listed twice")
        codes.add(code)
        if sub.get("indicator") != int(code.split(".")[0]) or sub["indicator"] not in numbers:
            fail(f"{at}.indicator", f"must be {code.split('.')[0]}, an indicator of this year")
        if not isinstance(sub.get("name_th"), str) or not sub["name_th"].strip():
            fail(f"{at}.name_th", "is required")
    return codes


def _check_oit_items(data, subs: set[str], numbers: set[int], fail) -> set[str]:
    if "oit_items" not in data:
        return set()
    block = data["oit_items"]
    items = _items(data, "oit_items", fail)
    if "complete" in block and not isinstance(block["complete"], bool):
        fail("oit_items.complete", "must be true or false")
    codes: set[str] = set()
    for index, item in enumerate(items):
        at = f"oit_items.items.{index}"
        code = item.get("code") if isinstance(item, dict) else None
        if not isinstance(code, str) or not OIT_CODE.match(code):
            fail(f"{at}.code", 'must look like "O12"')
        if code in codes:
            fail(f"{at}.code", f"{code} is listed twice")
        codes.add(code)
        title = item.get("title_th")
        if not isinstance(title, str) or not title.strip():
            fail(f"{at}.title_th", f"{code} needs a title")
        for key in ("group", "subgroup", "detail_th", "note"):
            if item.get(key) is not None and not isinstance(item[key], str):
                fail(f"{at}.{key}", "must be text or null")
        sub = item.get("sub_indicator")
        if sub is not None and (not isinstance(sub, str) or (subs and sub not in subs) or not SUB_CODE.match(sub)):
            fail(f"{at}.sub_indicator", f"{sub!r} is not a sub-indicator of this year")
        indicator = item.get("indicator", int(sub.split(".")[0]) if sub else None)
        if indicator is not None and indicator not in numbers:
            fail(f"{at}.indicator", f"{indicator!r} is not an indicator of this year")
        if sub and indicator != int(sub.split(".")[0]):
            fail(f"{at}.indicator", f"{indicator} does not match sub-indicator {sub}")
        if item.get("produces") is not None and item["produces"] not in PRODUCES:
            fail(f"{at}.produces", f"must be one of {', '.join(PRODUCES)} or empty")
        previous = item.get("previous", [])
        if not isinstance(previous, list) or not all(isinstance(p, str) and OIT_CODE.match(p) for p in previous):
            fail(f"{at}.previous", 'must be a list of the previous year\'s codes such as ["O12"]')
        aliases = item.get("alt_titles_th", [])
        if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
            fail(f"{at}.alt_titles_th", "must be a list of titles")
    return codes


def _check_item_map(data, codes: set[str], fail) -> None:
    if "item_map_from_previous" not in data:
        return
    block = data["item_map_from_previous"]
    if not isinstance(block, dict) or not isinstance(block.get("map"), dict):
        fail("item_map_from_previous", 'must be an object with a "map" of code -> previous code')
    if not isinstance(block.get("from_year"), int) or block["from_year"] >= data["year"]:
        fail("item_map_from_previous.from_year", "must be an earlier year")
    for code, previous in block["map"].items():
        if code not in codes:
            fail(f"item_map_from_previous.map.{code}", f"{code} is not an OIT item of this year")
        if not isinstance(previous, str) or not OIT_CODE.match(previous):
            fail(f"item_map_from_previous.map.{code}", 'the previous code must look like "O12"')
