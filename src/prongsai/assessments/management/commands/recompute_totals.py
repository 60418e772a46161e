"""`prongsai recompute_totals [--year Y] [--agency SLUG] [--stale]`: store again every ITA result's final
total, parts and rating from its scores and the current catalogue (assessments.services.recompute_many).

Scores written through Prongsai keep these figures right by themselves; run this after a catalogue
change made outside Prongsai, or after loading rows with raw SQL. --stale: only results never computed.
"""

from django.core.management.base import BaseCommand

from prongsai.assessments.models import ITAResult
from prongsai.assessments.services import recompute_many


class Command(BaseCommand):
    help = "Recompute the stored final totals, parts and ratings of ITA results."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, help="only results of this ITA year (BE)")
        parser.add_argument("--agency", help="only this agency (slug)")
        parser.add_argument("--stale", action="store_true", help="only results never computed")

    def handle(self, *args, year=None, agency=None, stale=False, **options):
        results = ITAResult.objects.all()
        if year:
            results = results.filter(year=year)
        if agency:
            results = results.filter(agency__slug=agency)
        if stale:
            results = results.filter(computed_at__isnull=True)
        count = recompute_many(results)
        self.stdout.write(f"{count} ITA result(s) recomputed")
