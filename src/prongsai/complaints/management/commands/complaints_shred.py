"""`prongsai complaints_shred`: delete the identity and contact of complainants whose complaint was closed
longer ago than the agency's retention period (default PRONGSAI_COMPLAINT_RETENTION_DAYS). The complaint,
its statistics and its audit trail stay. Run it daily (cron or a systemd timer); safe to run again.
"""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand
from django.utils import timezone

from prongsai.complaints import services


class Command(BaseCommand):
    help = "Shred complainants' identity and contact after the retention period from closure."

    def add_arguments(self, parser):
        parser.add_argument("--date", type=dt.date.fromisoformat, help="as if today were this date (YYYY-MM-DD)")
        parser.add_argument("--dry-run", action="store_true", help="only count what would be shredded")

    def handle(self, *args, date=None, dry_run=False, **options):
        today = date or timezone.localdate()
        due = services.due_for_shredding(today=today)
        if dry_run:
            self.stdout.write(f"{len(due)} complaints would have their identity shredded (as of {today}).")
            return
        for complaint in due:
            services.shred_identity(complaint=complaint)
        if due:
            services.compact_storage()
        self.stdout.write(f"Shredded the identity of {len(due)} complaints (as of {today}).")
