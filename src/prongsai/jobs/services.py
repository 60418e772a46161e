"""The schedule of the background jobs and the running of one job.

A job is a management command run at a time of day (Asia/Bangkok, settings.TIME_ZONE), every day or on
one weekday. PRONGSAI_JOBS sets the schedule, e.g.
    send_reminders@07:00,check_links@sun 02:30,publish_static@03:00,complaints_shred@04:00
(unset: DEFAULT_JOBS; empty: no jobs).

When is a job due? Its latest scheduled moment at or before now is its *slot*. The job is due when it
has not run since the day of that slot. So it runs at its time, at most once a calendar day, and after
downtime that missed one or more slots it runs once as soon as the scheduler is back (catch-up), never
once per missed day. Each run is claimed by a JobRun row that is unique per job and day, so a cron
`scheduler --once` and a long-running `scheduler` never run a job twice on the same day.

Logging names the job, its times and its outcome; never the command's output (send_reminders prints
e-mail addresses) and never an exception's message except for CommandError (the commands' own text):
other exceptions are logged as their class and code location only.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import os
import time
import traceback
from dataclasses import dataclass

from django.core.management import call_command, get_commands
from django.core.management.base import CommandError
from django.db import IntegrityError, transaction
from django.utils import timezone

from prongsai.jobs.models import JobRun

log = logging.getLogger("prongsai.jobs")

DEFAULT_JOBS = "send_reminders@07:00,check_links@02:30,oit_autofill@02:45,publish_static@03:00,complaints_shred@04:00"
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class ScheduleError(ValueError):
    pass


@dataclass(frozen=True)
class Job:
    command: str
    at: dt.time
    weekday: int | None = None  # 0 = Monday; None = every day

    def describe(self) -> str:
        when = "daily" if self.weekday is None else f"weekly on {WEEKDAYS[self.weekday]}"
        return f"{self.command} {when} at {self.at:%H:%M}"


def parse_jobs(spec: str) -> list[Job]:
    """'send_reminders@07:00,check_links@sun 02:30' -> jobs, in the order given. A dash in a command name
    is read as an underscore (check-links is the check_links command)."""
    jobs: list[Job] = []
    for item in (part.strip() for part in spec.split(",")):
        if not item:
            continue
        name, sep, when = item.partition("@")
        name = name.strip().replace("-", "_")
        if not sep or not name:
            raise ScheduleError(f"{item!r}: write COMMAND@HH:MM or COMMAND@DAY HH:MM (DAY: mon..sun)")
        words = when.split()
        weekday = None
        if len(words) == 2:
            day = words[0].lower()[:3]
            if day not in WEEKDAYS:
                raise ScheduleError(f"{item!r}: the day must be one of {', '.join(WEEKDAYS)}")
            weekday = WEEKDAYS.index(day)
            words = words[1:]
        if len(words) != 1:
            raise ScheduleError(f"{item!r}: write COMMAND@HH:MM or COMMAND@DAY HH:MM (DAY: mon..sun)")
        try:
            at = dt.datetime.strptime(words[0], "%H:%M").time()
        except ValueError:
            raise ScheduleError(f"{item!r}: the time must be HH:MM (00:00 to 23:59)") from None
        if name not in get_commands():
            raise ScheduleError(f"{item!r}: there is no command {name!r} (see `prongsai help`)")
        if any(job.command == name for job in jobs):
            raise ScheduleError(f"{item!r}: {name} is scheduled twice (a job runs at most once a day)")
        jobs.append(Job(name, at, weekday))
    return jobs


def configured_jobs() -> list[Job]:
    """The jobs of PRONGSAI_JOBS (unset: DEFAULT_JOBS; set but empty: none)."""
    spec = os.environ.get("PRONGSAI_JOBS")
    return parse_jobs(DEFAULT_JOBS if spec is None else spec)


def local(moment: dt.datetime) -> dt.datetime:
    return timezone.localtime(moment, timezone.get_default_timezone())


def last_slot(job: Job, now: dt.datetime) -> dt.datetime:
    """The latest scheduled moment of the job at or before now (local time)."""
    now = local(now)
    day = now.date()
    if job.weekday is not None:
        day -= dt.timedelta(days=(day.weekday() - job.weekday) % 7)
    slot = timezone.make_aware(dt.datetime.combine(day, job.at), now.tzinfo)
    if slot > now:
        slot -= dt.timedelta(days=1 if job.weekday is None else 7)
    return slot


def next_slot(job: Job, now: dt.datetime) -> dt.datetime:
    """The first scheduled moment of the job after now (local time)."""
    return last_slot(job, now) + dt.timedelta(days=1 if job.weekday is None else 7)


def next_due(job: Job, now: dt.datetime, last_run_day: dt.date | None) -> dt.datetime:
    """When the job will next be due after now: its first slot on a day after its last run."""
    period = dt.timedelta(days=1 if job.weekday is None else 7)
    slot = next_slot(job, now)
    while last_run_day is not None and slot.date() <= last_run_day:
        slot += period
    return slot


def is_due(job: Job, now: dt.datetime, last_run_day: dt.date | None) -> bool:
    """Due when the job has not run since the day of its latest slot (never run: due)."""
    return last_run_day is None or last_run_day < last_slot(job, now).date()


def last_runs(jobs: list[Job]) -> dict[str, JobRun]:
    """The latest run of each job that has one."""
    latest: dict[str, JobRun] = {}
    for run in JobRun.objects.filter(job__in=[job.command for job in jobs]).order_by("job", "-day"):
        latest.setdefault(run.job, run)
    return latest


def due_jobs(jobs: list[Job], now: dt.datetime) -> list[Job]:
    """The jobs due now, earliest slot first."""
    runs = last_runs(jobs)
    due = [job for job in jobs if is_due(job, now, runs[job.command].day if job.command in runs else None)]
    return sorted(due, key=lambda job: last_slot(job, now))


def describe_error(exc: BaseException) -> str:
    """What went wrong without the exception's message (it may quote personal data), except for
    CommandError, whose message is the command's own text."""
    if isinstance(exc, CommandError):
        return f"CommandError: {exc}"[:500]
    frames = traceback.extract_tb(exc.__traceback__)
    where = f" at {frames[-1].filename}:{frames[-1].lineno} in {frames[-1].name}" if frames else ""
    return f"{type(exc).__module__}.{type(exc).__qualname__}{where}"[:500]


