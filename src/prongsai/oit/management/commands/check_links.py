"""`prongsai check-links [--agency SLUG] [--year YEAR]`: fetch every OIT URL and record its status.

Safe to rerun (each run adds one LinkCheck per URL and answer: the history). Run it from cron or a
systemd timer for the scheduled check (docs/oit.md). Exit status 1 when a link is broken.
"""

from __future__ import annotations

from collections import Counter

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from prongsai.agencies.models import Agency
from prongsai.oit import linkcheck, services

STYLE = {"ok": "green", "broken": "red", "moved": "yellow", "slow": "magenta", "stale": "cyan"}


class Command(BaseCommand):
    help = "Check the URLs of the OIT answers (all agencies and years unless narrowed)."

    def add_arguments(self, parser):
        parser.add_argument("--agency", metavar="SLUG", help="only this agency")
        parser.add_argument("--year", type=int, metavar="YEAR", help="only this fiscal year (BE)")
        parser.add_argument("--timeout", type=float, default=10.0, help="seconds per connect/read (10)")
        parser.add_argument("--per-host", type=int, default=2, help="requests at once to one host (2)")
        parser.add_argument("--concurrency", type=int, default=16, help="requests at once in all (16)")

    def handle(self, *args, agency=None, year=None, timeout=10.0, per_host=2, concurrency=16, **options):
        chosen = None
        if agency:
            chosen = Agency.objects.filter(slug=agency).first()
            if chosen is None:
                raise CommandError(f"no agency {agency!r}")
        opts = linkcheck.Options(timeout=timeout, total_timeout=max(30.0, timeout * 3), per_host=per_host,
                                 concurrency=concurrency,
                                 allow_private=getattr(settings, "PRONGSAI_LINKCHECK_ALLOW_PRIVATE", False))
        console = Console(file=self.stdout, force_terminal=None, width=120)
        with Progress(TextColumn("[bold]ตรวจลิงก์"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                      console=console, transient=False) as progress:
            task = progress.add_task("links", total=0)
            results = services.check_links(
                agency=chosen, fiscal_year=year, options=opts,
                on_start=lambda total: progress.update(task, total=total),
                on_done=lambda outcome: progress.advance(task))
        table = Table(title="ผลการตรวจลิงก์ OIT")
        for column in ("หน่วยงาน", "ปี", "ข้อ", "สถานะ", "HTTP", "ลิงก์", "รายละเอียด"):
            table.add_column(column, overflow="fold")
        counts = Counter()
        for answer, outcome in results:
            counts[outcome.status] += 1
            if outcome.status != linkcheck.OK:
                table.add_row(answer.agency.slug, str(answer.fiscal_year), answer.code,
                              f"[{STYLE[outcome.status]}]{outcome.status}[/]", str(outcome.http_status or "–"),
                              outcome.url, outcome.detail)
        if table.row_count:
            console.print(table)
        summary = Table(title="สรุป")
        summary.add_column("สถานะ")
        summary.add_column("จำนวน", justify="right")
        for status in ("ok", "moved", "slow", "stale", "broken"):
            summary.add_row(f"[{STYLE[status]}]{status}[/]", str(counts[status]))
        summary.add_row("รวม", str(sum(counts.values())))
        console.print(summary)
        if counts["broken"]:
            raise CommandError(f"{counts['broken']} broken link(s)", returncode=1)
