"""One entry point for every output format of a `Document`."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module

from prongsai.reports.document import Document


@dataclass(frozen=True)
class Format:
    name: str
    content_type: str
    extension: str
    module: str
    function: str


FORMATS: dict[str, Format] = {
    "pdf": Format("pdf", "application/pdf", "pdf", "prongsai.reports.render_pdf", "render_pdf"),
    "docx": Format("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx",
                   "prongsai.reports.render_docx", "render_docx"),
    "html": Format("html", "text/html; charset=utf-8", "html", "prongsai.reports.render_html", "render_html"),
}


def get_format(fmt: str) -> Format:
    try:
        return FORMATS[fmt]
    except KeyError:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}") from None


def content_type(fmt: str) -> str:
    return get_format(fmt).content_type


def extension(fmt: str) -> str:
    return get_format(fmt).extension


def render(document: Document, fmt: str) -> bytes:
    """The document in one format ("pdf", "docx" or "html"); each renderer is imported on first use."""
    spec = get_format(fmt)
    renderer = getattr(import_module(spec.module), spec.function)
    return renderer(document)
