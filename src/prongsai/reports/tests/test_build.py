"""From year data to the round report Document."""

from __future__ import annotations

import re

import pytest

from prongsai.reports.build import NoReportForRound, analysis_summary_for, round_report
from prongsai.reports.document import Letterhead, Paragraph, Signature, Table
from prongsai.reports.tests.synthetic import synthetic_year

THAI_DIGIT = re.compile("[๐-๙]")


def _all_text(document) -> list[str]:
    out = [document.title, document.subject]
    for block in document.iter_blocks():
        if isinstance(block, Paragraph):
            out.append(block.plain)
        elif isinstance(block, Table):
            out += [cell.plain for row in block.header + block.body for cell in row]
        elif isinstance(block, Signature):
            out += [block.name, block.position, block.rank, block.date, block.comment or "", block.heading or ""]
    return out


def _section(document, name):
    return next(s for s in document.sections if s.name == name)


def test_it_builds_memo_cover_and_report_sections_in_order(seed_data):
    document = round_report(seed_data, round=6)
    assert [s.name for s in document.sections] == ["memo", "cover", "report"]
    memo = _section(document, "memo")
    assert (memo.margin_left, memo.margin_right, memo.page_numbers, memo.landscape) == (3.0, 2.0, False, False)
    heading = memo.blocks[0]
    assert (heading.plain, heading.runs[0].bold, heading.size) == ("บันทึกข้อความ", True, 29.0)
    assert isinstance(heading, Letterhead) and heading.position == "left"
    office, number_date, subject, to = memo.blocks[1:5]
    assert office.plain == "ส่วนราชการ สำนักงานเทศบาลตำบลแร่ อำเภอพังโคน จังหวัดสกลนคร"
    # ที่ and วันที่ on one line: a borderless grid of two halves
    assert isinstance(number_date, Table) and not number_date.frame and not number_date.header
    assert [c.plain for c in number_date.body[0]] == ["ที่ สน ๘๐๗๐๑/๒๗๗", "วันที่ ๒๖ มิถุนายน ๒๕๖๓"]
    # เรื่อง: the wrapped lines hang under the subject
    assert subject.plain == ("เรื่อง รายงานผลการดำเนินการตามมาตรการเพื่อส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน "
                             "ประจำปีงบประมาณ ๒๕๖๓ (รอบ ๖ เดือน)")
    assert subject.left_indent > 0 and subject.first_line_indent == -subject.left_indent
    assert to.plain == "เรียน นายกเทศมนตรีตำบลแร่"
    body = [b for b in memo.blocks if isinstance(b, Paragraph) and b.first_line_indent == 2.5]
    assert len(body) == 3 and all(b.align == "justify" for b in body)


def test_it_signs_preparers_then_approvers_in_chain_order(seed_data):
    signatures = [b for b in _section(round_report(seed_data, round=6), "memo").blocks if isinstance(b, Signature)]
    assert [(s.name, s.heading) for s in signatures] == [
        ("นางสาวปราณี จันทไชย", None), ("นายปราโมทย์ แกมนิรัตน์", None),
        ("นายวัชร สำนับ", "ความเห็นผู้บังคับบัญชา"), ("ทวี จันทเสนา", "ความเห็นผู้บังคับบัญชา"),
        ("นางครสวรรค์ สุพัฒนานนท์", "ความเห็นผู้บังคับบัญชา"),
    ]
    assert all(s.sign_line for s in signatures)
    assert [s.comment for s in signatures[2:]] == ["", "", ""]  # dotted lines to fill in by hand
    assert signatures[3].rank == "จ.อ."


def test_it_prints_an_approvers_comment_and_date(seed_data):
    data = {**seed_data, "reports": [dict(seed_data["reports"][0])]}
    memo = dict(data["reports"][0]["memo"])
    memo["approvers"] = [{**memo["approvers"][0], "comment": "ทราบ ดำเนินการต่อ 2 ข้อ", "date": "2020-06-29"}]
    data["reports"][0]["memo"] = memo
    signature = [b for b in round_report(data, round=6).sections[0].blocks if isinstance(b, Signature)][-1]
    assert (signature.comment, signature.date) == ("ทราบ ดำเนินการต่อ ๒ ข้อ", "๒๙ มิถุนายน ๒๕๖๓")


