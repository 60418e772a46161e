"""Bulk onboarding: how many agency-years a second `prongsai import` writes (issue 11, goal ≥ 30/s on SQLite).

    .venv/bin/python bench/import.py [--files 300] [--mode bulk|each|both] [--evidence 1] [--profile] [--keep]

Makes its own data directory (SQLite there, or the DATABASE_URL given; uploads there too), migrates it, and
generates --files year files from examples/sao-nong-bua-2569.yaml (7 measures, 13 round results, 16 evidence
links, 7 people, a round-12 memo): each file is a new agency made on the fly (its own slug and name), with
--evidence small PDF evidence files beside it (each with different content, so each is stored). Then times:

- `each`: the single-file path in one process, per file `load_year_file` + `import_year` (what one
  `prongsai import FILE` does after its 1-2 s of process start);
- `bulk`: `prongsai import FOLDER` in the same process (prongsai.yearfile.bulk.import_many: one
  transaction per file, progress and summary), on a fresh database;

each first into an empty database (everything created), then again over the same files (nothing changes:
the re-import rate). Prints files/s and agency-years/s per pass; `--profile` prints cProfile's top
functions of the first bulk pass. Checks that every file was imported (the agencies, measures and audit
entries counted) so the figure is of work really done.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = ROOT / "examples" / "sao-nong-bua-2569.yaml"
SLUG = "slug: sao-nong-bua-ngoen"
NAME = "  name: องค์การบริหารส่วนตำบลหนองบัวเงิน\n"
LINK = '{title: ข่าวประชาสัมพันธ์, url: "https://www.sao-nongbuangoen.example/news"}'


def setup(data: Path) -> None:
    os.environ.setdefault("PRONGSAI_DATA_DIR", str(data))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "prongsai.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    migrate()


def migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def empty_database() -> None:
    """Drop every row the imports wrote, so the next pass creates everything again."""
    from django.core.management import call_command

    call_command("flush", interactive=False, verbosity=0)


def pdf(marker: str) -> bytes:
    stream = f"BT /F1 12 Tf 50 700 Td ({marker}) Tj ET".encode()
    return (b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
            b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n"
            + f"3 0 obj\n<< /Length {len(stream)} >>\nstream\n".encode() + stream
            + b"\nendstream\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n")


def generate(folder: Path, count: int, evidence: int) -> list[Path]:
    """`count` year files, one agency each, in sub-folders of 100 (as an export of many agencies would be)."""
    text = TEMPLATE.read_text(encoding="utf-8")
    assert SLUG in text and NAME in text and LINK in text, "the template changed: update bench/import.py"
    paths = []
    for index in range(count):
        slug = f"bench-{index:05d}"
        body = text.replace(SLUG, f"slug: {slug}").replace(NAME, f"  name: องค์การบริหารส่วนตำบลทดสอบ {index}\n")
        extra = "".join(f"\n          - {{title: หลักฐาน {n}, file: evidence/{n}.pdf}}" for n in range(evidence))
        body = body.replace(LINK, LINK + extra)
        target = folder / f"part-{index // 100:03d}" / slug
        (target / "evidence").mkdir(parents=True)
        for n in range(evidence):
            (target / "evidence" / f"{n}.pdf").write_bytes(pdf(f"{slug} {n}"))
        path = target / f"{slug}-2569.yaml"
        path.write_text(body, encoding="utf-8")
        paths.append(path)
    return paths


def check(count: int) -> str:
    from prongsai.agencies.models import Agency
    from prongsai.audit.models import AuditEntry
    from prongsai.measures.models import Evidence, Measure, YearPlan

    agencies = Agency.objects.filter(slug__startswith="bench-").count()
    plans = YearPlan.objects.filter(agency__slug__startswith="bench-").count()
    measures = Measure.objects.filter(plan__agency__slug__startswith="bench-").count()
    assert agencies == count and plans == count, (agencies, plans, count)
    assert measures == 7 * count, measures
    return (f"{agencies} agencies, {plans} year plans, {measures} measures, "
            f"{Evidence.objects.count()} evidence rows, {AuditEntry.objects.count()} audit entries")


def each(paths: list[Path]) -> None:
    from prongsai.yearfile.loader import load_year_file
    from prongsai.yearfile.services import import_year

    for path in paths:
        year_file = load_year_file(path)
        assert not year_file.errors, year_file.errors
        import_year(data=year_file.data, base_dir=path.parent, actor=f"prongsai import {path.name}", source=str(path))


def bulk(folder: Path) -> None:
    from prongsai.yearfile.bulk import import_many

    outcome = import_many([folder], actor="bench/import.py")
    assert not outcome.failed, [(f.name, f.errors[:3]) for f in outcome.failed]


def timed(label: str, count: int, run) -> float:
    """Wall time, and this process's CPU time: on a machine other work shares, files per CPU-second is
    the steadier figure (SQLite in WAL mode with synchronous=NORMAL does not wait for the disk at commit)."""
    start, cpu = time.perf_counter(), time.process_time()
    run()
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    rate = count / seconds
    print(f"{label:<42} {count} files in {seconds:6.2f} s: {rate:6.1f} agency-years/s "
          f"({count / cpu:6.1f} per CPU-second; load average {os.getloadavg()[0]:.1f})", flush=True)
    return rate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=300)
    parser.add_argument("--evidence", type=int, default=1, help="PDF evidence files per year file")
    parser.add_argument("--mode", choices=["bulk", "each", "both"], default="both")
    parser.add_argument("--profile", action="store_true", help="cProfile the first bulk (or each) pass")
    parser.add_argument("--keep", action="store_true", help="keep the data directory and the generated files")
    args = parser.parse_args()

    data = Path(tempfile.mkdtemp(prefix="prongsai-import-bench-"))
    try:
        setup(data)
        from django.db import connection

        files = data / "year-files"
        paths = generate(files, args.files, args.evidence)
        print(f"{connection.vendor}, {args.files} generated year files ({args.evidence} evidence file(s) each) "
              f"in {files}", flush=True)
        # Warm what every process pays once (the framework catalogue, PyThaiNLP's dictionary, imports), so
        # each mode is measured on the same footing; a cold `prongsai import` pays it once per process.
        warm = generate(data / "warm", 1, args.evidence)
        each(warm)
        modes = ["each", "bulk"] if args.mode == "both" else [args.mode]
        for mode in modes:
            empty_database()
            run = (lambda: each(paths)) if mode == "each" else (lambda: bulk(files))
            if args.profile and mode == modes[-1]:
                import cProfile
                import pstats

                profiler = cProfile.Profile()
                profiler.enable()
                timed(f"{mode}: into an empty database (profiled)", len(paths), run)
                profiler.disable()
                pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)
            else:
                timed(f"{mode}: into an empty database", len(paths), run)
            print("  " + check(len(paths)), flush=True)
            timed(f"{mode}: again, nothing changes", len(paths), run)
    finally:
        if args.keep:
            print(f"kept {data}")
        else:
            shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    main()