def _stack(exc: BaseException) -> str:
    return "".join(f"\n  {frame.filename}:{frame.lineno} in {frame.name}"
                   for frame in traceback.extract_tb(exc.__traceback__))


def run_job(job: Job, *, now: dt.datetime | None = None) -> JobRun | None:
    """Claim today's run of the job and run its command. Returns the JobRun, or None when the job has
    already run (or is running) today. A failure is recorded and logged, not raised; an interruption
    (KeyboardInterrupt, the scheduler's stop) is recorded and raised."""
    now = local(now or timezone.now())
    try:
        with transaction.atomic():
            run = JobRun.objects.create(job=job.command, day=now.date(), started_at=timezone.now())
    except IntegrityError:
        log.info("job %s: already run on %s, skipped", job.command, now.date().isoformat())
        return None
    log.info("job %s: started (run %s for %s)", job.command, run.pk, run.day.isoformat())
    began = time.monotonic()
    output = io.StringIO()  # not logged: it may name people (send_reminders lists the addresses)
    try:
        call_command(job.command, stdout=output, stderr=output)
    except (Exception, SystemExit) as exc:
        run.outcome, run.error = JobRun.Outcome.FAILED, describe_error(exc)
        stack = "" if isinstance(exc, CommandError) else _stack(exc)
        log.error("job %s: failed after %.1f s: %s%s", job.command, time.monotonic() - began, run.error, stack)
    except BaseException as exc:
        run.outcome, run.error = JobRun.Outcome.INTERRUPTED, type(exc).__name__
        log.warning("job %s: interrupted after %.1f s", job.command, time.monotonic() - began)
        _finish(run)
        raise
    else:
        run.outcome = JobRun.Outcome.OK
        log.info("job %s: finished ok in %.1f s", job.command, time.monotonic() - began)
    _finish(run)
    return run


def _finish(run: JobRun) -> None:
    run.finished_at = timezone.now()
    try:
        run.save(update_fields=["outcome", "error", "finished_at"])
    except Exception as exc:  # the database is gone: the run stays "running", the next job still gets its turn
        log.error("job %s: could not record the outcome %s: %s", run.job, run.outcome, describe_error(exc))


def run_due(jobs: list[Job], *, now: dt.datetime | None = None) -> list[JobRun]:
    """Run every job due now, one after another; a failing job does not stop the others."""
    now = local(now or timezone.now())
    runs = []
    for job in due_jobs(jobs, now):
        run = run_job(job, now=now)
        if run is not None:
            runs.append(run)
    return runs
