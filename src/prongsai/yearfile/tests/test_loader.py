import datetime as dt
from decimal import Decimal

import pytest

from prongsai.yearfile.loader import YearFileInvalid, load_valid_year_file, load_year_file, validate_data
from prongsai.yearfile.normalise import DEFAULT_MONITORING
from prongsai.yearfile.tests.cases import BROKEN, BROKEN_JSON
from prongsai.yearfile.tests.helpers import BASE, FULL, edit, write


def _find(errors, path, fragment):
    matching = [e for e in errors if e.path == path and fragment in e.message]
    assert matching, f"no error at {path!r} containing {fragment!r}; got: {[str(e) for e in errors]}"
    return matching[0]


@pytest.mark.parametrize("case_id, content, path, fragment, line", BROKEN, ids=[c[0] for c in BROKEN])
def test_it_reports_a_broken_yaml_file_at_its_path_and_line(tmp_path, case_id, content, path, fragment, line):
    year_file = load_year_file(write(tmp_path, content))

    error = _find(year_file.errors, path, fragment)
    assert error.line == line
    assert year_file.data is None
    assert str(error).startswith(f"{path}: {error.message}" if path else error.message)
    if line is not None:
        assert f"(line {line}" in str(error)


@pytest.mark.parametrize("case_id, content, path, fragment, line", BROKEN_JSON, ids=[c[0] for c in BROKEN_JSON])
def test_it_reports_a_broken_json_file_at_its_path_and_line(tmp_path, case_id, content, path, fragment, line):
    year_file = load_year_file(write(tmp_path, content, "year.json"))

    assert _find(year_file.errors, path, fragment).line == line


def test_it_counts_the_column_of_a_bad_byte_in_characters(tmp_path):
    path = write(tmp_path, "version: 1\nname: แผน".encode() + b"\xff\n")

    assert [str(e) for e in load_year_file(path).errors] == [
        f"{path}: not UTF-8 text (byte 0xff); save the file as UTF-8 (line 2, column 10)"
    ]


def test_it_reports_a_missing_file_in_one_line(tmp_path):
    year_file = load_year_file(tmp_path / "nope.yaml")

    assert [str(e) for e in year_file.errors] == [f"{tmp_path / 'nope.yaml'}: no such file"]


def test_it_reports_a_directory_instead_of_a_file(tmp_path):
    assert "is a directory" in str(load_year_file(tmp_path).errors[0])


def test_it_gives_one_line_per_error_sorted_by_line(tmp_path):
    text = edit(edit(BASE, "kind: tessaban_tambon", "kind: x"), "rounds: [6, 12]", "rounds: [6, 7]")
    text = edit(text, "version: 1\n", "version: 1\nextra: 1\n")

    year_file = load_year_file(write(tmp_path, text))

    assert [str(e) for e in year_file.errors] == [
        "extra: unknown key 'extra'; allowed: version, fiscal_year, framework_year, agency, ita_results, "
        "analysis, measures, reports, wording (line 2)",
        "agency.kind: 'x' is not one of tessaban_tambon, tessaban_mueang, tessaban_nakhon, sao, pao, other (line 7)",
        "measures[0].rounds[1]: 7 is not one of 3, 6, 9, 12 (line 20)",
    ]


def test_it_raises_year_file_invalid_with_the_error_lines(tmp_path):
    path = write(tmp_path, edit(BASE, "rounds: [6, 12]", "rounds: [6, 7]"))

    with pytest.raises(YearFileInvalid) as caught:
        load_valid_year_file(path)

    assert str(caught.value) == "measures[0].rounds[1]: 7 is not one of 3, 6, 9, 12 (line 19)"
    assert len(caught.value.errors) == 1


def test_it_normalises_a_minimal_file_with_every_default(tmp_path):
    path = write(tmp_path, "version: 1\nfiscal_year: 2563\nagency: {slug: a, name: อบต.ก}\n"
                           "measures:\n  - {title: ม, rounds: [12]}\nreports:\n  - round: 12\n")

    year_file = load_year_file(path)

    assert year_file.errors == [] and year_file.ok
    data = year_file.data
    assert data["framework_year"] == 2563
    assert data["analysis"] is None
    assert data["ita_results"] == [] and data["wording"] == {}
    agency = data["agency"]
    assert (agency["kind"], agency["digits"], agency["urgent_below"]) == ("other", "thai", 75)
    assert agency["office_name"] == "" and agency["units"] == [] and agency["people"] == [] and agency["wording"] == {}
    measure = data["measures"][0]
    assert measure["monitoring"] == DEFAULT_MONITORING
    assert measure["indicator"] is None and measure["guideline"] == "" and measure["results"] == []
    report = data["reports"][0]
    assert report["memo"] == {"number": None, "date": None, "subject": "", "addressee": "", "body": [],
                              "preparers": [], "approvers": []}
    assert report["preface_date"] is None and report["preparer"] == {"name": "", "position": ""}
    # No analysis and no scores for 2562, no result for the reported round, and none of the memo's parts
    # or signatures: worth warnings, each where the file would have it (a report without them prints blanks).
    assert [w.path for w in year_file.warnings] == [
        "ita_results", "measures[0].results", "reports[0].memo.addressee", "reports[0].memo.approvers",
        "reports[0].memo.date", "reports[0].memo.number", "reports[0].memo.preparers", "reports[0].preface_date",
        "reports[0].preparer"]


