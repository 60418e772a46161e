"""The round report as PDF, read back with poppler (pdftotext -raw, pdffonts, pdfinfo)."""

from __future__ import annotations

import re

import pytest
from pythainlp.tokenize import word_tokenize

from prongsai.lib import thai
from prongsai.reports.build import round_report
from prongsai.reports.document import Cell, Document, Paragraph, Section, Table
from prongsai.reports.render_pdf import render_pdf, segments
from prongsai.reports.tests import pdftools
from prongsai.reports.tests.conftest import REPO
from prongsai.yearfile.loader import load_valid_year_file

THAI_DIGIT = re.compile("[๐-๙]")
ARABIC_DIGIT = re.compile("[0-9]")
THAI_CHAR = re.compile("[\u0e00-\u0e7f]")

# The seed report's own wording, verbatim from the published original (which the example file
# reproduces through its wording overrides and analysis block).
SEED_ANALYSIS = (
    "สำนักงานเทศบาลตำบลแร่ อำเภอพังโคน จังหวัดสกลนคร ได้ดำเนินการวิเคราะห์ผลการประเมินคุณธรรมและ"
    "ความโปร่งใสของหน่วยงานภาครัฐ(Integrity and transparency Assessment: ITA) ในปี พ.ศ. ๒๕๖๒ ที่มาผ่าน "
    "ประกอบด้วย ประเด็นข้อบกพร่องหรือจุดอ่อนที่จะต้องแก้ไขโดยเร่งด่วน ประเด็นที่จะต้องพัฒนาให้ดีขึ้น "
    "แนวทางการนำผลการวิเคราะห์ไปสู่แนวทางการปฏิบัติของหน่วยงาน ตลอดจนข้อเสนอแนะในการจัดทำมาตรการเพื่อ"
    "ขับเคลื่อนการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงานให้ดีขึ้น ซึ่งจากการวิเคราะห์สามารถสรุปได้ว่า "
    "มีประเด็นที่ต้องพัฒนาให้ดีขึ้น ได้แก่ ตัวชี้วัดการใช้งบประมาณ ตัวชี้วัดการใช้ทรัพย์สินของทางราชการ "
    "ตัวชี้วัดการแก้ไขปัญหาการทุจริต ตัวชี้วัดการปรับปรุงระบบการทำงาน ตัวชี้วัดการเปิดเผยข้อมูล "
    "ตัวชี้วัดการป้องกันการทุจริต จึงมีแนวทางการพัฒนาดังนี้"
)
SEED_RESULTS_INTRO = (
    "บัดนี้ สำนักงานเทศบาลตำบลแร่ อำเภอพังโคน จังหวัดสกลนคร ได้ดำเนินการตามมาตรการส่งเสริมคุณธรรมและ"
    "ความโปร่งใสภายในหน่วยงาน ของสำนักงานเทศบาลตำบลแร่ เรียบร้อยแล้ว รายละเอียดมีดังนี้"
)
SEED_COVER = [
    "รายงานผลการดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน ปีงบประมาณ ๒๕๖๓",
    "รอบ ๖ เดือน (ตุลาคม ๒๕๖๒ – มีนาคม ๒๕๖๓)",
    "เทศบาลตำบลแร่",
    "อำเภอพังโคน จังหวัดสกลนคร",
]
MEASURE_HEADER = ["ตัวชี้วัด/มาตรการ", "แนวทางการปฏิบัติ", "ขั้นตอน/วิธีการปฏิบัติ", "ผู้รับผิดชอบ", "การกำกับติดตาม"]
RESULT_HEADER = ["ตัวชี้วัด", "รายละเอียดการดำเนินงาน", "ระยะเวลาการดำเนินงาน", "ผลการดำเนินการ", "ผลผลิต",
                 "ผลลัพธ์", "หมายเหตุ"]


