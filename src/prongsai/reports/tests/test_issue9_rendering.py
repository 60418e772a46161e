"""Issue 9, rendering: documents right for any content. One test per defect (each fails on the
renderers before the fix), page images checked with poppler for the long-cell, merged-cell and emblem
cases, and the acceptance year end to end."""

from __future__ import annotations

import datetime as dt
import io
import re
import struct
import zipfile
import zlib

import pytest

from prongsai.lib import thai
from prongsai.reports import approval, emblem, renderers
from prongsai.reports.build import DRAFT_NOTE, MEASURE_HEADER, round_report
from prongsai.reports.document import Cell, Document, Letterhead, Paragraph, Section, Signature, Table
from prongsai.reports.render_docx import CORE_PROPERTY_MAX, render_docx
from prongsai.reports.render_pdf import render_pdf
from prongsai.reports.tests import acceptance, pageimages, pdftools
from prongsai.reports.tests.synthetic import synthetic_year

A4 = (21.0, 29.7)
LANDSCAPE = (29.7, 21.0)


def png(width: int = 180, height: int = 200) -> bytes:
    """A black disc on white, as a PNG written by hand (no imaging library)."""
    rows = []
    for y in range(height):
        row = bytearray()
        for x in range(width):
            inside = ((x - width / 2) / (width / 2)) ** 2 + ((y - height / 2) / (height / 2)) ** 2 <= 1
            row.append(0 if inside else 255)
        rows.append(b"\x00" + bytes(row))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"".join(rows))) + chunk(b"IEND", b""))


def squash(text: str) -> str:
    return pdftools.squash(text)


# --- tables flow ---------------------------------------------------------------------------------

LONG = ("หน่วยงานได้ดำเนินการเผยแพร่ข้อมูลข่าวสารตามมาตรการส่งเสริมคุณธรรมและความโปร่งใส "
        "ผ่านเว็บไซต์และช่องทางสื่อสังคมออนไลน์อย่างต่อเนื่อง ") * 40 + "ท้ายสุดMARK"


def _long_cell_document() -> Document:
    table = Table(widths=[1, 3, 1], header=[[Cell.text("หัวหนึ่ง"), Cell.text("หัวสอง"), Cell.text("หัวสาม")]],
                  body=[[Cell.text("แถวแรก"), Cell.text("สั้น"), Cell.text("ก")],
                        [Cell.text("แถวยาว"), Cell.text(LONG), Cell.text("ข")],
                        [Cell.text("แถวท้าย"), Cell.text("สั้นอีก"), Cell.text("ค")]])
    return Document(title="t", sections=[Section(landscape=True, blocks=[table])])


def test_a_cell_longer_than_a_page_continues_on_the_next_pages_with_the_header():
    # Before: every row was one unbreakable block, so a row taller than the page was cut at the
    # page's foot: the marker at the end of the long cell never reached the PDF.
    pdf = render_pdf(_long_cell_document())
    pages = pdftools.pages(pdf)
    assert len(pages) >= 2
    assert "ท้ายสุดMARK" in squash(pdftools.pdftotext(pdf))
    assert all("หัวสอง" in squash(p) for p in pages)  # the header on every page
    assert pdftools.find_in_order(pdftools.pdftotext(pdf), [["แถวแรก"], [LONG], ["แถวท้าย"]]) == []
    # nothing is drawn below the text area (where a cut row used to run on) or beyond the margins
    for page in pageimages.pages(pdf):
        width, height = LANDSCAPE
        assert page.ink(left=0, top=height - 2.0 + 0.05, right=width, bottom=height) < 5
        assert page.ink(left=width - 2.0 + 0.05, top=0, right=width, bottom=height) == 0


def test_a_row_that_fits_stays_whole_and_pages_are_filled():
    # 30 ordinary measures: before, each row was kept whole and a plan took about one page per
    # measure; now rows that are short stay whole and the table fills its pages.
    data = acceptance.acceptance_year(long_result=False)
    document = round_report(data, round=6, emblem=None)
    pdf = render_pdf(document)
    pages = pdftools.pages(pdf)
    measure_pages = [i for i, p in enumerate(pages) if squash(MEASURE_HEADER[4]) in squash(p)]
    assert len(measure_pages) <= 8  # 30 rows of about 4 lines at 16 pt in landscape
    for index in measure_pages:  # a row kept whole: its title and steps are on the same page
        titles = re.findall(r"มาตรการที่[๐-๙]+", squash(pages[index]))
        assert titles, index


