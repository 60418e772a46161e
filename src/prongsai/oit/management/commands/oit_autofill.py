"""`prongsai oit_autofill`: refresh the OIT items Prongsai fills itself (a daily scheduled job)."""

from django.core.management.base import BaseCommand, CommandError

from prongsai.agencies.models import Agency
from prongsai.measures.models import YearPlan
from prongsai.oit.services import refresh_auto_answers


class Command(BaseCommand):
    help = ("Refresh the OIT answers Prongsai fills itself (measures, analysis, round reports, complaint "
            "guideline, channel and statistics) with their public URLs, for every agency-year (or the one given). "
            "Manual answers are never changed.")

    def add_arguments(self, parser):
        parser.add_argument("--agency", help="agency slug")
        parser.add_argument("--year", type=int, help="fiscal year (BE)")

    def handle(self, *args, agency=None, year=None, **options):
        plans = YearPlan.objects.select_related("agency").order_by("agency__slug", "fiscal_year")
        if agency:
            if not Agency.objects.filter(slug=agency).exists():
                raise CommandError(f"no agency with the slug {agency!r}")
            plans = plans.filter(agency__slug=agency)
        if year:
            plans = plans.filter(fiscal_year=year)
        total = 0
        for plan in plans:
            changed = refresh_auto_answers(agency=plan.agency, fiscal_year=plan.fiscal_year)
            total += len(changed)
            if changed:
                self.stdout.write(f"{plan.agency.slug} {plan.fiscal_year}: {', '.join(changed)}")
        self.stdout.write(f"ok: {total} OIT answers refreshed")
