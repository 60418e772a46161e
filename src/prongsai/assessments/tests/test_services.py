from decimal import Decimal as D

import pytest

from prongsai.assessments.services import (
    analysis_summary,
    compute_parts,
    evaluate,
    gap_analysis,
    grade_for,
)
from prongsai.framework.catalogue import shipped_framework as get_framework

FW64 = get_framework(2564)
ALL_100 = {no: D(100) for no in range(1, 11)}

# The reference report's analysis sentence (seed 000_2939dfbf8fb8aadf, ITA 2562 analysed in FY 2563).
SEED_SUMMARY = (
    "มีประเด็นที่ต้องพัฒนาให้ดีขึ้น ได้แก่ ตัวชี้วัดการใช้งบประมาณ ตัวชี้วัดการใช้ทรัพย์สินของทางราชการ "
    "ตัวชี้วัดการแก้ไขปัญหาการทุจริต ตัวชี้วัดการปรับปรุงระบบการทำงาน ตัวชี้วัดการเปิดเผยข้อมูล "
    "ตัวชี้วัดการป้องกันการทุจริต"
)


def test_it_weights_oit_like_the_published_2564_table():
    # DOMAIN 4: OIT weighted 38.31 = 0.4 x mean(97.78, 93.75)
    parts = compute_parts(framework=FW64, indicators={**ALL_100, 9: D("97.78"), 10: D("93.75")})
    assert parts.oit == D("38.31")
    assert parts.iit == D("30.00") and parts.eit == D("30.00")
    assert parts.total == D("98.31")


def test_it_adds_rounded_parts_like_the_published_total():
    # DOMAIN 2.3: ITA 98.04 = IIT 28.04 + OIT 40.00 + EIT 30.00
    scores = {**ALL_100, 1: D("93.47"), 2: D("93.47"), 3: D("93.46"), 4: D("93.47"), 5: D("93.47")}
    parts = compute_parts(framework=FW64, indicators=scores)
    assert (parts.iit, parts.eit, parts.oit, parts.total) == (D("28.04"), D("30.00"), D("40.00"), D("98.04"))


def test_it_weights_iit_at_30_percent():
    # DOMAIN 2.3: IIT score 91.68 with weight 30.00 gives 27.50
    scores = {**ALL_100, **{no: D("91.68") for no in range(1, 6)}}
    assert compute_parts(framework=FW64, indicators=scores).iit == D("27.50")


def test_it_rounds_parts_half_up():
    # 0.4 x mean(95.525, 96) = 38.305 exactly: half-up gives 38.31 (half-even would give 38.30)
    parts = compute_parts(framework=FW64, indicators={**ALL_100, 9: D("95.525"), 10: D(96)})
    assert parts.oit == D("38.31")


def test_it_leaves_a_part_and_the_total_unknown_when_an_indicator_is_missing():
    scores = dict(ALL_100)
    del scores[7]
    parts = compute_parts(framework=FW64, indicators=scores)
    assert parts.eit is None and parts.total is None
    assert parts.iit == D("30.00") and parts.oit == D("40.00")


@pytest.mark.parametrize(
    "total, grade",
    [
        ("100", "AA"), ("95.00", "AA"), ("94.995", "AA"), ("94.99", "A"), ("94.994", "A"),
        ("85", "A"), ("84.99", "B"), ("75", "B"), ("74.99", "C"), ("65", "C"), ("55", "D"),
        ("54.99", "E"), ("50", "E"), ("49.99", "F"), ("0", "F"),
    ],
)
def test_it_grades_aa_to_f_until_2565(total, grade):
    for year in (2562, 2563, 2564, 2565):
        assert grade_for(framework=get_framework(year), total=D(total)) == grade


@pytest.mark.parametrize(
    "total, label",
    [("100", "ผ่านดีเยี่ยม"), ("95", "ผ่านดีเยี่ยม"), ("94.99", "ผ่าน"), ("85.00", "ผ่าน"),
     ("84.995", "ผ่าน"), ("84.99", "ไม่ผ่าน"), ("0", "ไม่ผ่าน")],
)
def test_it_rates_pass_or_fail_from_2566(total, label):
    for year in (2566, 2567, 2568):
        assert grade_for(framework=get_framework(year), total=D(total)) == label


def test_it_refuses_a_score_outside_0_to_100():
    with pytest.raises(ValueError):
        grade_for(framework=FW64, total=D("100.01"))


def test_it_reports_a_total_that_differs_from_the_parts():
    ev = evaluate(framework=FW64, indicators={}, iit=D("27.10"), eit=D("26.90"), oit=D("30.50"), total=D("84.40"))
    assert ev.total == D("84.40")  # the given value is kept
    assert ev.mismatches == ["คะแนนรวมที่ระบุ 84.40 ไม่ตรงกับที่คำนวณได้ 84.50"]
    assert ev.grade == "B"


def test_it_reports_parts_that_differ_from_the_indicator_scores():
    ev = evaluate(framework=FW64, indicators={**ALL_100, 9: D("97.78"), 10: D("93.75")}, oit=D("38.00"))
    assert ev.oit == D("38.00")
    assert ev.computed.oit == D("38.31")
    assert ev.mismatches == ["คะแนน OIT ที่ระบุ 38.00 ไม่ตรงกับที่คำนวณได้ 38.31"]
    assert ev.total == D("98.00")  # from the given OIT part