# --- no merging across measures ----------------------------------------------------------------

def test_the_same_monitoring_text_shows_on_every_page_of_the_measures_table():
    # Before: identical consecutive monitoring texts were merged into one cell, printed on the first
    # page only: the column was empty on the following pages (and different measures were joined).
    data = acceptance.acceptance_year(long_result=False)
    pdf = render_pdf(round_report(data, round=6, emblem=None))
    pages = pdftools.pages(pdf)
    table_pages = [i for i, p in enumerate(pages) if squash(MEASURE_HEADER[4]) in squash(p)]
    assert len(table_pages) >= 2
    monitoring = squash(thai.digits(acceptance.MONITORING))
    for index in table_pages:
        assert monitoring in squash(pages[index])
    # page images: the monitoring column has ink on every page of the table, below the header
    images = pageimages.pages(pdf, first=table_pages[0] + 1, last=table_pages[-1] + 1)
    width, height = LANDSCAPE
    text_width = width - 3.0 - 2.0
    total = sum([4.0, 6.0, 6.0, 3.6, 4.0])
    left = 3.0 + (total - 4.0) / total * text_width
    for page in images:
        assert page.ink(left=left + 0.2, top=4.5, right=width - 2.0 - 0.2, bottom=height - 2.5) > 200


# --- unbroken runs, Thai breaks ------------------------------------------------------------------

URL = "https://www.example.go.th/" + "verylongpathsegmentwithoutanybreak" * 4 + ".pdf"


def test_an_unbroken_run_breaks_at_the_cell_edge():
    # Before: typst had nowhere to break a run of letters with no break opportunity, and it ran over
    # the column and the page's right edge.
    table = Table(widths=[1, 4], header=[[Cell.text("ลำดับ"), Cell.text("หลักฐาน")]],
                  body=[[Cell.text(URL), Cell.text("ข้อความ")]])
    pdf = render_pdf(Document(title="t", sections=[Section(blocks=[Table(widths=[4, 1], header=table.header,
                                                                         body=[[Cell.text("ก"), Cell.text(URL)]])])]))
    assert squash(URL) in squash(pdftools.pdftotext(pdf))
    width, height = A4
    for page in pageimages.pages(pdf):
        assert page.ink(left=width - 2.0 + 0.05, top=0, right=width, bottom=height) == 0


def test_html_marks_thai_words_so_browsers_never_break_inside_them():
    from prongsai.reports.render_html import render_html

    html = render_html(Document(title="t", sections=[Section(blocks=[Paragraph.text("ผู้รับผิดชอบกำกับติดตาม")])]))
    body = html.decode("utf-8")
    assert '<span class="w">ผู้รับผิดชอบ</span><wbr><span class="w">กำกับ</span><wbr>' in body
    assert ".prongsai-doc .w { white-space: nowrap; }" in body


def test_docx_justifies_thai_with_thai_distribute():
    docx = render_docx(Document(title="t", sections=[Section(blocks=[Paragraph.text("ทดสอบ", align="justify")])]))
    xml = zipfile.ZipFile(io.BytesIO(docx)).read("word/document.xml").decode()
    assert '<w:jc w:val="thaiDistribute"/>' in xml


# --- DOCX core properties ------------------------------------------------------------------------

def test_docx_takes_a_memo_subject_longer_than_255_characters():
    # Before: python-docx raised ValueError ("exceeded 255 char limit") and the export crashed.
    subject = ("รายงานผลการดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน " * 6).strip()
    assert len(subject) > 400
    docx = render_docx(Document(title=subject, subject=subject, sections=[Section(blocks=[Paragraph.text(subject)])]))
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        core = z.read("docProps/core.xml").decode()
        body = z.read("word/document.xml").decode()
    found = re.search(r"<dc:subject>(.*?)</dc:subject>", core).group(1)
    assert len(found) <= CORE_PROPERTY_MAX and found.endswith("…") and subject.startswith(found[:-1].rstrip())
    assert subject in body  # the document itself keeps the whole subject


# --- the memo's full form ---------------------------------------------------------------------------

