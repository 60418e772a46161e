"""Thailand's 77 provinces and their districts (อำเภอ, and Bangkok's เขต), and matching what people type.

The list is shipped as data (agencies/data/thailand.json, made by tools/geography_data.py from the
PyPI package geothai: GeoThai/data, CC-BY-4.0, names and codes of the Department of Provincial
Administration). Agencies store the bare names ("สกลนคร", "พังโคน"); `Agency.location` puts the words
in front.

    province("จ.สกลนคร")                 -> Province(code="47", name="สกลนคร", ...)
    province("จังหวัดสกลนคร"), province("Sakon Nakhon"), province("47")   the same
    district("อ.พังโคน", province="สกลนคร")  -> District(code="4705", name="พังโคน", ...)
    district("เมือง", province="สกลนคร")      -> เมืองสกลนคร (the อำเภอเมือง of the province)

Names are compared without spaces and dots, without the word for the level (จังหวัด จ. อำเภอ อ. เขต
กิ่งอำเภอ) and, in English, without case, hyphens and apostrophes. A few old spellings are accepted
(กรุงเทพฯ, กทม.).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

__all__ = ["District", "Province", "district", "districts", "normalise", "province", "provinces", "source"]


@dataclass(frozen=True)
class District:
    code: str  # DOPA code, 4 digits: the province's 2 and a running number
    name: str  # bare name: "พังโคน", "เมืองสกลนคร", Bangkok: "พระนคร"
    name_en: str
    province_code: str

    @property
    def label(self) -> str:
        return f"{'เขต' if self.province_code == '10' else 'อำเภอ'}{self.name}"


@dataclass(frozen=True)
class Province:
    code: str  # DOPA code, 2 digits
    name: str
    name_en: str
    district_word: str  # "อำเภอ" or, for Bangkok, "เขต"
    districts: tuple[District, ...]

    @property
    def label(self) -> str:
        return self.name if self.code == "10" else f"จังหวัด{self.name}"


_SHORT = re.compile(r"^(?:จ|อ|ต)\s*\.\s*")
_LEVEL = re.compile(r"^(?:จังหวัด|กิ่งอำเภอ|อำเภอ|เขต)")
_MARKS = re.compile(r"[\s.'’\-]")
_ALIASES = {"กรุงเทพ": "กรุงเทพมหานคร", "กรุงเทพฯ": "กรุงเทพมหานคร", "กทม": "กรุงเทพมหานคร",
            "bangkok": "กรุงเทพมหานคร"}


def normalise(text: str) -> str:
    """A name or what someone typed, in the one form names are compared in: "จ. สกลนคร" -> "สกลนคร"."""
    value = " ".join(str(text or "").split())
    value = _SHORT.sub("", value)
    value = _MARKS.sub("", value.lower())
    value = _LEVEL.sub("", value)
    return value


def _key(text: str) -> str:
    value = normalise(text)
    return normalise(_ALIASES.get(value, value)) if value in _ALIASES else value


@lru_cache(maxsize=1)
def _data() -> tuple[dict, tuple[Province, ...]]:
    raw = json.loads(resources.files("prongsai.agencies").joinpath("data", "thailand.json")
                     .read_text(encoding="utf-8"))
    out = []
    for p in raw["provinces"]:
        ds = tuple(District(code=c, name=n, name_en=e, province_code=p["code"]) for c, n, e in p["districts"])
        out.append(Province(code=p["code"], name=p["name"], name_en=p["name_en"],
                            district_word=p["district_word"], districts=ds))
    return raw["source"], tuple(out)


@lru_cache(maxsize=1)
def _province_index() -> dict[str, Province]:
    index: dict[str, Province] = {}
    for p in provinces():
        for key in (p.code, normalise(p.name), normalise(p.name_en)):
            index[key] = p
    return index


@lru_cache(maxsize=None)
def _district_index(province_code: str) -> dict[str, District]:
    p = next(p for p in provinces() if p.code == province_code)
    index: dict[str, District] = {}
    for d in p.districts:
        for key in (d.code, normalise(d.name), normalise(d.name_en)):
            index[key] = d
    mueang = index.get(normalise("เมือง" + p.name))
    if mueang is not None:  # "อ.เมือง" of a province is its เมือง<province> district
        index.setdefault(normalise("เมือง"), mueang)
        index.setdefault("mueang", mueang)
    return index


def source() -> dict:
    """Where the list comes from and under which licence."""
    return dict(_data()[0])


def provinces() -> tuple[Province, ...]:
    """All 77 provinces, in DOPA code order."""
    return _data()[1]


def province(text: str) -> Province | None:
    """The province a name, an English name or a code stands for; None if none does."""
    key = _key(text)
    if not key:
        return None
    return _province_index().get(key)


_province_of = province


def districts(province_name: str) -> tuple[District, ...]:
    p = province(province_name)
    return p.districts if p else ()


def district(text: str, *, province: str) -> District | None:
    """The district of `province` (any form `province()` accepts) that `text` names; None if none."""
    p = _province_of(province)
    key = normalise(text)
    if p is None or not key:
        return None
    return _district_index(p.code).get(key)
