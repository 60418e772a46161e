from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from prongsai.yearfile.loader import YearFileInvalid, load_year_file
from prongsai.yearfile.services import import_year


class Command(BaseCommand):
    help = (
        "Import an ITA year file into the database: validate it, then write its agency-year in one "
        "transaction (nothing is written when anything fails). Importing the same file again changes "
        "nothing; an edited file updates the database to match it."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="the year file (.yaml, .yml or .json)")

    def handle(self, *args, file: Path, **options):
        year_file = load_year_file(file)
        for warning in year_file.warnings:
            self.stderr.write(str(warning), style_func=self.style.WARNING)
        errors = year_file.errors
        if not errors:
            try:
                summary = import_year(data=year_file.data, base_dir=file.parent)
            except YearFileInvalid as exc:
                errors = exc.errors
            except (DatabaseError, OSError) as exc:  # e.g. a concurrent import, a full disk
                raise CommandError(f"{file}: nothing imported: {exc}") from exc
        if errors:
            for error in errors:
                self.stderr.write(str(error))
            count = len(errors)
            raise CommandError(f"{file}: {count} error{'s' if count != 1 else ''}; nothing imported")
        word = "imported" if summary.changed else "already up to date"
        self.stdout.write(f"{word}: {file}: {summary}")