def _seed_expectations(data: dict) -> list[list[str]]:
    """What the seed report must show, in its order, straight from the year file."""
    agency, report = data["agency"], data["reports"][0]
    memo = report["memo"]
    d = lambda value: thai.format_date(value, thai.THAI)  # noqa: E731
    groups = [
        ["บันทึกข้อความ"], ["ส่วนราชการ"], ["สำนักงานเทศบาลตำบลแร่ อำเภอพังโคน จังหวัดสกลนคร"],
        ["ที่"], [thai.digits(f"{agency['doc_prefix']}/{memo['number']}")], ["วันที่"], [d(memo["date"])],
        ["เรื่อง"], [memo["subject"]], ["เรียน"], [memo["addressee"]],
        *[[paragraph] for paragraph in memo["body"]],
    ]
    for person in memo["preparers"]:
        groups += [["ลงชื่อ"], [f"({person['name']})"], [f"ตำแหน่ง {person['position']}"]]
    for person in memo["approvers"]:
        groups += [["ความเห็นผู้บังคับบัญชา"], [f"ลงชื่อ {person['rank']}"], [f"({person['name']})"],
                   [f"ตำแหน่ง {person['position']}"]]
    groups += [[line] for line in SEED_COVER]
    groups += [["คำนำ"]]
    office = agency["office_name"]
    for paragraph in data["wording"]["preface"]:
        groups.append([paragraph.replace("{fiscal_year}", "๒๕๖๓").replace("{office}", office)
                       .replace("{round_label}", "รอบ ๖ เดือน")])
    groups += [[office], [d(report["preface_date"])], [SEED_ANALYSIS], MEASURE_HEADER]
    measures = data["measures"]
    monitoring = lambda m: "\n".join([m["monitoring"], *(f"-รอบ {thai.digits(r)} เดือน" for r in m["rounds"])])  # noqa: E731
    # No merged cells: every measure's row carries its own steps, unit and monitoring text.
    for m in measures:
        groups += [[m["title"]], [m["guideline"]], [m["steps"]], [m["responsible"]], [monitoring(m)]]
    groups += [[SEED_RESULTS_INTRO], RESULT_HEADER]
    for m in measures:
        result = next(r for r in m["results"] if r["round"] == 6)
        groups += [[result["label"] or m["title"]], [result["details"]], [result["period"]],
                   [result["outputs"]], [result["outcomes"]]]
    preparer = report["preparer"]
    groups += [["ลงชื่อ"], ["ผู้จัดทำ"], [f"({preparer['name']})"], [f"ตำแหน่ง {preparer['position']}"]]
    return groups


def test_it_shows_every_field_and_cell_of_the_seed_in_order(seed_data, seed_pdf):
    problems = pdftools.find_in_order(pdftools.pdftotext(seed_pdf), _seed_expectations(seed_data))
    assert problems == []


def test_it_embeds_every_font(seed_pdf):
    fonts = pdftools.fonts(seed_pdf)
    assert {f["name"].split("+")[-1] for f in fonts} >= {"SarabunCompat-Regular", "SarabunCompat-Bold"}
    assert all(f["emb"] == "yes" and f["uni"] == "yes" for f in fonts), fonts


def test_it_sets_title_metadata_and_a4_pages(seed_pdf):
    info = pdftools.info(seed_pdf)
    assert info["Title"] == ("รายงานผลการดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน "
                             "ปีงบประมาณ ๒๕๖๓ รอบ ๖ เดือน")
    assert info["Author"] == "สำนักงานเทศบาลตำบลแร่"
    assert "A4" in info["Page size"]


def test_it_numbers_report_pages_from_one_in_thai_digits_and_not_the_memo(seed_pdf):
    pages = pdftools.pages(seed_pdf)
    memo_pages = [p for p in pages if "บันทึกข้อความ" in p or "ความเห็นผู้บังคับบัญชา" in p]
    report_pages = [p for p in pages if "ตัวชี้วัด" in p]
    assert memo_pages and report_pages
    last_lines = [p.strip().splitlines()[-1].strip() for p in report_pages]
    assert last_lines == [thai.digits(n + 1) for n in range(len(report_pages))]
    assert all(not re.fullmatch("[๐-๙0-9]+", p.strip().splitlines()[-1].strip()) for p in memo_pages)


def test_it_centres_headings_and_right_aligns_the_preface_signature(seed_pdf):
    cm = 72 / 2.54
    words = pdftools.words(seed_pdf)
    heading = next(w for w in words if w["text"] == "บันทึกข้อความ")
    assert abs((heading["x0"] + heading["x1"]) / 2 - (3 + (21 - 2)) / 2 * cm) < 3  # memo margins 3 and 2 cm
    preface = next(w for w in words if w["text"] == "คำนำ")
    assert abs((preface["x0"] + preface["x1"]) / 2 - (3 + (21 - 2)) / 2 * cm) < 3
    date = [w for w in words if w["page"] == preface["page"] and w["text"] == "๒๕๖๓"][-1]
    assert abs(date["x1"] - (21 - 2) * cm) < 1


def test_it_writes_no_arabic_digit_for_a_thai_digit_agency(seed_pdf):
    text = pdftools.pdftotext(seed_pdf)
    assert THAI_DIGIT.search(text)
    assert ARABIC_DIGIT.findall(text) == []


