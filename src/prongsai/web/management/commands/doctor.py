"""`prongsai doctor`: check that stored files and database rows agree (prongsai.web.doctor)."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from prongsai.web import doctor


class Command(BaseCommand):
    help = (
        "List orphan files (in MEDIA storage, named by no row) and orphan rows (naming a file storage does "
        "not have). Exit code 1 when any is found, 0 when everything agrees."
    )

    def add_arguments(self, parser):
        parser.add_argument("--delete-orphan-files", action="store_true",
                            help="delete the orphan files older than --min-age minutes (rows are never deleted)")
        parser.add_argument("--min-age", type=int, default=60, metavar="MINUTES",
                            help="with --delete-orphan-files: only files last written this long ago (default 60)")

    def handle(self, *args, delete_orphan_files: bool, min_age: int, **options):
        found = doctor.storage_problems()
        for name in found.orphan_files:
            self.stdout.write(f"orphan file (no row names it): {name}")
        for missing in found.missing_files:
            self.stdout.write(f"orphan row (its file is missing): {missing}")
        if delete_orphan_files and found.orphan_files:
            deleted = doctor.delete_orphan_files(found.orphan_files, older_than=dt.timedelta(minutes=min_age))
            for name in deleted:
                self.stdout.write(f"deleted orphan file: {name}")
            found.orphan_files = [n for n in found.orphan_files if n not in set(deleted)]
        if found.ok:
            self.stdout.write("ok: every stored file has its row and every row its file")
            return
        raise CommandError(
            f"{len(found.orphan_files)} orphan file(s), {len(found.missing_files)} orphan row(s)", returncode=1)
