import json
from decimal import Decimal
from importlib import resources

import pytest

from prongsai.framework.catalogue import (
    FrameworkDataError,
    UnknownFrameworkYear,
    available_years,
    get_framework,
    load_framework_file,
)
from prongsai.framework.store import shipped_files

# The catalogues live in the database, seeded from the shipped files after migrate.
pytestmark = pytest.mark.django_db
SHIPPED_YEARS = list(shipped_files())


def _shipped(year: int) -> dict:
    text = resources.files("prongsai.framework").joinpath("data", "years", f"{year}.json").read_text("utf-8")
    return json.loads(text)


def _load(data: dict, year: int = 2564):
    return load_framework_file(json.dumps(data, ensure_ascii=False), filename=f"{year}.json")


def test_it_ships_every_year_from_2562_to_2568():
    years = available_years()
    assert [y for y in years if 2562 <= y <= 2568] == list(range(2562, 2569))
    assert years == sorted(years)


@pytest.mark.parametrize("year", SHIPPED_YEARS)
def test_it_loads_every_shipped_year_consistently(year):
    fw = get_framework(year)
    assert fw.year == year
    assert fw.indicator_numbers == list(range(1, 11))
    assert sum(fw.weights.values()) == Decimal(100)
    assert fw.pass_mark == Decimal(85)
    assert fw.bands[0].max == Decimal(100) and fw.bands[-1].min == Decimal(0)
    for upper, lower in zip(fw.bands, fw.bands[1:]):
        assert lower.max == upper.min - Decimal("0.01")
    for item in fw.oit_items:
        assert item.title
        for key in item.sources:
            assert fw.sources[key].url
    for code, previous in fw.item_map_from_previous.items():
        assert fw.oit_item(code).code == code
        assert previous.startswith("O")


def test_it_uses_grades_until_2565_and_pass_from_2566():
    for year in (2562, 2563, 2564, 2565):
        fw = get_framework(year)
        assert fw.rating == "grade"
        assert [b.label for b in fw.bands] == ["AA", "A", "B", "C", "D", "E", "F"]
    for year in (2566, 2567, 2568):
        fw = get_framework(year)
        assert fw.rating == "pass"
        assert [b.label for b in fw.bands] == ["ผ่านดีเยี่ยม", "ผ่าน", "ไม่ผ่าน"]


def test_it_maps_indicators_to_instruments():
    fw = get_framework(2564)
    assert [i.no for i in fw.indicators_of("IIT")] == [1, 2, 3, 4, 5]
    assert [i.no for i in fw.indicators_of("EIT")] == [6, 7, 8]
    assert [i.no for i in fw.indicators_of("OIT")] == [9, 10]
    assert fw.indicator(4).name == "การใช้ทรัพย์สินของราชการ"
    assert "การใช้ทรัพย์สินของทางราชการ" in fw.indicator(4).aliases


def test_it_rejects_an_unknown_year_listing_the_available_ones():
    with pytest.raises(UnknownFrameworkYear) as info:
        get_framework(2550)
    assert isinstance(info.value, ValueError)
    assert "2550" in str(info.value) and "2564" in str(info.value)


def test_it_names_the_missing_indicator_number():
    with pytest.raises(ValueError, match="no indicator 11"):
        get_framework(2564).indicator(11)


def test_it_finds_oit_items_by_code_case_insensitively():
    fw = get_framework(2564)
    assert fw.oit_item("o42").title == "มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน"
    with pytest.raises(ValueError, match="O44"):
        fw.oit_item("O44")


def test_it_keeps_the_verified_2564_oit_structure():
    fw = get_framework(2564)
    assert len(fw.oit_items) == 43 and fw.oit_items_complete
    counts = {}
    for item in fw.oit_items:
        counts[item.sub_indicator] = counts.get(item.sub_indicator, 0) + 1
    assert counts == {"9.1": 9, "9.2": 8, "9.3": 7, "9.4": 4, "9.5": 5, "10.1": 8, "10.2": 2}
    assert fw.oit_item("O34").indicator == 10
    assert [s.code for s in fw.sub_indicators] == ["9.1", "9.2", "9.3", "9.4", "9.5", "10.1", "10.2"]


