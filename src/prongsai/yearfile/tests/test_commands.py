import io
import json
import os
import subprocess
import sys

import pytest
import yaml
from django.core.management import CommandError, call_command

from prongsai.yearfile.loader import load_valid_year_file
from prongsai.yearfile.services import export_year
from prongsai.yearfile.tests.cases import BROKEN, BROKEN_JSON
from prongsai.yearfile.tests.helpers import BASE, COMPLETE, FULL, row_counts, write

ALL_BROKEN = [(*case, "year.yaml") for case in BROKEN] + [(*case, "year.json") for case in BROKEN_JSON]
IDS = [case[0] for case in ALL_BROKEN]


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def run_failing(*args):
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command(*args, stdout=out, stderr=err)
    return caught.value, out.getvalue(), err.getvalue()


def _line(path, fragment, line):
    return (f"{path}: " if path else "", fragment, f"(line {line}" if line else "")


# --- validate


def test_it_prints_ok_for_a_valid_file(tmp_path):
    path = write(tmp_path, COMPLETE)

    out, err = run("validate", str(path))

    assert out == f"ok: {path} (tessaban-test 2563, 1 measures, 0 warnings)\n"
    assert err == ""


def test_it_prints_warnings_but_still_succeeds(tmp_path):
    path = write(tmp_path, COMPLETE + "  - round: 3\n")

    out, err = run("validate", str(path))

    assert out.startswith(f"ok: {path} (tessaban-test 2563, 1 measures, 7 warnings)")
    # The round-3 entry names no measure, and has none of the memo's parts or signatures.
    assert err.splitlines() == [
        "warning: reports[1].memo.approvers: no approvers: the round 3 memo will have no ความเห็นผู้บังคับบัญชา and "
        "the report is marked as a draft (line 31)",
        "warning: reports[1].memo.date: no memo date: วันที่ will print empty (line 31)",
        "warning: reports[1].memo.number: no memo number: ที่ will print without a number from the outgoing "
        "register (line 31)",
        "warning: reports[1].memo.preparers: no preparers: the memo will have no signature under its text (line 31)",
        "warning: reports[1].preface_date: no preface_date: the date under the preface will print empty (line 31)",
        "warning: reports[1].preparer: no preparer name: the report will end without the ผู้จัดทำ signature "
        "(line 31)",
        "warning: reports[1].round: no measure is monitored in round 3 (line 31)",
    ]


@pytest.mark.parametrize("case_id, content, path, fragment, line, name", ALL_BROKEN, ids=IDS)
def test_it_fails_validation_with_exit_1_and_the_error_line(tmp_path, case_id, content, path, fragment, line, name):
    file = write(tmp_path, content, name)

    error, out, err = run_failing("validate", str(file))

    assert error.returncode == 1
    assert str(error).startswith(f"{file}: ") and "error" in str(error)
    assert out == ""
    prefix, text, where = _line(path, fragment, line)
    assert any(l.startswith(prefix) and text in l and where in l for l in err.splitlines()), err


def test_it_sorts_errors_by_line(tmp_path):
    text = BASE.replace("kind: tessaban_tambon", "kind: x").replace("rounds: [6, 12]", "rounds: [6, 7]")
    text = text.replace("version: 1", "version: 3")

    _, _, err = run_failing("validate", str(write(tmp_path, text)))

    lines = [int(l.rsplit("(line ", 1)[1].rstrip(")")) for l in err.splitlines()]
    assert lines == [1, 6, 19]


def test_it_exits_1_from_the_real_command_line(tmp_path):
    bad = write(tmp_path, BASE.replace("rounds: [6, 12]", "rounds: [6, 7]"), "bad.yaml")
    good = write(tmp_path, BASE, "good.yaml")
    env = {**os.environ, "PRONGSAI_DATA_DIR": str(tmp_path / "data"), "DATABASE_URL": ""}

    failed = subprocess.run([sys.executable, "-m", "prongsai", "validate", str(bad)], capture_output=True, text=True,
                            env=env, timeout=120)
    passed = subprocess.run([sys.executable, "-m", "prongsai", "validate", str(good)], capture_output=True,
                            text=True, env=env, timeout=120)

    assert failed.returncode == 1
    assert "measures[0].rounds[1]: 7 is not one of 3, 6, 9, 12 (line 19)" in failed.stderr.splitlines()
    assert "Traceback" not in failed.stderr
    assert passed.returncode == 0 and passed.stdout.startswith(f"ok: {good}")


# --- import


@pytest.mark.django_db
@pytest.mark.parametrize("case_id, content, path, fragment, line, name", ALL_BROKEN, ids=IDS)
def test_it_imports_nothing_from_a_broken_file(tmp_path, case_id, content, path, fragment, line, name):
    run("import", str(write(tmp_path, BASE, "good.yaml")))
    before, data_before = row_counts(), export_year(agency="tessaban-test", fiscal_year=2563)

    error, out, err = run_failing("import", str(write(tmp_path, content, name)))

    assert error.returncode == 1 and "nothing imported" in str(error)
    prefix, text, where = _line(path, fragment, line)
    assert any(l.startswith(prefix) and text in l and where in l for l in err.splitlines()), err
    assert row_counts() == before
    assert export_year(agency="tessaban-test", fiscal_year=2563) == data_before


