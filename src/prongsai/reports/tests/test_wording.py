"""Wording templates: defaults, merge order, placeholders."""

from __future__ import annotations

import pytest

from prongsai.reports import wording

KEYS = {"memo_subject", "memo_body", "cover_title", "preface", "analysis", "results_intro"}
SEED_VALUES = {
    "agency": "เทศบาลตำบลแร่", "office": "สำนักงานเทศบาลตำบลแร่", "location": "อำเภอพังโคน จังหวัดสกลนคร",
    "district": "พังโคน", "province": "สกลนคร", "fiscal_year": "๒๕๖๓", "prior_year": "๒๕๖๒",
    "round_label": "รอบ ๖ เดือน", "period": "ตุลาคม ๒๕๖๒ – มีนาคม ๒๕๖๓", "summary": "มีประเด็นที่ต้องพัฒนาให้ดีขึ้น",
}


def _squash(text: str) -> str:
    return "".join(text.split())


def test_it_fills_placeholders():
    assert wording.fill("ปี {fiscal_year} ของ{office}", SEED_VALUES) == "ปี ๒๕๖๓ ของสำนักงานเทศบาลตำบลแร่"


def test_it_names_an_unknown_placeholder():
    with pytest.raises(ValueError, match=r"\{agencyname\}"):
        wording.fill("ของ {agencyname}", SEED_VALUES)


def test_it_names_a_placeholder_without_a_value():
    with pytest.raises(ValueError, match=r"\{summary\}"):
        wording.fill("สรุป {summary}", {"office": "x"})


def test_it_reads_double_braces_as_literal_braces_like_the_validator():
    assert wording.fill("{{ไม่ใช่}} {office}", SEED_VALUES) == "{ไม่ใช่} สำนักงานเทศบาลตำบลแร่"
    with pytest.raises(ValueError, match="brace"):
        wording.fill("ปีก {office", SEED_VALUES)


def test_it_exports_the_documented_placeholders():
    assert wording.PLACEHOLDERS == frozenset(SEED_VALUES)


def test_it_has_every_key_and_only_known_placeholders_in_the_defaults():
    templates = wording.defaults()
    assert set(templates) == KEYS
    for key, value in templates.items():
        for text in value if isinstance(value, list) else [value]:
            wording.check_template(text)
            assert text.strip(), key


def test_it_reproduces_the_seed_memo_wording_from_the_defaults():
    filled = {k: wording.fill(v, SEED_VALUES) if isinstance(v, str) else [wording.fill(p, SEED_VALUES) for p in v]
              for k, v in wording.defaults().items()}
    assert filled["memo_subject"] == ("รายงานผลการดำเนินการตามมาตรการเพื่อส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน "
                                      "ประจำปีงบประมาณ ๒๕๖๓ (รอบ ๖ เดือน)")
    assert filled["memo_body"][1] == ("บัดนี้ เทศบาลตำบลแร่ได้ดำเนินการเพื่อส่งเสริมคุณธรรมข้างต้นแล้ว "
                                      "จึงขอรายงานผลการดำเนินการตามมาตรการเพื่อส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน "
                                      "ประจำปีงบประมาณ ๒๕๖๓ (รอบ ๖ เดือน)")
    assert filled["memo_body"][2] == "จึงเรียนมาเพื่อโปรดทราบ และเห็นควรให้ประชาสัมพันธ์ข้อมูลในเว็บไซต์ของหน่วยงานต่อไป"
    assert filled["cover_title"] == ("รายงานผลการดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน "
                                     "ปีงบประมาณ ๒๕๖๓")
    assert _squash(filled["results_intro"]) == _squash(
        "บัดนี้ สำนักงานเทศบาลตำบลแร่ อำเภอพังโคน จังหวัดสกลนคร ได้ดำเนินการตามมาตรการส่งเสริมคุณธรรมและ"
        "ความโปร่งใสภายในหน่วยงาน ของสำนักงานเทศบาลตำบลแร่ เรียบร้อยแล้ว รายละเอียดมีดังนี้")
    assert filled["analysis"].startswith("สำนักงานเทศบาลตำบลแร่ อำเภอพังโคน จังหวัดสกลนคร ได้ดำเนินการวิเคราะห์")
    assert "ในปี พ.ศ. ๒๕๖๒ ที่ผ่านมา" in filled["analysis"]
    assert filled["analysis"].endswith("สรุปได้ว่า มีประเด็นที่ต้องพัฒนาให้ดีขึ้น จึงมีแนวทางการพัฒนาดังนี้")


def test_it_leaves_the_year_specific_strategy_phase_out_of_the_default_preface():
    preface = " ".join(wording.defaults()["preface"])
    assert "ระยะที่ ๓" not in preface and "๒๕๖๐" not in preface
    assert "ยุทธศาสตร์ชาติว่าด้วยการป้องกันและปราบปรามการทุจริต ซึ่งเครื่องมือดังกล่าว" in preface


def test_it_merges_defaults_then_agency_then_year():
    data = {
        "agency": {"wording": {"cover_title": "ของหน่วยงาน", "analysis": "วิเคราะห์ของหน่วยงาน {summary}"}},
        "wording": {"analysis": "วิเคราะห์ของปีนี้ {summary}", "preface": "ย่อหน้าเดียว"},
    }
    merged = wording.merged(data=data)
    assert merged["cover_title"] == "ของหน่วยงาน"
    assert merged["analysis"] == "วิเคราะห์ของปีนี้ {summary}"
    assert merged["preface"] == ["ย่อหน้าเดียว"]
    assert merged["memo_subject"] == wording.defaults()["memo_subject"]


def test_it_does_not_let_a_merge_change_the_defaults():
    wording.merged(data={"wording": {"memo_body": ["อื่น"]}})
    assert wording.defaults()["memo_body"] != ["อื่น"]