def test_it_writes_no_thai_digit_for_an_arabic_digit_agency():
    data = load_valid_year_file(REPO / "examples" / "sao-nong-bua-2566.yaml")
    assert data["agency"]["digits"] == "arabic"
    text = pdftools.pdftotext(render_pdf(round_report(data, round=12)))
    assert THAI_DIGIT.findall(text) == []
    assert "รอบ 12 เดือน (ตุลาคม 2565 – กันยายน 2566)" in text


def test_it_repeats_the_results_header_on_every_page_with_results_rows(long_data, long_pdf):
    pages = pdftools.pages(long_pdf)
    titles = [thai.digits(m["title"]) for m in long_data["measures"]]
    intro = pdftools.squash("รายละเอียดมีดังนี้")
    start = next(i for i, p in enumerate(pages) if intro in pdftools.squash(p))
    result_pages = [p for p in pages[start:] if any(pdftools.squash(t) in pdftools.squash(p) for t in titles)]
    assert len(result_pages) >= 3
    for page in result_pages:
        flat = pdftools.squash(page)
        assert all(pdftools.squash(h) in flat for h in RESULT_HEADER), page[:200]
    measure_pages = [p for p in pages[:start] if pdftools.squash(titles[-1][:20]) in pdftools.squash(p)
                     or pdftools.squash(titles[20][:20]) in pdftools.squash(p)]
    assert measure_pages and all(pdftools.squash("ขั้นตอน/วิธีการปฏิบัติ") in pdftools.squash(p) for p in measure_pages)


def _break_problems(text: str, paragraph: str) -> tuple[int, list[str]]:
    """Find the paragraph's line breaks in pdftotext output; each must fall at a space or at a
    boundary of PyThaiNLP's newmm segmentation of the paragraph. In a table the paragraph's first
    line may start after the cells to its left, and its last line may go on with cells to its right."""
    lines = [pdftools.squash(line) for line in text.splitlines() if line.strip()]
    target = pdftools.squash(paragraph)
    found = None
    for start, first in enumerate(lines):
        for offset in range(len(first)):
            if not target.startswith(first[offset:]):
                continue
            joined, end = first[offset:], start + 1
            while end < len(lines) and len(joined) < len(target):
                joined += lines[end]
                end += 1
            if joined.startswith(target):
                found = (start, end, offset)
                break
        if found:
            break
    assert found, f"paragraph not found as consecutive lines: {paragraph[:40]}"
    start, end, offset = found
    boundaries, pos = set(), 0
    for token in word_tokenize(paragraph, engine="newmm", keep_whitespace=True):
        if token.strip():
            boundaries.add(pos)
            pos += len(pdftools.squash(token))
            boundaries.add(pos)
    problems, breaks, pos = [], 0, -offset
    for line in lines[start:end - 1]:
        pos += len(line)
        breaks += 1
        if pos not in boundaries:
            problems.append(f"{target[max(0, pos - 12):pos]}|{target[pos:pos + 12]}")
    return breaks, problems


def test_it_breaks_thai_lines_only_between_words(seed_data, seed_pdf):
    text = pdftools.pdftotext(seed_pdf)
    total = 0
    for paragraph in [*seed_data["reports"][0]["memo"]["body"][:2], seed_data["wording"]["preface"][0], SEED_ANALYSIS]:
        breaks, problems = _break_problems(text, paragraph)
        assert problems == []
        total += breaks
    assert total >= 10  # long paragraphs: the check saw real breaks


def test_it_breaks_narrow_table_cells_between_words_too(seed_data):
    # the long การเปิดเผยข้อมูล cell in the measures table's column, in a row of its own (in the whole
    # report that row breaks across pages, which puts the other cells between its lines)
    from prongsai.reports.build import MEASURE_WIDTHS

    guideline = seed_data["measures"][4]["guideline"]
    table = Table(widths=MEASURE_WIDTHS, header=[[Cell.text("ก") for _ in MEASURE_WIDTHS]],
                  body=[[Cell.text("ข"), Cell.text(guideline), Cell.text("ค"), Cell.text("ง"), Cell.text("จ")]])
    text = pdftools.pdftotext(render_pdf(Document(title="t", sections=[Section(landscape=True, blocks=[table])])))
    breaks, problems = _break_problems(text, guideline)
    assert breaks >= 5
    assert problems == []


def test_it_passes_thai_words_to_typst_whole():
    parts = segments("ความซื่อสัตย์สุจริต (ITA) และ E-Service")
    words = [p for p in parts if isinstance(p, str)]
    assert "".join(p if isinstance(p, str) else p[0] for p in parts) == "ความซื่อสัตย์สุจริต (ITA) และ E-Service"
    assert all(THAI_CHAR.search(w) for w in words)
    assert any("ซื่อสัตย์" in w for w in words)
    assert segments("plain Latin only 123") == [["plain Latin only 123"]]


