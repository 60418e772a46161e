"""render_html: the file parsed back with lxml's HTML parser, and printed by Chromium for real."""

from __future__ import annotations

import base64
import re
import shutil

import lxml.html
import pytest

from prongsai.reports import fonts
from prongsai.reports.document import Document, Paragraph, Run, Section
from prongsai.reports.render_html import render_html, render_html_fragment
from prongsai.reports.tests.render_samples import (
    BODY_ROWS, ITA_PARAGRAPH, SCRIPT_TEXT, cells_missing_from_columns, chromium_pdf, expected_texts,
    handmade_document, missing_in_order, pdf_fonts, pdf_footer_lines, pdf_page_sizes, pdf_pages, seed_document,
    skeleton, squeeze, thai_number, word_share,
)

CHROMIUM = shutil.which("chromium")
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (optional cross-check)")
# Chromium 156 + Sarabun Compat: share of paragraph and signature words extracted letter for letter by
# poppler. Measured: 1.00 on the seed report (197/197) and on the hand-made document (50/50).
MIN_EXACT_WORD_SHARE = 0.97


@pytest.fixture(scope="module")
def handmade():
    return handmade_document()


@pytest.fixture(scope="module")
def handmade_html(handmade):
    return render_html(handmade)


@pytest.fixture(scope="module")
def handmade_tree(handmade_html):
    return lxml.html.fromstring(handmade_html.decode("utf-8"))


@pytest.fixture(scope="module")
def seed():
    return seed_document()


def visible_text(tree) -> str:
    body = tree.find("body")
    return "".join(body.itertext())


def test_it_writes_a_thai_utf8_html5_file(handmade, handmade_html, handmade_tree):
    assert handmade_html.startswith(b"<!DOCTYPE html>")
    assert handmade_tree.get("lang") == "th"
    assert handmade_tree.xpath("//meta[@charset]")[0].get("charset") == "utf-8"
    assert handmade_tree.findtext(".//title") == handmade.title  # "<ทดสอบ> &" escaped, read back as text
    assert b"<title>\xe0" in handmade_html and b"&lt;" in handmade_html.split(b"</title>")[0]
    assert handmade_tree.xpath("//meta[@name='author']/@content") == [handmade.author]


def test_it_embeds_the_compat_font_as_th_sarabun_new(handmade_html):
    css = handmade_html.decode("utf-8")
    fontset = fonts.ensure_fonts()
    faces = re.findall(r"@font-face \{(.*?)\}", css)
    assert len(faces) == 2
    for face, (style, weight) in zip(faces, (("Regular", "normal"), ("Bold", "bold"))):
        assert 'font-family: "TH Sarabun New"' in face and f"font-weight: {weight}" in face
        assert 'local("TH Sarabun New' in face
        data = re.search(r"url\(data:font/woff2;base64,([A-Za-z0-9+/=]+)\)", face).group(1)
        assert base64.b64decode(data) == fontset.woff2[style].read_bytes()


def test_it_writes_every_text_in_order(handmade, handmade_tree):
    actual = squeeze(visible_text(handmade_tree))
    assert missing_in_order([squeeze(t) for _, t in expected_texts(handmade)], actual) == []


def test_it_writes_the_seed_report_in_order(seed):
    tree = lxml.html.fromstring(render_html(seed).decode("utf-8"))
    actual = squeeze(visible_text(tree))
    expected = [squeeze(t) for _, t in expected_texts(seed)]
    assert len(expected) > 100
    assert missing_in_order(expected, actual) == []


def test_it_escapes_markup_in_the_text(handmade_html, handmade_tree):
    assert handmade_tree.xpath("//script") == []
    assert handmade_tree.xpath("//b") == []
    cell = handmade_tree.xpath("//td[contains(., 'alert')]")[0]
    assert cell.text_content() == SCRIPT_TEXT
    assert b"&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;" in handmade_html


def test_it_links_web_addresses_only(handmade_tree):
    links = handmade_tree.xpath("//a")
    assert [(a.text_content(), a.get("href"), a.get("rel")) for a in links] == [
        ("เว็บไซต์ของหน่วยงาน", "https://example.org/ita?a=1&b=2", "noopener")]
    assert "ลิงก์อันตราย" in visible_text(handmade_tree)
    assert not handmade_tree.xpath("//*[contains(@href, 'javascript')]")


def test_it_writes_header_rows_in_thead_and_spans_cells(handmade_tree):
    table = handmade_tree.xpath("//table")[0]
    head_rows = table.xpath("./thead/tr")
    assert len(head_rows) == 2 and len(table.xpath("./tbody/tr")) == BODY_ROWS + 3
    assert [(th.text_content(), th.get("rowspan"), th.get("colspan")) for th in head_rows[0]] == [
        ("ตัวชี้วัด", "2", None), ("รายละเอียด", "2", None), ("ระยะเวลา", "2", None),
        ("ผลการดำเนินการ", None, "2"), ("หมายเหตุ", "2", None)]
    assert [th.text_content() for th in head_rows[1]] == ["ผลผลิต", "ผลลัพธ์"]
    merged = table.xpath("./tbody/tr")[BODY_ROWS]
    assert merged[0].get("rowspan") == "3" and merged[2].get("colspan") == "2"
    assert [len(row) for row in table.xpath("./tbody/tr")[BODY_ROWS:]] == [5, 5, 5]
    widths = [float(re.search(r"width: ([\d.]+)%", col.get("style")).group(1)) for col in table.xpath(".//col")]
    assert widths == pytest.approx([w / 18 * 100 for w in (3, 5, 3, 2, 2, 3)], abs=0.01)
    assert "keep-rows" in table.get("class")
    assert "keep-rows" not in handmade_tree.xpath("//table")[1].get("class")


