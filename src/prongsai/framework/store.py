"""The catalogues in the database: seeding from the shipped files, and which one applies.

`catalogue.get_framework(year, family)` answers from here. Rules (docs/framework.md):
- The current catalogue of (year, family) is its highest version that is not a draft.
- A family without a catalogue for the year uses the general one.
- A year without any catalogue (today FY 2570) uses the latest earlier year's, marked
  `provisional_for=year`, as long as the year is not far from the present (at most next fiscal year).
- Rows are immutable once used; Framework objects are cached per (row, provisional_for).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
from functools import lru_cache
from importlib import resources

from django.db import transaction
from django.db.models import Case, IntegerField, Value, When

from prongsai.framework.validation import FrameworkDataError, check_year_data
from prongsai.lib import fiscal

GENERAL = "general"
FAR_AHEAD = 1  # fiscal years after the current one that may start on a provisional catalogue


class UnknownFrameworkYear(ValueError):
    """No catalogue applies to the requested year."""


def canonical(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=_json_default)


def _numbers(value):
    """95.0 and 95 are the same number: one spelling for the hash (JSON files write 95.0, sheets 95)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {k: _numbers(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_numbers(v) for v in value]
    return value


def digest(data: dict) -> str:
    return hashlib.sha256(canonical(_numbers(plain(data))).encode("utf-8")).hexdigest()


def shipped_files() -> dict[int, dict]:
    """{year: data} of the year files shipped in the package (all of the general family)."""
    folder = resources.files("prongsai.framework").joinpath("data", "years")
    found = {}
    for entry in folder.iterdir():
        if entry.is_file() and entry.name.endswith(".json") and entry.name[:-5].isdigit():
            found[int(entry.name[:-5])] = json.loads(entry.read_text(encoding="utf-8"))
    return dict(sorted(found.items()))


def status_of(data: dict) -> str:
    return data.get("status") or ("provisional" if data.get("provisional") else "confirmed")


def normalise(data: dict) -> dict:
    """Family, status and the `provisional` flag always present and consistent."""
    data = dict(data)
    data["family"] = data.get("family") or GENERAL
    data["status"] = status_of(data)
    data["provisional"] = data["status"] != "confirmed"
    for block, key in (("indicators", "items"), ("sub_indicators", "items"), ("rating", "bands"),
                       ("oit_items", "items")):
        node = data.get(block)
        if isinstance(node, dict) and isinstance(node.get(key), list):
            # an empty field and an absent one mean the same: keep one spelling (files, XLSX, hashes)
            data[block] = {**node, key: [{k: v for k, v in item.items() if v is not None and v != []}
                                         if isinstance(item, dict) else item for item in node[key]]}
    return data


def sync_shipped(**_kwargs) -> list:
    """Seed the database from the shipped files (run after every `migrate`). A shipped file that changed
    becomes a new version; it is made current only when the current version came from a shipped file
    too, otherwise it waits as a draft beside the operator's own import."""
    from prongsai.framework.models import Catalogue

    created = []
    with transaction.atomic():
        for year, data in shipped_files().items():
            data = normalise(data)
            family = data["family"]
            sha = digest(data)
            rows = Catalogue.objects.filter(fiscal_year=year, family=family)
            if rows.filter(origin=Catalogue.Origin.SHIPPED, sha256=sha).exists():
                continue
            latest = rows.order_by("-version").first()
            status = status_of(data)
            if latest is not None and latest.origin != Catalogue.Origin.SHIPPED:
                status = Catalogue.Status.DRAFT
            created.append(Catalogue.objects.create(
                fiscal_year=year, family=family, version=(latest.version + 1) if latest else 1, status=status,
                origin=Catalogue.Origin.SHIPPED, data=data, sha256=sha,
                note="shipped with Prongsai" if status != Catalogue.Status.DRAFT
                else "a newer shipped file; the operator's import stays current"))
    return created


def _usable():
    from prongsai.framework.models import Catalogue

    return Catalogue.objects.exclude(status=Catalogue.Status.DRAFT)


def current_row(year: int, family: str = GENERAL):
    """The catalogue row that applies to (year, family), or None when the year has none of its own."""
    rows = _usable().filter(fiscal_year=int(year), family__in={family, GENERAL})
    return rows.order_by(_family_first(family), "-version").first()


def _family_first(family: str):
    return Case(When(family=family, then=Value(0)), default=Value(1), output_field=IntegerField())


def applicable_row(year: int, family: str = GENERAL, *, today: dt.date | None = None):
    """(row, provisional_for): the year's own catalogue, else the latest earlier one for a year not far
    ahead of the present. Raises UnknownFrameworkYear."""
    year = int(year)
    row = current_row(year, family)
    if row is not None:
        return row, None
    present = fiscal.of_date(today or dt.date.today())
    if year <= present + FAR_AHEAD:
        earlier = _usable().filter(fiscal_year__lt=year, family__in={family, GENERAL}).order_by(
            "-fiscal_year", _family_first(family), "-version").first()
        if earlier is not None:
            return earlier, year
    raise UnknownFrameworkYear(
        f"Prongsai has no ITA catalogue for {year}; available years: {', '.join(map(str, years()))}")


def years() -> list[int]:
    return sorted(set(_usable().values_list("fiscal_year", flat=True)))


def framework_of(row, *, provisional_for: int | None = None):
    """The Framework of one catalogue row (cached: rows are immutable, status is part of the key)."""
    return _build(row.pk, row.status, row.version, row.family, row.fiscal_year, row.sha256, provisional_for)


@lru_cache(maxsize=256)
def _build(pk, status, version, family, year, sha, provisional_for):
    from prongsai.framework.catalogue import _build as build_framework
    from prongsai.framework.models import Catalogue

    data = Catalogue.objects.values_list("data", flat=True).get(pk=pk)
    check_year_data(_decimals(data), filename=f"ITA {year} {family} v{version}")
    framework = build_framework(_decimals(data), family=family, version=version, status=status,
                                catalogue_id=pk, provisional_for=provisional_for)
    return dataclasses.replace(framework, family=family)


def _json_default(value):
    from decimal import Decimal

    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() and "E" not in str(value) else float(value)
    raise TypeError(f"{type(value).__name__} is not catalogue data")


def plain(data: dict) -> dict:
    """The data as plain JSON values (what the database stores and hashes)."""
    return json.loads(json.dumps(data, default=_json_default))


def _decimals(data: dict) -> dict:
    from decimal import Decimal

    return json.loads(json.dumps(data, default=_json_default), parse_float=Decimal)


def check(data: dict, *, where: str) -> None:
    """Validate catalogue data; FrameworkDataError names `where` and the field."""
    check_year_data(_decimals(data), filename=where)


__all__ = ["FrameworkDataError", "UnknownFrameworkYear", "applicable_row", "current_row", "framework_of",
           "sync_shipped", "years"]
