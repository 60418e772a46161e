"""How long and how much memory a spreadsheet bomb costs an upload (issue 10, item 5).

    .venv/bin/python bench/spreadsheet_bomb.py [--mb 200] [--unbounded]

Builds an XLSX whose shared strings unpack to --mb MB (about 0.45 MB packed for 200 MB), then reads it the
way the score upload does (prongsai.workspace.spreadsheets.read_cells: the bounds of
prongsai.lib.spreadsheets first) in a fresh process, and prints the wall time and the process's peak
memory (max RSS). --unbounded also opens it with plain openpyxl (read-only, as the upload did before the
bounds) for comparison. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD = r"""
import os, resource, sys, time
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "prongsai.settings")
import django
django.setup()
from django.core.files.uploadedfile import SimpleUploadedFile
path, mode = sys.argv[1], sys.argv[2]
content = open(path, "rb").read()
from django.utils.translation import gettext
from prongsai.workspace import spreadsheets  # imported (with openpyxl) before the clock starts
gettext("ไฟล์")  # the translation catalogues load once per process, not per upload: not part of the figure
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
start = time.perf_counter()
if mode == "bounded":
    try:
        spreadsheets.read_cells(SimpleUploadedFile("bomb.xlsx", content))
        outcome = "accepted (!)"
    except spreadsheets.SpreadsheetError as exc:
        outcome = f"refused: {exc}"
else:
    import io
    from openpyxl import load_workbook
    book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    rows = sum(1 for _ in book.worksheets[0].iter_rows(values_only=True))
    outcome = f"parsed, {rows} rows"
elapsed = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(f"{elapsed:.3f} {before / 1024:.0f} {peak / 1024:.0f} {outcome}")
"""


def run(path: Path, mode: str) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "PYTHAINLP_READ_ONLY": "1"}
    env.setdefault("PRONGSAI_DATA_DIR", tempfile.mkdtemp(prefix="prongsai-bench-"))
    done = subprocess.run([sys.executable, "-c", CHILD, str(path), mode], capture_output=True, text=True, env=env,
                          timeout=600)
    if done.returncode != 0:
        print(done.stderr[-2000:])
        return
    elapsed, before, peak, outcome = done.stdout.strip().split(" ", 3)
    print(f"{mode:>9}: {float(elapsed):7.3f} s, max RSS {peak} MB (Django loaded: {before} MB); {outcome}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=int, default=200, help="unpacked size of the shared strings (default 200)")
    parser.add_argument("--unbounded", action="store_true", help="also time plain openpyxl (slow, large)")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    from prongsai.workspace.tests import bombs

    start = time.perf_counter()
    content = bombs.shared_strings_bomb(args.mb)
    print(f"bomb: {len(content) / 1024:.0f} KB packed, shared strings {args.mb} MB unpacked "
          f"(built in {time.perf_counter() - start:.1f} s)")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bomb.xlsx"
        path.write_bytes(content)
        run(path, "bounded")
        if args.unbounded:
            run(path, "unbounded")


if __name__ == "__main__":
    main()
