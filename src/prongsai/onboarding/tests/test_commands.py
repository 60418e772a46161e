"""`prongsai import_agencies` and `prongsai import_results` on real files."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from prongsai.agencies.models import Agency
from prongsai.assessments.models import ITAResult
from prongsai.onboarding.tests import generate

pytestmark = pytest.mark.django_db


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_import_agencies_previews_then_applies(tmp_path):
    rows = generate.agency_rows(40)
    path = tmp_path / "agencies.xlsx"
    path.write_bytes(generate.xlsx_file(rows).getvalue())
    out, _ = run("import_agencies", str(path))
    assert "40 to create" in out and "preview" in out and Agency.objects.count() == 0
    out, _ = run("import_agencies", str(path), "--apply")
    assert "40 created" in out and Agency.objects.count() == 40
    out, _ = run("import_agencies", str(path), "--apply")
    assert "0 created, 0 updated, 40 unchanged" in out


def test_import_agencies_refuses_naming_the_row(tmp_path):
    rows = generate.agency_rows(3)
    rows[1]["อำเภอ"] = "ไม่มี"
    path = tmp_path / "agencies.csv"
    path.write_bytes(generate.csv_file(rows).getvalue())
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing written"):
        call_command("import_agencies", str(path), "--apply", stdout=io.StringIO(), stderr=err)
    assert "แถวที่ 3 คอลัมน์ “อำเภอ”: ไม่พบอำเภอ “ไม่มี”" in err.getvalue()
    assert Agency.objects.count() == 0
    run("import_agencies", str(path), "--apply", "--partial")
    assert Agency.objects.count() == 2


def test_import_results(tmp_path):
    agencies = generate.agency_rows(5)
    a = tmp_path / "a.csv"
    a.write_bytes(generate.csv_file(agencies).getvalue())
    run("import_agencies", str(a), "--apply")
    r = tmp_path / "ita.xlsx"
    r.write_bytes(generate.xlsx_file(generate.result_rows(agencies)).getvalue())
    out, _ = run("import_results", str(r), "--year", "2567", "--apply")
    assert "5 new" in out and ITAResult.objects.filter(year=2567).count() == 5
