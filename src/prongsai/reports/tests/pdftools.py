"""Reading our PDFs back with real clients (poppler's pdftotext, pdffonts, pdfinfo)."""

from __future__ import annotations

import re
import subprocess
import tempfile

_WS = re.compile(r"\s+")


def _run(tool: str, pdf: bytes, *args: str) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as fh:
        fh.write(pdf)
        fh.flush()
        return subprocess.run([tool, *args, fh.name, *(["-"] if tool == "pdftotext" else [])],
                              capture_output=True, text=True, check=True).stdout


def pdftotext(pdf: bytes, *, raw: bool = True) -> str:
    return _run("pdftotext", pdf, *(["-raw"] if raw else []))


def pages(pdf: bytes) -> list[str]:
    """pdftotext -raw, one string per page (pdftotext ends each page with a form feed)."""
    return pdftotext(pdf).split("\f")[:-1]


def words(pdf: bytes) -> list[dict]:
    """Every word with its page (1-based) and box in points: pdftotext -bbox."""
    html = _run("pdftotext", pdf, "-bbox")
    out, page = [], 0
    for line in html.splitlines():
        if "<page " in line:
            page += 1
        m = re.search(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*)</word>', line)
        if m:
            x0, y0, x1, y1 = (float(v) for v in m.groups()[:4])
            out.append({"page": page, "x0": x0, "y0": y0, "x1": x1, "y1": y1, "text": m.group(5)})
    return out


def fonts(pdf: bytes) -> list[dict]:
    """pdffonts rows: name, type, emb, sub, uni."""
    lines = _run("pdffonts", pdf).splitlines()[2:]
    rows = []
    for line in lines:
        parts = line.split()
        # name type(1-3 words) encoding emb sub uni object-id generation
        rows.append({"name": parts[0], "emb": parts[-5], "sub": parts[-4], "uni": parts[-3]})
    return rows


def info(pdf: bytes) -> dict:
    out = {}
    for line in _run("pdfinfo", pdf).splitlines():
        key, _, value = line.partition(":")
        out[key.strip()] = value.strip()
    return out


def squash(text: str) -> str:
    """All whitespace removed: pdftotext's line breaks and spacing are layout, not content."""
    return _WS.sub("", text)


def find_split(haystack: str, needle: str, pos: int, *, anchor: int = 6, tries: int = 20) -> tuple[int, int]:
    """Where a text split by page breaks ends its first part: a table cell of a row that breaks
    across pages comes out as its first lines (then the row's other cells, the page number, the
    repeated header) and the rest on the next page(s). The first piece starts at the earliest place
    after `pos` that begins like the needle and runs as far as it matches; the rest follows after it,
    whole or split again. (start, end of the first piece), or (-1, -1) when it is not there in pieces."""
    head = needle[:anchor]
    start = haystack.find(head, pos)
    while start >= 0 and tries > 0:
        tries -= 1
        length = 0
        while length < len(needle) and start + length < len(haystack) and haystack[start + length] == needle[length]:
            length += 1
        first, rest = start + length, needle[length:]
        if not rest or haystack.find(rest, first) >= 0 or (len(rest) > anchor and find_split(haystack, rest, first)[0] >= 0):
            return start, first
        start = haystack.find(head, start + 1)
    return -1, -1


def find_in_order(text: str, groups: list[list[str]], *, split: bool = True) -> list[str]:
    """Look for each group of expected strings after the previous group (strings inside one group
    in any order, e.g. a table row with a cell merged over later rows). With `split`, a string may
    also come in pieces, in order (a cell of a row that breaks across pages: find_split); the search
    goes on after its first piece, where the row's other cells are. Returns what was missing
    or out of order, with the text around the place it was looked for."""
    haystack = squash(text)
    problems = []
    pos = 0
    for group in groups:
        ends = []
        for expected in group:
            needle = squash(expected)
            if not needle:
                continue
            found = haystack.find(needle, pos)
            if split:  # in pieces, when they start before a whole copy (identical cells repeat)
                start, end = find_split(haystack, needle, pos)
                if start >= 0 and (found < 0 or start < found):
                    ends.append(end)
                    continue
            if found < 0:
                anywhere = haystack.find(needle)
                where = "only earlier" if anywhere >= 0 else "nowhere"
                problems.append(f"{expected[:60]!r} ({where}; looked after …{haystack[max(0, pos - 30):pos + 30]}…)")
                continue
            ends.append(found + len(needle))
        if ends:
            pos = max(ends) if len(group) > 1 else ends[0]
    return problems
