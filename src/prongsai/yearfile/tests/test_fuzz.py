"""Issue 10, item 4: the year-file loader on hostile and broken input (fuzz corpus: fuzz.py).

Property: for any mutated year file, `load_year_file` (what `validate` and `import` run) returns a
YearFile without raising, every error is a specific message (not the loader's last-resort "could
not be checked" line), and each file takes less than PER_CASE_SECONDS of CPU time. 300 cases run always; the
10,000-case corpus is marked `slow` (it runs in `make test` too; `-m "not slow"` skips it locally).
"""

import time

import pytest

from prongsai.yearfile.loader import load_year_file
from prongsai.yearfile.tests.fuzz import cases

# CPU seconds of this process per file, not wall-clock time: a busy machine (CI, other processes) stalls
# a process for seconds without the loader doing more work. Measured: the worst of 10,000 is well under
# 1 s (docs/year-file.md).
PER_CASE_SECONDS = 5.0


def _check(tmp_path, count: int) -> None:
    slowest = 0.0
    for name, content in cases(count):
        path = tmp_path / name
        path.write_bytes(content)
        start = time.process_time()
        year_file = load_year_file(path)  # must not raise (it validates what it read, too)
        elapsed = time.process_time() - start
        slowest = max(slowest, elapsed)
        assert elapsed < PER_CASE_SECONDS, f"{name}: {elapsed:.1f} s"
        for issue in year_file.errors:
            assert "could not be checked" not in issue.message, f"{name}: {issue}"
            assert issue.message.strip(), name
        path.unlink()


def test_the_loader_survives_300_mutated_year_files(tmp_path):
    _check(tmp_path, 300)


@pytest.mark.slow
def test_the_loader_survives_10000_mutated_year_files(tmp_path):
    _check(tmp_path, 10_000)


def test_the_issues_examples_fail_fast_with_a_clear_message(tmp_path):
    bomb = "".join(f"l{n}: &l{n} [{', '.join([f'*l{n - 1}'] * 9)}]\n" for n in range(1, 9))
    files = {
        "laughs.yaml": ("l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + bomb,
                        "values once aliases are expanded: not a year file"),
        "deep.yaml": ("a: " + "[" * 400 + "]" * 400 + "\n", "nested more than 40 levels deep: not a year file (line 1, column 43)"),
        "deep.json": ('{"a": ' + "[" * 400 + "]" * 400 + "}", "nested more than 40 levels deep: not a year file (line 1)"),
        "nul.json": ('{"version": 1, "x": "a\x00b"}', "control character U+0000 is not allowed in a year file"),
        "del.json": ('{"version": 1, "x": "a\x7fb"}', "control character U+007F is not allowed in a year file"),
        "ts.yaml": ("version: 1\nfiscal_year: !!timestamp x\n", "fiscal_year: cannot read 'x' as timestamp (line 2"),
        "bin.yaml": ("version: 1\nfiscal_year: !!binary aGVsbG8=\n", "fiscal_year: could not determine a constructor"),
        "py.yaml": ('version: !!python/object/apply:os.system ["true"]\n', "version: unsupported YAML tag"),
        "int.json": ('{"version": ' + "9" * 5000 + "}", "JSON value error: Exceeds the limit (4300 digits)"),
        "nan.json": ('{"version": NaN}', "NaN is not a number a year file may hold"),
    }
    for name, (text, expected) in files.items():
        path = tmp_path / name
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        start = time.process_time()
        errors = load_year_file(path).errors
        assert time.process_time() - start < 2, name
        assert len(errors) == 1 and expected.replace(" (line", "") in str(errors[0]).replace(" (line", ""), \
            (name, [str(e) for e in errors])


def test_a_file_larger_than_the_bound_is_refused_without_reading_it_all(tmp_path):
    from prongsai.yearfile import source

    path = tmp_path / "big.yaml"
    path.write_bytes(b"version: 1\n" + b"#" * (source.MAX_BYTES + 10))
    assert [str(e) for e in load_year_file(path).errors] == [
        f"{path}: larger than 4 MB: not a year file (a year file is a few dozen KB)"]