def test_it_normalises_types_keys_dates_and_order(tmp_path):
    data = load_valid_year_file(write(tmp_path, FULL))

    assert data["ita_results"][1]["indicators"] == {1: 91.2, 2: 80.15, 3: 60}  # "1" keys become 1
    assert data["analysis"] == {
        "based_on": 2562,
        "urgent": [{"indicator": 3, "label": ""}],
        "improve": [{"indicator": 2, "label": ""}, {"indicator": 4, "label": "การใช้ทรัพย์สินของทางราชการ"}],
    }
    first = data["measures"][0]
    assert first["guideline"] == "- จัดทำแผนการใช้จ่ายงบประมาณ\n- เผยแพร่บนเว็บไซต์"  # `|` loses its final newline
    assert [r["round"] for r in first["results"]] == [6, 12]  # sorted like the database
    assert first["units"] == ["สำนักปลัด", "กองคลัง"]  # in agency.units order
    assert [r["round"] for r in data["reports"]] == [6, 12]
    assert data["reports"][0]["memo"]["date"] == dt.date(2020, 6, 26)
    assert data["reports"][0]["memo"]["approvers"][0]["date"] == dt.date(2020, 6, 29)
    assert data["agency"]["urgent_below"] == 70.5
    assert list(data) == ["version", "fiscal_year", "framework_year", "agency", "ita_results", "analysis",
                          "measures", "reports", "wording"]


def test_it_reads_json_to_the_same_data_as_yaml(tmp_path):
    import json

    yaml_data = load_valid_year_file(write(tmp_path, FULL))
    as_json = json.dumps(yaml_data, ensure_ascii=False, default=lambda d: d.isoformat())  # int keys -> "1"
    json_data = load_valid_year_file(write(tmp_path, as_json, "year.json"))

    assert json_data == yaml_data
    assert json_data["reports"][0]["preface_date"] == dt.date(2020, 6, 24)


def test_it_accepts_iso_date_strings_in_yaml(tmp_path):
    data = load_valid_year_file(write(tmp_path, edit(BASE, "date: 2020-06-26", 'date: "2020-06-26"')))

    assert data["reports"][0]["memo"]["date"] == dt.date(2020, 6, 26)


def test_it_warns_when_published_figures_do_not_match_the_years_rules(tmp_path):
    scores = ", ".join(f"{n}: 90" for n in range(1, 11))
    text = edit(BASE, "    indicators: {1: 90.5, 2: 80}\n", f"    indicators: {{{scores}}}\n    total: 80\n    grade: AA\n")

    year_file = load_year_file(write(tmp_path, text))

    assert year_file.errors == []
    messages = [str(w) for w in year_file.warnings]
    assert "warning: ita_results[0]: คะแนนรวมที่ระบุ 80.00 ไม่ตรงกับที่คำนวณได้ 90.00 (line 13)" in messages
    assert any("ระดับผลการประเมินที่ระบุ AA" in m for m in messages)


def test_it_warns_about_a_report_round_no_measure_monitors(tmp_path):
    year_file = load_year_file(write(tmp_path, BASE + "  - round: 3\n"))

    assert year_file.errors == []
    assert "warning: reports[1].round: no measure is monitored in round 3 (line 33)" in [
        str(w) for w in year_file.warnings]


def test_it_validates_dicts_that_do_not_come_from_a_file(tmp_path):
    data = load_valid_year_file(write(tmp_path, FULL))
    assert [i for i in validate_data(data) if i.is_error] == []

    data["measures"][0]["rounds"] = [6, 7]
    data["agency"]["urgent_below"] = Decimal("70.5")

    issues = validate_data(data)
    assert [(i.path, i.message, i.line) for i in issues if i.is_error] == [
        ("measures[0].rounds[1]", "7 is not one of 3, 6, 9, 12", None)
    ]


def test_it_rejects_data_that_is_not_a_mapping():
    assert [str(i) for i in validate_data(["version", 1])] == ["the year file must be a mapping, not list"]