def test_it_keeps_paragraph_layout(handmade_tree):
    justified = next(p for p in handmade_tree.xpath("//p") if p.text_content() == ITA_PARAGRAPH)
    assert "align-justify" in justified.get("class") and "keep-with-next" in justified.get("class")
    assert "text-indent: 2.5cm" in justified.get("style")
    heading = handmade_tree.xpath("//p")[0]
    assert "align-center" in heading.get("class") and "font-size: 29pt" in heading.get("style")
    assert heading.xpath("./strong")[0].text_content() == "บันทึกข้อความ"
    assert handmade_tree.xpath("//em")[0].text_content() == " ตัวเอียง"
    assert handmade_tree.xpath("//u")[0].text_content() == " ขีดเส้นใต้"


def test_it_pages_each_section_with_its_size_margins_and_numbers(handmade_html):
    css = handmade_html.decode("utf-8")
    assert re.search(r"@page page-0 \{ size: 21cm 29.7cm; margin: 2.5cm 2cm 2cm 3cm; \}", css)
    assert re.search(r"@page page-1 \{ size: 29.7cm 21cm; margin: 2.5cm 2cm 2cm 3cm; counter-increment: pages-1 1; "
                     r"@bottom-center \{ content: counter\(pages-1, thai\);", css)
    assert ":root { counter-reset: pages-1 0; }" in css
    assert ".doc-section + .doc-section { break-before: page;" in css
    assert "line-height: 1.3;" in css and "hyphens: manual;" in css


def test_it_renders_a_fragment_for_web_pages(handmade):
    fragment = str(render_html_fragment(handmade))
    assert "<html" not in fragment and "<style" not in fragment and "@font-face" not in fragment
    tree = lxml.html.fragment_fromstring(fragment)
    assert "prongsai-doc" in tree.get("class") and tree.get("lang") == "th"
    assert [s.get("id") for s in tree.xpath("./section")] == ["memo", "report"]
    assert missing_in_order([squeeze(t) for _, t in expected_texts(handmade)], squeeze(tree.text_content())) == []


def test_it_escapes_every_attribute_it_writes():
    document = Document(title='"><script>x</script>', author='a"b', subject="<s>", sections=[
        Section(name='x" onmouseover="alert(1)', blocks=[Paragraph([Run("ลิงก์", url='https://e.org/"><script>')])])])
    html = render_html(document).decode("utf-8")
    tree = lxml.html.fromstring(html)
    assert tree.xpath("//script") == [] and tree.xpath("//*[@onmouseover]") == []
    assert tree.xpath("//section/@id") == ['x" onmouseover="alert(1)']
    assert tree.xpath("//a/@href") == ['https://e.org/"><script>']


# ------------------------------------------------------------------------------------------- Chromium


@pytest.fixture(scope="module")
def handmade_chromium(handmade_html, tmp_path_factory):
    return chromium_pdf(handmade_html, workdir=tmp_path_factory.mktemp("html-handmade"), chromium=CHROMIUM)


@pytest.fixture(scope="module")
def seed_chromium(seed, tmp_path_factory):
    return chromium_pdf(render_html(seed), workdir=tmp_path_factory.mktemp("html-seed"), chromium=CHROMIUM)


@needs_chromium
def test_it_prints_in_chromium_with_the_embedded_font(handmade_chromium, seed_chromium):
    for pdf in (handmade_chromium, seed_chromium):
        found = pdf_fonts(pdf)
        assert found and all(re.fullmatch(r"[A-Z]{6}\+SarabunCompat-(Regular|Bold)", n) for n, _ in found), found
        assert all(embedded for _, embedded in found)


@needs_chromium
def test_it_prints_pages_and_thai_page_numbers_in_chromium(handmade_chromium):
    pages = pdf_pages(handmade_chromium)
    sizes = pdf_page_sizes(handmade_chromium)
    assert skeleton("หน้าที่สองของบันทึก") in skeleton(pages[1])
    assert all(w < h for w, h in sizes[:2]) and all(w > h for w, h in sizes[2:])
    report = pages[2:]
    table_pages = [p for p in report if skeleton("แถวที่") in skeleton(p)]
    assert len(table_pages) >= 2
    for page in table_pages:  # thead repeats
        assert skeleton("ผลการดำเนินการ") in skeleton(page) and skeleton("ผลลัพธ์") in skeleton(page)
    footers = pdf_footer_lines(handmade_chromium)
    assert footers[2:] == [thai_number(n) for n in range(1, len(report) + 1)]  # restarted, Thai numerals
    assert not any(re.fullmatch(r"[0-9๐-๙]+", line) for line in footers[:2])


@needs_chromium
def test_it_keeps_every_table_cell_and_text_in_chromium(handmade, handmade_chromium, seed, seed_chromium):
    for document, pdf in ((handmade, handmade_chromium), (seed, seed_chromium)):
        checked, missing = cells_missing_from_columns(pdf, document)
        assert checked > 40 and missing == []
        text = "".join(pdf_pages(pdf))
        others = [skeleton(t) for kind, t in expected_texts(document) if kind != "cell"]
        assert missing_in_order(others, skeleton(text)) == []
        found, total = word_share(document, text)
        assert found / total >= MIN_EXACT_WORD_SHARE, (found, total)


@needs_chromium
def test_it_fits_the_seed_memo_on_two_pages_in_chromium(seed, seed_chromium):
    pages = [skeleton(p) for p in pdf_pages(seed_chromium)]
    last_signer = skeleton(f"({seed.sections[0].blocks[-1].name})")
    cover_title = skeleton(seed.sections[1].blocks[1].plain)
    assert skeleton("บันทึกข้อความ") in pages[0] and last_signer not in pages[0]
    assert last_signer in pages[1] and cover_title not in pages[1]
    assert cover_title in pages[2]
