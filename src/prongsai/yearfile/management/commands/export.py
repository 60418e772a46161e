from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from prongsai.yearfile.dump import to_json, to_yaml
from prongsai.yearfile.loader import validate_data
from prongsai.yearfile.services import NoSuchYear, export_year, write_evidence_files


class Command(BaseCommand):
    help = (
        "Export one agency-year as an ITA year file (YAML; JSON when -o ends in .json). Without -o it "
        "goes to standard output; with -o, evidence files are written next to it under their names."
    )

    def add_arguments(self, parser):
        parser.add_argument("--agency", required=True, metavar="SLUG", help="the agency's slug")
        parser.add_argument("--year", required=True, type=int, metavar="YEAR", help="the fiscal year (BE), e.g. 2563")
        parser.add_argument("-o", "--output", type=Path, metavar="FILE", help="write here instead of stdout")

    def handle(self, *args, agency: str, year: int, output: Path | None, **options):
        try:
            data = export_year(agency=agency, fiscal_year=year)
        except NoSuchYear as exc:
            raise CommandError(str(exc)) from exc
        text = to_json(data) if output and output.suffix.lower() == ".json" else to_yaml(data)
        if output is None:
            self.stdout.write(text, ending="")
        else:
            output.parent.mkdir(parents=True, exist_ok=True)
            output.write_text(text, encoding="utf-8")
            files = write_evidence_files(agency=agency, fiscal_year=year, directory=output.parent)
            self.stdout.write(f"wrote {output}" + (f" and {len(files)} evidence files" if files else ""))
        # What the database holds may have been edited outside a year file: say if it no longer validates.
        issues = validate_data(data)
        for issue in issues:
            self.stderr.write(str(issue))
        errors = [issue for issue in issues if issue.is_error]
        if errors:
            count = len(errors)
            raise CommandError(
                f"the exported data has {count} error{'s' if count != 1 else ''} (fix them in the file or the database)"
            )
