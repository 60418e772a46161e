"""The one export rule (prongsai.lib.spreadsheets; issue 10, item 3) in every CSV and XLSX Prongsai writes.

The scan: a year whose measures, results and OIT answers hold formula-like text (= + - @, tab, full-width
＝), published, then every export downloaded as its user would: the ITAS export (CSV, XLSX), the public
open data (CSV, sent with Access-Control-Allow-Origin: *), the year workbook, the score template (CSV,
XLSX), the complaint statistics (CSV, XLSX) and a framework catalogue (XLSX). No CSV field may start
with a formula character unless it is a plain number, and no XLSX cell may be a formula or a
formula-like text without Excel's quote prefix. The hostile text must be there (neutralised), so the
scan cannot pass by losing it. Then the rule itself, on generated texts."""

from __future__ import annotations

import csv
import io
import random
import re

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from prongsai.framework import formats, services as framework_services
from prongsai.lib import spreadsheets
from prongsai.measures.models import Measure, RoundResult
from prongsai.memos.tests import helpers
from prongsai.memos.tests.conftest import (  # noqa: F401  (fixtures)
    admin, agency, approvers, default_chain, plan, planner, viewer,
)
from prongsai.oit import services as oit_services
from prongsai.portal import links, services as portal_services
from prongsai.web.tests.factories import client_for

DANGER = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
EVIL = '=HYPERLINK("http://evil.example","x")'
HOSTILE = {
    "title": EVIL, "guideline": "- จัดทำแผน", "steps": "+cmd|' /C calc'!A0", "responsible": "@SUM(1+1)*cmd",
    "monitoring": "\t=1+1",
}
RESULT = {"details": "=1+1", "outputs": "-2+3", "outcomes": "\uff1dSUM(A1)", "remarks": " =cmd", "period": "@x"}


def bad_csv_cells(content: bytes) -> list[str]:
    rows = csv.reader(io.StringIO(content.decode("utf-8-sig")))
    return [cell for row in rows for cell in row
            if cell.lstrip()[:1] in DANGER and cell[:1] != "'" and not NUMBER.fullmatch(cell)]


def bad_xlsx_cells(content: bytes) -> list[str]:
    book = load_workbook(io.BytesIO(content))
    bad = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    bad.append(f"{sheet.title}!{cell.coordinate} is a formula: {cell.value!r}")
                elif (isinstance(cell.value, str) and cell.value.lstrip()[:1] in DANGER
                      and not NUMBER.fullmatch(cell.value) and not (cell.data_type == "s" and cell.quotePrefix)):
                    bad.append(f"{sheet.title}!{cell.coordinate} is live text: {cell.value!r}")
    return bad


def xlsx_texts(content: bytes) -> set[str]:
    book = load_workbook(io.BytesIO(content))
    return {c.value for s in book.worksheets for row in s.iter_rows() for c in row if isinstance(c.value, str)}


@pytest.fixture
def hostile_year(plan, planner, agency, admin, default_chain):
    Measure.objects.filter(plan=plan).update(**HOSTILE)
    RoundResult.objects.filter(measure__plan=plan).update(**RESULT)
    oit_services.save_answer(actor=planner, agency=agency, fiscal_year=2563, code="O2", has=True,
                             urls=["https://www.rae.go.th/exec"], explanation=EVIL)
    memo = helpers.approved(plan, planner, default_chain)
    portal_services.publish_report(memo=memo, by=admin)
    return plan


def _get(client, url, status=200) -> bytes:
    response = client.get(url)
    assert response.status_code == status, url
    return response.content


