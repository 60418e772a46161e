"""`prongsai report`: from a year file (no database) or from the database; clean failures."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from prongsai.reports.tests import pdftools
from prongsai.reports.tests.conftest import REPO, SEED

SAO = REPO / "examples" / "sao-nong-bua-2566.yaml"


def _prongsai(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "prongsai", *args], cwd=cwd, capture_output=True, text=True,
                          env={**os.environ, "PYTHAINLP_READ_ONLY": "1"}, timeout=300)


def test_it_writes_the_default_path_from_a_file_without_the_database(tmp_path, monkeypatch, capsys):
    # no django_db mark: any database query in this test would raise
    monkeypatch.chdir(tmp_path)
    call_command("report", str(SEED), round=6, format="pdf")
    out = capsys.readouterr().out.strip()
    assert out == "tessaban-rae-2563-round6.pdf"
    pdf = (tmp_path / out).read_bytes()
    assert pdf.startswith(b"%PDF") and "บันทึกข้อความ" in pdftools.pdftotext(pdf)
    assert sorted(p.name for p in tmp_path.iterdir()) == [out]  # no temporary file left


@pytest.mark.django_db
def test_it_gives_the_same_report_from_the_database_as_from_the_file(tmp_path, capsys):
    call_command("import", str(SEED))
    call_command("report", str(SEED), round=6, format="pdf", output=str(tmp_path / "file.pdf"))
    call_command("report", agency="tessaban-rae", year=2563, round=6, format="pdf", output=str(tmp_path / "db.pdf"))
    from_file = pdftools.pdftotext((tmp_path / "file.pdf").read_bytes())
    from_db = pdftools.pdftotext((tmp_path / "db.pdf").read_bytes())
    assert "ลงชื่อ" in from_db and from_db == from_file


@pytest.mark.parametrize("fmt,magic", [("docx", b"PK"), ("html", b"<")])
def test_it_writes_docx_and_html_too(tmp_path, fmt, magic, capsys):
    target = tmp_path / f"r.{fmt}"
    call_command("report", str(SAO), round=12, format=fmt, output=str(target))
    assert target.read_bytes().lstrip()[:len(magic)].lower() == magic.lower()
    assert capsys.readouterr().out.strip() == str(target)


def test_it_exits_1_on_a_bad_round_without_a_traceback(tmp_path):
    done = _prongsai("report", str(SEED), "--round", "5", cwd=tmp_path)
    assert done.returncode == 1
    assert "--round must be one of 3, 6, 9, 12, not 5" in done.stderr
    assert "Traceback" not in done.stderr
    assert list(tmp_path.iterdir()) == []


def test_it_exits_1_with_the_validators_lines_on_a_bad_file(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(SEED.read_text(encoding="utf-8").replace("rounds: [6, 12]", "rounds: [6, 7]", 1), encoding="utf-8")
    done = _prongsai("report", str(bad), "--round", "6", cwd=tmp_path)
    assert done.returncode == 1
    assert "measures[0].rounds[1]" in done.stderr and "(line " in done.stderr
    assert "Traceback" not in done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.yaml"]


def test_it_lists_the_rounds_that_have_a_report_and_keeps_an_existing_file(tmp_path):
    target = tmp_path / "keep.pdf"
    target.write_bytes(b"old")
    with pytest.raises(CommandError, match=r"no report entry for round 12; rounds with a `reports` entry: 6"):
        call_command("report", str(SEED), round=12, format="pdf", output=str(target))
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.pdf"]


def test_it_refuses_a_missing_file_an_unknown_format_and_mixed_sources(tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        call_command("report", str(tmp_path / "none.yaml"), round=6)
    with pytest.raises(CommandError, match="--format must be one of pdf, docx, html"):
        call_command("report", str(SEED), round=6, format="odt")
    with pytest.raises(CommandError, match="either a FILE or --agency"):
        call_command("report", str(SEED), agency="tessaban-rae", year=2563, round=6)
    with pytest.raises(CommandError, match="give a year FILE, or --agency SLUG and --year YEAR"):
        call_command("report", round=6)
    with pytest.raises(CommandError, match="no such directory"):
        call_command("report", str(SEED), round=6, output=str(tmp_path / "no" / "r.pdf"))
    (tmp_path / "dir.pdf").mkdir()  # the target is a directory: the rename fails, nothing is left behind
    with pytest.raises(CommandError, match="cannot write"):
        call_command("report", str(SEED), round=6, output=str(tmp_path / "dir.pdf"))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dir.pdf"]


@pytest.mark.django_db
def test_it_names_an_unknown_agency_or_year(tmp_path):
    with pytest.raises(CommandError, match="no agency with slug 'nobody'"):
        call_command("report", agency="nobody", year=2563, round=6)
    call_command("import", str(SEED))
    with pytest.raises(CommandError, match="has no fiscal year 2599"):
        call_command("report", agency="tessaban-rae", year=2599, round=6)
