"""The NACC's ITA framework per fiscal year, read from the data files in `data/years/`.

One JSON file per year (`2564.json`, ...) holds the indicators, the instrument weights, the rating
bands, the pass mark and the OIT item list of that year, with sources and "uncertain" flags.
The loader discovers the files, so adding a year means adding a file (docs/framework.md).
"""

from __future__ import annotations

import json
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from importlib import resources
from types import MappingProxyType
from typing import Mapping

from prongsai.framework.suggested import SuggestedMeasure, suggested_measures
from prongsai.framework.store import UnknownFrameworkYear
from prongsai.framework.validation import FrameworkDataError, check_year_data

__all__ = [
    "Band", "Framework", "FrameworkDataError", "Indicator", "OITItem", "Source", "SubIndicator",
    "SuggestedMeasure", "UnknownFrameworkYear", "available_years", "get_framework", "load_framework_file",
    "shipped_framework",
    "suggested_measures",
]

INSTRUMENTS = ("IIT", "EIT", "OIT")
# What an OIT item may say Prongsai produces for it (OITItem.produces).
PRODUCES = ("measures", "measures_done", "plan", "previous_year_report", "complaints_guideline",
            "complaints_channel", "complaints_statistics")
GRADE = "grade"
PASS = "pass"


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
    # What Prongsai itself publishes for this item ("" when nothing): one of PRODUCES. Items are
    # recognised by this attribute of the catalogue, never by their code or title.
    produces: str = ""
    # The previous year's item(s) with the same content (several when items were merged).
    previous: tuple[str, ...] = ()


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
    # Where the catalogue comes from in the database (framework.Catalogue); defaults for a bare file.
    family: str = "general"
    version: int = 0
    status: str = "confirmed"  # draft | provisional | confirmed
    catalogue_id: int | None = None
    # Set when this catalogue applies to a later fiscal year that has none of its own yet.
    provisional_for: int | None = None

    @property
    def is_provisional(self) -> bool:
        """True when pages and documents must say the catalogue is not final for the year."""
        return self.provisional_for is not None or self.status != "confirmed" or self.provisional

    def previous_codes(self, code: str) -> tuple[str, ...]:
        """The previous year's item codes that `code` continues (empty for a new item)."""
        item = self.oit_item(code)
        if item.previous:
            return item.previous
        old = self.item_map_from_previous.get(item.code)
        return (old,) if old else ()

    def items_producing(self, kind: str) -> list[OITItem]:
        return [item for item in self.oit_items if item.produces == kind]

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


def available_years() -> list[int]:
    """ITA years (BE) with a catalogue in the database (not counting drafts), ascending."""
    from prongsai.framework import store

    return store.years()


_remembered = threading.local()


@contextmanager
def remembered():
    """Within this block (in this thread) get_framework looks each (year, family, version) up once: for
    a run of many short operations that read the same catalogues (`prongsai import` of many files).
    A catalogue made current while the block runs is seen by the next block."""
    outer = getattr(_remembered, "cache", None)
    if outer is None:
        _remembered.cache = {}
    try:
        yield
    finally:
        if outer is None:
            _remembered.cache = None


def get_framework(year: int, family: str = "general", *, version: int | None = None) -> Framework:
    """The catalogue that applies to (year, family): its current version, or `version` exactly.
    A year without its own catalogue gets the latest earlier one with `provisional_for=year`
    (framework.store); a year far from the present raises UnknownFrameworkYear."""
    cache = getattr(_remembered, "cache", None)
    if cache is None:
        return _get_framework(year, family, version)
    key = (int(year), family, version)
    if key not in cache:
        try:
            cache[key] = _get_framework(year, family, version)
        except UnknownFrameworkYear as exc:
            cache[key] = exc
    found = cache[key]
    if isinstance(found, UnknownFrameworkYear):
        raise found
    return found


def _get_framework(year, family, version) -> Framework:
    from django.db import OperationalError, ProgrammingError

    try:
        return _from_database(year, family, version)
    except (OperationalError, ProgrammingError):
        # The database is not set up yet (no `migrate`, e.g. `prongsai validate` right after install):
        # the shipped files are the catalogues.
        return _from_shipped_files(int(year))


