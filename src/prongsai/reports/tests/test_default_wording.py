"""The default wording (reports/wording/th.yaml) is free of the seed's slips; an agency's own wording
keeps what it wrote (the seed year's own analysis sentence has "ภาครัฐ(Integrity" and "ที่มาผ่าน")."""

from __future__ import annotations

import re

import pytest

from prongsai.reports import wording
from prongsai.reports.build import round_report

THAI_BEFORE_PARENTHESIS = re.compile("[\u0e00-\u0e7f]\\(")


def _texts(kind: str) -> list[str]:
    out = []
    for value in wording.defaults(kind=kind).values():
        out += value if isinstance(value, list) else [value]
    return [t for t in out if isinstance(t, str)]


@pytest.mark.parametrize("kind", wording.KINDS)
def test_the_defaults_say_thi_phan_ma_not_thi_ma_phan(kind):
    texts = _texts(kind)
    assert not [t for t in texts if "ที่มาผ่าน" in t]


@pytest.mark.parametrize("kind", wording.KINDS)
def test_the_defaults_put_a_space_before_a_parenthesis_after_thai(kind):
    assert [m.group() for t in _texts(kind) for m in THAI_BEFORE_PARENTHESIS.finditer(t)] == []


@pytest.mark.parametrize("kind", wording.KINDS)
def test_the_defaults_spell_the_assessment_as_its_name(kind):
    texts = " ".join(_texts(kind))
    assert "Integrity and transparency Assessment" not in texts
    assert "Integrity and Transparency Assessment: ITA" in texts


def _text(document) -> str:
    from prongsai.reports.document import Paragraph

    return " ".join(b.plain for b in document.iter_blocks() if isinstance(b, Paragraph))


def test_the_default_analysis_reads_thi_phan_ma(seed_data):
    data = {**seed_data, "wording": {k: v for k, v in seed_data["wording"].items() if k != "analysis"}}
    text = _text(round_report(data, round=6))
    assert "ในปี พ.ศ. ๒๕๖๒ ที่ผ่านมา ประกอบด้วย" in text
    assert "ภาครัฐ (Integrity and Transparency Assessment: ITA)" in text


def test_an_agencys_own_wording_keeps_what_it_wrote(seed_data):
    text = _text(round_report(seed_data, round=6))
    assert "ภาครัฐ(Integrity and transparency Assessment: ITA)" in text  # the seed's analysis, as written
