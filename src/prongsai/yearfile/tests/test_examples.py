"""Every example year file in examples/ validates and survives import -> export -> import."""

from pathlib import Path

import pytest

from prongsai.yearfile.dump import to_yaml
from prongsai.yearfile.loader import load_valid_year_file, load_year_file, validate_data
from prongsai.yearfile.services import export_year, import_year, write_evidence_files
from prongsai.yearfile.tests.helpers import row_counts, write

EXAMPLES = Path(__file__).resolve().parents[4] / "examples"


def _example_files() -> list[Path]:
    files = sorted(p for p in EXAMPLES.glob("*") if p.suffix.lower() in {".yaml", ".yml", ".json"})
    assert files, f"no example year files in {EXAMPLES}"
    return files


def test_it_validates_every_example_without_errors():
    for path in _example_files():
        year_file = load_year_file(path)
        assert [str(e) for e in year_file.errors] == [], path.name


@pytest.mark.django_db
def test_it_round_trips_every_example(tmp_path):
    for path in _example_files():
        data = load_valid_year_file(path)
        import_year(data=data, base_dir=path.parent)
        counts = row_counts()
        slug, year = data["agency"]["slug"], data["fiscal_year"]

        exported = export_year(agency=slug, fiscal_year=year)
        # Two examples may be years of one agency, whose ITA results are the agency's: compare the file's.
        years = {r["year"] for r in data["ita_results"]}
        exported["ita_results"] = [r for r in exported["ita_results"] if r["year"] in years]
        assert exported == data, path.name
        assert [i for i in validate_data(exported) if i.is_error] == [], path.name
        write_evidence_files(agency=slug, fiscal_year=year, directory=tmp_path)
        reread = load_valid_year_file(write(tmp_path, to_yaml(exported), path.name))
        assert reread == data, path.name

        assert not import_year(data=reread, base_dir=tmp_path).changed, path.name
        assert row_counts() == counts, path.name

