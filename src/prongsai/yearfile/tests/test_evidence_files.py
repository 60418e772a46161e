"""Issue 10, item 1: a year file's evidence `file:` never follows a symlink, never leaves the year file's
folder, and is checked by content like a browser upload, both by `validate` and by `import`."""

import os
from io import StringIO

import pytest
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command

from prongsai.measures.models import Evidence
from prongsai.yearfile.evidence import EvidenceRefused, open_evidence
from prongsai.yearfile.loader import YearFileInvalid, load_year_file, validate_data
from prongsai.yearfile.tests.helpers import BASE, edit, write

PDF = b"%PDF-1.4\n%%EOF\n"
PATH = "measures[0].results[0].evidence[0].file"


def _year(folder, name="evidence/x.pdf"):
    text = edit(BASE, '{title: แผน, url: "https://example.go.th/plan.pdf"}', f"{{title: แผน, file: {name}}}")
    return write(folder, text)


def _errors(path) -> list[str]:
    return [str(e) for e in load_year_file(path).errors]


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _refused_by_import(year_path) -> str:
    err = StringIO()
    with pytest.raises(CommandError, match="nothing imported"):
        call_command("import", str(year_path), stdout=StringIO(), stderr=err)
    return err.getvalue()


@pytest.mark.django_db
def test_a_symlink_to_etc_passwd_is_refused(tmp_path, media):
    folder = tmp_path / "year"
    (folder / "evidence").mkdir(parents=True)
    os.symlink("/etc/passwd", folder / "evidence" / "x.pdf")
    year = _year(folder)

    assert _errors(year) == [
        f"{PATH}: evidence/x.pdf: evidence/x.pdf is a symbolic link; evidence files must be real files inside "
        "the year file's folder (copy the file there) (line 24)"]
    assert "is a symbolic link" in _refused_by_import(year)
    assert not Evidence.objects.exists()
    assert not media.exists() or not any(media.rglob("*.pdf"))


@pytest.mark.django_db
def test_a_symlink_to_another_agencys_stored_file_is_refused(tmp_path, media):
    stored = default_storage.save("evidence/2026/other-agency.pdf", open(write(tmp_path, PDF, "o.pdf"), "rb"))
    folder = tmp_path / "year"
    (folder / "evidence").mkdir(parents=True)
    os.symlink(default_storage.path(stored), folder / "evidence" / "x.pdf")
    year = _year(folder)

    assert "is a symbolic link" in _refused_by_import(year)
    assert Evidence.objects.count() == 0


@pytest.mark.django_db
def test_a_symlinked_folder_in_the_path_is_refused(tmp_path, media):
    outside = tmp_path / "outside"
    write(outside, PDF, "x.pdf")
    folder = tmp_path / "year"
    folder.mkdir()
    os.symlink(outside, folder / "evidence")  # evidence/ -> a folder outside the year file's folder
    year = _year(folder)

    assert _errors(year) == [
        f"{PATH}: evidence/x.pdf: evidence is a symbolic link; evidence files must be real files inside "
        "the year file's folder (copy the file there) (line 24)"]
    assert "is a symbolic link" in _refused_by_import(year)


def test_the_year_files_own_folder_may_be_reached_through_a_symlink(tmp_path):
    real = tmp_path / "real"
    write(real, PDF, "evidence/x.pdf")
    os.symlink(real, tmp_path / "link")
    year = _year(real)

    assert _errors(tmp_path / "link" / year.name) == []


@pytest.mark.parametrize("name", ["../secret.pdf", "evidence/../../secret.pdf", "/etc/passwd", "./x.pdf",
                                  "evidence//x.pdf", "C:/x.pdf", "evidence\\x.pdf"])
def test_paths_leaving_the_folder_are_refused(tmp_path, name):
    write(tmp_path, PDF, "secret.pdf")
    with pytest.raises(EvidenceRefused, match="must be a relative path inside the year file's folder"):
        open_evidence(tmp_path / "year", name)


def test_a_dotdot_path_in_a_year_file_is_an_error(tmp_path):
    write(tmp_path, PDF, "secret.pdf")
    year = _year(tmp_path / "year", "../secret.pdf")
    assert _errors(year) == [f"{PATH}: '../secret.pdf' must be a relative path inside the year file's folder "
                             "(e.g. evidence/plan.pdf) (line 24)"]


@pytest.mark.django_db
def test_a_text_file_named_pdf_is_refused_like_a_browser_upload(tmp_path, media):
    write(tmp_path, "root:x:0:0:root:/root:/bin/bash\n", "evidence/x.pdf")
    year = _year(tmp_path)

    assert _errors(year) == [
        f"{PATH}: evidence/x.pdf: ไฟล์: เนื้อหาของไฟล์ไม่ใช่ PDF, PNG, JPEG, DOCX หรือ XLSX (line 24)"]
    assert "เนื้อหาของไฟล์ไม่ใช่ PDF" in _refused_by_import(year)


@pytest.mark.django_db
def test_an_extension_that_does_not_match_the_content_is_refused(tmp_path, media):
    write(tmp_path, b"\x89PNG\r\n\x1a\n" + b"0" * 20, "evidence/x.pdf")
    assert _errors(_year(tmp_path)) == [
        f"{PATH}: evidence/x.pdf: ไฟล์: นามสกุล .pdf ไม่ตรงกับเนื้อหาของไฟล์ซึ่งเป็น PNG (line 24)"]


def test_a_fifo_or_a_folder_is_not_a_regular_file(tmp_path):
    os.mkfifo(tmp_path / "pipe.pdf")
    (tmp_path / "folder.pdf").mkdir()
    with pytest.raises(EvidenceRefused, match="not a regular file"):
        open_evidence(tmp_path, "pipe.pdf")  # never blocks waiting for a writer
    with pytest.raises(EvidenceRefused, match="not a regular file"):
        open_evidence(tmp_path, "folder.pdf")


@pytest.mark.django_db
def test_import_year_checks_again_when_called_with_data(tmp_path, media):
    """The service refuses on its own (not only through the loader): a symlink swapped in after
    validation is caught when the file is opened for storing."""
    folder = tmp_path / "year"
    write(folder, PDF, "evidence/x.pdf")
    data = load_year_file(_year(folder)).data
    assert data is not None
    os.remove(folder / "evidence" / "x.pdf")
    os.symlink("/etc/passwd", folder / "evidence" / "x.pdf")
    assert validate_data(data, base_dir=folder)  # found by validation again

    from prongsai.yearfile import importing, services
    from prongsai.yearfile.importing import ImportSummary, Writer

    summary = ImportSummary(agency="x", fiscal_year=2563)
    with pytest.raises(YearFileInvalid, match="is a symbolic link"):
        importing._store(Writer(summary), "evidence/x.pdf", folder, ("measures", 0))
    with pytest.raises(YearFileInvalid, match="is a symbolic link"):
        services.import_year(data=data, base_dir=folder)
    assert summary.stored == [] and not Evidence.objects.exists()
