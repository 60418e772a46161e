"""The PDF text layer, rewritten so that every reader extracts the text letter for letter.

typst writes, for each embedded font, a ToUnicode CMap with *one* entry per glyph: the text of the first
cluster the glyph was seen in ("ธ" → "ธิ์", "ต" → "ตำ"), and wraps clusters whose glyphs do not map back one
to one in `/Span <</ActualText (…)>> BDC … EMC`. Two things then go wrong (measured in docs/rendering.md):

- A mark that the font positions with a vertical offset (ThanThaKhat over a consonant with an upper vowel,
  "ิ์") is drawn in a text object of its own, and typst writes the whole cluster's ActualText (or the
  cluster-wide ToUnicode entry) on that piece too: poppler, which reads ActualText, prints "ประสิทธิ์ธิ์".
- Readers that ignore ActualText (pypdf, pdfminer.six, pdf.js) read the ToUnicode entries, which name
  clusters rather than glyphs: "สำานักงานั", "ตำาแหนง", "(cid:25)".

`fix_text_layer(pdf)` post-processes typst's PDF with pikepdf (qpdf): every glyph in every text-showing
operator gets the text *it* stands for, from its glyph name in the embedded subset font ("uni0E34",
"uni0E48.low", "uni0E10.descless", "f_i": the Adobe Glyph List rules, `fontTools.agl`), so the content
stream, read in order, spells the text. One glyph can stand for different text in different places: SARA
AM (ำ) is shaped as NIKHAHIT + SARA AA with the tone mark in between (น ํ ้ า for "น้ำ"), so that NIKHAHIT
maps to nothing and that SARA AA to "ำ", while a plain SARA AA stays "า". Such a glyph gets an extra CID
(the font's CIDToGIDMap sends it to the same glyph, /W gives it the same width), and the ToUnicode CMap
is rewritten with one entry per CID. The ActualText spans are then redundant and misleading, and removed.
Nothing that is drawn changes: same glyphs, same positions (tested on page images).
"""

from __future__ import annotations

import io
import re
import unicodedata
import zlib
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

NIKHAHIT, SARA_AA, SARA_AM = "\u0e4d", "\u0e32", "\u0e33"
TONES = frozenset("\u0e48\u0e49\u0e4a\u0e4b")
_TEXT_OPS = {"Tj", "TJ", "'", '"'}
COMPRESSION = 6  # zlib level of the rewritten content streams
MARK_WIDTH = 50  # thousandths of an em: the advance a mark inside a word gets (and gives back at once)
_RESETS = {"Tm", "BT", "ET"}  # set the text position afresh
_MOVES = {"Td", "TD", "T*", "Tj", "TJ", "'", '"'}  # use (or move from) the current text position


def _name_text(name: str) -> str | None:
    """The text a glyph name stands for (Adobe Glyph List rules: "uni0E48.low" → "่", "f_i" → "fi"),
    or None when the name says nothing ("glyph12", ".notdef")."""
    from fontTools import agl

    if not name or name.startswith("."):
        return None
    text = agl.toUnicode(name)
    if not text:
        return None
    # Latin ligature glyphs named by their presentation form ("fi" → U+FB01) stand for the letters
    return "".join(unicodedata.normalize("NFKC", ch) if "\ufb00" <= ch <= "\ufb06" else ch for ch in text)


def _parse_cmap(data: bytes) -> dict[int, str]:
    """bfchar/bfrange entries of a ToUnicode CMap (as typst writes them; enough to fall back on)."""
    out: dict[int, str] = {}
    text = data.decode("latin-1")
    hexstr = lambda s: bytes.fromhex(s).decode("utf-16-be", "replace")  # noqa: E731
    for block in re.findall(r"beginbfchar(.*?)endbfchar", text, re.S):
        for src, dst in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>", block):
            out[int(src, 16)] = hexstr(dst)
    for block in re.findall(r"beginbfrange(.*?)endbfrange", text, re.S):
        for lo, hi, dst in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            start = bytes.fromhex(dst).decode("utf-16-be", "replace")
            for i, cid in enumerate(range(int(lo, 16), int(hi, 16) + 1)):
                out[cid] = start[:-1] + chr(ord(start[-1]) + i) if start else ""
    return out


def _cmap(entries: dict[int, str]) -> bytes:
    lines = [
        "/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap",
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
        "/CMapName /Adobe-Identity-UCS def", "/CMapType 2 def",
        "1 begincodespacerange", "<0000> <FFFF>", "endcodespacerange",
    ]
    items = sorted(entries.items())
    for start in range(0, len(items), 100):  # at most 100 entries a block (PDF spec)
        chunk = items[start:start + 100]
        lines.append(f"{len(chunk)} beginbfchar")
        lines.extend(f"<{cid:04X}> <{text.encode('utf-16-be').hex().upper()}>" for cid, text in chunk)
        lines.append("endbfchar")
    lines += ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    return ("\n".join(lines) + "\n").encode("ascii")


@lru_cache(maxsize=1)
def _invisible() -> tuple[int, ...]:
    """Format characters (Unicode category Cf) of the BMP, lowest first: the CIDs of glyphs that stand
    for no text (module docstring: pdf.js reads an empty ToUnicode entry as the CID's own code point,
    and drops a format character)."""
    return tuple(c for c in range(0x10000) if unicodedata.category(chr(c)) == "Cf")


def _is_mark(text: str) -> bool:
    return bool(text) and all(unicodedata.category(ch) in ("Mn", "Me") for ch in text)


