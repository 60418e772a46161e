"""Mutated year files for the loader's fuzz test (test_fuzz.py): seeded, so case N is always the same.

Each case starts from one of the example year files (YAML, or the same data as JSON) and applies one to
three mutations: byte flips, truncation, deletion or duplication of a span, deep nesting, alias bombs,
YAML tags, huge numbers, control characters, odd Unicode, and values of the wrong type at a key.
"""

from __future__ import annotations

import json
import random
from functools import lru_cache
from pathlib import Path

import yaml

EXAMPLES = Path(__file__).resolve().parents[4] / "examples"

TAGS = ["!!timestamp x", "!!binary aGVsbG8=", "!!set {a, b}", "!!omap [a: 1]", "!!python/object:os.system x",
        "!local x", "!!int x", "!!float x", "!!bool maybe", "!!null x", "!!str", "!!map [1]", "!!seq {a: 1}",
        "!!timestamp 2020-13-45", "!!pairs [a: 1]", "!<tag:yaml.org,2002:value> ="]
NUMBERS = ["9" * 5000, "-" + "9" * 4301, "1e999", "-1e999", ".nan", ".inf", "0x" + "f" * 100, "1_000_000",
           "0o777", "2563.5", "-0", "1" * 300, "NaN", "Infinity"]
CHARS = ["\x00", "\x7f", "\x1b", "\ufeff", "\ud800", "\ufffe", "\u200b", "\t", "\r", "\x85", "\u2028", "\\"]


@lru_cache(maxsize=1)
def seeds() -> list[tuple[str, str]]:
    """(suffix, text) of every example, as YAML and as JSON."""
    out = []
    for path in sorted(EXAMPLES.glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        out.append((".yaml", text))
        data = yaml.safe_load(text)
        out.append((".json", json.dumps(data, ensure_ascii=False, indent=1, default=str)))
    return out


def _bomb(rng: random.Random) -> str:
    width, levels = rng.randint(2, 12), rng.randint(3, 12)
    lines = [f"l0: &l0 [{', '.join(['lol'] * width)}]"]
    for n in range(1, levels):
        lines.append(f"l{n}: &l{n} [{', '.join([f'*l{n - 1}'] * width)}]")
    return "\n".join(lines) + "\n"


def _nest(rng: random.Random, json_style: bool) -> str:
    depth = rng.choice([30, 50, 100, 400, 1000, 5000, 50000])
    if json_style or rng.random() < 0.5:
        return "[" * depth + "]" * depth
    return "".join(f"\n{' ' * (i + 1)}- " for i in range(min(depth, 400))) + "x"


def mutate(rng: random.Random, suffix: str, text: str) -> bytes:
    data = text.encode("utf-8")
    for _ in range(rng.randint(1, 3)):
        kind = rng.randrange(12)
        at = rng.randrange(len(data) + 1)
        if kind == 0:  # flip bytes
            buf = bytearray(data)
            for _ in range(rng.randint(1, 20)):
                if buf:
                    buf[rng.randrange(len(buf))] ^= 1 << rng.randrange(8)
            data = bytes(buf)
        elif kind == 1:  # truncate
            data = data[:at]
        elif kind == 2:  # delete a span
            data = data[:at] + data[at + rng.randint(1, 500):]
        elif kind == 3:  # duplicate a span
            span = data[at:at + rng.randint(1, 2000)]
            data = data[:at] + span * rng.randint(2, 5) + data[at:]
        elif kind == 4:  # deep nesting at a value
            data = data[:at] + _nest(rng, suffix == ".json").encode() + data[at:]
        elif kind == 5:  # an alias bomb, prepended or at the end
            bomb = _bomb(rng).encode()
            data = bomb + data if rng.random() < 0.5 else data + b"\n" + bomb
        elif kind == 6:  # a tag in front of a value
            line_end = data.find(b"\n", at)
            where = data.find(b": ", at)
            if where != -1 and (line_end == -1 or where < line_end):
                data = data[:where + 2] + rng.choice(TAGS).encode() + b" " + data[where + 2:]
        elif kind == 7:  # a huge or odd number at a value
            where = data.find(b": ", at)
            if where != -1:
                end = data.find(b"\n", where)
                end = len(data) if end == -1 else end
                data = data[:where + 2] + rng.choice(NUMBERS).encode() + data[end:]
        elif kind == 8:  # a control character or odd Unicode
            char = rng.choice(CHARS).encode("utf-8", "surrogatepass")
            data = data[:at] + char + data[at:]
        elif kind == 9:  # random bytes
            data = data[:at] + rng.randbytes(rng.randint(1, 64)) + data[at:]
        elif kind == 10:  # a key's value replaced by a value of another type
            where = data.find(b": ", at)
            if where != -1:
                end = data.find(b"\n", where)
                end = len(data) if end == -1 else end
                value = rng.choice([b"[]", b"{}", b"null", b"~", b"[1, [2, [3]]]", b"{a: {b: c}}", b"true",
                                    b'""', b"-1", b"2563", b"2020-02-30", b"*undefined", b"&x", b"|", b">-"])
                data = data[:where + 2] + value + data[end:]
        else:  # merge keys and anchors on real structure
            data = b"base: &base {version: 1}\n" + data.replace(b"\nagency:", b"\n<<: *base\nagency:", 1)
    return data


def cases(count: int, seed: int = 10):
    """`count` (name, bytes) cases; the same for the same seed."""
    rng = random.Random(seed)
    pool = seeds()
    for number in range(count):
        suffix, text = pool[rng.randrange(len(pool))]
        yield f"case-{number:05d}{suffix}", mutate(rng, suffix, text)
