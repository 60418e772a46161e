"""Honest text in the round report (reports/build.py): the analysis never claims more than the scores
say, a missing result is an empty row (no system sentence in the official table), a round without a
monitored measure gets a sentence instead of an empty table, and the results introduction stays with
its table."""

from __future__ import annotations

import copy

from prongsai.reports.build import analysis_summary_for, round_report
from prongsai.reports.document import Paragraph, Table


def _text(document) -> str:
    out = []
    for block in document.iter_blocks():
        if isinstance(block, Paragraph):
            out.append(block.plain)
        elif isinstance(block, Table):
            out += [c.plain for row in block.header + block.body for c in row]
    return " ".join(out)


def _without_analysis(seed_data, indicators: dict) -> dict:
    data = copy.deepcopy(seed_data)
    data.pop("analysis", None)
    data["ita_results"] = [{"year": 2562, "indicators": indicators}]
    return data


def test_one_known_score_of_ten_is_not_all_passed(seed_data):
    data = _without_analysis(seed_data, {1: 95.0, **{n: None for n in range(2, 11)}})
    summary = analysis_summary_for(data, based_on=2562)
    assert "ผ่านเกณฑ์ทุกตัวชี้วัด" not in summary
    assert "ยังไม่ทราบผลคะแนนของ" in summary
    assert "(1 จาก 10 ตัวชี้วัด)" in summary
    assert "ตัวชี้วัดที่ 2" in summary or "การใช้งบประมาณ" in summary  # an unknown one is named


def test_a_known_weak_score_is_reported_with_the_unknown_ones(seed_data):
    data = _without_analysis(seed_data, {1: 95.0, 2: 50.0})
    summary = analysis_summary_for(data, based_on=2562)
    assert summary.startswith("มีประเด็นข้อบกพร่องหรือจุดอ่อนที่จะต้องแก้ไขโดยเร่งด่วน")
    assert "ทั้งนี้ ยังไม่ทราบผลคะแนนของ" in summary


def test_no_known_score_leaves_the_analysis_out(seed_data):
    data = _without_analysis(seed_data, {n: None for n in range(1, 11)})
    assert analysis_summary_for(data, based_on=2562) is None


def test_all_scores_known_and_passing_still_says_so(seed_data):
    data = _without_analysis(seed_data, {n: 99.0 for n in range(1, 11)})
    assert "ผ่านเกณฑ์ทุกตัวชี้วัด" in analysis_summary_for(data, based_on=2562)


def _results_table(document) -> Table:
    tables = [b for b in document.iter_blocks() if isinstance(b, Table)]
    return next(t for t in tables if t.header and any(c.plain == "ผลการดำเนินการ" for c in t.header[0]))


def test_a_missing_result_is_an_empty_row(seed_data):
    data = copy.deepcopy(seed_data)
    measure = next(m for m in data["measures"] if 6 in [int(r) for r in m.get("rounds") or []])
    measure["results"] = [r for r in measure.get("results") or [] if int(r.get("round", 0)) != 6]
    document = round_report(data, round=6)
    text = _text(document)
    assert "ยังไม่มีการบันทึก" not in text
    row = next(r for r in _results_table(document).body if r[0].plain == measure["title"].strip() or
               r[0].plain.replace(" ", "") == measure["title"].replace(" ", "").replace("\n", ""))
    assert [c.plain for c in row[1:]] == ["", "", "", "", ""]


def test_a_round_without_monitored_measures_has_a_sentence_not_an_empty_table(seed_data):
    data = copy.deepcopy(seed_data)
    for measure in data["measures"]:
        measure["rounds"] = [12]
    document = round_report(data, round=6)
    tables = [b for b in document.iter_blocks() if isinstance(b, Table)]
    assert not any(any(c.plain == "ผลการดำเนินการ" for c in t.header[0]) for t in tables if t.header)
    assert "ไม่มีมาตรการที่กำหนดให้กำกับติดตามผลการดำเนินการในรอบ ๖ เดือน" in _text(document)
    assert "รายละเอียดมีดังนี้" not in _text(document)


def test_the_results_introduction_is_kept_with_its_table(seed_data):
    section = next(s for s in round_report(seed_data, round=6).sections if s.name == "report")
    results = _results_table(round_report(seed_data, round=6))
    index = next(i for i, b in enumerate(section.blocks) if isinstance(b, Table) and b.header == results.header)
    before = section.blocks[index - 1]
    assert isinstance(before, Paragraph) and before.plain.endswith("รายละเอียดมีดังนี้")
    assert before.keep_with_next
