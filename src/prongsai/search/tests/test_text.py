"""Segmentation, the normal form and highlighting (no database)."""

import random

import pytest

from prongsai.search import text


def test_a_word_in_the_middle_of_a_run_of_thai_is_a_word_of_its_own():
    assert "ดุลพินิจ" in text.words("มาตรการตรวจสอบการใช้ดุลพินิจ")
    assert "ทรัพย์สิน" in text.words("การใช้ทรัพย์สินของราชการ")


def test_a_query_is_segmented_like_the_text():
    indexed = set(text.words("ประกาศเจตจำนงการบริหารงานด้วยความซื่อสัตย์สุจริตอย่างมีคุณธรรมและโปร่งใส"))
    assert set(text.words("เจตจำนงการบริหารงาน")) <= indexed


def test_district_names_from_the_shipped_list_stay_whole():
    # the general dictionary splits พังโคน into พัง + โคน; the shipped districts keep it one word
    assert "พังโคน" in text.words("อำเภอพังโคนจังหวัดสกลนคร")


def test_thai_digits_case_and_sara_am_are_normalised():
    assert text.words("ปี ๒๕๖๖ ITA") == text.words("ปี 2566 ita")
    assert text.normalise("ทํา") == text.normalise("ทำ")


def test_only_word_characters_reach_the_index():
    assert text.words("“มาตรการ” (๑) - ; <script>") == ["มาตรการ", "1", "script"]


def test_highlight_marks_the_matches_and_escapes_the_rest():
    html = text.highlight('การใช้<b>ดุลพินิจ</b> & "๒๕๖๖"', ["ดุลพินิจ", "2566"])
    assert html == 'การใช้&lt;b&gt;<mark>ดุลพินิจ</mark>&lt;/b&gt; &amp; &quot;<mark>๒๕๖๖</mark>&quot;'


@pytest.mark.parametrize("seed", range(30))
def test_highlight_never_lets_markup_through(seed):
    """Property: whatever the text and terms, the output is the text escaped, plus <mark> tags only."""
    rng = random.Random(seed)
    alphabet = "<>&\"'กขคดุลพินิจ ab/=ำ๑1"
    body = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 60)))
    terms = ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 4))) for _ in range(rng.randint(0, 3))]
    html = str(text.highlight(body, terms))
    stripped = html.replace("<mark>", "").replace("</mark>", "")
    assert "<" not in stripped and ">" not in stripped
    from html import unescape
    assert unescape(stripped) == body


def test_snippet_cuts_around_the_first_match():
    body = "ก" * 500 + "ดุลพินิจ" + "ข" * 500
    out = str(text.snippet(body, ["ดุลพินิจ"], width=100))
    assert "<mark>ดุลพินิจ</mark>" in out and out.startswith("…") and out.endswith("…")
    assert len(out) < 140
