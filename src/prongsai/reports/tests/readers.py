"""The PDF readers whose text our PDFs must give letter for letter: poppler (pdftotext, in content
order with -raw and in its default reading order), pypdf, pdfminer.six and PDF.js (Firefox's reader,
the npm package pdfjs-dist run by node, installed by scripts/install into tools/pdfjs)."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import tempfile
from pathlib import Path

from prongsai.reports.tests.conftest import REPO

PDFJS = REPO / "tools" / "pdfjs"


def poppler_raw(pdf: bytes) -> str:
    return _run(["pdftotext", "-raw"], pdf)


def poppler(pdf: bytes) -> str:
    return _run(["pdftotext"], pdf)


def pypdf_text(pdf: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def pdfminer_text(pdf: bytes) -> str:
    from pdfminer.high_level import extract_text

    return extract_text(io.BytesIO(pdf))


def pdfjs_text(pdf: bytes) -> str:
    """PDF.js's text content, items joined (a missing node or pdfjs-dist is an error, not a skip)."""
    node = shutil.which("node")
    assert node, "node is missing: scripts/install puts it there (Debian's nodejs)"
    assert (PDFJS / "node_modules" / "pdfjs-dist").is_dir(), "pdfjs-dist is missing: run scripts/install"
    with tempfile.NamedTemporaryFile(suffix=".pdf") as fh:
        fh.write(pdf)
        fh.flush()
        out = subprocess.run([node, str(PDFJS / "text.mjs"), fh.name], capture_output=True, check=True, cwd=PDFJS)
    return "\n".join(json.loads(out.stdout))


def _run(command: list[str], pdf: bytes) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as fh:
        fh.write(pdf)
        fh.flush()
        return subprocess.run([*command, fh.name, "-"], capture_output=True, text=True, check=True).stdout


READERS = {
    "pdftotext -raw": poppler_raw,
    "pdftotext": poppler,
    "pypdf": pypdf_text,
    "pdfminer.six": pdfminer_text,
    "pdf.js": pdfjs_text,
}


def page_images(pdf: bytes, directory: Path, *, dpi: int = 100) -> list[Path]:
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", "-", str(directory / "page")], input=pdf, check=True)
    return sorted(directory.glob("page*.png"))


def html_text(html: bytes | str) -> str:
    """The visible text of an HTML document's body, as a browser shows it: the word marks
    (render_html's <span class="w">…</span><wbr>) add no characters, so a sentence reads back whole."""
    import lxml.html

    if isinstance(html, bytes):
        html = html.decode("utf-8")
    tree = lxml.html.fromstring(html, parser=lxml.html.HTMLParser(huge_tree=True))
    return tree.body.text_content()