def test_it_puts_the_round_title_on_the_cover_and_dates_the_preface(seed_data):
    cover = _section(round_report(seed_data, round=6), "cover")
    texts = [b.plain for b in cover.blocks if isinstance(b, Paragraph)]
    assert "รอบ ๖ เดือน (ตุลาคม ๒๕๖๒ – มีนาคม ๒๕๖๓)" in texts
    assert texts.index("เทศบาลตำบลแร่") < texts.index("คำนำ")
    assert texts[-2:] == ["สำนักงานเทศบาลตำบลแร่", "๒๔ มิถุนายน ๒๕๖๓"]


def test_it_never_merges_cells_across_measures(seed_data):
    # The seed's first six measures share steps, unit and monitoring text: each row keeps its own
    # (a merged cell printed its text on its first page only, and joined different measures).
    report = _section(round_report(seed_data, round=6), "report")
    measures = [b for b in report.blocks if isinstance(b, Table)][0]
    assert [c.plain for c in measures.header[0]] == [
        "ตัวชี้วัด/มาตรการ", "แนวทางการปฏิบัติ", "ขั้นตอน/วิธีการปฏิบัติ", "ผู้รับผิดชอบ", "การกำกับติดตาม"]
    assert all(c.rowspan == 1 and c.colspan == 1 for row in measures.body for c in row)
    assert [len(row) for row in measures.body] == [5] * 9
    assert [row[4].plain for row in measures.body[:6]] == ["รายงานผลการดำเนินงาน\n-รอบ ๖ เดือน\n-รอบ ๑๒ เดือน"] * 6
    assert measures.body[7][4].plain.endswith("-รอบ ๓ เดือน\n-รอบ ๖ เดือน\n-รอบ ๙ เดือน\n-รอบ ๑๒ เดือน")


def test_it_builds_the_results_table_with_a_two_row_merged_header(seed_data):
    results = [b for b in _section(round_report(seed_data, round=6), "report").blocks if isinstance(b, Table)][1]
    top, second = results.header
    assert [(c.plain, c.rowspan, c.colspan) for c in top] == [
        ("ตัวชี้วัด", 2, 1), ("รายละเอียดการดำเนินงาน", 2, 1), ("ระยะเวลาการดำเนินงาน", 2, 1),
        ("ผลการดำเนินการ", 1, 2), ("หมายเหตุ", 2, 1)]
    assert [c.plain for c in second] == ["ผลผลิต", "ผลลัพธ์"]
    assert len(results.body) == 9
    assert results.body[3][0].plain == "การปรับปรุงการทำงาน"  # the result's own label
    assert results.body[0][2].plain == "เดือนเมษายน ๒๕๖๓"


def test_it_reports_a_monitored_measure_without_a_result(seed_data):
    measures = [dict(m) for m in seed_data["measures"]]
    measures[1]["results"] = []
    document = round_report({**seed_data, "measures": measures}, round=6)
    row = [b for b in document.sections[2].blocks if isinstance(b, Table)][1].body[1]
    assert row[0].plain == "การใช้ทรัพย์สินของทางราชการ"
    assert [c.plain for c in row[1:]] == ["", "", "", "", ""]  # empty, as the warning says (issue 9)


def test_it_lists_only_measures_monitored_in_the_round():
    data = synthetic_year(measures=3)
    data["measures"][1]["rounds"] = [12]
    data["measures"][1]["results"] = []
    results = [b for b in round_report(data, round=6).sections[2].blocks if isinstance(b, Table)][1]
    assert len(results.body) == 2


def test_it_links_evidence_in_the_remarks():
    data = synthetic_year(measures=1)
    data["measures"][0]["results"][0]["remarks"] = "ดูหลักฐาน"
    data["measures"][0]["results"][0]["evidence"] = [{"title": "แผนปี 2566", "url": "https://x.example/a/2566"}]
    cell = [b for b in round_report(data, round=6).sections[2].blocks if isinstance(b, Table)][1].body[0][-1]
    assert [p.plain for p in cell.paragraphs] == ["ดูหลักฐาน", "แผนปี ๒๕๖๖"]
    assert cell.paragraphs[1].runs[0].url == "https://x.example/a/2566"


