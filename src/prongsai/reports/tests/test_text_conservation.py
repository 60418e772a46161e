"""Text conservation, a property (issue 9): for generated year data, every text of the data comes back
from every format's extracted text, whole and in order: the round report as PDF (read by poppler's
pdftotext, pypdf and pdfminer.six), DOCX (its XML text, and LibreOffice's PDF of it read by pdftotext)
and HTML (the DOM's text). Whitespace does not count (a line break may add or drop a space); nothing
else may be dropped, added, cut or reordered, hyphenation and line breaking included.

The examples come from conservation.generated_year(seed): the seed is the test id, so a failing
example is re-run as it failed (`-k 'seed-17'`). The always-run set is small (about a second or two
an example, LibreOffice on two); the larger ones (longer texts, more of them) are marked slow.

What each reader is held to (docs/rendering.md, "Text conservation"):
- pdftotext -raw and pypdf read in content order: every text in the report's order; a table cell
  whose row continues on the next page may come in pieces, in order, with the row's other cells, the
  page number and the repeated header between them.
- pdfminer.six orders text boxes by their position on the page (its layout analysis), not by the
  content: the cells of a table row, or a tall cell and the next row's short ones, come in the order
  of their boxes, and it may cut one line into two boxes (at a zero-width mark before a space,
  "ท่ำแง็ | วฺฎํ…", seed 1). It is held to every cluster of the data (a letter and its marks) letter
  for letter, as often as the data has it.
- LibreOffice's PDF of the DOCX: as pdftotext above, after putting the combining marks of each
  cluster in one order (LibreOffice writes a cluster's marks in glyph order, so "ปุ่" may read "ปุ่";
  its text layer is LibreOffice's, and the DOCX XML itself is held to the exact letters).
- DOCX XML and HTML DOM: exact order, no pieces (nothing is split there).
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections import Counter
from functools import lru_cache

import pytest

from prongsai.reports.build import round_report
from prongsai.reports.renderers import render
from prongsai.reports.tests import readers
from prongsai.reports.tests.conservation import clean, expected, generated_year, problems
from prongsai.reports.tests.render_samples import libreoffice_pdf
from prongsai.reports.tests.test_issue9_rendering import png

FAST = list(range(1, 11))
LIBREOFFICE = {3, 8}  # of FAST: LibreOffice takes 5–10 s a document
EMBLEM = {2, 5, 8}  # with the agency's emblem (the memo page's text layer takes pdf_text's general path)
SLOW = list(range(100, 106))
FAST_CHARS, SLOW_CHARS = 1500, 6000  # characters of long texts in one year (short texts come on top)


@lru_cache(maxsize=4)
def example(seed: int) -> tuple[dict, int, list[list[str]], object]:
    data, round_ = generated_year(seed, long_chars=FAST_CHARS if seed in FAST else SLOW_CHARS)
    document = round_report(data, round=round_, emblem=png() if seed in EMBLEM else None)
    return data, round_, expected(data, round=round_), document


_CLUSTER = re.compile(r"[^\u0e31\u0e34-\u0e3a\u0e47-\u0e4e][\u0e31\u0e34-\u0e3a\u0e47-\u0e4e]*")


def whole_clusters(extracted: str, groups: list[list[str]]) -> list[str]:
    """Every cluster of the data (a letter with its combining marks) there letter for letter, at least
    as often as the data has it: pdfminer.six's reading order is its layout analysis's, which cuts
    lines and words into boxes and orders them by position, so only the text layer is checked."""
    found = Counter(_CLUSTER.findall(clean(extracted)))
    want = Counter(c for group in groups for s in group for c in _CLUSTER.findall(clean(s)))
    return [f"{c!r} (data {n}, reader {found[c]})" for c, n in want.items() if found[c] < n]


_MARKS = re.compile(r"[\u0e31\u0e34-\u0e3a\u0e47-\u0e4e]+")


def marks_sorted(text: str) -> str:
    """The combining marks of each cluster in code point order (SARA AM split as NIKHAHIT + SARA AA
    the way a font draws it, so it sorts with the tone mark it carries)."""
    text = text.replace("\u0e33", "\u0e4d\u0e32")
    return _MARKS.sub(lambda m: "".join(sorted(m.group())), text)


def docx_text(docx: bytes) -> str:
    """The DOCX body's text in document order: every w:t, tab and break (python-docx's XML)."""
    import docx as python_docx
    from docx.oxml.ns import qn

    body = python_docx.Document(io.BytesIO(docx)).element.body
    parts = []
    for node in body.iter(qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:p")):
        parts.append(node.text or "" if node.tag == qn("w:t") else " ")
    return "".join(parts)


def _report(found: dict[str, list[str]]) -> str:
    return "\n".join(f"{reader}: {len(p)} problem(s)\n  " + "\n  ".join(p[:5]) for reader, p in found.items() if p)


def _pdf(seed: int) -> dict[str, list[str]]:
    _, _, groups, document = example(seed)
    pdf = render(document, "pdf")
    return {
        "pdftotext -raw": problems(readers.poppler_raw(pdf), groups, split=True),
        "pypdf": problems(readers.pypdf_text(pdf), groups, split=True),
        "pdfminer.six": whole_clusters(readers.pdfminer_text(pdf), groups),
    }


def _docx(seed: int, tmp_path) -> dict[str, list[str]]:
    _, _, groups, document = example(seed)
    docx = render(document, "docx")
    found = {"docx xml": problems(docx_text(docx), groups)}
    if seed in LIBREOFFICE:
        text = readers.poppler_raw(libreoffice_pdf(docx, workdir=tmp_path).read_bytes())
        found["libreoffice pdf, pdftotext -raw"] = problems(
            marks_sorted(text), [[marks_sorted(s) for s in g] for g in groups], split=True)
    return found


def _html(seed: int) -> dict[str, list[str]]:
    _, _, groups, document = example(seed)
    return {"html dom": problems(readers.html_text(render(document, "html")), groups)}


def _check(seed: int, fmt: str, tmp_path) -> None:
    found = {"pdf": lambda: _pdf(seed), "docx": lambda: _docx(seed, tmp_path), "html": lambda: _html(seed)}[fmt]()
    data, round_, groups, _ = example(seed)
    assert sum(len(s) for g in groups for s in g) > 0
    assert not any(found.values()), (
        f"seed {seed} (round {round_}, {len(data['measures'])} measures):\n{_report(found)}")


# Found by the property and not fixed yet (docs/rendering.md, "Text conservation"): each case fails
# for the reason given, and strict=True makes a fix show up as an unexpected pass.
OPEN = {
    (8, "pdf"): "บุ์ in 'เฏ็ศบุ์' (a table cell) reads บ์ุ in every reader; alone it reads right",
    (102, "pdf"): "pdftotext and pypdf: a cell's text around a page break (page 28) out of order; not "
                  "examined yet",
    (103, "pdf"): "pdfminer.six reads one of four 'ฒฺ' otherwise (pdftotext and pypdf read them all)",
    (105, "pdf"): "pdfminer.six reads one 'ทั่' and one 'f' otherwise (pdftotext and pypdf read them all)",
    (3, "docx"): "LibreOffice's PDF of the DOCX: a long run ('ก๊านmailto:saraban@example.go.thoffice>') "
                 "is not where the text goes on",
}


def _cases(seeds):
    return [pytest.param(seed, fmt, id=f"seed-{seed}-{fmt}",
                         marks=[pytest.mark.xfail(reason=OPEN[(seed, fmt)], strict=True)] if (seed, fmt) in OPEN else [])
            for seed in seeds for fmt in ("pdf", "docx", "html")]


@pytest.mark.parametrize(("seed", "fmt"), _cases(FAST))
def test_every_text_comes_back_whole_and_in_order(seed, fmt, tmp_path):
    _check(seed, fmt, tmp_path)


@pytest.mark.slow
@pytest.mark.parametrize(("seed", "fmt"), _cases(SLOW))
def test_every_text_comes_back_whole_and_in_order_in_longer_years(seed, fmt, tmp_path):
    _check(seed, fmt, tmp_path)


def test_the_generator_covers_what_the_property_is_about():
    """The examples, taken together, hold every combining mark, Latin, digits, URLs and the markup
    characters; 1 and many measures, 1 and many signers, every round."""
    texts, measures, signers, rounds = "", set(), set(), set()
    for seed in FAST + SLOW:
        data, round_ = generated_year(seed, long_chars=FAST_CHARS)
        groups = expected(data, round=round_)
        texts += "".join(s for g in groups for s in g)
        memo = data["reports"][0]["memo"]
        measures.add(len(data["measures"]))
        signers.add(len(memo.get("preparers") or []) + len(memo.get("approvers") or []))
        rounds.add(round_)
    for mark in "ั ิ ี ึ ื ุ ู ฺ ็ ่ ้ ๊ ๋ ์ ํ ำ".split():
        assert mark in texts, unicodedata.name(mark)
    for needle in ("https://", "Integrity", "<", ">", "&", '"', "'", "{", "}", "[", "]", "#", "*", "_", "`",
                   "\\", "$", "@"):
        assert needle in texts, needle
    assert re.search(r"[0-9๐-๙]", texts)
    assert min(measures) <= 10 and max(measures) >= 40
    assert min(signers) <= 2 and max(signers) >= 8
    assert rounds == {3, 6, 9, 12}


# --- what the property found, each as the smallest example ---------------------------------------

def test_a_run_cut_into_pieces_breaks_between_them():
    # Found by the property (seed 5): a whitespace-free run cut into pieces that fit the หมายเหตุ
    # column ("mailto:" | "saraban@exa" | "mple.go.th") was joined with h(0pt, weak: true), which is no
    # break opportunity in typst: the run stayed on one line, over the column and the page edge, and
    # pdftotext lost the "th" beyond the page ("…example.go.อำมฤต"). A zero-width space is one (and
    # pdf_text gives it no text).
    from prongsai.reports.build import RESULT_WIDTHS
    from prongsai.reports.document import Cell, Document, Section, Table
    from prongsai.reports.render_pdf import render_pdf
    from prongsai.reports.tests import pageimages

    text = "mailto:saraban@example.go.th อำมฤต"
    body = [[Cell.text("ก") for _ in range(5)] + [Cell.text(text)]]
    pdf = render_pdf(Document(title="t", sections=[Section(landscape=True, blocks=[
        Table(widths=RESULT_WIDTHS, header=[], body=body)])]))
    for reader in ("pdftotext -raw", "pypdf", "pdfminer.six", "pdf.js"):
        extracted = readers.READERS[reader](pdf)
        assert clean(text) in clean(extracted), reader
        assert "\u200b" not in extracted, reader
    width, height = 29.7, 21.0
    for page in pageimages.pages(pdf):
        assert page.ink(left=width - 2.0 + 0.05, top=0, right=width, bottom=height) == 0
