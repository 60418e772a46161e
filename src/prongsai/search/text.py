"""Thai text for the index: one normal form, word segmentation, and highlighting.

Thai has no spaces between words, so a search engine that splits on spaces sees "มาตรการตรวจสอบการใช้ดุลพินิจ"
as one word and never finds ดุลพินิจ in it. Every text is therefore segmented here, in Python, at index
time and at query time with the same segmenter and dictionary, and the index stores the words joined
by spaces: PostgreSQL's `simple` configuration and SQLite FTS5's `unicode61` tokenizer then see words.

The segmenter is nlpo3 (Rust, dictionary-based maximal matching like PyThaiNLP's newmm, about 8 times
faster here: bench/search.py) with PyThaiNLP's word list plus the names of Thailand's provinces and
districts and a few ITA terms; PyThaiNLP's newmm with the same words when nlpo3 is not installed.

`normalise` is applied before anything else: Unicode NFC, lower case, Thai digits to Arabic ones, the
decomposed sara am (ํ + า) to ำ, runs of white space to one space. It maps one character to one
character except for those last two, so highlighting works on the normalised text.
"""

from __future__ import annotations

import logging
import os
import re
import tempfile
import unicodedata
from functools import lru_cache

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

log = logging.getLogger(__name__)

# A word character for the index: letters and digits of any script, and the Thai vowel and tone marks
# (Unicode category Mn, which str.isalnum() does not count).
_WORD = re.compile(r"(?:[^\W_]|[\u0e31\u0e34-\u0e3a\u0e47-\u0e4e])+")
_SPACE = re.compile(r"\s+")
_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")

# Words the general dictionary lacks or splits, kept whole.
ITA_TERMS = (
    "ITA", "OIT", "IIT", "EIT", "ป.ป.ช.", "ดุลพินิจ", "ผลประโยชน์ทับซ้อน", "คุณธรรม", "ความโปร่งใส",
    "อบต.", "อบจ.", "เทศบาลตำบล", "เทศบาลเมือง", "เทศบาลนคร", "องค์การบริหารส่วนตำบล",
    "องค์การบริหารส่วนจังหวัด", "เจตจำนง", "สินบน", "ร้องเรียน", "จัดซื้อจัดจ้าง",
)


def normalise(text) -> str:
    value = unicodedata.normalize("NFC", "" if text is None else str(text))
    value = value.replace("\u0e4d\u0e32", "\u0e33").translate(_THAI_DIGITS).lower()
    return _SPACE.sub(" ", value).strip()


def _extra_words() -> list[str]:
    from prongsai.agencies import geography

    words = list(ITA_TERMS)
    for p in geography.provinces():
        words.append(p.name)
        words.extend(d.name for d in p.districts)
    return words


@lru_cache(maxsize=1)
def _segmenter():
    """A function text -> list of words: nlpo3 with the dictionary, or PyThaiNLP's newmm."""
    from pythainlp.corpus import thai_words

    words = sorted(set(thai_words()) | set(_extra_words()))
    try:
        import nlpo3
    except ImportError:  # pragma: no cover - nlpo3 is a pinned dependency
        nlpo3 = None
    if nlpo3 is not None:
        fd, path = tempfile.mkstemp(prefix="prongsai-words-", suffix=".txt")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write("\n".join(words))
            nlpo3.load_dict(path, "prongsai")
        finally:
            os.unlink(path)
        return lambda text: nlpo3.segment(text, "prongsai", safe=True, parallel=False)

    from pythainlp.tokenize import Tokenizer

    tokenizer = Tokenizer(custom_dict=words, engine="newmm", keep_whitespace=False)
    return tokenizer.word_tokenize


def words(text) -> list[str]:
    """The words of a text, normalised, in order: what the index stores and what a query looks for."""
    value = normalise(text)
    if not value:
        return []
    out: list[str] = []
    segment = _segmenter()
    for chunk in value.split(" "):
        for piece in segment(chunk):
            out.extend(_WORD.findall(piece))
    return out


def tokens(text) -> str:
    """`words` joined by spaces (the column the full-text index reads)."""
    return " ".join(words(text))


# --- highlighting --------------------------------------------------------------------------------

def _spans(text: str, terms: list[str]) -> list[tuple[int, int]]:
    folded = normalise_for_spans(text)
    found: list[tuple[int, int]] = []
    for term in {t for t in terms if t}:
        start = folded.find(term)
        while start != -1:
            found.append((start, start + len(term)))
            start = folded.find(term, start + len(term))
    found.sort()
    merged: list[tuple[int, int]] = []
    for start, end in found:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def normalise_for_spans(text: str) -> str:
    """`normalise` without the changes of length, so that positions in it are positions in `text`."""
    out = []
    for ch in text:
        low = ch.translate(_THAI_DIGITS).lower()
        out.append(low if len(low) == 1 else ch)
    return "".join(out)


def highlight(text: str, terms: list[str]) -> SafeString:
    """`text` escaped for HTML, with every occurrence of a term in <mark>."""
    text = "" if text is None else str(text)
    parts, last = [], 0
    for start, end in _spans(text, terms):
        parts.append(escape(text[last:start]))
        parts.append(f"<mark>{escape(text[start:end])}</mark>")
        last = end
    parts.append(escape(text[last:]))
    return mark_safe("".join(parts))


def snippet(text: str, terms: list[str], width: int = 180) -> SafeString:
    """About `width` characters of `text` around its first match, escaped and highlighted."""
    text = _SPACE.sub(" ", "" if text is None else str(text)).strip()
    if len(text) <= width:
        return highlight(text, terms)
    spans = _spans(text, terms)
    first = spans[0][0] if spans else 0
    start = max(0, first - width // 3)
    end = min(len(text), start + width)
    start = max(0, end - width)
    piece = text[start:end]
    out = highlight(piece, terms)
    return mark_safe(("…" if start else "") + out + ("…" if end < len(text) else ""))
