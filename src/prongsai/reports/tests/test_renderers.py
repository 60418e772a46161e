"""The one entry point for every format."""

from __future__ import annotations

import pytest

from prongsai.reports import renderers
from prongsai.reports.document import Document, Paragraph, Section


def _document() -> Document:
    return Document(title="ทดสอบ", sections=[Section(blocks=[Paragraph.text("สวัสดี ๑๒๓")])])


@pytest.mark.parametrize("fmt,magic", [("pdf", b"%PDF-"), ("docx", b"PK\x03\x04")])
def test_it_renders_each_binary_format(fmt, magic):
    assert renderers.render(_document(), fmt).startswith(magic)


def test_it_renders_html_with_the_text():
    import lxml.html

    tree = lxml.html.fromstring(renderers.render(_document(), "html"))
    assert "สวัสดี ๑๒๓" in tree.body.text_content()  # Thai words are marked up (render_html._words)


def test_it_knows_content_types_and_extensions():
    assert renderers.content_type("pdf") == "application/pdf"
    assert renderers.content_type("docx").endswith("wordprocessingml.document")
    assert renderers.content_type("html").startswith("text/html")
    assert [renderers.extension(f) for f in renderers.FORMATS] == ["pdf", "docx", "html"]


def test_it_refuses_an_unknown_format():
    with pytest.raises(ValueError, match="unknown format 'odt'"):
        renderers.render(_document(), "odt")