@pytest.mark.django_db
def test_it_imports_nothing_from_a_missing_file(tmp_path):
    run("import", str(write(tmp_path, BASE, "good.yaml")))
    before = row_counts()

    error, _, err = run_failing("import", str(tmp_path / "missing.yaml"))

    assert error.returncode == 1
    assert err == f"{tmp_path / 'missing.yaml'}: no such file\n"
    assert row_counts() == before


@pytest.mark.django_db
def test_it_reports_a_failure_while_writing_without_a_traceback(tmp_path, settings):
    run("import", str(write(tmp_path, BASE, "good.yaml")))
    before = row_counts()
    write(tmp_path, b"%PDF-1.4", "evidence/plan.pdf")
    text = BASE.replace('{title: แผน, url: "https://example.go.th/plan.pdf"}', "{file: evidence/plan.pdf}")
    settings.MEDIA_ROOT = write(tmp_path, "a file, not a folder", "media")

    error, _, _ = run_failing("import", str(write(tmp_path, text, "with-file.yaml")))

    assert error.returncode == 1 and str(error).startswith(f"{tmp_path / 'with-file.yaml'}: nothing imported: ")
    assert row_counts() == before


@pytest.mark.django_db
def test_it_imports_a_file_and_says_what_it_created(tmp_path):
    path = write(tmp_path, BASE)

    out, _ = run("import", str(path))

    assert out == (
        f"imported: {path}: tessaban-test 2563: created 1 agency, 2 units, 1 person, 1 ITA result, "
        "2 indicator scores, 1 year plan, 1 measure, 1 measure unit, 1 round result, 1 evidence, 1 memo, "
        "1 signer; updated nothing; deleted nothing; 0 rows unchanged\n"
    )
    counts = row_counts()
    assert counts["agencies.Agency"] == 1 and counts["measures.Measure"] == 1 and counts["memos.Signer"] == 1


@pytest.mark.django_db
def test_it_changes_nothing_when_the_same_file_is_imported_again(tmp_path):
    path = write(tmp_path, FULL)
    run("import", str(path))
    ids_before = _all_ids()

    out, _ = run("import", str(path))

    assert out.startswith(f"already up to date: {path}: tessaban-full 2563: created nothing; updated nothing; "
                          "deleted nothing;")
    assert _all_ids() == ids_before


def _all_ids():
    from django.apps import apps

    return {
        m._meta.label: sorted(m.objects.values_list("pk", flat=True))
        for m in apps.get_models(include_auto_created=True)
        if m._meta.app_label in {"agencies", "assessments", "measures", "memos"}
    }


# --- export


@pytest.mark.django_db
def test_it_exports_yaml_to_stdout_in_the_documented_order(tmp_path):
    run("import", str(write(tmp_path, FULL)))

    out, _ = run("export", "--agency", "tessaban-full", "--year", "2563")

    assert "name: เทศบาลตำบลเต็ม" in out  # Thai as is, not \u escapes
    assert "  guideline: |-\n      - จัดทำแผนการใช้จ่ายงบประมาณ\n      - เผยแพร่บนเว็บไซต์\n" in out
    assert "    rounds: [6, 12]\n" in out
    keys = [line.split(":")[0] for line in out.splitlines() if line and not line.startswith((" ", "-"))]
    assert keys == ["version", "fiscal_year", "framework_year", "agency", "ita_results", "analysis", "measures",
                    "reports", "wording"]
    assert load_valid_year_file(write(tmp_path, out, "exported.yaml")) == load_valid_year_file(tmp_path / "year.yaml")


@pytest.mark.django_db
def test_it_exports_to_a_json_file(tmp_path):
    run("import", str(write(tmp_path, FULL)))
    target = tmp_path / "out" / "year.json"

    out, _ = run("export", "--agency", "tessaban-full", "--year", "2563", "-o", str(target))

    assert out == f"wrote {target}\n"
    assert json.loads(target.read_text(encoding="utf-8"))["reports"][0]["memo"]["date"] == "2020-06-26"
    assert load_valid_year_file(target) == load_valid_year_file(tmp_path / "year.yaml")


@pytest.mark.django_db
def test_it_refuses_an_unknown_agency_or_year(tmp_path):
    run("import", str(write(tmp_path, BASE)))

    no_agency, _, _ = run_failing("export", "--agency", "nope", "--year", "2563")
    no_year, _, _ = run_failing("export", "--agency", "tessaban-test", "--year", "2570")

    assert str(no_agency) == "no agency with slug 'nope'" and no_agency.returncode == 1
    assert str(no_year) == "agency 'tessaban-test' has no fiscal year 2570 (it has: 2563)"


@pytest.mark.django_db
def test_it_fails_export_when_the_database_no_longer_validates(tmp_path):
    from prongsai.measures.models import Measure

    run("import", str(write(tmp_path, BASE)))
    Measure.objects.update(rounds=[6, 6])
    target = tmp_path / "out.yaml"

    error, _, err = run_failing("export", "--agency", "tessaban-test", "--year", "2563", "-o", str(target))

    assert "measures[0].rounds[1]: duplicate round 6" in err
    assert "has 1 error (" in str(error)
    assert yaml.safe_load(target.read_text(encoding="utf-8"))["measures"][0]["rounds"] == [6, 6]
