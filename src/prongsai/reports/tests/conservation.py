"""Text conservation (issue 9): generated year data, and the check that every text of it comes back
from every format's extracted text, whole and in order.

`generated_year(seed)` is a seeded generator (random.Random(seed): the seed names the example, so a
failure is re-run by its test id). Its texts mix Thai syllables that use every combining mark (ั ิ ี ึ ื
ุ ู ฺ ็ ่ ้ ๊ ๋ ์ ํ and SARA AM on consonants of every height), real Thai words, Latin, digits, URLs and the
markup characters of HTML, Markdown, typst and LaTeX, from a few characters to a few thousand; 1–60
measures; 1–10 signers; any round (3/6/9/12), some measures not monitored in it, some results missing.

`expected(data, round)` lists, in the order the round report places them, groups of the texts that
must appear (within one group any order: the cells of one table row, the lines of one signature).
`problems(text, groups)` compares after removing whitespace and invisible format characters (a line
break may add or drop a space; nothing else may change): a text missing, cut, or out of order is a
problem. With `split`, a cell may come in pieces, in order (a row that continues on the next page).
"""

from __future__ import annotations

import datetime as dt
import random
import re
import unicodedata
from functools import lru_cache

from prongsai.lib import fiscal, thai
from prongsai.reports.tests.pdftools import find_in_order
from prongsai.yearfile.loader import validated

CONSONANTS = [chr(c) for c in range(0x0E01, 0x0E2F)]  # ก … ฮ (ป ฝ ฟ tall, ญ ฐ ฎ ฏ with descenders)
UPPER = "\u0e31\u0e34\u0e35\u0e36\u0e37"  # ั ิ ี ึ ื
LOWER = "\u0e38\u0e39"  # ุ ู
TONES = "\u0e48\u0e49\u0e4a\u0e4b"  # ่ ้ ๊ ๋
LEADING = "เแโใไ"
MAITAIKHU, THANTHAKHAT, NIKHAHIT, PHINTHU, SARA_AM = "\u0e47", "\u0e4c", "\u0e4d", "\u0e3a", "\u0e33"
MARKS = UPPER + LOWER + TONES + MAITAIKHU + THANTHAKHAT + NIKHAHIT + PHINTHU + SARA_AM

NAMES = ("นายประสิทธิ์ ผลสัมฤทธิ์", "นายศักดิ์ ศักดิ์ศรี", "นางฤทธิ์ ฤทธิ์เดช", "นางสาวปิ่นปั้น ญี่ปุ่นฟื้น",
         "ว่าที่ร้อยตรีก๋วยเตี๋ยว เป๊ะจ๊ะ", "Mr. John O'Neil-Smith", "นายธมฺมํ สงฺฆํ")
LATIN = ("Integrity", "and", "Transparency", "Assessment", "ITA", "OIT", "fi", "ffl", "office", "e-Service",
         "Q&A", "COVID-19", "naïve", "café", "Müller", "œuvre")
MARKUP = ("<b>", "</td>", "&amp;", "&", "<", ">", '"', "'", "{x}", "}", "{", "[link](http://a.b)", "[", "]",
          "#heading", "#set", "#", "*bold*", "*", "_it_", "_", "`code`", "`", "\\", "\\n", "$x^2$", "$", "@ref",
          "@", "~", "--", "---", "...", "//", "/*", "*/", "<label>", "=", "==", "+", "-", "%", "^", "|", "!",
          "{{ x }}", "{% y %}", "<!-- c -->", "<script>", "&lt;", "&#3585;", "\\textbf{x}")
URLS = ("https://www.example.go.th/ita/2566/report.pdf", "http://a.b/c_d?x=1&y=[2]#frag",
        "https://www.example.go.th/" + "documents-and-evidence-" * 4 + "2566.pdf",
        "www.ตัวอย่าง.ไทย/ข้อมูล", "mailto:saraban@example.go.th")
LINKS = ("https://www.example.go.th/ita/2566/report.pdf", "https://example.org/a_b?x=1&y=2#frag",
         "https://www.example.go.th/" + "documents-and-evidence-" * 4 + "2566.pdf")


@lru_cache(maxsize=1)
def _words() -> tuple[str, ...]:
    from pythainlp.corpus import thai_words

    mark = re.compile(f"[{MARKS}]")
    return tuple(sorted(w for w in thai_words() if mark.search(w) and " " not in w and len(w) < 25))


