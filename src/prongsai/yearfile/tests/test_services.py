import hashlib

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from prongsai.agencies.models import Agency, Person, Unit
from prongsai.assessments.models import IndicatorScore, ITAResult
from prongsai.measures.models import Evidence, Measure, RoundResult, YearPlan
from prongsai.memos.models import Memo, Signer
from prongsai.yearfile.dump import to_yaml
from prongsai.yearfile.loader import YearFileInvalid, load_valid_year_file
from prongsai.yearfile.services import NoSuchYear, export_year, import_year, write_evidence_files
from prongsai.yearfile.tests.helpers import BASE, FULL, edit, row_counts, write

pytestmark = pytest.mark.django_db


def _import(tmp_path, text, name="year.yaml"):
    path = write(tmp_path, text, name)
    data = load_valid_year_file(path)
    return data, import_year(data=data, base_dir=path.parent)


def test_it_round_trips_import_export_import(tmp_path):
    data, _ = _import(tmp_path, FULL)
    counts = row_counts()

    exported = export_year(agency="tessaban-full", fiscal_year=2563)
    assert exported == data

    reread = load_valid_year_file(write(tmp_path, to_yaml(exported), "exported.yaml"))
    assert reread == data
    summary = import_year(data=reread, base_dir=tmp_path)
    assert not summary.changed
    assert row_counts() == counts
    assert export_year(agency="tessaban-full", fiscal_year=2563) == data


def test_it_maps_the_file_onto_the_models(tmp_path):
    _import(tmp_path, FULL)

    agency = Agency.objects.get(slug="tessaban-full")
    assert (agency.digits, str(agency.urgent_below), agency.wording) == (
        "arabic", "70.50", {"results_intro": "บัดนี้ {office} ได้ดำเนินการแล้ว"})
    assert list(Unit.objects.filter(agency=agency).values_list("name", flat=True)) == ["สำนักปลัด", "กองคลัง", "กองช่าง"]
    assert Person.objects.get(name="นางสาวปราณี จันทไชย").unit.name == "สำนักปลัด"
    assert ITAResult.objects.get(agency=agency, year=2561).grade == "C"
    assert str(IndicatorScore.objects.get(result__year=2562, indicator=2).score) == "80.15"
    plan = YearPlan.objects.get(agency=agency, fiscal_year=2563)
    assert plan.analysis["improve"][1] == {"indicator": 4, "label": "การใช้ทรัพย์สินของทางราชการ"}
    first = Measure.objects.get(plan=plan, order=1)
    assert sorted(first.units.values_list("name", flat=True)) == ["กองคลัง", "สำนักปลัด"]
    assert first.rounds == [6, 12]
    result = RoundResult.objects.get(measure=first, round=6)
    assert (result.label, result.remarks) == ("การใช้งบ", "ตามแผน")
    assert list(result.evidence.values_list("url", flat=True)) == ["https://full.go.th/plan.pdf", "https://full.go.th/news"]
    memo = Memo.objects.get(plan=plan, round=6)
    assert (memo.number, memo.body, memo.report_preparer_name) == (277, ["ย่อหน้าแรก", "ย่อหน้าที่สอง"], "นางสาวปราณี จันทไชย")
    approvers = memo.signers.filter(role=Signer.Role.APPROVER)
    assert [(s.order, s.rank, s.comment, str(s.signed_on)) for s in approvers] == [
        (1, "จ.อ.", "เห็นควรทราบ", "2020-06-29"), (2, "", "", "None")]


