"""Issue 11, bulk onboarding: `prongsai import PATH [PATH ...]` with many files, folders and zips, one
transaction per file, a line per file (no terminal here) and a summary table; zips read safely."""

import io
import os
import random
import stat
import zipfile

import pytest
from django.core.management import CommandError, call_command

from prongsai.agencies.models import Agency
from prongsai.audit import services as audit
from prongsai.audit.models import AuditEntry
from prongsai.measures.models import Evidence, Measure
from prongsai.search.models import Entry
from prongsai.yearfile import bulk, source
from prongsai.yearfile.loader import load_valid_year_file
from prongsai.yearfile.services import export_year
from prongsai.yearfile.tests.fuzz import cases
from prongsai.yearfile.tests.helpers import BASE, edit, row_counts, write

PDF = b"%PDF-1.4\n" + "หลักฐาน".encode() * 50 + b"\n%%EOF\n"
LINK = '{title: แผน, url: "https://example.go.th/plan.pdf"}'


def year(slug: str, *, evidence: str | None = None) -> str:
    text = BASE.replace("tessaban-test", slug).replace("เทศบาลตำบลทดสอบ", f"เทศบาลตำบล {slug}")
    if evidence:
        text = edit(text, LINK, f"{{title: แผน, file: {evidence}}}")
    return text


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import", *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def run_failing(*args):
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("import", *map(str, args), stdout=out, stderr=err)
    return str(caught.value), out.getvalue(), err.getvalue()


def table_rows(out: str) -> dict[str, list[str]]:
    """The summary table's rows by file name (the columns are separated by two or more spaces)."""
    import re

    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("file "))
    rows = {}
    for line in lines[start + 2:]:
        cells = re.split(r"\s{2,}", line.strip())
        if len(cells) >= 4:
            rows[cells[0]] = cells
    return rows


def slugs() -> set[str]:
    return set(Agency.objects.values_list("slug", flat=True))


def make_zip(path, members: dict, *, symlinks: dict | None = None, compression=zipfile.ZIP_DEFLATED):
    with zipfile.ZipFile(path, "w", compression=compression) as zf:
        for name, content in members.items():
            zf.writestr(name, content)
        for name, target in (symlinks or {}).items():
            info = zipfile.ZipInfo(name)
            info.create_system = 3
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            zf.writestr(info, target)
    return path


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


# --- folders, zips, many paths ------------------------------------------------------------------------

@pytest.mark.django_db
def test_a_folder_imports_every_year_file_in_it_recursively_in_sorted_order(tmp_path, media):
    folder = tmp_path / "exports"
    write(folder, year("b-agency"), "north/b-2563.yaml")
    write(folder, year("a-agency"), "a-2563.yml")
    write(folder / "south" / "c", PDF, "evidence/plan.pdf")
    write(folder, year("c-agency", evidence="evidence/plan.pdf"), "south/c/c-2563.yaml")
    write(folder, "not: a year file", ".hidden/x.yaml")  # dot-folders are skipped
    write(folder, "notes", "README.txt")

    out, err = run(folder)

    assert slugs() == {"a-agency", "b-agency", "c-agency"}
    assert Evidence.objects.get(result__measure__plan__agency__slug="c-agency").file.read() == PDF
    lines = [line for line in out.splitlines() if line.startswith("[")]
    assert [line.split(": ")[1] for line in lines] == [
        str(folder / "a-2563.yml"), str(folder / "north" / "b-2563.yaml"), str(folder / "south" / "c" / "c-2563.yaml")]
    assert lines[0].startswith("[1/3] imported: ")
    rows = table_rows(out)
    assert rows[str(folder / "a-2563.yml")][1:3] == ["a-agency", "2563"]
    assert all(row[-1] == "imported" for row in rows.values()) and len(rows) == 3
    assert "3 files: 3 imported, 0 already up to date, 0 failed" in out
    assert "agency-years/s" in out.splitlines()[-1]
    assert all(": warning: " in line for line in err.splitlines())  # BASE's warnings, each naming its file
    assert f"{folder / 'a-2563.yml'}: warning: reports[0].preparer: no preparer name" in err
    assert audit.verify() == []