def _memo_pdf(data: dict, mark: bytes | None) -> tuple[Document, bytes]:
    document = round_report(data, round=6, emblem=mark)
    return document, render_pdf(document)


def test_the_memo_carries_the_emblem_1_5_cm_high_at_the_top_left():
    data = synthetic_year(measures=1)
    _, with_mark = _memo_pdf(data, png())
    _, without = _memo_pdf(data, None)
    first = pageimages.pages(with_mark, dpi=100, last=1)[0]
    # the emblem's column, down to where the ส่วนราชการ line starts
    box = first.ink_box(left=0, top=0, right=3.0 + 1.6, bottom=2.5 + 1.53)
    assert box is not None
    left, top, right, bottom = box
    assert abs(left - 3.0) < 0.1 and abs(top - 2.5) < 0.1  # at the margins' corner
    assert 1.45 < bottom - top  # 1.5 cm high (the box stops at 1.53 cm)
    assert abs((right - left) - 1.5 * 180 / 200) < 0.08  # its aspect ratio kept
    plain = pageimages.pages(without, dpi=100, last=1)[0]
    assert plain.ink(left=0, top=0, right=3.0 + 1.6, bottom=2.5 + 1.2) == 0  # no emblem: nothing drawn
    # the title stays centred on the page beside it
    heading = next(w for w in pdftools.words(with_mark) if w["text"] == "บันทึกข้อความ")
    assert abs((heading["x0"] + heading["x1"]) / 2 - (3 + 19) / 2 * 72 / 2.54) < 3


def test_an_announcement_letterhead_centres_a_3_cm_emblem_above_its_title():
    head = Letterhead.text("ประกาศเทศบาลตำบลทดสอบ", bold=True, align="center", position="top")
    document = emblem.apply(Document(title="t", sections=[Section(blocks=[head])]), png())
    assert head.emblem.height == 3.0
    pdf = render_pdf(document)
    page = pageimages.pages(pdf, dpi=100, last=1)[0]
    left, top, right, bottom = page.ink_box(left=0, top=0, right=21, bottom=2.5 + 3.05)
    assert abs((bottom - top) - 3.0) < 0.08 and abs((left + right) / 2 - (3 + 19) / 2) < 0.1
    assert "ประกาศเทศบาลตำบลทดสอบ" in pdftools.pdftotext(pdf)
    for fmt in ("docx", "html"):
        assert renderers.render(document, fmt)


def test_number_and_date_share_one_line_and_the_subject_hangs():
    data = acceptance.acceptance_year(measures=1, long_result=False)
    pdf = render_pdf(round_report(data, round=6, emblem=None))
    words = [w for w in pdftools.words(pdf) if w["page"] == 1]
    number = next(w for w in words if w["text"] == "ที่")
    date = next(w for w in words if w["text"] == "วันที่")
    assert abs(number["y0"] - date["y0"]) < 1 and date["x0"] > number["x0"] + 200
    subject = next(w for w in words if w["text"] == "เรื่อง")
    below = [w for w in words if subject["y0"] + 5 < w["y0"] < subject["y0"] + 80]
    lines = sorted({round(w["y0"]) for w in below})
    starts = [min(w["x0"] for w in below if round(w["y0"]) == y) for y in lines[:3]]
    # the wrapped lines of the 400-character subject start under the subject, not under "เรื่อง"
    assert all(abs(x - subject["x1"] - 3.5) < 4 for x in starts), (subject, starts)


def test_approvers_headings_line_up_within_one_chain():
    # Before: a heading followed by a written comment was centred, one followed by dotted lines
    # started at the block's left edge.
    section = Section(blocks=[
        Signature(name="นายหนึ่ง", position="ปลัด", heading="ความเห็นผู้บังคับบัญชา", comment="เห็นควรอนุมัติ"),
        Signature(name="นายสอง", position="นายก", heading="ความเห็นผู้บังคับบัญชา", comment=""),
    ])
    pdf = render_pdf(Document(title="t", sections=[section]))
    headings = [w for w in pdftools.words(pdf) if w["text"].startswith("ความเห็นผู้บังคับบัญชา")]
    assert len(headings) == 2 and abs(headings[0]["x0"] - headings[1]["x0"]) < 1


# --- approval in the system, drafts ------------------------------------------------------------------