def _from_shipped_files(year: int) -> Framework:
    import dataclasses
    import datetime as dt

    from prongsai.framework import store
    from prongsai.lib import fiscal

    shipped = [y for y in store.shipped_files() if y <= year]
    if year in shipped:
        return shipped_framework(year)
    if shipped and year <= fiscal.of_date(dt.date.today()) + store.FAR_AHEAD:
        return dataclasses.replace(shipped_framework(shipped[-1]), provisional_for=year)
    raise UnknownFrameworkYear(f"Prongsai has no ITA catalogue for {year}")


def _from_database(year, family, version) -> Framework:
    from prongsai.framework import store
    from prongsai.framework.models import Catalogue

    if version is not None:
        row = Catalogue.objects.filter(fiscal_year=int(year), family=family, version=int(version)).first()
        if row is None:
            raise UnknownFrameworkYear(f"Prongsai has no ITA catalogue {year} {family} version {version}")
        return store.framework_of(row)
    row, provisional_for = store.applicable_row(int(year), family)
    return store.framework_of(row, provisional_for=provisional_for)


@lru_cache(maxsize=None)
def shipped_framework(year: int) -> Framework:
    """The catalogue of a file shipped in the package, read without the database."""
    entry = _years_dir().joinpath(f"{int(year)}.json")
    if not entry.is_file():
        raise UnknownFrameworkYear(f"Prongsai ships no ITA catalogue file for {year}")
    return load_framework_file(entry.read_text(encoding="utf-8"), filename=entry.name)


def load_framework_file(text: str, *, filename: str) -> Framework:
    """Parse and validate one year file's text; raises FrameworkDataError naming file and field."""
    try:
        data = json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as exc:
        raise FrameworkDataError(f"{filename}: not valid JSON: {exc}") from exc
    check_year_data(data, filename=filename)
    return _build(data)


def _build(data: dict, **origin) -> Framework:
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
            produces=o.get("produces") or "", previous=tuple(o.get("previous") or ()),
        )
        for o in oit["items"]
    )
    item_map = dict((data.get("item_map_from_previous") or {}).get("map", {}))
    for o in oit["items"]:  # an item's own `previous` list wins over the year's map
        if o.get("previous"):
            item_map[o["code"]] = o["previous"][0]
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
        family=origin.pop("family", None) or data.get("family") or "general",
        **origin,
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


def framework_for_plan(plan) -> Framework:
    """The catalogue an agency's year is worked against: the version it is pinned to (marked provisional
    when that catalogue is another year's), else the one that applies to its ITA year and family."""
    from prongsai.framework import store

    if plan.catalogue_id:
        row = plan.catalogue
        provisional_for = plan.framework_year if row.fiscal_year != plan.framework_year else None
        return store.framework_of(row, provisional_for=provisional_for)
    return get_framework(plan.framework_year, plan.agency.family)


def version_note(framework: Framework, digits: str = "thai") -> str:
    """The sentence every page, document and export that depends on the catalogue carries: which
    catalogue version it was made against, and whether that is provisional."""
    from django.utils.translation import gettext as _

    from prongsai.lib import thai

    values = {"year": framework.provisional_for, "cat": framework.year, "v": framework.version}
    if framework.provisional_for:
        text = _("ปี %(year)s ยังไม่มีเกณฑ์ ITA ของตนเอง: ใช้เกณฑ์ปี %(cat)s ฉบับที่ %(v)s เป็นการชั่วคราว"
                 "สำหรับปีงบประมาณ %(year)s") % values
    elif framework.is_provisional:
        text = _("เกณฑ์ ITA ปี %(cat)s ฉบับที่ %(v)s ยังไม่ใช่ฉบับยืนยัน (สำนักงาน ป.ป.ช. อาจเปลี่ยนแปลง)") % values
    else:
        text = _("เกณฑ์ ITA ปี %(cat)s ฉบับที่ %(v)s") % values
    return thai.digits(text, digits)