def test_it_updates_and_deletes_to_match_an_edited_file(tmp_path):
    _import(tmp_path, FULL)
    plan = YearPlan.objects.get(fiscal_year=2563)
    first_id = Measure.objects.get(plan=plan, order=1).pk
    edited = FULL.split("  - title: การเปิดเผยข้อมูล")[0] + FULL.split("        details: เผยแพร่ข้อมูล\n")[1]
    edited = edit(edited, "  - title: การใช้งบประมาณ", "  - title: การใช้งบประมาณประจำปี")
    edited = edit(edited, '          - {url: "https://full.go.th/news"}\n', "")
    edited = edit(edited, "comment: เห็นควรทราบ", "comment: ทราบ")
    edited = edit(edited, "    - {name: ทวี จันทเสนา, rank: จ.อ., position: ปลัดเทศบาล}\n", "")
    edited = edit(edited, "  units: [สำนักปลัด, กองคลัง, กองช่าง]", "  units: [สำนักปลัด, กองคลัง]")

    # Without replace: updates only; what the file no longer has is kept and listed.
    counts = row_counts()
    kept = _import(tmp_path, edited, "edited.yaml")[1]
    assert not kept.deleted and kept.updated["measure"] == 1
    assert row_counts() == counts
    assert "measure 2: การเปิดเผยข้อมูล" in kept.kept
    assert "person ทวี จันทเสนา" in kept.kept and "unit กองช่าง" in kept.kept
    assert any(line.startswith("evidence '' (https://full.go.th/news)") for line in kept.kept)

    path = write(tmp_path, edited, "edited.yaml")
    data = load_valid_year_file(path)
    summary = import_year(data=data, base_dir=tmp_path, replace=True)

    assert export_year(agency="tessaban-full", fiscal_year=2563) == data
    assert Measure.objects.get(plan=plan, order=1).pk == first_id
    assert summary.removed and not summary.kept
    assert summary.deleted["measure"] == 1 and summary.deleted["round result"] == 1
    assert summary.deleted["evidence"] == 1 and summary.deleted["person"] == 1 and summary.deleted["unit"] == 1
    assert not Unit.objects.filter(name="กองช่าง").exists()


def test_it_leaves_other_years_of_the_agency_alone(tmp_path):
    _import(tmp_path, FULL)
    later = edit(FULL, "fiscal_year: 2563\nframework_year: 2563", "fiscal_year: 2564\nframework_year: 2564")
    later = later.split("ita_results:")[0] + "ita_results:\n  - {year: 2563, indicators: {1: 95}}\n" + \
        "analysis:" + later.split("analysis:")[1]
    _import(tmp_path, later, "2564.yaml")
    plan_2564 = YearPlan.objects.get(fiscal_year=2564)
    ids_2564 = sorted(RoundResult.objects.filter(measure__plan=plan_2564).values_list("pk", flat=True))
    # 2563 again, now without its second measure and with กองช่าง gone from agency.units.
    shorter = FULL.split("  - title: การเปิดเผยข้อมูล")[0] + FULL.split("        details: เผยแพร่ข้อมูล\n")[1]
    shorter = edit(shorter, "  units: [สำนักปลัด, กองคลัง, กองช่าง]", "  units: [สำนักปลัด, กองคลัง]")

    _import(tmp_path, shorter, "2563-short.yaml")

    assert sorted(RoundResult.objects.filter(measure__plan=plan_2564).values_list("pk", flat=True)) == ids_2564
    assert Measure.objects.filter(plan=plan_2564).count() == 2
    # กองช่าง is still named by a 2564 measure: kept, after the file's units.
    assert list(Unit.objects.values_list("name", flat=True)) == ["สำนักปลัด", "กองคลัง", "กองช่าง"]
    assert Measure.objects.get(plan=plan_2564, order=2).units.get().name == "กองช่าง"
    # ITA results: each file replaced only its own years.
    assert sorted(ITAResult.objects.values_list("year", flat=True)) == [2561, 2562, 2563]


def test_it_writes_nothing_when_the_import_fails_midway(tmp_path, settings):
    _import(tmp_path, BASE)
    before = row_counts()
    evidence_file = write(tmp_path, b"%PDF-1.4 plan", "evidence/plan.pdf")
    text = edit(FULL, '{title: แผน, url: "https://full.go.th/plan.pdf"}', "{title: แผน, file: evidence/plan.pdf}")
    blocker = tmp_path / "media-is-a-file"
    blocker.write_text("not a folder")
    settings.MEDIA_ROOT = blocker  # storing the evidence file fails after the rows before it were written

    with pytest.raises(OSError):
        _import(tmp_path, text, "full.yaml")

    assert evidence_file.exists()
    assert row_counts() == before
    assert not Agency.objects.filter(slug="tessaban-full").exists()