def test_a_draft_says_so_on_every_page_and_an_approved_memo_does_not():
    data = synthetic_year(measures=12)  # its approver has no date yet
    draft = round_report(data, round=6, emblem=None)
    assert draft.draft == DRAFT_NOTE
    pages = pdftools.pages(render_pdf(draft))
    assert pages and all(squash(DRAFT_NOTE) in squash(p) for p in pages)
    memo = data["reports"][0]["memo"]
    memo["approvers"] = [{**a, "date": dt.date(2023, 4, 21)} for a in memo["approvers"]]
    approved = round_report(data, round=6, emblem=None)
    assert approved.draft == "" and squash(DRAFT_NOTE) not in squash(pdftools.pdftotext(render_pdf(approved)))


def test_the_approved_version_shows_who_signed_in_the_system_and_a_stamp_on_every_page():
    data = synthetic_year(measures=12)
    document = round_report(data, round=6, emblem=None)
    signer = data["reports"][0]["memo"]["approvers"][0]["name"]
    when = dt.datetime(2023, 4, 21, 3, 5, tzinfo=dt.timezone.utc)  # 10.05 in Bangkok
    approval.apply(document, approval.Approval(signed={signer: when}, number=2, short_hash="0123456789ab",
                                               verify_url="https://ita.example.go.th/a/x/reports/2566/round-6/"))
    assert document.draft == ""
    pdf = render_pdf(document)
    text = squash(pdftools.pdftotext(pdf))
    assert squash(f"({signer})") + squash("ตำแหน่ง") in text
    assert squash("ลงนามในระบบ ๒๑ เมษายน ๒๕๖๖ เวลา ๑๐.๐๕ น.") in text
    for page in pdftools.pages(pdf):
        assert "0123456789ab" in page and squash("ฉบับที่ ๒") in squash(page)
    # the QR code: ink at the right of the footer on every page
    for page in pageimages.pages(pdf):
        width, height = page.width / page.dpi * 2.54, page.height / page.dpi * 2.54
        assert page.ink(left=width - 2.0 - 1.5, top=height - 2.0, right=width - 2.0 + 0.05, bottom=height) > 50
    with zipfile.ZipFile(io.BytesIO(renderers.render(document, "docx"))) as z:
        footers = [z.read(n).decode() for n in z.namelist() if n.startswith("word/footer")]
        body = z.read("word/document.xml").decode()
    assert footers and all("0123456789ab" in f and "<w:drawing>" in f for f in footers)  # every section's
    assert "ลงนามในระบบ" in body
    html = renderers.render(document, "html").decode()
    assert "0123456789ab" in html and '<svg role="img"' in html


def test_signed_text_is_local_time_in_the_agencys_digits():
    when = dt.datetime(2023, 4, 21, 3, 5, tzinfo=dt.timezone.utc)
    assert approval.signed_text(when, thai.ARABIC) == "ลงนามในระบบ 21 เมษายน 2566 เวลา 10.05 น."


# --- the emblem upload ---------------------------------------------------------------------------

def test_a_png_emblem_is_checked_by_content():
    assert emblem.prepare(png()) == png()
    with pytest.raises(emblem.EmblemInvalid):
        emblem.prepare(b"GIF89a" + b"\x00" * 100)
    with pytest.raises(emblem.EmblemInvalid):
        emblem.prepare(png()[:40])  # truncated


def test_an_svg_emblem_is_made_safe_and_rasterised():
    svg = (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
           b'width="90" height="100" viewBox="0 0 90 100" onload="alert(1)">'
           b'<script>alert(2)</script><foreignObject><div>x</div></foreignObject>'
           b'<image xlink:href="https://evil.example/track.png" width="10" height="10"/>'
           b'<a href="javascript:alert(3)"><rect width="90" height="100" fill="#000"/></a>'
           b'<circle cx="45" cy="50" r="40" fill="#000" style="fill:url(https://evil.example/x)"/></svg>')
    safe = emblem.safe_svg(svg)
    for bad in (b"script", b"onload", b"foreignObject", b"evil.example", b"javascript"):
        assert bad not in safe, bad
    out = emblem.prepare(svg)
    width, height = emblem.check_png(out)
    assert height == emblem.RASTER_HEIGHT_PX and abs(width / height - 0.9) < 0.02
    with pytest.raises(emblem.EmblemInvalid):
        emblem.prepare(b'<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]><svg xmlns="http://www.w3.org/2000/svg">&x;</svg>')


