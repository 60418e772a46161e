"""The self-score against hand-worked examples (shared/docs/DOMAIN.md section 4, 2564 tables)."""

from decimal import Decimal

from prongsai.assessments.services import round2
from prongsai.framework.catalogue import shipped_framework as get_framework
from prongsai.oit.selfscore import compute


def _all_but(year: int, *missing: str) -> set[str]:
    return {i.code for i in get_framework(year).oit_items} - set(missing)


def test_it_scores_indicator_10_as_the_mean_of_its_sub_indicators():
    # 10.1 has 8 items (O34–O41), one missing: 7/8 = 87.5; 10.2 (O42, O43) 2/2 = 100 → 93.75
    result = compute(get_framework(2564), _all_but(2564, "O38"))
    assert result.group("10.1").score == Decimal("87.5")
    assert result.group("10.2").score == Decimal(100)
    assert result.indicator(10).score == Decimal("93.75")


def test_it_scores_indicator_9_with_one_procurement_item_missing():
    # mean(100, 100, 6/7, 100, 100) = 97.14
    result = compute(get_framework(2564), _all_but(2564, "O22"))
    assert round2(result.group("9.3").score) == Decimal("85.71")
    assert round2(result.indicator(9).score) == Decimal("97.14")


def test_it_scores_indicator_9_with_gaps_in_two_sub_indicators():
    # mean(100, 7/8, 100, 3/4, 100) = 92.50
    result = compute(get_framework(2564), _all_but(2564, "O13", "O27"))
    assert result.indicator(9).score == Decimal("92.5")


def test_it_computes_oit_as_the_mean_of_indicators_9_and_10():
    # 9 = mean(8/9, 1, 1, 1, 1) = 97.78; 10 = 93.75; OIT weighted 40 % = 38.31 as NACC printed it
    result = compute(get_framework(2564), _all_but(2564, "O9", "O38"))
    assert round2(result.indicator(9).score) == Decimal("97.78")
    assert round2(result.oit * Decimal("0.4")) == Decimal("38.31")


def test_it_gives_zero_when_nothing_is_disclosed_and_100_when_all_is():
    fw = get_framework(2566)
    assert compute(fw, set()).oit == 0
    assert compute(fw, _all_but(2566)).oit == 100
    assert compute(fw, {"O1": True, "O2": False}).group("9.1").disclosed == ("O1",)


def test_it_flags_every_result_uncertain_and_says_why_for_incomplete_years():
    assert compute(get_framework(2564), set()).uncertain
    result = compute(get_framework(2567), _all_but(2567))  # items only for indicator 9
    assert result.indicator(9).score == 100
    assert result.oit is None
    assert len(result.reasons) >= 3


def test_it_groups_by_indicator_where_the_year_has_no_sub_indicator_codes():
    result = compute(get_framework(2568), {"O1", "O2"})
    assert [g.code for g in result.groups] == ["9", "10"]
    assert "O16" in result.unscored  # placed under no indicator
    assert result.group("9").score == Decimal(200) / Decimal(len(result.group("9").items))
