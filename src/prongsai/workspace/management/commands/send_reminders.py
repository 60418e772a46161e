"""`prongsai send_reminders [--date YYYY-MM-DD] [--days 14] [--overdue-days 90]`: run daily.

E-mails every measure × round not yet done whose round ends within --days days (due soon) or ended
at most --overdue-days days ago (overdue) to the people of the measure's units who have an e-mail
address and to the agency's planners: one e-mail per address per day listing all its items. A
rerun on the same day sends nothing twice (measures.ReminderLog).
"""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from prongsai.measures import services


class Command(BaseCommand):
    help = "E-mail due-soon and overdue round reminders (run once a day)."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="the day to run for, YYYY-MM-DD (default: today)")
        parser.add_argument("--days", type=int, default=14, help="due soon: the round ends within this many days")
        parser.add_argument("--overdue-days", type=int, default=90,
                            help="keep reminding of an overdue round for this many days after its end")

    def handle(self, *args, date=None, days=14, overdue_days=90, **options):
        if date:
            try:
                today = dt.date.fromisoformat(date)
            except ValueError:
                raise CommandError(f"--date must be YYYY-MM-DD, not {date!r}") from None
        else:
            today = timezone.localdate()
        if days < 0 or overdue_days < 0:
            raise CommandError("--days and --overdue-days must not be negative")
        summary = services.send_reminders(today=today, days=days, overdue_days=overdue_days)
        self.stdout.write(
            f"{today.isoformat()}: {summary.items} item(s) due within {days} day(s) or overdue; "
            f"{len(summary.sent)} e-mail(s) sent, {len(summary.already_sent)} already sent today, "
            f"{summary.no_recipient} item(s) without any recipient"
        )
        for email in summary.sent:
            self.stdout.write(f"  sent: {email}")