# --- the acceptance year ------------------------------------------------------------------------------

def _page_kinds(pages: list[str]) -> list[str]:
    kinds = []
    for text in pages:
        flat = squash(text)
        if squash(MEASURE_HEADER[4]) in flat:
            kinds.append("measures")
        elif squash("ผลการดำเนินการ") in flat and squash("หมายเหตุ") in flat:
            kinds.append("results")
        else:
            kinds.append("other")
    return kinds


@pytest.fixture(scope="module")
def accepted():
    data = acceptance.acceptance_year()
    document = round_report(data, round=6, emblem=png())
    return data, document, render_pdf(document)


def test_acceptance_every_format_renders(accepted):
    _, document, pdf = accepted
    assert pdf.startswith(b"%PDF")
    docx = render_docx(document)
    assert docx.startswith(b"PK")
    html = renderers.render(document, "html").decode("utf-8")
    import lxml.html

    # huge_tree: libxml2 otherwise stops at its default limits in a document this long
    text = squash(lxml.html.fromstring(html, parser=lxml.html.HTMLParser(huge_tree=True)).body.text_content())
    assert squash(thai.digits(acceptance.MARKER)) in text
    xml = zipfile.ZipFile(io.BytesIO(docx)).read("word/document.xml").decode()
    assert thai.digits(acceptance.MARKER) in xml


def test_acceptance_texts_are_on_the_pages_where_they_belong(accepted):
    data, _, pdf = accepted
    pages = pdftools.pages(pdf)
    kinds = _page_kinds(pages)
    monitoring = squash(thai.digits(acceptance.MONITORING))
    assert kinds.count("measures") >= 2
    for text, kind in zip(pages, kinds):
        if kind == "measures":
            # every measure row on the page carries the monitoring text: as many as titles
            flat = squash(text)
            assert flat.count(monitoring) >= len(re.findall("มาตรการที่[๐-๙]+ส่งเสริม", flat)) - 1 > 0
    marker = squash(thai.digits(acceptance.MARKER))
    holding = [i for i, p in enumerate(pages) if marker in squash(p)]
    assert len(holding) == 1 and kinds[holding[0]] == "results"
    # the names in the memo (page 1-2), under the preparer's signature (last page)
    memo_text = squash("".join(pages[:2]))
    for name in acceptance.SIGNERS:
        assert squash(f"({name})") in memo_text, name
    assert squash(f"({acceptance.SIGNERS[0]})") in squash(pages[-1])
    # the 400-character subject, whole
    subject = data["reports"][0]["memo"]["subject"]
    assert squash(thai.digits(subject)) in memo_text


def test_acceptance_pypdf_reads_the_marker_on_its_page(accepted):
    pypdf = pytest.importorskip("pypdf")
    _, _, pdf = accepted
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    texts = [page.extract_text() or "" for page in reader.pages]
    assert len(texts) == len(pdftools.pages(pdf))
    assert sum("XQ" in t for t in texts) == 1  # the marker's Latin part, on one page


def test_acceptance_no_page_is_more_than_half_blank_unless_a_section_ends_there(accepted):
    _, document, pdf = accepted
    pages = pdftools.pages(pdf)
    images = pageimages.pages(pdf, dpi=30)
    # pages that end a section or a part on purpose: the memo's last page, the cover, the preface,
    # the last page
    ends = {len(pages) - 1}
    for i, text in enumerate(pages):
        flat = squash(text)
        if squash(f"({acceptance.SIGNERS[2]})") in flat or squash("คำนำ") in flat or squash("อำเภอเมือง") in flat[:200]:
            ends.add(i)
    ends |= {i for i, t in enumerate(pages) if squash(thai.digits("รอบ ๖ เดือน (ตุลาคม")) in squash(t)}
    for i, (text, page) in enumerate(zip(pages, images)):
        if i in ends:
            continue
        width, height = (page.width / page.dpi * 2.54, page.height / page.dpi * 2.54)
        top, bottom = 2.5, height - 2.0
        lowest = page.lowest_ink(top=top, bottom=bottom)
        assert lowest is not None and lowest - top >= (bottom - top) / 2, (i, lowest, text[:80])