SPECIALS = "#let x = 1 $a^2$ *bold* _em_ `raw` <label> @ref [x] ] \\ // /* */ ~ = - + <script>alert(1)</script> {}"


def _one_table_document(text: str) -> Document:
    table = Table(widths=[1, 1], header=[[Cell.text("หัว"), Cell.text("ข้อความ")]],
                  body=[[Cell.text("แถว"), Cell.text(text)]])
    return Document(title=text, sections=[Section(blocks=[Paragraph.text(text), table])])


def test_it_shows_typst_specials_and_markup_verbatim():
    pdf = render_pdf(_one_table_document(SPECIALS))
    text = pdftools.pdftotext(pdf)
    assert pdftools.squash(text).count(pdftools.squash(SPECIALS)) == 2  # the paragraph and the cell
    assert pdftools.info(pdf)["Title"] == SPECIALS


def test_it_keeps_each_special_character_alone(tmp_path):
    for char in "#$*_`<>@[]\\/~=-+{}\"'":
        text = pdftools.pdftotext(render_pdf(_one_table_document(f"ก{char}ข")))
        assert f"ก{char}ข" in pdftools.squash(text), char


def test_it_renders_an_empty_report_without_measures(seed_data):
    data = {**seed_data, "measures": []}
    text = pdftools.pdftotext(render_pdf(round_report(data, round=6)))
    assert "บันทึกข้อความ" in text  # no measure monitored: a sentence instead of an empty table (issue 9)
    assert pdftools.squash("ไม่มีมาตรการที่กำหนดให้กำกับติดตามผลการดำเนินการในรอบ ๖ เดือน") in pdftools.squash(text)


@pytest.mark.parametrize("size", [10.0, 20.0])
def test_it_applies_table_font_size(size):
    table = Table(widths=[1], header=[[Cell.text("หัว")]], body=[[Cell.text("ก " * 200)]], font_size=size)
    pdf = render_pdf(Document(title="t", sections=[Section(blocks=[table])]))
    lines = [line for line in pdftools.pdftotext(pdf).splitlines() if line.startswith("ก")]
    # 200 words at 10 pt fit in fewer lines than at 20 pt
    assert (len(lines) <= 3) == (size == 10.0)


LONG_NAME = "สำนักงานคณะกรรมการป้องกันและปราบปรามการทุจริตแห่งชาติ"  # one newmm word, about 9 cm at 16 pt


def _segments_of(payload: str, text: str) -> list:
    import json

    found = []

    def walk(node):
        if isinstance(node, dict):
            if "s" in node and "".join(s if isinstance(s, str) else "".join(s) for s in node["s"]) == text:
                found.append(node["s"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(json.loads(payload))
    return found


def test_it_keeps_a_long_word_whole_where_it_fits_and_breakable_where_it_does_not():
    from prongsai.reports.render_pdf import document_json

    narrow = Table(widths=[1, 8], header=[[Cell.text("ก"), Cell.text("ข")]], body=[[Cell.text(LONG_NAME), Cell.text("ค")]])
    document = Document(title="t", sections=[Section(blocks=[Paragraph.text(LONG_NAME), narrow])])
    in_paragraph, in_cell = _segments_of(document_json(document), LONG_NAME)
    assert in_paragraph == [LONG_NAME]  # boxed: 16 cm of text width
    # too wide for a 1.8 cm column: cut into Thai character clusters that fit, with break
    # opportunities between them (no character added)
    assert len(in_cell) == 1 and isinstance(in_cell[0], list) and len(in_cell[0]) > 1
    assert "".join(in_cell[0]) == LONG_NAME
    lines = pdftools.pdftotext(render_pdf(document)).splitlines()
    assert sum(LONG_NAME in line for line in lines) == 1  # the paragraph's; the cell's wraps
    assert LONG_NAME in pdftools.squash("".join(lines[1:]))


def test_it_places_cells_around_rowspans_and_colspans():
    from prongsai.reports.render_pdf import _cell_columns

    rows = [[Cell.text("a", rowspan=2), Cell.text("b", colspan=2), Cell.text("c", rowspan=2)],
            [Cell.text("d"), Cell.text("e")],
            [Cell.text("f"), Cell.text("g", rowspan=2), Cell.text("h"), Cell.text("i")],
            [Cell.text("j"), Cell.text("k"), Cell.text("l")]]
    assert _cell_columns(rows, 4) == [[(0, 1), (1, 2), (3, 1)], [(1, 1), (2, 1)],
                                      [(0, 1), (1, 1), (2, 1), (3, 1)], [(0, 1), (2, 1), (3, 1)]]
