"""Documents and PDF probes shared by the DOCX and HTML renderer tests.

PDF text is compared in two strengths. `squeeze` drops whitespace only. `skeleton` also drops Thai
marks that sit above or below a consonant (tone marks, upper and lower vowels): poppler reads the
GPOS-positioned marks of the Laksaman-derived font out of order or spaced ("ทัง้ นี้" for "ทั้งนี้",
shared RENDERING.md), so a skeleton match still proves every consonant and vowel letter is there, in order.
It drops "-" too: pdftotext removes a hyphen that ends a line, taking it for a hyphenation.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import uuid
from pathlib import Path

from prongsai.reports.document import (
    Cell, Document, PageBreak, Paragraph, Run, Section, Signature, Spacer, Table,
)
from prongsai.reports.render_docx import grid_rows, page_size, signature_lines
from prongsai.reports.tests.pdftools import find_split

REPO = Path(__file__).resolve().parents[4]
SEED_YEAR_FILE = REPO / "examples" / "tessaban-rae-2563.yaml"
PT_PER_CM = 72 / 2.54
THAI_MARKS = re.compile("[\u0e31\u0e34-\u0e3a\u0e47-\u0e4e-]")
SCRIPT_TEXT = '<script>alert("x")</script> & <b>'
ITA_PARAGRAPH = (
    "ตามที่การประเมินคุณธรรมและความโปร่งใสของหน่วยงานภาครัฐ ประจำปีงบประมาณ พ.ศ. ๒๕๖๓ "
    "ได้กำหนดให้หน่วยงานของรัฐจะต้องดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน "
    "ทั้งนี้ เพื่อให้หน่วยงานภาครัฐได้ยกระดับคุณธรรมและความโปร่งใสของหน่วยงาน"
)
BODY_ROWS = 30


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def skeleton(text: str) -> str:
    return THAI_MARKS.sub("", squeeze(text))


def thai_number(n: int) -> str:
    return str(n).translate(str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙"))


def handmade_document() -> Document:
    """Every feature of the model once: a 2-page portrait memo without page numbers, then a landscape
    section that restarts the numbering, with a 2-row header (rowspan, colspan), a long body that runs
    over several pages, a body rowspan and colspan, markup-like text, and a table after a page break."""
    memo = Section(name="memo", page_numbers=False)
    memo.add(
        Paragraph.text("บันทึกข้อความ", bold=True, align="center", size=29, space_after=6),
        Paragraph([Run("ส่วนราชการ", bold=True), Run(" สำนักงานเทศบาลตำบลแร่ อำเภอพังโคน จังหวัดสกลนคร")]),
        Paragraph.text(ITA_PARAGRAPH, align="justify", first_line_indent=2.5, keep_with_next=True),
        Paragraph([Run("ดูรายละเอียดที่ "), Run("เว็บไซต์ของหน่วยงาน", url="https://example.org/ita?a=1&b=2"),
                   Run(" และ "), Run("ลิงก์อันตราย", url="javascript:alert(1)"),
                   Run(" ตัวเอียง", italic=True), Run(" ขีดเส้นใต้", underline=True)]),
        Paragraph.text("ย่อหน้าเยื้องซ้าย", left_indent=1.0, space_before=12),
        Spacer(0.6),
        Signature(name="นางสาวปราณี จันทไชย", position="นักวิชาการตรวจสอบภายในชำนาญการ", rank="จ.อ."),
        Signature(name="นายวัชร สำนับ", position="รองปลัดเทศบาล", heading="ความเห็นผู้บังคับบัญชา", comment="",
                  date="๒๖ มิถุนายน ๒๕๖๓"),
        Signature(name="นางครสวรรค์ สุพัฒนานนท์", position="นายกเทศมนตรีตำบลแร่", heading="ความเห็น",
                  comment="เห็นชอบ\nดำเนินการต่อไป", sign_line=False, align="center"),
        PageBreak(),
        Paragraph.text("หน้าที่สองของบันทึก"),
    )
    header = [
        [Cell.text("ตัวชี้วัด", bold=True, rowspan=2, valign="middle"), Cell.text("รายละเอียด", bold=True, rowspan=2),
         Cell.text("ระยะเวลา", bold=True, rowspan=2), Cell.text("ผลการดำเนินการ", bold=True, colspan=2, align="center"),
         Cell.text("หมายเหตุ", bold=True, rowspan=2)],
        [Cell.text("ผลผลิต", bold=True), Cell.text("ผลลัพธ์", bold=True)],
    ]
    body = [[Cell.text(f"แถวที่ {thai_number(i)}"), Cell.text(f"รายละเอียด {thai_number(i)}"),
             Cell.text(f"เดือน {thai_number(i)}"), Cell.text(f"ผลผลิต {thai_number(i)}"),
             Cell.text(f"ผลลัพธ์ {thai_number(i)}"), Cell.text(f"หมายเหตุ {thai_number(i)}")]
            for i in range(1, BODY_ROWS + 1)]
    body += [
        [Cell.text("รวมสามแถว", rowspan=3), Cell.text(SCRIPT_TEXT), Cell.text("สองช่องรวม", colspan=2),
         Cell.text("ก"), Cell.text("ข")],
        [Cell.text("ค"), Cell.text("ง"), Cell.text("จ"), Cell.text("ฉ"), Cell.text("ช")],
        [Cell.text("ซ"), Cell.text("ฌ"), Cell.text("ญ"), Cell.text("ฎ"), Cell.text("ฏ")],
    ]
    report = Section(name="report", landscape=True, page_numbers=True, page_number_start=1)
    report.add(
        Paragraph.text("ผลการดำเนินการตามมาตรการ", bold=True, align="center"),
        Table(widths=[3, 5, 3, 2, 2, 3], header=header, body=body, font_size=14),
        Spacer(0.3),
        PageBreak(),
        Table(widths=[1, 3], header=[[Cell.text("ลำดับ", bold=True), Cell.text("ตารางหลังตัวแบ่งหน้า", bold=True)]],
              body=[[Cell.text("๑"), Cell.text("แถวเดียวของตารางที่สอง")]], keep_rows_together=False),
        Spacer(1.0),
        Signature(name="นางสาวปราณี จันทาไชย", position="นักวิชาการตรวจสอบภายในชำนาญการ", suffix="ผู้จัดทำ"),
    )
    return Document(title="รายงาน <ทดสอบ> & ตัวอย่าง", sections=[memo, report], subject="เรื่องทดสอบ",
                    author="สำนักงานเทศบาลตำบลแร่", digits="thai")


def seed_document() -> Document:
    from prongsai.reports.build import round_report
    from prongsai.yearfile.loader import load_valid_year_file

    return round_report(load_valid_year_file(SEED_YEAR_FILE), round=6)


def expected_texts(document: Document) -> list[tuple[str, str]]:
    """(kind, text) of every non-empty text in reading order: paragraphs, table cells row by row
    (header first), signature lines."""
    out = []
    for block in document.iter_blocks():
        if isinstance(block, Paragraph):
            out.append(("paragraph", block.plain))
        elif isinstance(block, Table):
            out.extend(("cell", cell.plain) for row in block.header + block.body for cell in row)
        elif isinstance(block, Signature):
            for line in signature_lines(signature=block):  # a dotted leader separates text and after
                out.extend([("signature", line.text), ("signature", line.after)])
    return [(kind, text) for kind, text in out if text.strip()]


def missing_in_order(expected: list[str], actual: str) -> list[str]:
    """The expected texts that are not found in `actual` after the previous one (all normalised alike)."""
    missing, position = [], 0
    for text in expected:
        found = actual.find(text, position)
        if found < 0:
            missing.append(text)
        else:
            position = found + len(text)
    return missing


# --------------------------------------------------------------------------------------------- PDF side


def libreoffice_pdf(docx: bytes, *, workdir: Path) -> Path:
    """Convert with LibreOffice headless on a fresh profile; the output's existence is checked because
    soffice can exit 0 without writing it (shared RENDERING.md)."""
    run_dir = workdir / f"lo-{uuid.uuid4().hex[:8]}"
    run_dir.mkdir(parents=True)
    source = run_dir / "document.docx"
    source.write_bytes(docx)
    subprocess.run(
        [shutil.which("soffice") or "soffice", f"-env:UserInstallation=file://{run_dir / 'profile'}", "--headless",
         "--convert-to", "pdf", "--outdir", str(run_dir), str(source)],
        check=True, capture_output=True, timeout=180,
    )
    pdf = run_dir / "document.pdf"
    assert pdf.exists(), f"LibreOffice wrote no PDF for {source}"
    return pdf


def chromium_pdf(html: bytes, *, workdir: Path, chromium: str) -> Path:
    run_dir = workdir / f"chromium-{uuid.uuid4().hex[:8]}"
    run_dir.mkdir(parents=True)
    source = run_dir / "document.html"
    source.write_bytes(html)
    pdf = run_dir / "document.pdf"
    subprocess.run(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu", f"--user-data-dir={run_dir / 'profile'}",
         "--no-pdf-header-footer", f"--print-to-pdf={pdf}", source.as_uri()],
        check=True, capture_output=True, timeout=180,
    )
    assert pdf.exists(), "Chromium wrote no PDF"
    return pdf


def pdf_pages(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    return text.split("\f")[:-1]


def pdf_footer_lines(pdf: Path) -> list[str]:
    """The last non-empty line of each page in layout mode (where a page number in the footer is)."""
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout
    return [([line.strip() for line in page.splitlines() if line.strip()] or [""])[-1]
            for page in text.split("\f")[:-1]]


def pdf_fonts(pdf: Path) -> list[tuple[str, bool]]:
    """(font name, embedded) of every font in the PDF."""
    lines = subprocess.run(["pdffonts", str(pdf)], check=True, capture_output=True, text=True).stdout.splitlines()
    fonts = []
    for line in lines[2:]:
        parts = line.split()
        yes_no = [p for p in parts if p in ("yes", "no")]
        fonts.append((parts[0], yes_no[0] == "yes"))
    return fonts


def pdf_page_sizes(pdf: Path) -> list[tuple[float, float]]:
    out = subprocess.run(["pdfinfo", "-f", "1", "-l", "9999", str(pdf)], check=True, capture_output=True,
                         text=True).stdout
    return [(float(w), float(h)) for w, h in re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", out)]


def cells_missing_from_columns(pdf: Path, document: Document) -> tuple[int, list[str]]:
    """Every non-empty table cell, looked up in the text of its own column strip of the pages (poppler
    reads a table row by row across columns, which interleaves multi-line cells, so the strip is cut
    out with pdftotext -x/-W). Returns (cells checked, cells whose skeleton is missing)."""
    checked, missing = 0, []
    for section in document.sections:
        width, height = page_size(section)
        text_width = width - section.margin_left - section.margin_right
        for block in section.blocks:
            if not isinstance(block, Table):
                continue
            edges = [0.0]
            for column_width in block.widths:
                edges.append(edges[-1] + column_width / sum(block.widths) * text_width)
            strips: dict[tuple[int, int], str] = {}
            repeated = {}  # header text per column: repeated on every page, so cut from each page's strip
            for slots in grid_rows(rows=block.header, columns=len(block.widths)):
                for slot in slots:
                    if slot.cell is not None and slot.cell.plain.strip():
                        for col in range(slot.column, slot.column + slot.colspan):
                            repeated.setdefault(col, []).append(skeleton(slot.cell.plain))
            for rows in (block.header, block.body):
                for slots in grid_rows(rows=rows, columns=len(block.widths)):
                    for slot in slots:
                        if slot.cell is None or not slot.cell.plain.strip():
                            continue
                        key = (slot.column, slot.colspan, header_only(slot, block))
                        if key not in strips:
                            # the text area only (no running header or page number), page by page,
                            # the repeated table header cut out: a cell of a row that breaks across
                            # pages reads on as one text
                            left = (section.margin_left + edges[slot.column] - 0.1) * PT_PER_CM
                            right = (section.margin_left + edges[slot.column + slot.colspan] - 0.1) * PT_PER_CM
                            top = (section.margin_top - 0.3) * PT_PER_CM
                            bottom = (height - section.margin_bottom + 0.2) * PT_PER_CM
                            pages = subprocess.run(
                                ["pdftotext", "-x", str(int(left)), "-y", str(int(top)), "-W", str(int(right - left)),
                                 "-H", str(int(bottom - top)), str(pdf), "-"],
                                check=True, capture_output=True, text=True).stdout.split("\f")
                            cut = []
                            for page in pages:
                                page = skeleton(page)
                                if not header_only(slot, block):
                                    for col in range(slot.column, slot.column + slot.colspan):
                                        for text in repeated.get(col, []):
                                            page = page.replace(text, "", 1)
                                cut.append(page)
                            strips[key] = "".join(cut)
                        checked += 1
                        needle = skeleton(slot.cell.plain)
                        # whole, or in pieces in order (a spanning header cell is only partly in
                        # a column strip, so not every header remnant can be cut out)
                        if needle not in strips[key] and find_split(strips[key], needle, 0)[0] < 0:
                            missing.append(slot.cell.plain)
    return checked, missing


def header_only(slot, table: Table) -> bool:
    """Whether the slot is one of the table's header cells (those are looked for with the header kept)."""
    return any(slot.cell is cell for row in table.header for cell in row)


def word_share(document: Document, pdf_text: str) -> tuple[int, int]:
    """(found, total) of the whitespace-separated words of paragraphs and signature lines that appear
    letter for letter (only whitespace ignored) in the PDF text."""
    words = [word for kind, text in expected_texts(document) if kind != "cell" for word in text.split()]
    squeezed = squeeze(pdf_text)
    return sum(squeeze(word) in squeezed for word in words), len(words)