@pytest.mark.django_db
def test_importing_the_folder_again_changes_nothing_and_says_so(tmp_path, media):
    folder = tmp_path / "exports"
    for slug in ("a-agency", "b-agency"):
        write(folder, year(slug), f"{slug}.yaml")
    run(folder)
    counts, entries = row_counts(), AuditEntry.objects.count()

    out, _ = run(folder)

    assert row_counts() == counts and AuditEntry.objects.count() == entries
    assert {row[-1] for row in table_rows(out).values()} == {"unchanged"}
    assert "2 files: 0 imported, 2 already up to date, 0 failed" in out


@pytest.mark.django_db
def test_a_zip_is_imported_with_each_year_files_evidence_read_from_its_own_folder_in_the_zip(tmp_path, media):
    archive = make_zip(tmp_path / "onboarding.zip", {
        "2563/a/a-2563.yaml": year("a-agency", evidence="evidence/plan.pdf"),
        "2563/a/evidence/plan.pdf": PDF,
        "2563/b/b-2563.yaml": year("b-agency", evidence="evidence/plan.pdf"),
        "2563/b/evidence/plan.pdf": PDF + b"b",
        "2563/": b"",
    })

    out, err = run(archive)

    assert slugs() == {"a-agency", "b-agency"}
    stored = {e.result.measure.plan.agency.slug: e.file.read() for e in Evidence.objects.all()}
    assert stored == {"a-agency": PDF, "b-agency": PDF + b"b"}
    rows = table_rows(out)
    assert set(rows) == {f"{archive}:2563/a/a-2563.yaml", f"{archive}:2563/b/b-2563.yaml"}
    plan = Measure.objects.filter(plan__agency__slug="a-agency").first().plan
    assert AuditEntry.objects.filter(action="yearfile.imported", object_id=str(plan.pk)).get().changes["file"] == \
        f"{archive}:2563/a/a-2563.yaml"


@pytest.mark.django_db
def test_evidence_in_a_zip_cannot_reach_outside_its_year_files_folder(tmp_path, media):
    archive = make_zip(tmp_path / "escape.zip", {
        "a/a-2563.yaml": year("a-agency", evidence="../b/evidence/plan.pdf"),
        "b/evidence/plan.pdf": PDF,
        "ok/ok-2563.yaml": year("ok-agency"),
    })

    message, out, err = run_failing(archive)

    assert slugs() == {"ok-agency"}
    assert (f"{archive}:a/a-2563.yaml: measures[0].results[0].evidence[0].file: '../b/evidence/plan.pdf' must "
            f"be a relative path inside the year file's folder") in err
    assert "(line 24)" in err
    assert message == "1 of 2 files failed and was not imported; the others were imported"


@pytest.mark.django_db
def test_files_folders_and_zips_can_be_given_together(tmp_path, media):
    one = write(tmp_path, year("one"), "one.yaml")
    folder = tmp_path / "folder"
    write(folder, year("two"), "two.yaml")
    archive = make_zip(tmp_path / "three.zip", {"three.yaml": year("three")})

    out, _ = run(one, folder, archive)

    assert slugs() == {"one", "two", "three"}
    assert list(table_rows(out)) == [str(one), str(folder / "two.yaml"), f"{archive}:three.yaml"]


# --- a bad file among good ones ---------------------------------------------------------------------

