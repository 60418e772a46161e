"""`prongsai import_results FILE.csv|FILE.xlsx --year 2567`: many agencies' ITA results of one year from one
sheet (the NACC's shape). Rules in prongsai.onboarding.results. Previews unless --apply; all or nothing
unless --partial."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from prongsai.onboarding import agencies, results


class Command(BaseCommand):
    help = ("Save many agencies' ITA results of one year from a CSV or XLSX sheet (หน่วยงาน/รหัสหน่วยงาน, จังหวัด, "
            "ตัวชี้วัดที่ 1-10, IIT, EIT, OIT, คะแนนรวม, ระดับผลการประเมิน). Previews unless --apply.")

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--year", type=int, required=True, help="the ITA year (BE), e.g. 2567")
        parser.add_argument("--apply", action="store_true", help="write the results (default: preview only)")
        parser.add_argument("--partial", action="store_true", help="write the matched rows even when others are refused")

    def handle(self, *args, file: Path, year: int, apply: bool, partial: bool, **options):
        if not file.is_file():
            raise CommandError(f"{file}: no such file")
        try:
            with file.open("rb") as fh:
                plan = results.read_results(fh, name=file.name, year=year)
        except agencies.ImportRefused as exc:
            raise CommandError(f"{file}: {exc}") from None
        for error in plan.errors:
            self.stderr.write(error)
        c = plan.counts()
        summary = (f"{file.name}: ITA {year}: {len(plan.rows)} rows: {c['created']} new, {c['updated']} replacing, "
                   f"{c['refused']} refused ({c['unmatched']} naming no agency)")
        if not apply:
            self.stdout.write(summary + " (preview: nothing written; add --apply)")
            if c["refused"]:
                raise CommandError(f"{c['refused']} rows refused")
            return
        report = results.apply(plan, actor=f"prongsai import_results {file.name}", partial=partial)
        if not report.written:
            raise CommandError(f"{summary}: nothing written (fix the refused rows, or use --partial)")
        self.stdout.write(summary.replace(" rows:", " rows written:", 1))
