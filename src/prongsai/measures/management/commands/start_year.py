"""`prongsai start_year --agency SLUG --year N [--from N-1] [--dry-run]`: start a fiscal year from an
earlier one (measures, OIT answers mapped and flagged to check, wording), after showing what comes over."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from prongsai.agencies.models import Agency
from prongsai.measures import rollover


class Command(BaseCommand):
    help = "Start fiscal year N for an agency from year N-1 (or --from): one transaction, audited."

    def add_arguments(self, parser):
        parser.add_argument("--agency", required=True, help="the agency's slug")
        parser.add_argument("--year", type=int, required=True, help="the fiscal year to start (BE), e.g. 2570")
        parser.add_argument("--from", type=int, dest="from_year", help="the year to carry over (default N-1)")
        parser.add_argument("--dry-run", action="store_true", help="show what would come over; write nothing")

    def handle(self, *args, agency, year, from_year=None, dry_run=False, **options):
        found = Agency.objects.filter(slug=agency).first()
        if found is None:
            raise CommandError(f"no agency with slug {agency!r}")
        try:
            preview = rollover.preview(agency=found, fiscal_year=year, from_year=from_year)
            self._show(preview)
            if dry_run:
                self.stdout.write("dry run: nothing written")
                return
            plan = rollover.start_from(actor="prongsai start_year", agency=found, fiscal_year=year,
                                       from_year=from_year)
        except ValidationError as exc:
            raise CommandError("; ".join(m for ms in exc.message_dict.values() for m in ms)) from None
        self.stdout.write(self.style.SUCCESS(f"started {found.slug} FY {plan.fiscal_year} on {plan.catalogue.label}"))

    def _show(self, p):
        fw = p.framework
        note = f" (provisional for FY {p.fiscal_year})" if p.provisional else ""
        self.stdout.write(f"{p.agency.slug}: FY {p.source.fiscal_year} -> FY {p.fiscal_year}, "
                          f"catalogue ITA {fw.year} {fw.family} v{fw.version}{note}")
        self.stdout.write(f"  measures: {len(p.measures)} (results and evidence are not carried)")
        for m in p.answers:
            self.stdout.write(f"  OIT {m.new_code} <- {'+'.join(m.old_codes)}: {len(m.urls)} URL(s), to check")
        if p.unmapped:
            self.stdout.write(f"  not mapped (answers left behind): {', '.join(p.unmapped)}")
        if p.new_items:
            self.stdout.write(f"  new items to answer: {', '.join(p.new_items)}")
        self.stdout.write(f"  wording overrides: {len(p.wording_keys)}; signing chain steps: {p.chain_steps}")
