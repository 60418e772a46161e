"""Round report speed: ours (year dict -> Document -> bytes) against the bare typst engine.

    .venv/bin/python bench/report.py [--runs 7]

Every timed run renders different data (a run number is written into the memo number and into every
measure's and result's text), so neither typst's layout cache nor our word cache is handed a repeat.
All runs are warm: one process, fonts built, typst Compiler and PyThaiNLP's dictionary loaded first.
The bare engine compiles the same prepared input (the template plus the document JSON of another
variant, made before the clock starts) on the same warm Compiler: the ratio is what our Python side
(building the document, cutting Thai words, serialising) adds on top of typst.
"""

from __future__ import annotations

import argparse
import copy
import os
import platform
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "prongsai.settings")
os.environ.setdefault("PYTHAINLP_READ_ONLY", "1")

import django  # noqa: E402

django.setup()

from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402

from prongsai.reports.build import round_report  # noqa: E402
from prongsai.reports.pdf_text import fix_text_layer  # noqa: E402
from prongsai.reports.render_pdf import compile_json, document_json  # noqa: E402
from prongsai.reports.renderers import render  # noqa: E402
from prongsai.reports.tests.synthetic import synthetic_year  # noqa: E402
from prongsai.reports.tests.acceptance import acceptance_year  # noqa: E402
from prongsai.yearfile.loader import load_valid_year_file  # noqa: E402

SEED = ROOT / "examples" / "tessaban-rae-2563.yaml"


def seed_variant(base: dict, n: int) -> dict:
    data = copy.deepcopy(base)
    data["reports"][0]["memo"]["number"] = 1000 + n
    for measure in data["measures"]:
        measure["guideline"] += f" ({n})"
        for result in measure["results"]:
            result["details"] += f" ({n})"
    return data


def timed(fn, variants: list) -> list[float]:
    times = []
    for data in variants:
        start = time.perf_counter()
        fn(data)
        times.append(time.perf_counter() - start)
    return times


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")),
               platform.processor())
    import typst

    version = typst.eval(b"", "str(sys.version)").strip('"')
    return (f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, typst {version}, "
            f"load average {os.getloadavg()[0]:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=11)
    parser.add_argument("--only", help="run only the cases whose name contains this")
    args = parser.parse_args()
    runs = args.runs

    seed = load_valid_year_file(SEED)
    cases = {
        "seed": lambda n: seed_variant(seed, n),
        "synthetic, 30 measures": lambda n: synthetic_year(measures=30, variant=n),
        "synthetic, 40 measures": lambda n: synthetic_year(measures=40, variant=n),
        "synthetic, 60 measures": lambda n: synthetic_year(measures=60, variant=n),
        "issue 9 acceptance, 30 measures": lambda n: acceptance_year(variant=n),
    }
    if args.only:
        cases = {name: make for name, make in cases.items() if args.only in name or name == "seed"}
    # warm-up: fonts, Compiler, word dictionary, the other renderers' imports
    for make in cases.values():
        for fmt in ("pdf", "docx", "html"):
            render(round_report(make(0), round=6), fmt)

    rows, medians = [], {}
    for name, make in cases.items():
        # ours and the bare engine alternate run by run, so that both see the same machine load
        ours_variants = [make(i + 1) for i in range(runs)]
        prepared = [document_json(round_report(make(runs + i + 1), round=6)) for i in range(runs)]
        ours, bare = [], []
        for data, payload in zip(ours_variants, prepared):
            ours += timed(lambda d: render(round_report(d, round=6), "pdf"), [data])
            bare += timed(compile_json, [payload])
        medians[(name, "pdf")], medians[(name, "bare")] = statistics.median(ours), statistics.median(bare)
        typst_pdfs = [compile_json(payload) for payload in prepared]
        medians[(name, "text layer")] = statistics.median(timed(fix_text_layer, typst_pdfs))
        python_side = timed(lambda d: document_json(round_report(d, round=6)), [make(3 * runs + i) for i in range(runs)])
        medians[(name, "python")] = statistics.median(python_side)
        for fmt in ("docx", "html"):
            variants = [make(i + 1) for i in range(runs)]
            medians[(name, fmt)] = statistics.median(timed(lambda d: render(round_report(d, round=6), fmt), variants))
        pages = len(re.findall(rb"/Type\s*/Page(?![s\w])", compile_json(prepared[0])))
        labels = {"bare": "typst engine only (same input)", "python": "pdf: our Python side only",
                  "text layer": "pdf: text layer rewrite only (pdf_text)"}
        for fmt in ("pdf", "docx", "html", "bare", "python", "text layer"):
            rows.append((name, labels.get(fmt, fmt), medians[(name, fmt)], pages if fmt in ("pdf", "bare") else None))

    console = Console()
    table = Table(title=f"Round report, median of {runs} warm runs, data varied every run")
    for column in ("case", "format", "median ms", "pages"):
        table.add_column(column, justify="right" if column != "case" else "left")
    for name, label, seconds, pages in rows:
        table.add_row(name, label, f"{seconds * 1000:.0f}", "" if pages is None else str(pages))
    console.print(table)
    console.print(machine())
    for name in cases:
        console.print(f"ratio {name}: {medians[(name, 'pdf')] / medians[(name, 'bare')]:.2f}")
    console.print(f"ratio: {medians[('seed', 'pdf')] / medians[('seed', 'bare')]:.2f}")


if __name__ == "__main__":
    main()