@pytest.mark.django_db
def test_a_bad_file_is_reported_with_path_and_line_and_the_others_still_import(tmp_path, media):
    folder = tmp_path / "mixed"
    write(folder, year("a-good"), "1-good.yaml")
    write(folder, year("b-bad").replace("rounds: [6, 12]", "rounds: [6, 7]"), "2-bad.yaml")
    write(folder, year("c-good"), "3-good.yaml")

    message, out, err = run_failing(folder)

    assert slugs() == {"a-good", "c-good"}
    bad = folder / "2-bad.yaml"
    assert f"{bad}: measures[0].rounds[1]: 7 is not one of 3, 6, 9, 12 (line 19)" in err.splitlines()
    rows = table_rows(out)
    assert rows[str(bad)][1:] == ["0", "0", "0", "failed (1 errors)"]
    assert rows[str(folder / "1-good.yaml")][-1] == "imported"
    assert "3 files: 2 imported, 0 already up to date, 1 failed" in out
    assert message == "1 of 3 files failed and was not imported; the others were imported"


@pytest.mark.django_db
def test_a_file_failing_midway_is_rolled_back_and_the_files_around_it_are_kept(tmp_path, settings):
    folder = tmp_path / "mixed"
    write(folder, year("a-good"), "1-good.yaml")
    write(folder, PDF, "2/evidence/plan.pdf")
    write(folder, year("b-midway", evidence="evidence/plan.pdf"), "2/b-2563.yaml")
    write(folder, year("c-good"), "3-good.yaml")
    blocker = tmp_path / "media-is-a-file"
    blocker.write_text("not a folder")
    settings.MEDIA_ROOT = blocker  # storing b's evidence fails after its agency, units, measures... were written

    message, out, err = run_failing(folder)

    assert slugs() == {"a-good", "c-good"}
    assert not Measure.objects.filter(plan__agency__slug="b-midway").exists()
    assert not AuditEntry.objects.filter(object_repr__contains="b-midway").exists()
    assert f"{folder / '2' / 'b-2563.yaml'}: nothing imported: " in err
    assert Measure.objects.filter(plan__agency__slug__in=["a-good", "c-good"]).count() == 2
    assert audit.verify() == []


@pytest.mark.django_db
def test_dry_run_and_replace_keep_their_meaning_for_every_file(tmp_path, media):
    folder = tmp_path / "exports"
    for slug in ("a-agency", "b-agency"):
        write(folder, year(slug), f"{slug}.yaml")

    out, _ = run(folder, "--dry-run")

    assert slugs() == set() and not AuditEntry.objects.exists()
    assert {row[-1] for row in table_rows(out).values()} == {"dry run"}
    assert "2 files: 2 would be imported, 0 failed" in out

    run(folder)
    for slug in ("a-agency", "b-agency"):  # each file now drops its evidence link
        write(folder, year(slug).replace(f"        evidence:\n          - {LINK}\n", ""), f"{slug}.yaml")
    out, _ = run(folder)
    assert Evidence.objects.count() == 2 and out.count("kept, not in the file (1;") == 2
    out, _ = run(folder, "--replace", "--dry-run")
    assert Evidence.objects.count() == 2 and out.count("would be deleted, not in the file (1)") == 2
    out, _ = run(folder, "--replace")
    assert Evidence.objects.count() == 0
    assert [row[5] for row in table_rows(out).values()] == ["1", "1"]


# --- hostile zips: refused as a whole, nothing written ------------------------------------------------

def _refused(tmp_path, archive, expected: str):
    good = write(tmp_path, year("good"), "good.yaml")
    before = row_counts()
    message, out, err = run_failing(archive)
    assert expected in err, err
    assert row_counts() == before
    assert table_rows(out)[str(archive)][-1] == "failed (1 errors)"
    assert message == "1 of 1 file failed and was not imported; nothing was imported"
    # with a good file beside it, the good one still imports
    run_failing(archive, good)
    assert slugs() == {"good"}


@pytest.mark.django_db
@pytest.mark.parametrize("member", ["../evil.yaml", "a/../../evil.yaml", "/tmp/evil.yaml", "C:/evil.yaml",
                                    "a\\..\\evil.yaml", "a//evil.yaml"])
