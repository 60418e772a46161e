from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from prongsai.yearfile.loader import load_year_file


class Command(BaseCommand):
    help = (
        "Check an ITA year file (YAML or JSON, docs/year-file.md). Prints 'ok: FILE' and exits 0 when "
        "valid (warnings do not fail); else prints one error per line, 'path: message (line N)', and exits 1."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="the year file (.yaml, .yml or .json)")

    def handle(self, *args, file: Path, **options):
        year_file = load_year_file(file)
        for warning in year_file.warnings:
            self.stderr.write(str(warning), style_func=self.style.WARNING)
        if year_file.errors:
            for error in year_file.errors:
                self.stderr.write(str(error))
            count = len(year_file.errors)
            raise CommandError(f"{file}: {count} error{'s' if count != 1 else ''}")
        data = year_file.data
        self.stdout.write(
            f"ok: {file} ({data['agency']['slug']} {data['fiscal_year']}, {len(data['measures'])} measures, "
            f"{len(year_file.warnings)} warnings)"
        )
