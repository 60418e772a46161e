"""The NACC's ITA framework per fiscal year, read from the data files in `data/years/`.

One JSON file per year (`2564.json`, ...) holds the indicators, the instrument weights, the rating
bands, the pass mark and the OIT item list of that year, with sources and "uncertain" flags.
The loader discovers the files, so adding a year means adding a file (docs/framework.md).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from importlib import resources
from types import MappingProxyType
from typing import Mapping

from prongsai.framework.suggested import SuggestedMeasure, suggested_measures
from prongsai.framework.validation import FrameworkDataError, check_year_data

__all__ = [
    "Band", "Framework", "FrameworkDataError", "Indicator", "OITItem", "Source", "SubIndicator",
    "SuggestedMeasure", "UnknownFrameworkYear", "available_years", "get_framework", "load_framework_file",
    "suggested_measures",
]

INSTRUMENTS = ("IIT", "EIT", "OIT")
GRADE = "grade"
PASS = "pass"


class UnknownFrameworkYear(ValueError):
    """No data file ships for the requested ITA year."""


@dataclass(frozen=True)
class Source:
    key: str
    url: str
    quality: str  # A NACC, B government/media/research, C agency pages, D public code
    note: str = ""


@dataclass(frozen=True)
class Indicator:
    no: int
    name: str
    instrument: str
    uncertain: bool = False
    aliases: tuple[str, ...] = ()
    note: str = ""
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class SubIndicator:
    code: str  # "9.1"
    indicator: int
    name: str
    uncertain: bool = False


@dataclass(frozen=True)
class Band:
    label: str
    min: Decimal
    max: Decimal
    uncertain: bool = False

    def contains(self, score: Decimal) -> bool:
        return self.min <= score <= self.max


@dataclass(frozen=True)
class OITItem:
    code: str  # "O1"
    title: str
    group: str  # the heading as published, e.g. "9.1 ข้อมูลพื้นฐาน"
    subgroup: str
    detail: str
    uncertain: bool
    sources: tuple[str, ...]
    sub_indicator: str = ""  # "9.1" when known
    indicator: int | None = None  # 9 or 10 when known
    note: str = ""
    aliases: tuple[str, ...] = ()  # other spellings seen for the same item


@dataclass(frozen=True)
class Framework:
    year: int
    provisional: bool
    summary: str
    notes: tuple[str, ...]
    indicators: tuple[Indicator, ...]
    sub_indicators: tuple[SubIndicator, ...]
    weights: Mapping[str, Decimal]
    rating: str  # "grade" (AA-F) or "pass" (ผ่านดีเยี่ยม / ผ่าน / ไม่ผ่าน)
    bands: tuple[Band, ...]
    pass_mark: Decimal
    oit_items: tuple[OITItem, ...]
    oit_items_complete: bool
    item_map_from_previous: Mapping[str, str]
    national_results: Mapping[str, object]
    uncertain_fields: tuple[str, ...]
    sources: Mapping[str, Source]

    @property
    def indicator_numbers(self) -> list[int]:
        return [ind.no for ind in self.indicators]

    def indicator(self, no: int) -> Indicator:
        for ind in self.indicators:
            if ind.no == no:
                return ind
        raise ValueError(
            f"ITA {self.year} has no indicator {no}; its indicators are "
            f"{', '.join(str(n) for n in self.indicator_numbers)}"
        )

    def indicators_of(self, instrument: str) -> list[Indicator]:
        return [ind for ind in self.indicators if ind.instrument == instrument]

    def oit_item(self, code: str) -> OITItem:
        wanted = code.strip().upper()
        for item in self.oit_items:
            if item.code.upper() == wanted:
                return item
        raise ValueError(f"ITA {self.year} has no OIT item {code!r} in Prongsai's catalogue")

    def is_uncertain(self, field: str) -> bool:
        """True when `field` (a dotted name such as "weights" or "rating.bands.ผ่าน") or a part of
        it is flagged uncertain, or when the whole year is."""
        return any(f == "year" or f == field or f.startswith(field + ".") for f in self.uncertain_fields)


def _years_dir():
    return resources.files("prongsai.framework").joinpath("data", "years")


@lru_cache(maxsize=1)
def available_years() -> list[int]:
    """ITA years (BE) with a shipped data file, ascending."""
    names = (entry.name for entry in _years_dir().iterdir() if entry.is_file())
    return sorted(int(n[:-5]) for n in names if n.endswith(".json") and n[:-5].isdigit())


@lru_cache(maxsize=None)
def get_framework(year: int) -> Framework:
    year = int(year)
    if year not in available_years():
        listed = ", ".join(str(y) for y in available_years())
        raise UnknownFrameworkYear(f"Prongsai has no ITA framework for {year}; available years: {listed}")
    entry = _years_dir().joinpath(f"{year}.json")
    return load_framework_file(entry.read_text(encoding="utf-8"), filename=entry.name)


def load_framework_file(text: str, *, filename: str) -> Framework:
    """Parse and validate one year file's text; raises FrameworkDataError naming file and field."""
    try:
        data = json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as exc:
        raise FrameworkDataError(f"{filename}: not valid JSON: {exc}") from exc
    check_year_data(data, filename=filename)
    return _build(data)