def syllable(rng: random.Random) -> str:
    """One Thai syllable built around a consonant, using the marks in every legal place."""
    c = rng.choice(CONSONANTS)
    final = rng.choice(CONSONANTS + [""] * 3)
    kind = rng.randrange(10)
    if kind == 0:
        return c + rng.choice(UPPER) + rng.choice(TONES + "") + final
    if kind == 1:
        return c + rng.choice(LOWER) + rng.choice(TONES + "")
    if kind == 2:
        return c + rng.choice(TONES + "") + SARA_AM  # น้ำ, ทำ
    if kind == 3:
        return rng.choice("เแ") + c + MAITAIKHU + final  # เป็น
    if kind == 4:
        return c + rng.choice("ิุ") + THANTHAKHAT  # ทธิ์, ทุ์
    if kind == 5:
        return c + rng.choice(UPPER[1:3]) + c + THANTHAKHAT  # สิทธ์ shapes
    if kind == 6:
        return c + PHINTHU + rng.choice(CONSONANTS) + NIKHAHIT  # Pali: พฺรํ
    if kind == 7:
        return rng.choice(LEADING) + c + rng.choice(TONES) + final
    if kind == 8:
        return c + "ั" + rng.choice(TONES) + final  # ทั้ง
    return rng.choice(("ฤ", "ฤๅ", "ฦ", "ฯ", "ๆ", "ฯลฯ", "ก็", "๑๒๓"))


def token(rng: random.Random) -> str:
    kind = rng.randrange(20)
    if kind < 7:
        return "".join(syllable(rng) for _ in range(rng.randint(1, 4)))
    if kind < 12:
        return rng.choice(_words())
    if kind < 14:
        return rng.choice(LATIN)
    if kind < 16:
        return rng.choice(("2566", "12.5%", "1,234,567", "0", "08-1234-5678", "3/6/9/12", "๒๕๖๖", "(1)"))
    if kind < 17:
        return rng.choice(URLS)
    return rng.choice(MARKUP)


class _Budget:
    """How many characters the long texts of one year may still take (short ones are not counted):
    a render of 100,000 characters takes a minute, the fast set wants a few seconds."""

    def __init__(self, chars: int):
        self.left = chars


def text(rng: random.Random, *, limit: int, short: bool = False, lines: bool = True, budget: _Budget | None = None) -> str:
    """A text of at most `limit` characters: a few tokens, or (one time in four, while the budget
    lasts) many, with spaces (or none, a Thai run) between them and now and then a line break."""
    long = not short and rng.random() < 0.25 and (budget is None or budget.left > 0)
    length = rng.randint(20, 600) if long else rng.randint(1, 4)
    parts = []
    for i in range(length):
        if i:
            parts.append("\n" if lines and rng.random() < 0.04 else rng.choice((" ", " ", " ", "")))
        parts.append(token(rng))
    out = "".join(parts)[:limit].strip() or "ก"
    if long and budget is not None:
        budget.left -= len(out)
    return out


def _signer(rng: random.Random, *, approver: bool, budget: _Budget) -> dict:
    person = {"name": rng.choice(NAMES) + " " + text(rng, limit=60, short=True, lines=False),
              "position": text(rng, limit=150, short=True, lines=False)}
    if rng.random() < 0.3:
        person["rank"] = rng.choice(("จ.อ.", "ร.ต.อ.", "พ.ต.ท.", "ว่าที่ ร.ต."))
    if approver:
        person["comment"] = text(rng, limit=1500, budget=budget) if rng.random() < 0.6 else ""
        if rng.random() < 0.5:
            person["date"] = dt.date(2023, 4, 21)
    return person


def generated_year(seed: int, *, measures: tuple[int, int] = (1, 60), long_chars: int = 8000) -> tuple[dict, int]:
    """(a valid, normalised year dict, the round to report) from `seed`; the long texts take about
    `long_chars` characters in all (the short ones come on top)."""
    rng = random.Random(seed)
    budget = _Budget(long_chars)
    round_ = rng.choice((3, 6, 9, 12))
    count = rng.randint(*measures)
    signers = rng.randint(1, 10)
    preparers = rng.randint(0, signers)
    rows = []
    for n in range(count):
        rounds = sorted(set(rng.sample((3, 6, 9, 12), rng.randint(1, 4))) | ({round_} if rng.random() < 0.8 else set()))
        measure = {
            "title": text(rng, limit=250, short=rng.random() < 0.7, budget=budget),
            "indicator": rng.randint(1, 10),
            "guideline": text(rng, limit=3000, budget=budget),
            "steps": text(rng, limit=2000, budget=budget),
            "responsible": text(rng, limit=200, short=True),
            "rounds": rounds,
            "results": [],
        }
        if rng.random() < 0.5:
            measure["monitoring"] = text(rng, limit=250, short=True)
        if round_ in rounds and rng.random() < 0.85:
            result = {"round": round_, "details": text(rng, limit=4000, budget=budget), "period": text(rng, limit=250, short=True),
                      "outputs": text(rng, limit=2000, budget=budget), "outcomes": text(rng, limit=2000, budget=budget),
                      "remarks": text(rng, limit=1000, budget=budget) if rng.random() < 0.5 else ""}
            if rng.random() < 0.3:
                result["label"] = text(rng, limit=250, short=True)
            if rng.random() < 0.3:
                result["evidence"] = [
                    {"title": text(rng, limit=200, short=True, lines=False), "url": rng.choice(LINKS)}
                    if rng.random() < 0.5 else {"url": rng.choice(LINKS)}
                    for _ in range(rng.randint(1, 3))
                ]
            measure["results"].append(result)
        rows.append(measure)
    memo = {
        "number": rng.randint(1, 99999),
        "date": dt.date(2023, 4, 20),
        "subject": text(rng, limit=480, lines=False, budget=budget),
        "addressee": text(rng, limit=250, short=True, lines=False),
        "preparers": [_signer(rng, approver=False, budget=budget) for _ in range(preparers)],
        "approvers": [_signer(rng, approver=True, budget=budget) for _ in range(signers - preparers)],
    }
    if rng.random() < 0.4:
        memo["body"] = [text(rng, limit=2000, lines=False, budget=budget) for _ in range(rng.randint(1, 4))]
    raw = {
        "version": 1,
        "fiscal_year": 2566,
        "agency": {
            "slug": f"generated-{seed}", "name": "เทศบาลตำบล" + text(rng, limit=100, short=True, lines=False),
            "kind": "tessaban_tambon",
            "office_name": "สำนักงาน" + text(rng, limit=100, short=True, lines=False),
            "district": text(rng, limit=60, short=True, lines=False),
            "province": text(rng, limit=60, short=True, lines=False),
            "doc_prefix": "ขก " + rng.choice(("52001", "๕๒๐๐๑", "x&y<1>")),
            "executive_title": "นายกเทศมนตรี", "digits": rng.choice((thai.THAI, thai.ARABIC)),
            "units": ["สำนักปลัด"],
        },
        "ita_results": [{"year": 2565, "indicators": {i: rng.randint(40, 100) for i in range(1, 11)}}],
        "measures": rows,
        "reports": [{
            "round": round_,
            "memo": memo,
            "preface_date": dt.date(2023, 4, 18),
            "preparer": {"name": rng.choice(NAMES), "position": text(rng, limit=150, short=True, lines=False)},
        }],
    }
    return validated(raw), round_