def test_a_zip_slip_member_is_refused(tmp_path, media, member):
    archive = make_zip(tmp_path / "slip.zip", {"ok.yaml": year("ok-agency"), member: year("evil")})

    _refused(tmp_path, archive, f"{archive}: member {member!r}: ")
    assert not (tmp_path.parent / "evil.yaml").exists() and not (tmp_path / "evil.yaml").exists()
    assert "ok-agency" not in slugs()


@pytest.mark.django_db
def test_a_symlink_member_is_refused(tmp_path, media):
    archive = make_zip(tmp_path / "link.zip", {"a/a.yaml": year("a-agency", evidence="evidence/plan.pdf")},
                       symlinks={"a/evidence/plan.pdf": "/etc/passwd"})

    _refused(tmp_path, archive, f"{archive}: member 'a/evidence/plan.pdf': a symbolic link")


@pytest.mark.django_db
def test_a_zip_bomb_is_refused_before_it_is_unpacked(tmp_path, media):
    archive = make_zip(tmp_path / "bomb.zip", {"a.yaml": year("a-agency"), "a/evidence/zeros.pdf": b"\0" * 10_000_000})
    assert os.path.getsize(archive) < 100_000

    _refused(tmp_path, archive, "member 'a/evidence/zeros.pdf': unpacks to more than 100 times its packed size")


@pytest.mark.django_db
def test_a_zip_over_the_member_count_size_or_depth_limits_is_refused(tmp_path, media, monkeypatch):
    many = make_zip(tmp_path / "many.zip", {f"{n}.yaml": year(f"a{n}") for n in range(5)})
    monkeypatch.setattr(bulk, "MAX_MEMBERS", 4)
    _refused(tmp_path, many, f"{many}: 5 members, more than the 4 an import reads")
    monkeypatch.setattr(bulk, "MAX_MEMBERS", 100_000)

    large = make_zip(tmp_path / "large.zip", {"a.yaml": year("a"), "b.yaml": year("b")}, compression=zipfile.ZIP_STORED)
    monkeypatch.setattr(bulk, "MAX_UNPACKED", len(year("a")) + 10)
    message, out, err = run_failing(large)
    assert f"{large}: more than {len(year('a')) + 10:,} bytes once unpacked" in err
    monkeypatch.setattr(bulk, "MAX_UNPACKED", 4 * 1024 ** 3)

    deep = make_zip(tmp_path / "deep.zip", {"/".join(["d"] * 17) + "/a.yaml": year("a")})
    message, out, err = run_failing(deep)
    assert "more than 16 folders deep" in err
    assert slugs() == {"good"}  # from the first _refused call only


@pytest.mark.django_db
def test_a_file_that_is_not_a_zip_is_refused_with_a_clear_message(tmp_path, media):
    fake = write(tmp_path, "version: 1\n", "fake.zip")

    message, out, err = run_failing(fake)

    assert f"{fake}: not a readable zip archive" in err
    assert slugs() == set()


def test_extraction_counts_what_it_unpacks_and_writes_only_inside_its_folder(tmp_path):
    archive = make_zip(tmp_path / "a.zip", {"x/a.yaml": "version: 1\n", "x/evidence/e.pdf": PDF, "y.json": "{}"})
    target = tmp_path / "out"
    target.mkdir()

    found = bulk.extract_archive(archive, target)

    assert [p.as_posix() for p in found] == ["x/a.yaml", "y.json"]
    assert (target / "x" / "evidence" / "e.pdf").read_bytes() == PDF
    assert sorted(p.relative_to(target).as_posix() for p in target.rglob("*") if p.is_file()) == [
        "x/a.yaml", "x/evidence/e.pdf", "y.json"]


# --- generated input: every file imported exactly ------------------------------------------------------

WORDS = ["การ", "ใช้", "งบประมาณ", "เปิดเผย", "ข้อมูล", "ป้องกัน", "ทุจริต", "จัดซื้อ", "จัดจ้าง", "โปร่งใส", "ประชาชน",
         "ร้องเรียน", "บริการ", "ทรัพย์สิน", "ราชการ", "คุณธรรม"]
