"""Spreadsheet uploads are bounded before they are parsed (issue 10, item 5): the zip's own directory says
how much each part unpacks to, and the worksheets' cells are counted by streaming through their XML, so a
small file that would unpack to hundreds of MB is refused with a Thai message before openpyxl opens it.
Before the fix, a 721 KB file with 200 MB of shared strings held a worker 21-27 s at 740 MB; the time
now is in bench/spreadsheet_bomb.py (a figure, not a timed test), the memory is bounded here."""

from __future__ import annotations

import io
import tracemalloc

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from prongsai.assessments.models import ITAResult
from prongsai.lib import spreadsheets as rules, thai
from prongsai.workspace import spreadsheets
from prongsai.workspace.tests import bombs

BOMB_SAYS = "ไฟล์: ไฟล์ Excel เมื่อขยายแล้วมีขนาด 200 MB เกิน 50 MB ที่ระบบรับได้"
SCORES = reverse("workspace:scores_upload", args=["tessaban-rae", 2563])
RESULTS = reverse("workspace:results_import", args=["tessaban-rae", 2563])


@pytest.fixture(scope="module")
def bomb() -> bytes:
    return bombs.shared_strings_bomb(200)


def _upload(content: bytes, name: str = "คะแนน.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def test_the_bomb_is_small_and_unpacks_to_200_mb(bomb):
    import zipfile

    assert len(bomb) < 1024 * 1024
    sizes = {i.filename: i.file_size for i in zipfile.ZipFile(io.BytesIO(bomb)).infolist()}
    assert sizes["xl/sharedStrings.xml"] > 200 * 1000 * 1000


def test_the_score_upload_refuses_the_bomb_with_a_thai_message(planner_client, plan, bomb):
    before = list(ITAResult.objects.values())
    response = planner_client.post(SCORES, {"file": _upload(bomb)})
    assert response.status_code == 200  # the scores page again, with the error
    assert thai.digits(BOMB_SAYS, plan.agency.digits) in response.content.decode()  # the page's digits
    assert list(ITAResult.objects.values()) == before  # nothing written


def test_the_results_import_refuses_the_bomb_with_a_thai_message(planner_client, plan, bomb):
    response = planner_client.post(RESULTS, {"file": _upload(bomb, "ผล.xlsx")})
    assert response.status_code == 200
    assert thai.digits(BOMB_SAYS, plan.agency.digits) in response.content.decode()


def test_refusing_the_bomb_takes_bounded_memory(bomb):
    tracemalloc.start()
    try:
        with pytest.raises(spreadsheets.SpreadsheetError, match=BOMB_SAYS):
            spreadsheets.read_cells(_upload(bomb))
        with pytest.raises(spreadsheets.SpreadsheetError):
            spreadsheets.results_rows(_upload(bomb))
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 8 * 1024 * 1024  # the file itself is 0.5 MB; openpyxl would have held ~740 MB


@pytest.mark.parametrize("make, says", [
    (lambda: bombs.shared_strings_bomb(20),
     "ไฟล์: ส่วน xl/sharedStrings.xml ของไฟล์ Excel เมื่อขยายแล้วมีขนาด 20 MB เกิน 16 MB"),
    (lambda: bombs.padded_part(8), "ไฟล์: ส่วน xl/media/padding.bin ของไฟล์ Excel ถูกบีบอัดไว้เกิน 100 เท่า"),
    (lambda: bombs.many_cells(rules.MAX_CELLS + 100), "ไฟล์: ไฟล์ Excel มีเกิน 200,000 ช่องข้อมูล"),
    (lambda: bombs.many_parts(rules.MAX_ENTRIES), "ไฟล์: ไฟล์ Excel มีส่วนประกอบ"),
], ids=["shared-strings", "ratio", "cells", "parts"])
def test_each_bound_names_itself(make, says):
    with pytest.raises(spreadsheets.SpreadsheetError) as refused:
        spreadsheets.read_cells(_upload(make()))
    assert says in str(refused.value)


def test_a_sheet_padded_by_its_stated_dimension_is_cut_off_while_streaming():
    """A worksheet whose <dimension> claims 16,384 columns: read-only openpyxl pads every row to that
    width, so the rows are counted with their padding as they stream."""
    sheet = (bombs.SHEET_HEAD.replace(b"<sheetData>", b'<dimension ref="A1:XFD2000"/><sheetData>')
             + b"".join(b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>x</t></is></c></row>' % (n, n)
                        for n in range(1, 2001))
             + b"</sheetData></worksheet>")
    with pytest.raises(spreadsheets.SpreadsheetError) as refused:
        spreadsheets.read_cells(_upload(bombs.replace_parts({"xl/worksheets/sheet1.xml": sheet})))
    assert "มีเกิน 200,000 ช่องข้อมูล" in str(refused.value)


def test_a_csv_with_too_many_cells_is_refused():
    text = ("ตัวชี้วัด,คะแนน" + "," * 300_000 + "\r\n").encode("utf-8")
    with pytest.raises(spreadsheets.SpreadsheetError) as refused:
        spreadsheets.read_cells(_upload(text, "scores.csv"))
    assert "มีเกิน 200,000 ช่องข้อมูล" in str(refused.value)


def test_the_cell_count_finds_every_cell_whatever_the_chunk_boundaries():
    import zipfile

    for cells in (0, 1, 99, 100, 12_345):
        content = bombs.many_cells(cells)
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            info = archive.getinfo("xl/worksheets/sheet1.xml")
            assert rules.count_cells(archive, info) == cells // 100 * 100
    old = rules._CHUNK
    try:
        for chunk in (7, 13, 64):  # boundaries inside tags: each cell is still counted once
            rules._CHUNK = chunk
            with zipfile.ZipFile(io.BytesIO(bombs.many_cells(1000))) as archive:
                assert rules.count_cells(archive, archive.getinfo("xl/worksheets/sheet1.xml")) == 1000
    finally:
        rules._CHUNK = old