def test_it_ends_with_the_report_preparers_signature(seed_data):
    last = _section(round_report(seed_data, round=6), "report").blocks[-1]
    assert isinstance(last, Signature)
    assert (last.name, last.suffix, last.heading) == ("นางสาวปราณี จันทาไชย", "ผู้จัดทำ", None)


def test_it_numbers_report_pages_from_one_in_landscape(seed_data):
    report = _section(round_report(seed_data, round=6), "report")
    assert (report.page_numbers, report.page_number_start, report.landscape) == (True, 1, True)


def test_it_names_indicators_from_the_framework_or_the_label(seed_data):
    summary = analysis_summary_for(seed_data, based_on=2562)
    assert summary == ("มีประเด็นที่ต้องพัฒนาให้ดีขึ้น ได้แก่ ตัวชี้วัดการใช้งบประมาณ ตัวชี้วัดการใช้ทรัพย์สินของทางราชการ "
                       "ตัวชี้วัดการแก้ไขปัญหาการทุจริต ตัวชี้วัดการปรับปรุงระบบการทำงาน ตัวชี้วัดการเปิดเผยข้อมูล "
                       "ตัวชี้วัดการป้องกันการทุจริต")


def test_it_computes_the_analysis_from_last_years_scores_without_an_analysis_block():
    data = synthetic_year(measures=1)  # 2565 scores 72, 74, ... 90: below 75 urgent, below 85 improve
    assert data["analysis"] is None
    summary = analysis_summary_for(data, based_on=2565)
    assert summary.startswith("มีประเด็นข้อบกพร่องหรือจุดอ่อนที่จะต้องแก้ไขโดยเร่งด่วน ได้แก่ ตัวชี้วัด")
    assert "และมีประเด็นที่ต้องพัฒนาให้ดีขึ้น ได้แก่" in summary
    paragraph = round_report(data, round=6).sections[2].blocks[0]
    assert "ในปี พ.ศ. ๒๕๖๕" in paragraph.plain and "แก้ไขโดยเร่งด่วน ได้แก่ ตัวชี้วัด" in paragraph.plain


def test_it_leaves_the_analysis_out_without_scores_or_analysis():
    data = synthetic_year(measures=1)
    data["ita_results"] = []
    first = round_report(data, round=6).sections[2].blocks[0]
    assert isinstance(first, Table)


def test_it_writes_arabic_digits_everywhere_for_an_arabic_agency():
    document = round_report(synthetic_year(measures=5, digits="arabic"), round=6)
    texts = _all_text(document)
    assert [t for t in texts if THAI_DIGIT.search(t)] == []
    assert "รอบ 6 เดือน (ตุลาคม 2565 – มีนาคม 2566)" in texts
    assert document.digits == "arabic"


def test_it_writes_thai_digits_everywhere_for_a_thai_agency_but_not_in_urls():
    data = synthetic_year(measures=2)
    data["measures"][0]["results"][0]["evidence"] = [{"title": "https://x.example/2566", "url": "https://x.example/2566"}]
    texts = _all_text(round_report(data, round=6))
    assert [t for t in texts if re.search("[0-9]", t) and "https://x.example/2566" not in t] == []


def test_it_uses_the_wording_defaults_when_the_memo_has_no_subject_or_body():
    document = round_report(synthetic_year(measures=1), round=6)
    memo = document.sections[0]
    subject = memo.blocks[3].plain
    assert subject == ("เรื่อง รายงานผลการดำเนินการตามมาตรการเพื่อส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน "
                       "ประจำปีงบประมาณ ๒๕๖๖ (รอบ ๖ เดือน)")
    assert memo.blocks[4].plain == "เรียน นายกเทศมนตรีตำบลทดสอบ"
    body = [b.plain for b in memo.blocks if isinstance(b, Paragraph) and b.first_line_indent > 0]
    assert body[1].startswith("บัดนี้ เทศบาลตำบลทดสอบได้ดำเนินการ")


def test_it_refuses_a_round_without_a_report_entry_and_lists_those_with_one(seed_data):
    with pytest.raises(NoReportForRound, match=r"round 12.*rounds with a `reports` entry: 6"):
        round_report(seed_data, round=12)


def test_it_refuses_a_round_that_is_not_3_6_9_12(seed_data):
    with pytest.raises(ValueError, match="5 is not one of"):
        round_report(seed_data, round=5)