def test_it_refuses_invalid_data_before_writing(tmp_path):
    data = load_valid_year_file(write(tmp_path, BASE))
    data["measures"][0]["results"][0]["round"] = 9

    with pytest.raises(YearFileInvalid) as caught:
        import_year(data=data)

    assert str(caught.value) == "measures[0].results[0].round: round 9 is not one of this measure's rounds (6, 12)"
    assert row_counts()["agencies.Agency"] == 0


def test_it_uses_the_same_number_of_queries_for_3_or_30_measures(tmp_path):
    def year(slug: str, count: int) -> str:
        measure = (
            "  - title: มาตรการ {n}\n    units: [กองคลัง]\n    rounds: [6, 12]\n    results:\n"
            "      - round: 6\n        evidence: [{{url: 'https://a.go.th/{n}'}}]\n      - round: 12\n"
        )
        head = BASE.split("measures:")[0].replace("tessaban-test", slug)
        return head + "measures:\n" + "".join(measure.format(n=n) for n in range(count))

    queries = []
    for slug, count in (("small", 3), ("large", 30)):
        data = load_valid_year_file(write(tmp_path, year(slug, count), f"{slug}.yaml"))
        with CaptureQueriesContext(connection) as captured:
            import_year(data=data)
        # Each created row has its audit entry (one per row, as in the browser); the rest is bulk.
        queries.append(sum(1 for q in captured if "audit_" not in q["sql"]))

    assert Measure.objects.filter(plan__agency__slug="large").count() == 30
    assert queries[0] == queries[1]


def test_it_stores_evidence_files_and_exports_them_back(tmp_path, settings, django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path / "media"
    source = tmp_path / "in"
    content = b"%PDF-1.4\n" + "หลักฐาน".encode() * 100
    write(source, content, "evidence/รอบ6/แผน.pdf")
    text = edit(BASE, '{title: แผน, url: "https://example.go.th/plan.pdf"}', "{title: แผน, file: evidence/รอบ6/แผน.pdf}")
    data, _ = _import(source, text)

    evidence = Evidence.objects.get()
    assert evidence.sha256 == hashlib.sha256(content).hexdigest()
    assert evidence.file.read() == content
    assert export_year(agency="tessaban-test", fiscal_year=2563) == data

    out = tmp_path / "out"
    written = write_evidence_files(agency="tessaban-test", fiscal_year=2563, directory=out)
    assert written == [out / "evidence" / "รอบ6" / "แผน.pdf"]
    assert written[0].read_bytes() == content
    assert write_evidence_files(agency="tessaban-test", fiscal_year=2563, directory=out) == []  # already there

    # Re-importing the exported copy changes nothing; a changed file replaces the stored one.
    write(out, to_yaml(data))
    assert not import_year(data=load_valid_year_file(out / "year.yaml"), base_dir=out).changed
    old_name = evidence.file.name
    (out / "evidence" / "รอบ6" / "แผน.pdf").write_bytes(b"%PDF-1.4 new content")
    with django_capture_on_commit_callbacks(execute=True):
        summary = import_year(data=load_valid_year_file(out / "year.yaml"), base_dir=out)
    assert summary.updated["evidence"] == 1
    evidence.refresh_from_db()
    assert evidence.sha256 == hashlib.sha256(b"%PDF-1.4 new content").hexdigest()
    assert not (settings.MEDIA_ROOT / old_name).exists()


def test_it_needs_the_folder_to_import_evidence_files(tmp_path):
    write(tmp_path, b"%PDF-1.4 x", "plan.pdf")
    text = edit(BASE, '{title: แผน, url: "https://example.go.th/plan.pdf"}', "{file: plan.pdf}")
    data = load_valid_year_file(write(tmp_path, text))

    with pytest.raises(YearFileInvalid) as caught:
        import_year(data=data)

    assert "measures[0].results[0].evidence[0].file: an evidence file needs the year file's folder" in str(caught.value)


def test_it_raises_no_such_year_for_unknown_agency_or_year(tmp_path):
    _import(tmp_path, BASE)

    with pytest.raises(NoSuchYear, match="no agency with slug 'x'"):
        export_year(agency="x", fiscal_year=2563)
    with pytest.raises(NoSuchYear, match="has no fiscal year 2564"):
        export_year(agency=Agency.objects.get(), fiscal_year=2564)
