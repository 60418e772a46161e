import json

import pytest

from prongsai.framework.catalogue import FrameworkDataError, get_framework, suggested_measures
from prongsai.framework.suggested import parse_suggested_measures

SEED_TITLES = [
    "การใช้งบประมาณ",
    "การใช้ทรัพย์สินของทางราชการ",
    "การแก้ไขปัญหาการทุจริต",
    "การปรับปรุงระบบการทำงาน",
    "การเปิดเผยข้อมูล",
    "การป้องกันการทุจริต",
    "มาตรการตรวจสอบการใช้ดุลพินิจ",
    "มาตรการเผยแพร่ข้อมูลต่อสาธารณะ",
    "ประกาศเจตจำนงการบริหารงานด้วยความซื่อสัตย์สุจริตอย่างมีคุณธรรมและโปร่งใส",
]

pytestmark = pytest.mark.django_db


def _measure(**overrides):
    base = {"key": "k", "title": "t", "indicator": 2, "guideline": "g", "steps": "s",
            "responsible": "r", "monitoring": "m", "rounds": [6, 12]}
    base.update(overrides)
    return base


def test_it_starts_with_the_reference_reports_nine_measures_in_order():
    assert [m.title for m in suggested_measures()][:9] == SEED_TITLES


def test_it_links_each_seed_measure_to_the_indicator_it_addresses():
    by_title = {m.title: m.indicator for m in suggested_measures()}
    fw = get_framework(2563)
    for title in SEED_TITLES[:6]:
        indicator = fw.indicator(by_title[title])
        assert title in (indicator.name, *indicator.aliases)
    assert fw.indicator(by_title["มาตรการตรวจสอบการใช้ดุลพินิจ"]).name == "การใช้อำนาจ"
    assert by_title["มาตรการเผยแพร่ข้อมูลต่อสาธารณะ"] == 9


def test_it_filters_by_indicator():
    assert [m.key for m in suggested_measures(indicator=9)] == ["open-data", "public-disclosure"]
    assert suggested_measures(indicator=6) == []


def test_it_keeps_the_reports_rounds_and_units():
    by_key = {m.key: m for m in suggested_measures()}
    assert by_key["public-disclosure"].rounds == (3, 6, 9, 12)
    assert by_key["public-disclosure"].responsible == "งานประชาสัมพันธ์ กองวิชาการและแผนงาน"
    assert by_key["use-of-budget"].rounds == (6, 12)
    assert by_key["use-of-budget"].responsible == "สำนักปลัด และกองคลัง"


def test_it_stores_rejoined_text_without_extraction_artefacts():
    for m in suggested_measures():
        for text in (m.title, m.guideline, m.steps, m.responsible, m.monitoring):
            assert "<p>" not in text and "  " not in text
    by_key = {m.key: m for m in suggested_measures()}
    assert "มาตรการตรวจสอบการใช้ดุลพินิจ" in by_key["discretion-review"].guideline
    assert "E-Service" in by_key["open-data"].guideline
    first_step = by_key["discretion-review"].steps.splitlines()[0]
    assert first_step == "1. ผู้รับผิดชอบดำเนินการจัดทำมาตรการตรวจสอบการใช้ดุลพินิจ"


@pytest.mark.parametrize(
    "measure, field",
    [
        (_measure(rounds=[5]), "measures.0.rounds"),
        (_measure(rounds=[6, 6]), "measures.0.rounds"),
        (_measure(title=""), "measures.0.title"),
        (_measure(indicator="2"), "measures.0.indicator"),
    ],
)
def test_it_rejects_a_broken_catalogue_naming_the_field(measure, field):
    with pytest.raises(FrameworkDataError, match=f"suggested.json: field '{field}'"):
        parse_suggested_measures(json.dumps({"measures": [measure]}), filename="suggested.json")


def test_it_rejects_duplicate_keys():
    with pytest.raises(FrameworkDataError, match="listed twice"):
        parse_suggested_measures(json.dumps({"measures": [_measure(), _measure()]}), filename="s.json")
