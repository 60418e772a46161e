"""`prongsai reindex`: rebuild the search index from the data (all of it, or one agency's)."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError

from prongsai.agencies.models import Agency
from prongsai.search import services
from prongsai.search.models import Entry


class Command(BaseCommand):
    help = ("Rebuild the search index (prongsai.search) from the data: rows whose source changed are rewritten, "
            "rows of things that are gone are deleted. --agency SLUG: only that agency; --full: empty it first.")

    def add_arguments(self, parser):
        parser.add_argument("--agency", metavar="SLUG", help="only this agency's rows")
        parser.add_argument("--full", action="store_true", help="delete the rows first and write them all again")

    def handle(self, *args, agency: str | None = None, full: bool = False, **options):
        target = None
        if agency:
            target = Agency.objects.filter(slug=agency).first()
            if target is None:
                raise CommandError(f"no agency with the slug {agency!r}")
        started = time.perf_counter()
        counts = services.reindex(agency=target, full=full)
        elapsed = time.perf_counter() - started
        total = (Entry.objects.filter(agency=target) if target else Entry.objects).count()
        self.stdout.write(f"search index: {counts.written} written, {counts.kept} unchanged, {counts.deleted} deleted; "
                          f"{total} rows in all ({elapsed:.1f} s)")