def test_every_export_holds_no_live_formula(hostile_year, agency, viewer):
    staff = client_for(viewer)
    public = client_for()
    slug, fy = agency.slug, 2563
    csvs = {
        "oit.csv": _get(staff, reverse("oit:export", args=[slug, fy, "csv"])),
        "open-data.csv": _get(public, links.data_path(agency, fy, "csv")),
        "score-template.csv": _get(staff, reverse("workspace:scores_template", args=[slug, fy, "csv"])),
        "complaint-statistics.csv": _get(public, reverse("complaints:public_statistics_file", args=[slug, fy, "csv"])),
    }
    catalogue = framework_services.find(2569)
    data = dict(catalogue.data)
    data["oit_items"] = {**data["oit_items"], "items": [
        {**item, "title_th": EVIL} if i == 0 else item for i, item in enumerate(data["oit_items"]["items"])]}
    xlsxs = {
        "oit.xlsx": _get(staff, reverse("oit:export", args=[slug, fy, "xlsx"])),
        "year.xlsx": _get(staff, reverse("workspace:year_export", args=[slug, fy])),
        "score-template.xlsx": _get(staff, reverse("workspace:scores_template", args=[slug, fy, "xlsx"])),
        "complaint-statistics.xlsx": _get(public,
                                          reverse("complaints:public_statistics_file", args=[slug, fy, "xlsx"])),
        "framework.xlsx": formats.write_xlsx(data),
    }
    problems = {name: bad for name, content in csvs.items() if (bad := bad_csv_cells(content))}
    problems |= {name: bad for name, content in xlsxs.items() if (bad := bad_xlsx_cells(content))}
    assert problems == {}
    # The hostile text is there, neutralised: the scan saw it.
    assert ("'" + EVIL).replace('"', '""') in csvs["open-data.csv"].decode("utf-8-sig")
    assert ("'" + EVIL).replace('"', '""') in csvs["oit.csv"].decode("utf-8-sig")
    assert "'-2+3" in csvs["open-data.csv"].decode("utf-8-sig")
    year_texts = xlsx_texts(xlsxs["year.xlsx"])
    assert {EVIL, "- จัดทำแผน", "\t=1+1", "-2+3", "\uff1dSUM(A1)", " =cmd"} <= year_texts
    assert EVIL in xlsx_texts(xlsxs["oit.xlsx"]) and EVIL in xlsx_texts(xlsxs["framework.xlsx"])


def test_the_year_workbook_reads_back_unchanged_through_the_results_import(hostile_year, agency):
    """Quote-prefixed cells are still the text itself: the export and import round-trip."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from prongsai.workspace import spreadsheets as workspace_sheets

    content = workspace_sheets.year_workbook(hostile_year)
    rows = workspace_sheets.results_rows(SimpleUploadedFile("year.xlsx", content))
    outputs = {values["outputs"] for _number, values in rows}
    assert "-2+3" in outputs
    assert {values["details"] for _number, values in rows} >= {"=1+1"}


# --- the rule itself -----------------------------------------------------------------------------

def test_numbers_stay_numbers_in_csv_and_xlsx():
    out = io.StringIO()
    spreadsheets.csv_writer(out).writerow([-5, -2.5, 0, "-7", "+3.25", "-x", None, True])
    assert out.getvalue() == "-5,-2.5,0,-7,+3.25,'-x,,TRUE\r\n"
    book = Workbook()
    for column, value in enumerate([-5, -2.5, "-x"], start=1):
        spreadsheets.put(book.active, 1, column, value)
    sheet = load_workbook(io.BytesIO(spreadsheets.workbook_bytes(book))).active
    assert [(c.value, c.data_type, bool(c.quotePrefix)) for c in sheet[1]] == [
        (-5, "n", False), (-2.5, "n", False), ("-x", "s", True)]


def test_a_workbook_written_any_way_is_made_safe_on_save():
    book = Workbook()
    book.active.append([EVIL, "=1+1", "ok", 3])
    book.create_sheet("two")["B2"] = "@cmd"
    content = spreadsheets.workbook_bytes(book)
    assert bad_xlsx_cells(content) == []
    assert xlsx_texts(content) == {EVIL, "=1+1", "ok", "@cmd"}


ALPHABET = "=+-@\t\r\n \u3000\uff1d\uff0b\uff0d\uff20'\"',;0123456789.eEกขค abc()"


@pytest.mark.parametrize("seed", range(5))
def test_generated_texts_never_reach_a_csv_reader_as_a_formula(seed):
    """For any text: the CSV cell read back is the text, or an apostrophe and the text; it never starts
    with a formula character unless it is a plain number; and the XLSX cell is never a live formula."""
    rng = random.Random(seed)
    texts = ["".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 12))) for _ in range(400)]
    out = io.StringIO()
    spreadsheets.csv_writer(out, lineterminator="\r\n").writerows([[t] for t in texts])
    read = [row[0] if row else "" for row in csv.reader(io.StringIO(out.getvalue()))]
    assert len(read) == len(texts)
    for text, cell in zip(texts, read):
        assert cell in (text, "'" + text)
        assert cell == text or spreadsheets.formula_like(text)
        assert not (cell.lstrip()[:1] in DANGER and not NUMBER.fullmatch(cell)), repr(cell)
    book = Workbook()
    for row, text in enumerate(texts, start=1):
        book.active.cell(row=row, column=1, value=text.replace("\r", "") or None)
    assert bad_xlsx_cells(spreadsheets.workbook_bytes(book)) == []