@dataclass
class _Font:
    """One Type0 font (Identity-H, TrueType glyphs) whose text layer we rewrite."""

    obj: object  # the pikepdf font dictionary
    cid_to_gid: list[int] | None  # None: Identity
    names: list[str]
    old: dict[int, str]  # typst's ToUnicode
    widths: dict[int, float]
    default_width: float
    size: int  # CIDs below this one belong to the original mapping
    texts: dict[int, str] = field(default_factory=dict)  # the new ToUnicode: cid -> text
    extra: dict[tuple[int, str, bool], int] = field(default_factory=dict)  # (gid, text, wide) -> added cid
    source: dict[int, int] = field(default_factory=dict)  # added cid -> an original cid of its glyph
    wide: set[int] = field(default_factory=set)  # CIDs of zero-width glyphs given MARK_WIDTH
    next_cid: int = 0
    _natural: dict[int, str] = field(default_factory=dict)

    def gid(self, cid: int) -> int:
        if cid in self.source:
            cid = self.source[cid]
        if self.cid_to_gid is None:
            return cid
        return self.cid_to_gid[cid] if cid < len(self.cid_to_gid) else 0

    def natural(self, cid: int) -> str:
        found = self._natural.get(cid)
        if found is None:
            gid = self.gid(cid)
            text = _name_text(self.names[gid]) if gid < len(self.names) else None
            found = self._natural[cid] = self.old.get(cid, "") if text is None else text
        return found

    def width(self, cid: int) -> float:
        return float(self.widths.get(self.source.get(cid, cid), self.default_width))

    def cid_for(self, cid: int, text: str, wide: bool = False) -> int:
        """The CID that draws this CID's glyph, extracts as `text` and, when `wide`, advances by
        MARK_WIDTH (the caller moves the pen back)."""
        if cid not in self.texts:
            self.texts[cid] = self.natural(cid)
        if self.texts[cid] != text or wide:
            key = (self.gid(cid), text, wide)
            found = self.extra.get(key)
            if found is None:
                found = self.extra[key] = self._allocate(empty=not text)
                self.texts[found] = text
                self.source[found] = cid
                if wide:
                    self.wide.add(found)
            cid = found
        return cid

    def _allocate(self, *, empty: bool) -> int:
        if empty:
            for cid in _invisible():
                if cid >= self.size and cid not in self.texts:
                    return cid
        invisible = set(_invisible())
        while self.next_cid in self.texts or self.next_cid in invisible:
            self.next_cid += 1
        if self.next_cid > 0xFFFF:
            raise ValueError("no free CID left in the font")
        return self.next_cid


def _font(obj) -> _Font | None:
    """A `_Font` for a Type0/CIDFontType2 font with an embedded TrueType program, else None."""
    import pikepdf
    from fontTools.ttLib import TTFont

    if obj.get("/Subtype") != "/Type0" or obj.get("/Encoding") != "/Identity-H":
        return None
    descendants = obj.get("/DescendantFonts")
    if not descendants:
        return None
    cidfont = descendants[0]
    descriptor = cidfont.get("/FontDescriptor")
    if cidfont.get("/Subtype") != "/CIDFontType2" or descriptor is None or "/FontFile2" not in descriptor:
        return None
    try:
        names = TTFont(io.BytesIO(descriptor.FontFile2.read_bytes()), lazy=True).getGlyphOrder()
    except Exception:  # a font program fontTools cannot read: that font's text stays as typst wrote it
        return None
    mapping = cidfont.get("/CIDToGIDMap")
    cid_to_gid = None
    if isinstance(mapping, pikepdf.Stream):
        raw = mapping.read_bytes()
        cid_to_gid = [int.from_bytes(raw[i:i + 2], "big") for i in range(0, len(raw) - 1, 2)]
    old = _parse_cmap(obj.ToUnicode.read_bytes()) if "/ToUnicode" in obj else {}
    size = len(cid_to_gid) if cid_to_gid is not None else len(names)
    return _Font(obj=obj, cid_to_gid=cid_to_gid, names=names, old=old, widths=_widths(cidfont),
                 default_width=float(cidfont.get("/DW", 1000)), size=size, next_cid=size)


def _widths(cidfont) -> dict[int, float]:
    """/W of a CIDFont as cid -> width (both forms: `c [w …]` and `c_first c_last w`)."""
    out: dict[int, float] = {}
    items = list(cidfont.get("/W", []))
    i = 0
    while i < len(items):
        first = int(items[i])
        if i + 1 < len(items) and not isinstance(items[i + 1], (int, float, Decimal)):
            for k, w in enumerate(items[i + 1]):
                out[first + k] = float(w)
            i += 2
        else:
            for cid in range(first, int(items[i + 1]) + 1):
                out[cid] = float(items[i + 2])
            i += 3
    return out


@dataclass
class _Glyph:
    font: _Font
    cid: int
    span: int | None  # the ActualText span it is drawn in
    first: bool  # the first glyph of its text-showing instruction
    text: str = ""
    wide: bool = False


def _texts(glyphs: list[_Glyph], spans: list[str]) -> None:
    """Each glyph's text, so that the glyphs read in content order spell the source text."""
    for g in glyphs:
        if g.cid >= 0:  # a negative CID: a stand-in for a neighbouring block's glyph, its text given
            g.text = g.font.natural(g.cid)
    # SARA AM is shaped as NIKHAHIT (+ tone marks) + SARA AA: read as the one letter "ำ"
    for i, g in enumerate(glyphs):
        if g.text == NIKHAHIT:
            j = i + 1
            while j < len(glyphs) and glyphs[j].font is g.font and glyphs[j].text in TONES:
                j += 1
            if j < len(glyphs) and glyphs[j].font is g.font and glyphs[j].text == SARA_AA:
                g.text, glyphs[j].text = "", SARA_AM
    # A cluster's glyphs in another order than its letters (ป ่ ุ for "ปุ่"): typst's ActualText
    # says the letters' order; the glyphs keep their places and take the letters in that order.
    by_span: dict[int, list[_Glyph]] = {}
    for g in glyphs:
        if g.span is not None:
            by_span.setdefault(g.span, []).append(g)
    place = {id(g): i for i, g in enumerate(glyphs)} if by_span else {}
    for span, members in by_span.items():
        actual = spans[span]
        joined = "".join(g.text for g in members)
        if joined != actual and sorted(joined) != sorted(actual) and _is_mark(members[-1].text):
            # A mark the font moved off the baseline is drawn after the span, in a text object of its
            # own (ฏ ์ | ุ for "ฏุ์"): the span's last mark reads its letters, in the span's order
            # below, and the moved mark reads nothing (the fast path: _rewrite_block's "piece").
            k = place[id(members[-1])] + 1
            after = glyphs[k] if k < len(glyphs) else None
            alone = after is not None and (after.span is None or (  # typst may repeat the span on it
                spans[after.span] == actual and len(by_span[after.span]) == 1))
            if (alone and after.font is members[-1].font
                    and _is_mark(after.text) and sorted(joined + after.text) == sorted(actual)):
                members[-1].text, after.text = members[-1].text + after.text, ""
                joined = "".join(g.text for g in members)
        if joined != actual and sorted(joined) == sorted(actual):
            pos = 0
            for g in members:
                g.text, pos = actual[pos:pos + len(g.text)], pos + len(g.text)


