"""`validate` and `prongsai report --round` agree (issue 9): a year file that the report command refuses
is never one that `validate` passes without a word. For each reason the report command has to refuse
a file, a file is generated that has it; the command refuses it (in the format named), and `validate`
reports an error or a warning at the part of the file that causes it.

The other direction holds too: the complete file renders in every format with no warning, and so does
the issue's acceptance data (a 6,000-character result, a 400-character subject). Generated texts with any
code point (hypothesis): whenever the HTML or the DOCX is refused, validate has an error.
"""

from __future__ import annotations

import io
import json

import pytest
import yaml
from django.core.management import CommandError, call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from prongsai.yearfile.loader import load_year_file
from prongsai.yearfile.tests.helpers import COMPLETE

pytestmark = pytest.mark.django_db  # the report looks up the agency's emblem


def _complete() -> dict:
    return yaml.safe_load(COMPLETE)


def _write(tmp_path, data: dict, name: str = "year.json"):
    path = tmp_path / name
    path.write_text(json.dumps(data, default=str), encoding="ascii")  # \uXXXX: lone surrogates too
    return path


def _report(path, round: int, fmt: str, tmp_path) -> str | None:
    """None when `prongsai report` writes the document, else its refusal."""
    try:
        call_command("report", str(path), "--round", str(round), "--format", fmt,
                     "-o", str(tmp_path / f"out.{fmt}"), stdout=io.StringIO())
    except CommandError as exc:
        return str(exc)
    return None


def _flagged(path) -> list[str]:
    year_file = load_year_file(path)
    return [str(i) for i in year_file.errors + year_file.warnings]


# --- the reasons `prongsai report --round` refuses a file, each as a change to the complete file ---------

def _no_entry_for_monitored_round(data):
    data["measures"][0]["rounds"] = [6, 12]  # round 12 is monitored, reports lists only round 6
    return 12, "reports: no report entry for round 12"


def _conversion_in_wording(data):
    data["wording"] = {"memo_subject": "รายงานผล {agency!r}"}
    return 6, "wording.memo_subject: placeholder {agency} takes no format spec or conversion"


def _format_spec_in_wording(data):
    data["agency"]["wording"] = {"results_intro": "บัดนี้ {office:>40} ได้ดำเนินการแล้ว"}
    return 6, "agency.wording.results_intro: placeholder {office} takes no format spec"


def _unknown_placeholder(data):
    data["wording"] = {"preface": ["คำนำ {agencyy}"]}
    return 6, "wording.preface[0]: unknown placeholder {agencyy}"


def _summary_outside_analysis(data):
    data["wording"] = {"cover_title": "รายงาน {summary}"}
    return 6, "wording.cover_title: unknown placeholder {summary}"


def _lone_brace(data):
    data["wording"] = {"results_intro": "ผลการดำเนินงาน {"}
    return 6, "wording.results_intro: Single '{' encountered"


def _control_character(data):
    data["measures"][0]["results"][0]["details"] = "จัดทำแผน\x0bเผยแพร่แล้ว"  # Word's manual line break
    return 6, "measures[0].results[0].details: holds the control character U+000B"


def _non_character(data):
    data["reports"][0]["memo"]["approvers"][0]["comment"] = "ทราบ\ufffe"
    return 6, "reports[0].memo.approvers[0].comment: holds the non-character U+FFFE"


def _lone_surrogate(data):
    data["reports"][0]["memo"]["subject"] = "รายงาน\ud800"
    return 6, "reports[0].memo.subject: holds a lone surrogate U+D800"


def _too_long(data):
    data["measures"][0]["results"][0]["details"] = "ก" * 10_001
    return 6, "measures[0].results[0].details: is too long (10001 characters; at most 10000)"


def _too_many_paragraphs(data):
    data["reports"][0]["memo"]["body"] = ["ย่อหน้า"] * 21
    return 6, "reports[0].memo.body: has too many items (21; at most 20)"


REFUSALS = [
    (_no_entry_for_monitored_round, "html"), (_conversion_in_wording, "html"), (_format_spec_in_wording, "html"),
    (_unknown_placeholder, "html"), (_summary_outside_analysis, "html"), (_lone_brace, "html"),
    (_control_character, "docx"), (_non_character, "docx"), (_lone_surrogate, "html"), (_lone_surrogate, "docx"),
    (_too_long, "html"), (_too_many_paragraphs, "html"),
]


@pytest.mark.parametrize("change, fmt", REFUSALS, ids=[f"{c.__name__.strip('_')}-{f}" for c, f in REFUSALS])
def test_validate_flags_every_file_the_report_command_refuses(tmp_path, change, fmt):
    data = _complete()
    round, expected = change(data)
    path = _write(tmp_path, data)

    refusal = _report(path, round, fmt, tmp_path)

    assert refusal is not None, "the report command accepted the file: not a refusal case"
    flagged = _flagged(path)
    assert any(expected in line for line in flagged), f"validate said {flagged}, report said {refusal}"


def test_the_complete_file_validates_without_warnings_and_renders_in_every_format(tmp_path):
    path = _write(tmp_path, _complete())

    assert _flagged(path) == []
    for fmt in ("html", "docx", "pdf"):
        assert _report(path, 6, fmt, tmp_path) is None, fmt


def test_the_issues_long_result_and_long_subject_pass_and_render(tmp_path):
    """Issue 9's acceptance data: a 6,000-character result ending in a marker, a 400-character subject."""
    data = _complete()
    data["measures"][0]["results"][0]["details"] = ("ประชุมชี้แจงแผนการใช้จ่ายงบประมาณ " * 200)[:5_990] + "MARKER-END"
    data["reports"][0]["memo"]["subject"] = "ร" * 400
    path = _write(tmp_path, data)

    assert _flagged(path) == []
    for fmt in ("html", "docx"):
        assert _report(path, 6, fmt, tmp_path) is None, fmt
    assert "MARKER-END" in (tmp_path / "out.html").read_text(encoding="utf-8")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(alphabet=st.characters(), min_size=1, max_size=40))
def test_any_text_the_documents_refuse_is_an_error_of_validate(tmp_path, text):
    data = _complete()
    data["measures"][0]["results"][0]["details"] = text
    data["reports"][0]["memo"]["approvers"][0]["comment"] = text[::-1]
    path = _write(tmp_path, data)
    errors = load_year_file(path).errors

    for fmt in ("html", "docx"):
        refusal = _report(path, 6, fmt, tmp_path)
        if refusal is not None:
            assert errors, f"{fmt} refused {text!r} ({refusal}) but validate found no error"
