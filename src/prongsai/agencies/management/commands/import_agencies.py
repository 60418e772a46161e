"""`prongsai import_agencies FILE.csv|FILE.xlsx`: create and update many agencies from one table.

The rules are in prongsai.onboarding.agencies (columns, matching, checks). Without --apply the command
only previews: it prints what would be created, updated and refused. With --apply it writes everything
in one transaction, or nothing when a row is refused (--partial: the good rows, listing the refused).
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from prongsai.onboarding import agencies as onboarding


class Command(BaseCommand):
    help = ("Create and update agencies from a CSV or XLSX table (columns: ชื่อหน่วยงาน, ประเภท, จังหวัด, "
            "อำเภอ, รหัสหน่วยงาน, slug, กลุ่มการประเมิน, ที่อยู่, โทรศัพท์, อีเมล, เว็บไซต์). Previews unless --apply.")

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--apply", action="store_true", help="write the changes (default: preview only)")
        parser.add_argument("--partial", action="store_true",
                            help="write the rows that pass even when others are refused (default: all or nothing)")
        parser.add_argument("--list", action="store_true", help="list every agency created and updated")

    def handle(self, *args, file: Path, apply: bool, partial: bool, list: bool, **options):
        if not file.is_file():
            raise CommandError(f"{file}: no such file")
        try:
            with file.open("rb") as fh:
                plan = onboarding.read_agencies(fh, name=file.name)
        except onboarding.ImportRefused as exc:
            raise CommandError(f"{file}: {exc}") from None
        counts = plan.counts()
        for row in plan.of("refused"):
            for error in row.errors:
                self.stderr.write(error)
        if list:
            for row in plan.of("created"):
                self.stdout.write(f"+ แถวที่ {row.number}: {row.values['name']} ({row.values['province']})")
            for row in plan.of("updated"):
                changed = ", ".join(f"{k}: {b!r} -> {a!r}" for k, (b, a) in row.changes.items())
                self.stdout.write(f"~ แถวที่ {row.number}: {row.agency.name}: {changed}")
        summary = (f"{file.name}: {len(plan.rows)} rows: {counts['created']} to create, {counts['updated']} to update, "
                   f"{counts['unchanged']} unchanged, {counts['refused']} refused")
        if not apply:
            self.stdout.write(summary + " (preview: nothing written; add --apply)")
            if counts["refused"]:
                raise CommandError(f"{counts['refused']} rows refused")
            return
        report = onboarding.apply(plan, actor=f"prongsai import_agencies {file.name}", partial=partial)
        if not report.written:
            raise CommandError(f"{summary}: nothing written (fix the refused rows, or use --partial)")
        self.stdout.write(f"{file.name}: {counts['created']} created, {counts['updated']} updated, "
                          f"{counts['unchanged']} unchanged, {counts['refused']} refused")