def _widen(glyphs: list[_Glyph]) -> None:
    """Zero-width marks: pdfminer.six puts two glyphs in one line only when the gap between their
    boxes is less than twice the wider one's width, so two zero-width marks in a row never qualify
    ("กิ" | "่ง"); and a mark that the font draws left of the pen ("ป่า": ่ 1.7 pt back) leaves a gap
    that poppler and pdfminer read as a space. A mark followed by more of its word is given a small
    width, which the pen gives back at once; one before a space keeps none (its box would close the
    gap that makes the space)."""
    for i, g in enumerate(glyphs):
        after = glyphs[i + 1] if i + 1 < len(glyphs) else None
        g.wide = (after is not None and after.font is g.font and g.cid >= 0 and g.font.width(g.cid) == 0
                  and not after.text.isspace())


class _Rewriter:
    def __init__(self, pdf):
        self.pdf = pdf
        self.fonts: dict[tuple[int, int], _Font | None] = {}
        self.seen: set[tuple[int, int]] = set()
        self.streams: list[tuple[object, list, list[tuple[int, int | None, list[_Glyph]]], set[int]]] = []

    def font(self, obj) -> _Font | None:
        key = obj.objgen if obj.objgen != (0, 0) else (-id(obj), 0)
        if key not in self.fonts:
            self.fonts[key] = _font(obj)
        return self.fonts[key]

    def read(self, target, resources) -> None:
        """Parse one content stream (a page or a form XObject) and give its glyphs their text."""
        import pikepdf

        fonts = resources.get("/Font", {}) if resources is not None else {}
        instructions = list(pikepdf.parse_content_stream(target))
        glyphs: list[_Glyph] = []
        places: list[tuple[int, int | None, list[_Glyph]]] = []  # (instruction, TJ index, glyphs)
        spans: list[str] = []  # ActualText of each span, in order
        opened: list[int] = []  # the BDC and EMC instruction of each span
        closed: dict[int, int] = {}
        marked: list[int | None] = []  # open BDC/BMC: its span
        state: list[_Font | None] = []
        current: _Font | None = None
        for n, ins in enumerate(instructions):
            if isinstance(ins, pikepdf.ContentStreamInlineImage):
                continue
            op = str(ins.operator)
            if op in _TEXT_OPS:
                if current is None:
                    continue
                span = next((s for s in reversed(marked) if s is not None), None)
                first = True
                items = list(ins.operands[0]) if op == "TJ" else [ins.operands[-1]]
                for index, item in enumerate(items):
                    if not isinstance(item, pikepdf.String):
                        continue
                    raw = bytes(item)
                    here = []
                    for k in range(0, len(raw) - 1, 2):
                        here.append(_Glyph(current, int.from_bytes(raw[k:k + 2], "big"), span, first))
                        first = False
                    glyphs.extend(here)
                    places.append((n, index if op == "TJ" else None, here))
            elif op == "Tf":
                obj = fonts.get(str(ins.operands[0])) if fonts else None
                current = self.font(obj) if obj is not None else None
            elif op == "q":
                state.append(current)
            elif op == "Q":
                current = state.pop() if state else current
            elif op in ("BDC", "BMC"):
                span = None
                props = ins.operands[1] if op == "BDC" and len(ins.operands) == 2 else None
                if isinstance(props, pikepdf.Dictionary) and "/ActualText" in props:
                    span = len(spans)
                    spans.append(_text_string(props.ActualText))
                    opened.append(n)
                marked.append(span)
            elif op == "EMC" and marked:
                span = marked.pop()
                if span is not None:
                    closed[span] = n
        if not places and not spans:
            return
        _texts(glyphs, spans)
        # An ActualText span that now says what its glyphs say stays (poppler reads a cluster from it
        # as one unit, whatever the marks' positions); one that says something else goes.
        said: dict[int, str] = {}
        for g in glyphs:
            if g.span is not None:
                said[g.span] = said.get(g.span, "") + g.text
        drop: set[int] = set()
        for span, start in enumerate(opened):
            if said.get(span) != spans[span]:
                props = instructions[start].operands[1]
                if set(props.keys()) == {"/ActualText"} and span in closed:
                    drop.update((start, closed[span]))
                else:
                    del props["/ActualText"]
        _widen(glyphs)
        for g in glyphs:
            g.cid = g.font.cid_for(g.cid, g.text, g.wide)
        # the pen need not be given back after the last glyph when the text position is set afresh next
        resets = set()
        reset = True
        for n in range(len(instructions) - 1, -1, -1):
            ins = instructions[n]
            if isinstance(ins, pikepdf.ContentStreamInlineImage):
                continue
            op = str(ins.operator)
            if op in _TEXT_OPS and reset:
                resets.add(n)
            if op in _RESETS:
                reset = True
            elif op in _MOVES:
                reset = False
        self.streams.append((target, instructions, places, drop, resets))

    def walk(self, container) -> None:
        """A page or form XObject, then the form XObjects it uses."""
        import pikepdf

        resources = container.get("/Resources")
        if isinstance(container, pikepdf.Page):
            container.contents_coalesce()
        else:
            if container.objgen in self.seen:
                return
            self.seen.add(container.objgen)
        self.read(container, resources)
        for xobject in (resources.get("/XObject", {}) if resources is not None else {}).values():
            if isinstance(xobject, pikepdf.Stream) and xobject.get("/Subtype") == "/Form":
                self.walk(xobject)

    def write(self) -> None:
        """The content streams with the new CIDs, zero-width glyphs widened (and the pen moved back by
        as much right after each, so nothing moves), and the fonts' new tables."""
        import pikepdf

        for target, instructions, places, drop, resets in self.streams:
            replaced: dict[int, list] = {}
            for n, index, here in places:
                ins = instructions[n]
                op = str(ins.operator)
                items = replaced.get(n)
                if items is None:
                    items = replaced[n] = list(ins.operands[0]) if op == "TJ" else [ins.operands[-1]]
                items[index or 0] = _show(here)
            for n, items in replaced.items():
                ins = instructions[n]
                op, flat = str(ins.operator), _flatten(items, trim=n in resets)
                if op == "TJ":
                    instructions[n] = pikepdf.ContentStreamInstruction([pikepdf.Array(flat)], ins.operator)
                elif op == "Tj":
                    instructions[n] = pikepdf.ContentStreamInstruction([pikepdf.Array(flat)], pikepdf.Operator("TJ"))
                else:  # ' and ": the same as their parts, spelt out
                    parts = []
                    if op == '"':
                        parts += [([ins.operands[0]], "Tw"), ([ins.operands[1]], "Tc")]
                    parts += [([], "T*"), ([pikepdf.Array(flat)], "TJ")]
                    instructions[n] = [pikepdf.ContentStreamInstruction(o, pikepdf.Operator(p)) for o, p in parts]
            kept = []
            for n, ins in enumerate(instructions):
                if n in drop:
                    continue
                kept.extend(ins if isinstance(ins, list) else [ins])
            stream = target.obj.Contents if isinstance(target, pikepdf.Page) else target
            stream.write(zlib.compress(pikepdf.unparse_content_stream(kept)), filter=pikepdf.Name.FlateDecode)
        for font in self.fonts.values():
            if font is not None and font.texts:
                self.font_tables(font)

    def font_tables(self, font: _Font) -> None:
        import pikepdf

        cidfont = font.obj.DescendantFonts[0]
        if font.extra:
            size = max(max(font.extra.values()) + 1, font.size)
            base = font.cid_to_gid if font.cid_to_gid is not None else list(range(len(font.names)))
            table = (base + [0] * size)[:size]
            for cid, origin in font.source.items():
                table[cid] = font.gid(origin)
            cidfont.CIDToGIDMap = self.pdf.make_stream(
                zlib.compress(b"".join(g.to_bytes(2, "big") for g in table)), Filter=pikepdf.Name.FlateDecode)
            descriptor = cidfont.FontDescriptor
            if "/CIDSet" in descriptor:
                bits = bytearray(descriptor.CIDSet.read_bytes())
                bits.extend(b"\0" * max(0, (size + 7) // 8 - len(bits)))
                for cid in font.extra.values():
                    bits[cid // 8] |= 0x80 >> (cid % 8)
                descriptor.CIDSet = self.pdf.make_stream(zlib.compress(bytes(bits)), Filter=pikepdf.Name.FlateDecode)
        widths = dict(font.widths)
        widths.update({cid: font.width(cid) for cid in font.source})
        widths.update({cid: MARK_WIDTH for cid in font.wide})
        cidfont.W = pikepdf.Array(_w_array(widths))
        font.obj.ToUnicode = self.pdf.make_stream(zlib.compress(_cmap(font.texts)), Filter=pikepdf.Name.FlateDecode)


def _text_string(obj) -> str:
    raw = bytes(obj)
    if raw.startswith(b"\xfe\xff"):
        return raw[2:].decode("utf-16-be", "replace")
    return str(obj)


def _show(glyphs: list[_Glyph]) -> list:
    """A string's glyphs as TJ items: strings, and after each widened glyph the number that takes
    the pen back by the added width."""
    import pikepdf

    out: list = []
    data = b""
    for g in glyphs:
        data += g.cid.to_bytes(2, "big")
        if g.wide:
            out += [pikepdf.String(data), MARK_WIDTH]
            data = b""
    if data or not out:
        out.append(pikepdf.String(data))
    return out


def _flatten(items: list, *, trim: bool = False) -> list:
    """TJ items with the `_show` lists spliced in and neighbouring numbers added up; `trim`: without
    a number that we added at the end (the text position is set afresh next)."""
    import pikepdf

    flat: list = []
    for item in items:
        for part in (item if isinstance(item, list) else [item]):
            if isinstance(part, pikepdf.String):
                flat.append(part)
            elif flat and not isinstance(flat[-1], pikepdf.String):
                flat[-1] = _number(float(flat[-1]) + float(part))
            else:
                flat.append(_number(float(part)))
    if trim and len(flat) > 1 and items and isinstance(items[-1], list) and not isinstance(flat[-1], pikepdf.String):
        last = items[-1]
        if not isinstance(last[-1], pikepdf.String):  # the string ended in a widened glyph
            rest = float(flat[-1]) - MARK_WIDTH
            if rest:
                flat[-1] = _number(rest)
            else:
                flat.pop()
    return flat


def _number(value: float):
    return int(value) if value == int(value) else round(value, 5)


def _w_array(widths: dict[int, float]) -> list:
    """/W entries, one `first [w …]` group per run of consecutive CIDs."""
    import pikepdf

    out: list = []
    run: list = []
    first = prev = None
    for cid in sorted(widths):
        if run and cid != prev + 1:
            out += [first, pikepdf.Array(run)]
            run = []
        if not run:
            first = cid
        run.append(_number(widths[cid]))
        prev = cid
    if run:
        out += [first, pikepdf.Array(run)]
    return out


# --- the fast path: typst's content streams, block by block ---------------------------------------
#
# typst writes every shaped run as `q … cm … BT … ET Q`, and the BT … ET part does not depend on where
# the run is on the page (the cm does). Thai text repeats its words, so a page's few thousand blocks
# are a few hundred different ones: each is rewritten once, given what it needs from its neighbours
# (the context below). Anything that does not look like typst's output takes the general path above.

_TOKEN = re.compile(rb"""
    (?P<str>\((?:[^\\()]++|\\.)*+\))
  | (?P<dict><<(?:[^<>]++|<[0-9A-Fa-f\s]*>)*+>>)
  | (?P<hex><[0-9A-Fa-f\s]*>)
  | (?P<open>\[) | (?P<close>\])
  | (?P<name>/[^\s/\[\]()<>{}%]*)
  | (?P<num>[-+]?(?:\d+\.?\d*|\.\d+))
  | (?P<op>[A-Za-z'"*]+)
  | (?P<ws>\s+)
""", re.X | re.S)
_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}
_ESCAPE = re.compile(rb"\\([0-7]{1,3}|\n|.)", re.S)
_ONLY_ACTUAL_TEXT = re.compile(rb"<<\s*/ActualText\s*<([0-9A-Fa-f\s]*)>\s*>>")
_ACTUAL_TEXT = re.compile(rb"/ActualText\s*<([0-9A-Fa-f\s]*)>")


def _literal(token: bytes) -> bytes:
    def one(m):
        code = m.group(1)
        if code[:1].isdigit():
            return bytes([int(code, 8) & 0xFF])
        if code == b"\n":  # a line continuation
            return b""
        return _ESCAPES.get(code, code)
    return _ESCAPE.sub(one, token[1:-1])


class _Unfit(Exception):
    """A content stream the fast path does not handle: the general path rewrites it."""


@dataclass
class _Show:
    start: int  # byte range of the whole instruction (operands and operator) in the block
    end: int
    items: list  # bytes (a string's CIDs, 2 bytes each) or a number's bytes
    glyphs: list  # per string item: (cid, …) tuples
    span: int | None
    font: _Font
    reset: bool = False  # the text position is set afresh (Tm, ET) before it is used again


@dataclass
class _Block:
    """One BT … ET block, parsed (cached per page font map and bytes)."""

    body: bytes
    shows: list[_Show]
    spans: list[tuple[int, int, int, int, str, bool]]  # BDC start, end, EMC start, end, text, only key
    glyphs: list[tuple[_Font, int, int | None, bool]]  # font, cid, span, first of its instruction
    first_font: _Font | None
    last_font: _Font | None
    piece: bool  # its first instruction is marks only (a mark the font moved off the baseline)
    piece_text: str
    piece_cids: tuple[int, ...]
    head_space: bool  # its first glyph is a space
    head_am: bool  # it starts with tone marks and SARA AA (the end of a SARA AM)
    tail_am: bool  # it ends with NIKHAHIT and tone marks (the start of one)
    tail_zero: bool  # its last glyph has no width
    tail_mark: bool  # its last glyph is a mark


_NUM = rb"[-+]?(?:\d+\.?\d*|\.\d+)"
_LIT = rb"\((?:[^\\()]|\\.)*\)"
_HEX = rb"<[0-9A-Fa-f]*>"
_NAME = rb"/[^\s/\[\]()<>{}%]*"
# One instruction of typst's BT … ET blocks, matched whole (most of a block is a few of these, so the
# block is read in a few regex matches instead of one per token): an ActualText BDC, EMC, the
# `0 Tr /f0 12 Tf 1 0 0 -1 x 0 Tm` prefix (every part optional) with the Tj or TJ it leads to,
# or any other operator with number and name operands (checked by name below).
_INSTRUCTION = re.compile(
    rb"\s*(?:"
    rb"(?P<bdc>/Span\s*<<\s*/ActualText\s*<(?P<at>[0-9A-Fa-f]*)>\s*>>\s*BDC)"
    rb"|(?P<emc>EMC)"
    rb"|(?P<show>(?:(?P<tr>" + _NUM + rb"\s*Tr)\s*)?(?:(?P<tf>(?P<font>" + _NAME + rb")\s+" + _NUM + rb"\s+Tf)\s*)?"
    rb"(?:(?P<tm>(?:" + _NUM + rb"\s+){5}" + _NUM + rb"\s*Tm)\s*)?"
    rb"(?:(?P<tj>" + _LIT + rb")\s*Tj|(?P<tja>\[(?P<items>(?:\s*(?:" + _LIT + rb"|" + _HEX + rb"|" + _NUM + rb"))*)\s*\])\s*TJ))"
    rb"|(?P<other>(?:(?:" + _NUM + rb"|" + _NAME + rb")\s*)*(?P<op>[A-Za-z'\"*]+))"
    rb")", re.S)
_FONT_NAME = re.compile(_NAME)
_ITEM = re.compile(rb"(" + _LIT + rb")|<([0-9A-Fa-f]*)>|(" + _NUM + rb")")
_PLAIN_OPS = frozenset((b"Tr", b"Tc", b"Tw", b"Tz", b"TL", b"Ts", b"rg", b"RG", b"g", b"G", b"k", b"K", b"cs", b"CS",
                        b"sc", b"scn", b"SC", b"SCN", b"BT", b"w", b"gs", b"Tf", b"Tm", b"Td", b"TD", b"T*", b"ET"))


@lru_cache(maxsize=8192)
def _literal_cached(token: bytes) -> bytes:
    return _literal(token)


def _parse_block(body: bytes, fonts: dict[bytes, _Font | None]) -> _Block:
    """A typst BT … ET block, read instruction by instruction (`_INSTRUCTION`); anything it does not
    expect is read token by token (`_parse_block_tokens`), which also says what is unfit."""
    try:
        shows, spans = _instructions(body, fonts)
    except _Unfit:
        return _parse_block_tokens(body, fonts)
    return _finish_block(body, shows, spans)


def _instructions(body: bytes, fonts: dict[bytes, _Font | None]) -> tuple[list, list]:
    shows: list[_Show] = []
    spans: list = []
    stack: list = []
    current: _Font | None = None
    last_show = None
    pos, size = 0, len(body)
    if not body.startswith(b"BT"):
        raise _Unfit("not a block")
    pos = 2
    for m in _INSTRUCTION.finditer(body, 2):
        if m.start() != pos or m.end() == m.start():
            raise _Unfit("not an instruction the fast reader knows")
        pos = m.end()
        kind = m.lastgroup
        if kind == "show":
            if m.group("tf") is not None:
                current = fonts.get(m.group("font")[1:])
            if m.group("tm") is not None:
                if shows:
                    shows[-1].reset = shows[-1].reset or shows[-1] is last_show
                last_show = None
            if current is None:
                raise _Unfit("text shown without a font we rewrite")
            last_show = None
            if m.group("tj") is not None:
                start = m.start("tj")
                parts = [_literal_cached(m.group("tj"))]
            else:
                start = m.start("tja")
                parts = []
                for lit, hexa, num in _ITEM.findall(m.group("items")):
                    if lit:
                        parts.append(_literal_cached(lit))
                    elif num:
                        parts.append(float(num))
                    else:
                        parts.append(bytes.fromhex(hexa.decode()))
            span = next((s for s in reversed(stack) if s is not None), None)
            shows.append(_Show(start, m.end(), parts, [], span, current))
            last_show = shows[-1]
        elif kind == "bdc":
            text = bytes.fromhex(m.group("at").decode()).decode("utf-16-be", "replace")
            if text.startswith("\ufeff"):
                text = text[1:]
            stack.append(len(spans))
            spans.append([m.start("bdc"), m.end(), None, None, text, True])
        elif kind == "emc":
            if not stack:
                raise _Unfit("EMC without BDC")
            found = stack.pop()
            if found is not None:
                spans[found][2:4] = [m.start("emc"), m.end()]
        else:
            op = m.group("op")
            if op not in _PLAIN_OPS:
                raise _Unfit("an operator the fast reader leaves to the token reader")
            if op == b"ET":
                if shows:
                    shows[-1].reset = shows[-1].reset or shows[-1] is last_show
                last_show = None
                if m.end() != size:
                    raise _Unfit("ET before the end")
            elif op in (b"Td", b"TD", b"T*"):
                last_show = None
            elif op == b"Tm":
                if shows:
                    shows[-1].reset = shows[-1].reset or shows[-1] is last_show
                last_show = None
            elif op == b"Tf":
                name = _FONT_NAME.search(m.group("other"))
                if name is None:
                    raise _Unfit("Tf without a font name")
                current = fonts.get(name.group()[1:])
    if pos != size or stack:
        raise _Unfit("a block that does not end where it should")
    return shows, spans


def _parse_block_tokens(body: bytes, fonts: dict[bytes, _Font | None]) -> _Block:
    shows: list[_Show] = []
    spans: list = []
    stack: list = []  # open BDC/BMC: index into spans or None
    operands: list = []
    operand_start = None
    current: _Font | None = None
    pos, size = 0, len(body)
    array: list | None = None
    last_show = None
    for m in _TOKEN.finditer(body):
        if m.start() != pos:
            raise _Unfit("unreadable bytes in a content stream")
        pos = m.end()
        kind = m.lastgroup
        if kind == "ws":
            continue
        token = m.group()
        if operand_start is None and kind != "op":
            operand_start = m.start()
        if kind == "open":
            if array is not None:
                raise _Unfit("nested array")
            array = []
        elif kind == "close":
            if array is None:
                raise _Unfit("unbalanced array")
            operands.append(("array", array))
            array = None
        elif kind == "op":
            if array is not None:
                raise _Unfit("operator inside an array")
            start = operand_start if operand_start is not None else m.start()
            if token in (b"Tm", b"ET") and shows:
                shows[-1].reset = shows[-1].reset or shows[-1] is last_show
                last_show = None
            elif token in (b"Td", b"TD", b"T*", b"Tj", b"TJ"):
                last_show = None
            if token == b"Tf":
                if not operands or operands[0][0] != "name":
                    raise _Unfit("Tf without a font name")
                current = fonts.get(operands[0][1][1:])
            elif token in (b"Tj", b"TJ"):
                if current is None or not operands:
                    raise _Unfit("text shown without a font we rewrite")
                items = operands[-1][1] if token == b"TJ" else [operands[-1]]
                parts = []
                for item_kind, value in items:
                    if item_kind == "str":
                        parts.append(_literal(value))
                    elif item_kind == "hex":
                        parts.append(bytes.fromhex(value[1:-1].decode()))
                    elif item_kind == "num":
                        parts.append(float(value))
                    else:
                        raise _Unfit("odd TJ item")
                span = next((s for s in reversed(stack) if s is not None), None)
                shows.append(_Show(start, m.end(), parts, [], span, current))
                last_show = shows[-1]
            elif token in (b"'", b'"', b"BI", b"ID", b"EI", b"Do"):
                raise _Unfit("operator the fast path leaves alone")
            elif token == b"BDC":
                props = operands[-1] if operands else None
                found = None
                if props is not None and props[0] == "dict":
                    actual = _ACTUAL_TEXT.search(props[1])
                    if actual is not None:
                        text = bytes.fromhex(actual.group(1).decode()).decode("utf-16-be", "replace")
                        if text.startswith("\ufeff"):
                            text = text[1:]
                        only = _ONLY_ACTUAL_TEXT.fullmatch(props[1]) is not None
                        found = len(spans)
                        spans.append([start, m.end(), None, None, text, only])
                        if not only:
                            raise _Unfit("ActualText among other properties")
                stack.append(found)
            elif token == b"BMC":
                stack.append(None)
            elif token == b"EMC":
                if not stack:
                    raise _Unfit("EMC without BDC")
                found = stack.pop()
                if found is not None:
                    spans[found][2:4] = [m.start(), m.end()]
            operands, operand_start = [], None
        else:
            entry = (kind, token)
            (array if array is not None else operands).append(entry)
    if pos != size or stack or array is not None:
        raise _Unfit("a block that does not end where it should")
    return _finish_block(body, shows, spans)


def _finish_block(body: bytes, shows: list[_Show], spans: list) -> _Block:
    glyphs = []
    for show in shows:
        first = True
        for part in show.items:
            if isinstance(part, bytes):
                cids = [int.from_bytes(part[k:k + 2], "big") for k in range(0, len(part) - 1, 2)]
                show.glyphs.append(cids)
                for cid in cids:
                    glyphs.append((show.font, cid, show.span, first))
                    first = False
    naturals = [f.natural(c) for f, c, _, _ in glyphs]
    piece_text, piece, piece_cids = "", False, ()
    if shows and shows[0].glyphs:
        count = sum(len(c) for c in shows[0].glyphs)
        lead = naturals[:count]
        piece = count > 0 and all(_is_mark(t) for t in lead) and len({id(g[0]) for g in glyphs[:count]}) == 1
        piece_text = "".join(lead) if piece else ""
        piece_cids = tuple(g[1] for g in glyphs[:count]) if piece else ()
    head = 0
    while head < len(naturals) and naturals[head] in TONES:
        head += 1
    tail = len(naturals) - 1
    while tail >= 0 and naturals[tail] in TONES:
        tail -= 1
    return _Block(
        body=body, shows=shows, spans=[tuple(x) for x in spans], glyphs=glyphs,
        first_font=glyphs[0][0] if glyphs else None, last_font=glyphs[-1][0] if glyphs else None,
        piece=piece, piece_text=piece_text, piece_cids=piece_cids, head_space=bool(naturals) and naturals[0].isspace(),
        head_am=head < len(naturals) and naturals[head] == SARA_AA,
        tail_am=tail >= 0 and naturals[tail] == NIKHAHIT,
        tail_zero=bool(glyphs) and glyphs[-1][0].width(glyphs[-1][1]) == 0,
        tail_mark=bool(naturals) and _is_mark(naturals[-1]),
    )


def _rewrite_block(block: _Block, before: tuple, after: tuple) -> bytes:
    """The block's bytes with its glyphs' new CIDs, given the context `_fast_stream` worked out.

    A mark that the font moves up or down (ThanThaKhat over SARA I, SARA U under a bold ฎ) is drawn by
    a block of its own ("a piece"), off the baseline and often right of the pen: poppler and
    pdfminer.six then tear the word apart ("ประสิทธิ ์"), and PDF.js sees a step back to the next
    glyph and puts a space there. So the piece reads as nothing, and its letters are read where the
    word goes on: by the mark before it when there is one ("ิ" says "ิ์", a mark still), else by an
    invisible copy of the piece (text render mode 3) drawn at the pen, on the baseline, right after
    the consonant. (Giving a consonant a mark's letters too would make PDF.js treat it as a
    zero-width mark.)"""
    piece_here, am_before = before
    piece_after, nonspace_after, am_after = after
    real = [_Glyph(font, cid, span, first) for font, cid, span, first in block.glyphs]
    lead: list[_Glyph] = []
    if am_before:
        lead.append(_Glyph(block.first_font, -1, None, True, NIKHAHIT))
    trail: list[_Glyph] = []
    if am_after:
        trail.append(_Glyph(block.last_font, -1, None, True, SARA_AA))
    if piece_after is not None:
        trail.append(_Glyph(block.last_font, -1, None, True, piece_after[0]))
    elif nonspace_after is not None:
        trail.append(_Glyph(block.last_font, -1, None, True, "x" if nonspace_after else " "))
    everything = lead + real + trail
    _texts(everything, [s[4] for s in block.spans])
    absorbed = piece_after is not None and trail[-1].text == ""  # the piece's letters read by a span
    _widen(everything)
    shown: list[list[_Glyph]] = []
    it = iter(real)
    for show in block.shows:
        shown.append([next(it) for cids in show.glyphs for _ in cids])
    gone: set[int] = set()  # spans removed
    invisible = b""
    if piece_here and block.shows:
        for g in shown[0]:
            g.text = ""
    if absorbed:
        pass
    elif piece_after is not None and block.tail_mark:
        real[-1].text += piece_after[0]
    elif piece_after is not None:
        font = block.last_font
        copy = b"".join(font.cid_for(cid, font.natural(cid)).to_bytes(2, "big") for cid in piece_after[1])
        invisible = b" 3 Tr[<" + copy.hex().encode() + b">]TJ 0 Tr"
    said: dict[int, str] = {}
    for g in real:
        if g.span is not None:
            said[g.span] = said.get(g.span, "") + g.text
        g.cid = g.font.cid_for(g.cid, g.text, g.wide)
    for index, span in enumerate(block.spans):
        if said.get(index) != span[4]:
            gone.add(index)
    edits: list[tuple[int, int, bytes]] = []
    for index, (start, end, emc_start, emc_end, _text, _only) in enumerate(block.spans):
        if index in gone:
            edits += [(start, end, b""), (emc_start, emc_end, b"")]
    for n, show in enumerate(block.shows):
        parts: list = []
        glyphs = iter(shown[n])
        for item in show.items:
            if isinstance(item, bytes):
                data = b""
                for _ in range(len(item) // 2):
                    g = next(glyphs)
                    data += g.cid.to_bytes(2, "big")
                    if g.wide:
                        parts += [data, float(MARK_WIDTH)]
                        data = b""
                if data:
                    parts.append(data)
            else:
                parts.append(item)
        if isinstance(show.items[-1], bytes) and parts and isinstance(parts[-1], float) and show.reset:
            parts.pop()  # the text position is set afresh next: no need to give the pen back
        flat: list = []
        for part in parts:
            if isinstance(part, bytes) or not flat or isinstance(flat[-1], bytes):
                flat.append(part)
            else:
                flat[-1] += part
        out = b"[" + b"".join(b"<" + p.hex().encode() + b">" if isinstance(p, bytes) else _num(p) for p in flat) + b"]TJ"
        if invisible and n == len(block.shows) - 1:
            if show.span is not None and show.span not in gone:  # after the span: poppler would
                end = block.spans[show.span][3]                  # read its ActualText instead
                edits.append((end, end, invisible))
            else:
                out += invisible
        edits.append((show.start, show.end, out))
    edits.sort()
    chunks, pos = [], 0
    for start, end, text in edits:
        chunks += [block.body[pos:start], text]
        pos = end
    chunks.append(block.body[pos:])
    return b"".join(chunks)


def _num(value) -> bytes:
    if isinstance(value, bytes):
        return value
    value = round(float(value), 5)
    text = f"{value:.5f}".rstrip("0").rstrip(".") if value != int(value) else str(int(value))
    return (" " + text + " ").encode()


def _fast_stream(data: bytes, fonts: dict[bytes, _Font | None], cache: dict) -> bytes:
    """A typst content stream rewritten block by block (raises _Unfit when it is not typst's)."""
    parts = data.split(b"\nBT")
    if b"BT" in parts[0] or b"Tj" in parts[0] or b"TJ" in parts[0]:
        raise _Unfit("text before the first BT")
    bodies, tails = [], []
    for part in parts[1:]:
        body, sep, tail = part.partition(b"\nET")
        if not sep or b"Tj" in tail or b"TJ" in tail:
            raise _Unfit("a BT without its ET, or text outside BT … ET")
        bodies.append(b"BT" + body + b"\nET")
        tails.append(tail)
    key_fonts = id(fonts)
    blocks = []
    for body in bodies:
        found = cache.get((key_fonts, body))
        if found is None:
            found = cache[(key_fonts, body)] = _parse_block(body, fonts)
        blocks.append(found)
    # the neighbours with glyphs of every block
    with_glyphs = [k for k, b in enumerate(blocks) if b.glyphs]
    prev_of = {k: (with_glyphs[i - 1] if i else None) for i, k in enumerate(with_glyphs)}
    next_of = {k: (with_glyphs[i + 1] if i + 1 < len(with_glyphs) else None) for i, k in enumerate(with_glyphs)}
    out = [parts[0]]
    for k, block in enumerate(blocks):
        if not block.glyphs and not block.spans:
            out += [b"\n", block.body, tails[k]]
            continue
        prev = blocks[prev_of[k]] if prev_of.get(k) is not None else None
        nxt = blocks[next_of[k]] if next_of.get(k) is not None else None
        before = (
            block.piece and prev is not None and prev.last_font is block.first_font and not prev.piece,
            block.head_am and prev is not None and prev.tail_am and prev.last_font is block.first_font,
        )
        same = nxt is not None and nxt.first_font is block.last_font
        after = (
            (nxt.piece_text, nxt.piece_cids) if same and nxt.piece and not block.piece else None,
            (not nxt.head_space) if same and block.tail_zero else None,
            block.tail_am and same and nxt.head_am,
        )
        key = (key_fonts, block.body, before, after)
        rewritten = cache.get(key)
        if rewritten is None:
            rewritten = cache[key] = _rewrite_block(block, before, after)
        out += [b"\n", rewritten, tails[k]]
    return b"".join(out)


def fix_text_layer(pdf: bytes, *, fast: bool = True) -> bytes:
    """typst's PDF with a text layer that reads letter for letter in every reader (module docstring).
    Deterministic: the same input gives the same bytes (report versions are hashed). `fast=False`
    takes the general (pikepdf) path for every page; the tests compare both."""
    import pikepdf

    with pikepdf.open(io.BytesIO(pdf)) as doc:
        rewriter = _Rewriter(doc)
        cache: dict = {}
        maps: dict[tuple, dict] = {}
        for page in doc.pages:
            resources = page.obj.get("/Resources")
            fonts = resources.get("/Font") if resources is not None else None
            try:
                if not fast or fonts is None or "/XObject" in resources:
                    raise _Unfit("no fonts, or form XObjects that may hold text")
                key = tuple(sorted((name, obj.objgen) for name, obj in fonts.items()))
                mapping = maps.get(key)
                if mapping is None:
                    mapping = maps[key] = {name[1:].encode(): rewriter.font(obj) for name, obj in fonts.items()}
                page.contents_coalesce()
                stream = page.obj.Contents
                data = _fast_stream(stream.read_bytes(), mapping, cache)
                stream.write(zlib.compress(data, COMPRESSION), filter=pikepdf.Name.FlateDecode)
            except _Unfit:
                rewriter.walk(page)
        rewriter.write()
        out = io.BytesIO()
        doc.save(out, deterministic_id=True, compress_streams=True,
                 object_stream_mode=pikepdf.ObjectStreamMode.preserve)
        return out.getvalue()
