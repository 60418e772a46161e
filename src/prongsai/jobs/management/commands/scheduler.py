"""`prongsai scheduler [--once [--now HH:MM]] [--list] [--jobs SPEC]`: run the scheduled jobs.

Without --once it keeps running (next to gunicorn: `make run`, or a systemd service) and runs each job
of PRONGSAI_JOBS when it is due (prongsai.jobs.services says when). SIGTERM or SIGINT stops it: at once
when idle; while a job runs, after that job (a second signal interrupts the job). --once runs what is
due now and exits (cron, systemd timers, tests). Exit status of --once: 1 when a job failed.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import signal
import sys
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections
from django.utils import timezone

from prongsai.jobs import services
from prongsai.jobs.models import JobRun

log = logging.getLogger("prongsai.jobs")

MAX_SLEEP = 60.0  # seconds: wake up at least this often (clock changes, a new day)


class Stop(BaseException):
    """Raised by the signal handler to leave the loop (or, on a second signal, to interrupt a job)."""


class Command(BaseCommand):
    help = ("Run the scheduled jobs (PRONGSAI_JOBS, Asia/Bangkok time) until SIGTERM/SIGINT; "
            "--once runs what is due now and exits; --list prints the schedule.")

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="run the jobs due now, then exit (for cron)")
        parser.add_argument("--now", metavar="HH:MM",
                            help="with --once or --list: as if it were this time today (or 'YYYY-MM-DD HH:MM')")
        parser.add_argument("--list", action="store_true", dest="show_list",
                            help="print the schedule and each job's last run")
        parser.add_argument("--jobs", metavar="SPEC",
                            help=f"the schedule instead of PRONGSAI_JOBS (default: {services.DEFAULT_JOBS})")

    def handle(self, *args, once=False, now=None, show_list=False, jobs=None, verbosity=1, **options):
        self._setup_logging(verbosity)
        try:
            schedule = services.parse_jobs(jobs) if jobs is not None else services.configured_jobs()
        except services.ScheduleError as exc:
            raise CommandError(f"bad schedule (PRONGSAI_JOBS or --jobs): {exc}") from None
        if now is not None and not (once or show_list):
            raise CommandError("--now only goes with --once or --list")
        moment = self._parse_now(now) if now else timezone.now()
        if show_list:
            self._list(schedule, moment)
        elif once:
            runs = services.run_due(schedule, now=moment)
            if not runs:
                log.info("nothing due at %s", services.local(moment).strftime("%Y-%m-%d %H:%M"))
            if any(run.outcome == JobRun.Outcome.FAILED for run in runs):
                failed = ", ".join(run.job for run in runs if run.outcome == JobRun.Outcome.FAILED)
                raise CommandError(f"failed: {failed}", returncode=1)
        else:
            self._loop(schedule)

    # --- the long-running loop ---------------------------------------------------------------

    def _loop(self, schedule: list[services.Job]) -> None:
        self._busy = False
        self._stopping = False
        previous = {sig: signal.signal(sig, self._on_signal) for sig in (signal.SIGTERM, signal.SIGINT)}
        log.info("scheduler started (pid %s): %s", os.getpid(),
                 "; ".join(job.describe() for job in schedule) or "no jobs")
        try:
            while not self._stopping:
                self._tick(schedule)
                if self._stopping:
                    break
                self._sleep(schedule)
        except Stop:
            pass
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        log.info("scheduler stopped")

    def _tick(self, schedule: list[services.Job]) -> None:
        close_old_connections()  # drop a connection the database closed while we slept
        try:
            due = services.due_jobs(schedule, timezone.now())
        except Exception as exc:  # the database is down: try again at the next tick
            log.error("cannot read the job runs: %s", services.describe_error(exc))
            return
        for job in due:
            if self._stopping:
                return
            self._busy = True
            try:
                services.run_job(job)
            except Exception as exc:  # claiming or recording failed (the database): the next job still runs
                log.error("job %s: not run: %s", job.command, services.describe_error(exc))
            finally:
                self._busy = False
                close_old_connections()

    def _sleep(self, schedule: list[services.Job]) -> None:
        """Sleep until the next slot (at most MAX_SLEEP); a signal ends the sleep at once (Stop)."""
        now = timezone.now()
        upcoming = [services.next_slot(job, now) for job in schedule]
        seconds = min([(slot - now).total_seconds() for slot in upcoming] + [MAX_SLEEP])
        time.sleep(max(seconds, 0.5))

    def _on_signal(self, signum, frame) -> None:
        name = signal.Signals(signum).name
        if not self._busy or self._stopping:
            if self._busy:
                log.warning("%s again: interrupting the running job", name)
            else:
                log.info("%s: stopping", name)
            self._stopping = True
            raise Stop
        self._stopping = True
        log.warning("%s: stopping after the running job (send it again to interrupt the job)", name)

    # --- helpers -----------------------------------------------------------------------------

    def _parse_now(self, value: str) -> dt.datetime:
        tz = timezone.get_default_timezone()
        for fmt in ("%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M"):
            try:
                parsed = dt.datetime.strptime(value, fmt)
            except ValueError:
                continue
            if fmt == "%H:%M":
                parsed = dt.datetime.combine(services.local(timezone.now()).date(), parsed.time())
            return timezone.make_aware(parsed, tz)
        raise CommandError(f"--now must be HH:MM or 'YYYY-MM-DD HH:MM', not {value!r}")

    def _list(self, schedule: list[services.Job], now: dt.datetime) -> None:
        if not schedule:
            self.stdout.write("No scheduled jobs (PRONGSAI_JOBS is empty).")
            return
        runs = services.last_runs(schedule)
        self.stdout.write(f"Schedule ({timezone.get_default_timezone_name()}), "
                          f"as of {services.local(now):%Y-%m-%d %H:%M}:")
        for job in schedule:
            run = runs.get(job.command)
            last = (f"last run {services.local(run.started_at):%Y-%m-%d %H:%M} {run.outcome}"
                    if run else "never run")
            last_day = run.day if run else None
            if services.is_due(job, now, last_day):
                upcoming = "due now"
            else:
                upcoming = f"next {services.next_due(job, now, last_day):%Y-%m-%d %H:%M}"
            self.stdout.write(f"  {job.describe():<45} {last}; {upcoming}")

    def _setup_logging(self, verbosity: int) -> None:
        """Log the runs to stderr with a time stamp, whatever LOG_LEVEL says of the rest of the app."""
        level = {0: logging.WARNING, 1: logging.INFO}.get(verbosity, logging.DEBUG)
        log.setLevel(level)
        if not any(getattr(handler, "_prongsai_scheduler", False) for handler in log.handlers):
            handler = logging.StreamHandler(sys.stderr)
            handler.setFormatter(logging.Formatter("%(asctime)s scheduler %(levelname)s %(message)s"))
            handler._prongsai_scheduler = True
            log.addHandler(handler)
            log.propagate = False