def expected(data: dict, *, round: int) -> list[list[str]]:
    """The data's texts in the round report's order, as the report prints them (the agency's digits),
    in groups whose members may come in any order."""
    agency = data["agency"]
    style = agency.get("digits") or thai.THAI
    t = lambda value: thai.digits("" if value is None else str(value), style)  # noqa: E731
    report = next(r for r in data["reports"] if int(r["round"]) == round)
    memo = report.get("memo") or {}
    groups: list[list[str]] = [
        [t(agency.get("office_name")), t(agency.get("district")), t(agency.get("province"))],
        [t(f"{agency.get('doc_prefix')}/{memo['number']}")],
        [t(memo.get("subject"))],
        [t(memo.get("addressee"))],
    ]
    groups += [[t(p)] for p in memo.get("body") or []]
    for person in (memo.get("preparers") or []) + (memo.get("approvers") or []):
        groups.append([t(person.get(k)) for k in ("comment", "rank", "name", "position") if person.get(k)])
    groups.append([t(agency["name"])])
    for m in data["measures"]:
        groups.append([t(m["title"]), t(m.get("guideline")), t(m.get("steps")), t(m.get("responsible")),
                       t(m.get("monitoring"))])
    months = fiscal.round_of(int(data["fiscal_year"]), round).months
    for m in data["measures"]:
        if months not in [int(r) for r in m.get("rounds") or []]:
            continue
        results = [r for r in m.get("results") or [] if int(r.get("round", 0)) == months]
        for r in results or [{}]:
            row = [t(r.get("label") or m["title"])]
            row += [t(r.get(k)) for k in ("details", "period", "outputs", "outcomes", "remarks")]
            row += [t(e.get("title") or e.get("url")) for e in r.get("evidence") or []]
            groups.append(row)
    preparer = report.get("preparer") or {}
    if preparer.get("name"):
        groups.append([t(preparer["name"]), t(preparer.get("position"))])
    return [[s for s in group if s and s.strip()] for group in groups if any(s and s.strip() for s in group)]


_INVISIBLE = re.compile(r"\s+")


def clean(extracted: str) -> str:
    """Extracted text without what layout adds: whitespace and invisible format characters (Cf:
    zero-width spaces, soft hyphens). Everything else must be the data's own characters."""
    return "".join(ch for ch in _INVISIBLE.sub("", extracted) if unicodedata.category(ch) != "Cf")


def problems(extracted: str, groups: list[list[str]], *, split: bool = False) -> list[str]:
    """What is missing, cut or out of order (pdftools.find_in_order), each with where the longest
    start of the text that is there stops: what the data says next and what the reader gave."""
    haystack = clean(extracted)
    found = find_in_order(haystack, [[clean(s) for s in group] for group in groups], split=split)
    out = []
    for problem in found:
        start = problem.split(" (")[0]
        text = next((clean(s) for g in groups for s in g if repr(clean(s)[:60]) == start or repr(s[:60]) == start), None)
        if text is None:
            out.append(problem)
            continue
        k = 0
        while k < len(text) and text[:k + 1] in haystack:
            k += 1
        at = haystack.find(text[:k]) + k
        out.append(f"{text[:80]!r}: its first {k} of {len(text)} characters are there, then the data has "
                   f"{text[k:k + 20]!r} and the reader {haystack[at:at + 20]!r}" if k < len(text) else problem)
    return out
