"""Suggested integrity and transparency measures an agency can copy into its year's plan.

The catalogue lives in data/suggested_measures.json (started from the reference report's nine
measures). Each suggestion names the ITA indicator it addresses, or none.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from prongsai.framework.validation import FrameworkDataError

ROUNDS = (3, 6, 9, 12)
TEXT_FIELDS = ("key", "title", "guideline", "steps", "responsible", "monitoring")


@dataclass(frozen=True)
class SuggestedMeasure:
    key: str
    title: str  # ตัวชี้วัด/มาตรการ
    indicator: int | None  # the ITA indicator it addresses
    guideline: str  # แนวทางการปฏิบัติ
    steps: str  # ขั้นตอน/วิธีการปฏิบัติ
    responsible: str  # ผู้รับผิดชอบ
    monitoring: str  # การกำกับติดตาม
    rounds: tuple[int, ...]  # report rounds (months): 3, 6, 9, 12
    indicator_note: str = ""  # why this indicator, for measures named otherwise


def suggested_measures(indicator: int | None = None) -> list[SuggestedMeasure]:
    """All suggestions in catalogue order, or those addressing one indicator."""
    measures = _load()
    if indicator is None:
        return list(measures)
    return [m for m in measures if m.indicator == indicator]


@lru_cache(maxsize=1)
def _load() -> tuple[SuggestedMeasure, ...]:
    entry = resources.files("prongsai.framework").joinpath("data", "suggested_measures.json")
    return parse_suggested_measures(entry.read_text(encoding="utf-8"), filename=entry.name)


def parse_suggested_measures(text: str, *, filename: str) -> tuple[SuggestedMeasure, ...]:
    def fail(field: str, message: str):
        raise FrameworkDataError(f"{filename}: field {field!r}: {message}")

    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise FrameworkDataError(f"{filename}: not valid JSON: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("measures"), list):
        fail("measures", "must be a list")
    seen: set[str] = set()
    out = []
    for index, raw in enumerate(data["measures"]):
        at = f"measures.{index}"
        if not isinstance(raw, dict):
            fail(at, "must be an object")
        for name in TEXT_FIELDS:
            if not isinstance(raw.get(name), str) or not raw[name].strip():
                fail(f"{at}.{name}", "is required text")
        if raw["key"] in seen:
            fail(f"{at}.key", f"{raw['key']!r} is listed twice")
        seen.add(raw["key"])
        ind = raw.get("indicator")
        if ind is not None and (not isinstance(ind, int) or isinstance(ind, bool) or ind < 1):
            fail(f"{at}.indicator", "must be an indicator number or null")
        rounds = raw.get("rounds")
        valid = isinstance(rounds, list) and rounds and all(r in ROUNDS for r in rounds)
        if not valid or len(set(rounds)) != len(rounds):
            fail(f"{at}.rounds", "must list distinct rounds among 3, 6, 9, 12")
        out.append(SuggestedMeasure(
            key=raw["key"], title=raw["title"], indicator=ind, guideline=raw["guideline"], steps=raw["steps"],
            responsible=raw["responsible"], monitoring=raw["monitoring"], rounds=tuple(sorted(rounds)),
            indicator_note=raw.get("indicator_note", ""),
        ))
    return tuple(out)