UNITS = ["สำนักปลัด", "กองคลัง", "กองช่าง", "กองการศึกษา", "กองสาธารณสุข"]


def generated_year(rng: random.Random, index: int) -> str:
    def words(n):
        return "".join(rng.choice(WORDS) for _ in range(n))

    units = rng.sample(UNITS, rng.randint(1, len(UNITS)))
    lines = ["version: 1", "fiscal_year: 2563", "agency:", f"  slug: gen-{index:03d}",
             f"  name: เทศบาลตำบล{words(2)} {index}", f"  kind: {rng.choice(['tessaban_tambon', 'sao', 'pao'])}",
             f"  province: สกลนคร", f"  digits: {rng.choice(['thai', 'arabic'])}",
             f"  units: [{', '.join(units)}]", "ita_results:", "  - year: 2562", "    indicators: {" + ", ".join(
                 f"{n}: {rng.randint(4000, 10000) / 100}" for n in sorted(rng.sample(range(1, 11), rng.randint(1, 10))))
             + "}", "measures:"]
    rounds_used = set()
    for _ in range(rng.randint(1, 6)):
        rounds = sorted(rng.sample([3, 6, 9, 12], rng.randint(1, 4)))
        lines += [f"  - title: {words(3)}", f"    indicator: {rng.randint(1, 10)}",
                  f"    units: [{', '.join(rng.sample(units, rng.randint(0, len(units))))}]",
                  f"    rounds: [{', '.join(map(str, rounds))}]", "    results:"]
        for rnd in sorted(rng.sample(rounds, rng.randint(0, len(rounds)))):
            rounds_used.add(rnd)
            lines += [f"      - round: {rnd}", f"        details: {words(4)}", "        evidence:"]
            lines += [f'          - {{title: {words(2)}, url: "https://gen{index}.example/{rnd}/{n}"}}'
                      for n in range(rng.randint(0, 3))] or []
            if lines[-1] == "        evidence:":
                lines[-1] = "        evidence: []"
        if lines[-1] == "    results:":
            lines[-1] = "    results: []"
    lines.append("reports:" if rounds_used else "reports: []")
    for rnd in sorted(rounds_used):
        lines += [f"  - round: {rnd}", "    memo:", f"      number: {rng.randint(1, 999)}",
                  f"      date: 2020-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"]
    return "\n".join(lines) + "\n"


@pytest.mark.django_db
def test_50_generated_year_files_in_a_zip_are_each_imported_exactly(tmp_path, media):
    rng = random.Random(11)
    texts = {f"part-{n // 10}/gen-{n:03d}.yaml": generated_year(rng, n) for n in range(50)}
    folder = tmp_path / "gen"
    for name, text in texts.items():
        write(folder, text, name)
    archive = make_zip(tmp_path / "gen.zip", texts)

    out, err = run(archive)

    assert slugs() == {f"gen-{n:03d}" for n in range(50)}
    for name in texts:
        expected = load_valid_year_file(folder / name)
        assert export_year(agency=expected["agency"]["slug"], fiscal_year=2563) == expected, name
    assert len(table_rows(out)) == 50
    assert "50 files: 50 imported, 0 already up to date, 0 failed" in out
    assert audit.verify() == []
    # the search index was rebuilt once at the end: every imported measure is in it
    assert Entry.objects.filter(kind="measure").count() == Measure.objects.count()


# --- the faster YAML reading gives what the pure-Python reading gives ---------------------------------

def test_libyaml_and_pure_python_reading_agree_on_400_mutated_year_files():
    assert source.FAST
    compared = 0
    for name, content in cases(400):
        if name.endswith(".json"):
            continue
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            continue
        fast, pure = source.parse_yaml(text), source._parse_yaml(text, source._Loader)
        assert (fast.data, fast.lines, fast.errors) == (pure.data, pure.lines, pure.errors), name
        compared += 1
    assert compared > 50  # the YAML cases that decode (the others never reach the parser)