def test_it_tolerates_a_difference_of_one_hundredth():
    ev = evaluate(framework=FW64, indicators=ALL_100, oit=D("39.99"), total=D("99.99"))
    assert ev.mismatches == []


def test_it_fills_in_missing_values_from_the_indicator_scores():
    scores = {**ALL_100, 1: D(80), 2: D(80), 3: D(80), 4: D(80), 5: D(80)}
    ev = evaluate(framework=FW64, indicators=scores)
    assert (ev.iit, ev.eit, ev.oit, ev.total, ev.grade) == (D("24.00"), D("30.00"), D("40.00"), D("94.00"), "A")
    assert ev.mismatches == []


def test_it_reports_a_grade_that_does_not_match_the_total():
    ev = evaluate(framework=get_framework(2566), indicators={}, total=D("84.99"), grade="ผ่าน")
    assert ev.grade == "ผ่าน"  # kept
    assert ev.computed_grade == "ไม่ผ่าน"
    assert ev.mismatches == ["ระดับผลการประเมินที่ระบุ ผ่าน ไม่ตรงกับเกณฑ์ปี 2566 ซึ่งคะแนน 84.99 ได้ระดับ ไม่ผ่าน"]


def test_it_leaves_everything_unknown_without_scores_or_figures():
    ev = evaluate(framework=FW64, indicators={})
    assert (ev.iit, ev.total, ev.grade, ev.mismatches) == (None, None, "", [])


def test_it_ranks_gaps_by_points_lost_and_splits_urgent_ones():
    scores = {1: D(90), 2: D("80.15"), 3: D(85), 4: D("84.99"), 5: D("74.99"), 6: D(75), 7: D(60), 8: 80.15}
    gap = gap_analysis(framework=FW64, indicators=scores)
    assert [(g.indicator, g.lost) for g in gap.urgent] == [(7, D(25)), (5, D("10.01"))]
    assert [(g.indicator, g.lost) for g in gap.improve] == [(6, D(10)), (2, D("4.85")), (8, D("4.85")), (4, D("0.01"))]
    assert gap.improve[1].name == "การใช้งบประมาณ"
    assert gap.improve[2].score == D("80.15")  # a float from YAML is read by its decimal text


def test_it_takes_the_urgent_threshold_from_the_caller():
    gap = gap_analysis(framework=FW64, indicators={2: D(78), 9: D(82)}, urgent_below=D(80))
    assert [g.indicator for g in gap.urgent] == [2]
    assert [g.indicator for g in gap.improve] == [9]


def test_it_finds_no_gap_when_every_indicator_passes():
    gap = gap_analysis(framework=get_framework(2568), indicators={no: D(85) for no in range(1, 11)})
    assert gap.urgent == [] and gap.improve == []


def test_it_rejects_a_score_for_an_unknown_indicator():
    with pytest.raises(ValueError, match="11"):
        gap_analysis(framework=FW64, indicators={11: D(50)})


def test_it_words_the_summary_like_the_reference_report():
    names = ["การใช้งบประมาณ", "การใช้ทรัพย์สินของทางราชการ", "การแก้ไขปัญหาการทุจริต",
             "การปรับปรุงระบบการทำงาน", "การเปิดเผยข้อมูล", "การป้องกันการทุจริต"]
    assert analysis_summary(urgent_names=[], improve_names=names) == SEED_SUMMARY


def test_it_puts_urgent_points_first():
    text = analysis_summary(urgent_names=["การใช้อำนาจ"], improve_names=["การเปิดเผยข้อมูล"])
    assert text == ("มีประเด็นข้อบกพร่องหรือจุดอ่อนที่จะต้องแก้ไขโดยเร่งด่วน ได้แก่ ตัวชี้วัดการใช้อำนาจ "
                    "และมีประเด็นที่ต้องพัฒนาให้ดีขึ้น ได้แก่ ตัวชี้วัดการเปิดเผยข้อมูล")
    only = analysis_summary(urgent_names=["การใช้อำนาจ"], improve_names=[])
    assert only == "มีประเด็นข้อบกพร่องหรือจุดอ่อนที่จะต้องแก้ไขโดยเร่งด่วน ได้แก่ ตัวชี้วัดการใช้อำนาจ"


def test_it_adds_no_prefix_to_measures_or_prefixed_names():
    text = analysis_summary(urgent_names=[], improve_names=["มาตรการตรวจสอบการใช้ดุลพินิจ", "ตัวชี้วัดการใช้อำนาจ"])
    assert text == "มีประเด็นที่ต้องพัฒนาให้ดีขึ้น ได้แก่ มาตรการตรวจสอบการใช้ดุลพินิจ ตัวชี้วัดการใช้อำนาจ"


def test_it_says_every_indicator_passed_when_there_is_no_gap():
    assert "ผ่านเกณฑ์ทุกตัวชี้วัด" in analysis_summary(urgent_names=[], improve_names=[])