def _build(data: dict) -> Framework:
    dec = lambda v: Decimal(str(v))  # noqa: E731
    indicators = tuple(
        Indicator(
            no=int(i["no"]), name=i["name_th"], instrument=i["instrument"],
            uncertain=bool(i.get("uncertain") or data["indicators"].get("uncertain")),
            aliases=tuple(i.get("aliases", ())), note=i.get("note", ""), sources=tuple(i.get("sources", ())),
        )
        for i in data["indicators"]["items"]
    )
    sub_block = data.get("sub_indicators") or {"items": []}
    subs = tuple(
        SubIndicator(code=s["code"], indicator=int(s["indicator"]), name=s["name_th"],
                     uncertain=bool(s.get("uncertain") or sub_block.get("uncertain")))
        for s in sub_block["items"]
    )
    rating = data["rating"]
    bands = tuple(
        Band(label=b["label"], min=dec(b["min"]), max=dec(b["max"]),
             uncertain=bool(b.get("uncertain") or rating.get("uncertain")))
        for b in rating["bands"]
    )
    oit = data.get("oit_items") or {"items": [], "complete": False}
    items = tuple(
        OITItem(
            code=o["code"], title=o.get("title_th") or "", group=o.get("group") or "",
            subgroup=o.get("subgroup") or "", detail=o.get("detail_th") or "",
            uncertain=bool(o.get("uncertain") or oit.get("uncertain")), sources=tuple(o.get("sources", ())),
            sub_indicator=o.get("sub_indicator") or "",
            indicator=_item_indicator(o), note=o.get("note", ""), aliases=tuple(o.get("alt_titles_th", ())),
        )
        for o in oit["items"]
    )
    item_map = (data.get("item_map_from_previous") or {}).get("map", {})
    sources = {
        key: Source(key=key, url=s["url"], quality=s.get("q", ""), note=s.get("note", ""))
        for key, s in data["sources"].items()
    }
    weights = data["weights"]
    return Framework(
        year=int(data["year"]),
        provisional=bool(data.get("provisional", False)),
        summary=data.get("summary", ""),
        notes=tuple(data.get("notes", ())),
        indicators=indicators,
        sub_indicators=subs,
        weights=MappingProxyType({k: dec(weights[k]) for k in INSTRUMENTS}),
        rating=rating["kind"],
        bands=bands,
        pass_mark=dec(data["pass_mark"]["value"]),
        oit_items=items,
        oit_items_complete=bool(oit.get("complete", False)),
        item_map_from_previous=MappingProxyType(dict(item_map)),
        national_results=MappingProxyType(dict(data.get("national_results") or {})),
        uncertain_fields=tuple(_uncertain_paths(data)),
        sources=MappingProxyType(sources),
    )


def _item_indicator(item: dict) -> int | None:
    if item.get("indicator") is not None:
        return int(item["indicator"])
    if item.get("sub_indicator"):
        return int(item["sub_indicator"].split(".")[0])
    return None


_ITEM_KEYS = ("no", "code", "label")


def _uncertain_paths(node, path: str = "") -> list[str]:
    """Dotted names of every object flagged "uncertain": true; list members are named by their
    no/code/label ("oit_items.O5", "rating.bands.ผ่าน"), the list wrapper "items" is left out.
    A top-level flag is reported as "year"."""
    found: list[str] = []
    if isinstance(node, dict):
        if node.get("uncertain") is True:
            found.append(path or "year")
        for key, value in node.items():
            if key == "sources" and not path:
                continue
            child = path if key == "items" else (f"{path}.{key}" if path else key)
            found.extend(_uncertain_paths(value, child))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            name = next((str(value[k]) for k in _ITEM_KEYS if isinstance(value, dict) and k in value), str(index))
            found.extend(_uncertain_paths(value, f"{path}.{name}"))
    return found