def test_it_maps_items_from_the_previous_year():
    assert get_framework(2564).item_map_from_previous["O42"] == "O42"
    fw = get_framework(2566)
    assert fw.item_map_from_previous["O27"] == "O29"  # complaint guideline
    assert fw.item_map_from_previous["O36"] == "O39"  # anti-corruption plan
    assert "O31" not in fw.item_map_from_previous  # No Gift Policy is new
    assert get_framework(2568).item_map_from_previous["O17"] == "O25"


def test_it_flags_uncertain_fields():
    assert "weights" not in get_framework(2564).uncertain_fields
    assert not get_framework(2564).is_uncertain("weights")
    fw = get_framework(2567)
    assert "weights" in fw.uncertain_fields
    assert "rating.bands.ผ่านดีเยี่ยม" in fw.uncertain_fields
    assert fw.is_uncertain("rating")
    assert "oit_items.O5" in get_framework(2563).uncertain_fields
    assert "oit_items.O1" not in get_framework(2563).uncertain_fields
    assert get_framework(2562).is_uncertain("indicators")


def test_it_marks_assumed_facts_with_a_note():
    for year in (2562, 2567, 2568):
        weights = _shipped(year)["weights"]
        assert weights["uncertain"] is True
        assert "ssumed" in weights["note"]
    assert _shipped(2562)["indicators"]["uncertain"] is True


def test_it_ships_2569_as_its_own_provisional_catalogue_mapped_from_2568():
    fw = get_framework(2569)
    assert fw.provisional and fw.status == "provisional" and fw.is_provisional
    assert "year" in fw.uncertain_fields and fw.is_uncertain("pass_mark")
    # the general-agency rework: the complaint channel moved O18 -> O17, 2568 O21 + O22 merged into O20
    assert fw.oit_item("O17").title.startswith("ช่องทางแจ้งเรื่องร้องเรียน")
    assert fw.previous_codes("O17") == ("O18",)
    assert fw.previous_codes("O20") == ("O21", "O22")
    assert fw.previous_codes("O25") == () and fw.previous_codes("O26") == ()
    # what Prongsai fills is an attribute of the item, not its code
    assert [i.code for i in fw.items_producing("plan")] == ["O25"]
    assert [i.code for i in fw.items_producing("previous_year_report")] == ["O26"]
    assert [i.code for i in fw.items_producing("complaints_channel")] == ["O17"]


def test_it_carries_national_results_with_sources():
    results = get_framework(2565).national_results
    assert results["average"] == Decimal("87.57")
    assert results["passed"] == 5855
    assert all(key in get_framework(2565).sources for key in results["sources"])


@pytest.mark.parametrize(
    "change, field",
    [
        (lambda d: d["weights"].update(EIT=20), "'weights'"),
        (lambda d: d["rating"]["bands"][1].update(max=94.98), "'rating.bands.1.max'"),
        (lambda d: d["rating"]["bands"][-1].update(min=1), "'rating.bands.6.min'"),
        (lambda d: d["indicators"]["items"][0].update(instrument="XIT"), "'indicators.items.0.instrument'"),
        (lambda d: d["indicators"]["items"][1].update(no=1), "'indicators.items.1.no'"),
        (lambda d: d["oit_items"]["items"][0].update(sources=["nowhere"]), "'oit_items.items.0.sources'"),
        (lambda d: d["oit_items"]["items"][1].update(code="O1"), "'oit_items.items.1.code'"),
        (lambda d: d["oit_items"]["items"][0].update(uncertain="yes"), "'oit_items.items.0.uncertain'"),
        (lambda d: d["item_map_from_previous"]["map"].update(O99="O1"), "'item_map_from_previous.map.O99'"),
        (lambda d: d.update(weigths={}), "'weigths'"),
        (lambda d: d.pop("pass_mark"), "'pass_mark'"),
        (lambda d: d.update(year=2565), "'year'"),
    ],
)
def test_it_rejects_a_broken_data_file_naming_file_and_field(change, field):
    data = _shipped(2564)
    change(data)
    with pytest.raises(FrameworkDataError) as info:
        _load(data)
    assert str(info.value).startswith("2564.json: field " + field)


def test_it_rejects_invalid_json_naming_the_file():
    with pytest.raises(FrameworkDataError, match=r"^2564\.json: not valid JSON"):
        load_framework_file("{", filename="2564.json")
