"""`prongsai scheduler`: when a job is due, one run a day, catch-up, failures kept apart, real commands
run by --once, the schedule listing, and the long-running loop stopping on SIGTERM (a real process)."""

from __future__ import annotations

import datetime as dt
import io
import logging
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from prongsai.agencies.models import Membership
from prongsai.jobs import services
from prongsai.jobs.models import JobRun
from prongsai.jobs.services import Job
from prongsai.lib import fiscal
from prongsai.web.tests import factories

BANGKOK = timezone.get_default_timezone()


def at(day: str, hhmm: str) -> dt.datetime:
    """An aware Asia/Bangkok moment: at("2026-11-26", "07:00")."""
    return timezone.make_aware(dt.datetime.fromisoformat(f"{day} {hhmm}"), BANGKOK)


def d(day: str) -> dt.date:
    return dt.date.fromisoformat(day)


REMINDERS = Job("send_reminders", dt.time(7, 0))


# --- the schedule ---------------------------------------------------------------------------------

def test_it_parses_the_schedule():
    jobs = services.parse_jobs("send_reminders@07:00, check-links@sun 02:30,complaints_shred@04:00")
    assert jobs == [Job("send_reminders", dt.time(7, 0)), Job("check_links", dt.time(2, 30), weekday=6),
                    Job("complaints_shred", dt.time(4, 0))]
    assert [job.command for job in services.parse_jobs(services.DEFAULT_JOBS)] == [
        "send_reminders", "check_links", "oit_autofill", "publish_static", "complaints_shred"]
    assert services.parse_jobs("") == []


@pytest.mark.parametrize(("spec", "message"), [
    ("send_reminders", "COMMAND@HH:MM"),
    ("send_reminders@7", "HH:MM"),
    ("send_reminders@25:00", "HH:MM"),
    ("send_reminders@someday 07:00", "mon, tue"),
    ("no_such_command@07:00", "no command 'no_such_command'"),
    ("send_reminders@07:00,send_reminders@08:00", "scheduled twice"),
])
def test_it_refuses_a_bad_schedule(spec, message):
    with pytest.raises(services.ScheduleError, match=message):
        services.parse_jobs(spec)


def test_it_reads_the_schedule_from_the_environment(monkeypatch):
    monkeypatch.setenv("PRONGSAI_JOBS", "complaints_shred@04:15")
    assert services.configured_jobs() == [Job("complaints_shred", dt.time(4, 15))]
    monkeypatch.setenv("PRONGSAI_JOBS", "")
    assert services.configured_jobs() == []
    monkeypatch.delenv("PRONGSAI_JOBS")
    assert len(services.configured_jobs()) == 5


def test_the_command_refuses_a_bad_schedule(monkeypatch):
    monkeypatch.setenv("PRONGSAI_JOBS", "send_reminders@7am")
    with pytest.raises(CommandError, match="bad schedule"):
        call_command("scheduler", "--once")


# --- when a job is due ----------------------------------------------------------------------------

def test_it_is_not_due_before_its_time_and_due_after_it():
    ran_yesterday = d("2026-11-25")
    assert not services.is_due(REMINDERS, at("2026-11-26", "06:59"), ran_yesterday)
    assert services.is_due(REMINDERS, at("2026-11-26", "07:00"), ran_yesterday)
    assert services.is_due(REMINDERS, at("2026-11-26", "23:59"), ran_yesterday)


def test_it_runs_at_most_once_a_day():
    ran_today = d("2026-11-26")
    assert not services.is_due(REMINDERS, at("2026-11-26", "07:00"), ran_today)
    assert not services.is_due(REMINDERS, at("2026-11-26", "23:59"), ran_today)
    assert not services.is_due(REMINDERS, at("2026-11-27", "06:59"), ran_today)
    assert services.is_due(REMINDERS, at("2026-11-27", "07:00"), ran_today)
    assert services.next_due(REMINDERS, at("2026-11-26", "08:00"), ran_today) == at("2026-11-27", "07:00")


def test_it_catches_up_once_after_downtime():
    last_ran = d("2026-11-20")  # the scheduler was down for days
    assert services.is_due(REMINDERS, at("2026-11-26", "05:00"), last_ran)  # yesterday's run was missed: now
    assert not services.is_due(REMINDERS, at("2026-11-26", "07:00"), d("2026-11-26"))  # not again today
    assert services.next_due(REMINDERS, at("2026-11-26", "05:01"), d("2026-11-26")) == at("2026-11-27", "07:00")
    assert services.is_due(REMINDERS, at("2026-11-26", "05:00"), None)  # never run


def test_a_weekly_job_is_due_once_a_week():
    check = Job("check_links", dt.time(2, 30), weekday=6)  # 2026-11-29 is a Sunday
    assert services.last_slot(check, at("2026-11-29", "02:29")) == at("2026-11-22", "02:30")
    assert services.last_slot(check, at("2026-11-29", "02:30")) == at("2026-11-29", "02:30")
    assert not services.is_due(check, at("2026-11-28", "12:00"), d("2026-11-22"))
    assert services.is_due(check, at("2026-11-29", "02:30"), d("2026-11-22"))
    assert services.is_due(check, at("2026-12-01", "09:00"), d("2026-11-22"))  # missed Sunday: caught up
    assert not services.is_due(check, at("2026-12-05", "09:00"), d("2026-12-01"))
    assert services.next_due(check, at("2026-12-01", "09:00"), d("2026-12-01")) == at("2026-12-06", "02:30")


def test_it_counts_in_bangkok_time():
    utc = dt.timezone.utc
    # 23:30 UTC on the 25th is 06:30 on the 26th in Bangkok: not yet 07:00
    assert not services.is_due(REMINDERS, dt.datetime(2026, 11, 25, 23, 30, tzinfo=utc), d("2026-11-25"))
    assert services.is_due(REMINDERS, dt.datetime(2026, 11, 26, 0, 0, tzinfo=utc), d("2026-11-25"))


@pytest.mark.django_db
def test_due_jobs_reads_the_runs_and_orders_by_slot():
    jobs = services.parse_jobs("send_reminders@07:00,complaints_shred@04:00,publish_static@03:00")
    JobRun.objects.create(job="publish_static", day=d("2026-11-26"), started_at=at("2026-11-26", "03:00"),
                          outcome=JobRun.Outcome.OK)
    JobRun.objects.create(job="send_reminders", day=d("2026-11-25"), started_at=at("2026-11-25", "07:00"),
                          outcome=JobRun.Outcome.FAILED)
    due = services.due_jobs(jobs, at("2026-11-26", "08:00"))
    assert [job.command for job in due] == ["complaints_shred", "send_reminders"]


# --- running jobs ---------------------------------------------------------------------------------

@pytest.fixture
def job_log(caplog):
    """The scheduler's log records (its logger does not propagate to the root logger)."""
    logger = logging.getLogger("prongsai.jobs")
    logger.addHandler(caplog.handler)
    caplog.set_level(logging.INFO, logger="prongsai.jobs")
    yield caplog
    logger.removeHandler(caplog.handler)


@pytest.mark.django_db
def test_a_failing_job_does_not_stop_the_others(job_log, mailoutbox):
    # `validate` without its FILE argument fails (a real CommandError); complaints_shred runs after it
    jobs = services.parse_jobs("validate@03:00,complaints_shred@03:00")
    runs = services.run_due(jobs, now=at("2026-11-26", "03:30"))
    assert [(run.job, run.outcome) for run in runs] == [("validate", "failed"), ("complaints_shred", "ok")]
    failed = JobRun.objects.get(job="validate")
    assert failed.day == d("2026-11-26") and failed.finished_at is not None
    assert failed.error.startswith("CommandError: Error: the following arguments are required")
    messages = [record.getMessage() for record in job_log.records]
    assert any(m.startswith("job validate: failed after") for m in messages)
    assert any(m.startswith("job complaints_shred: finished ok") for m in messages)
    assert services.run_due(jobs, now=at("2026-11-26", "20:00")) == []  # failed or not, once a day


def test_an_unexpected_error_is_described_without_its_message():
    try:
        raise ValueError("cannot deliver to malee@rae.go.th")
    except ValueError as exc:
        described = services.describe_error(exc)
    assert described.startswith("builtins.ValueError at ") and "test_scheduler.py" in described
    assert "malee" not in described


@pytest.mark.django_db
def test_a_second_scheduler_does_not_run_a_claimed_job(job_log):
    job = Job("complaints_shred", dt.time(4, 0))
    assert services.run_job(job, now=at("2026-11-26", "04:00")).outcome == "ok"
    assert services.run_job(job, now=at("2026-11-26", "04:01")) is None  # e.g. cron --once at the same time
    assert JobRun.objects.filter(job="complaints_shred").count() == 1
    assert "job complaints_shred: already run on 2026-11-26, skipped" in job_log.text


@pytest.fixture
def due_round(db):
    """A small agency whose planner has an e-mail address and whose measures have all four rounds, this
    fiscal year and last: whatever today is, some round ends within 14 days or ended under 90 days ago."""
    agency = factories.make_agency()
    planner = factories.make_user("pranee", agency, Membership.Role.PLANNER)
    planner.email = "pranee@rae.go.th"
    planner.save()
    this_year = fiscal.of_date(timezone.localdate())
    for year in (this_year - 1, this_year):
        factories.make_measure(factories.make_plan(agency, year), rounds=[3, 6, 9, 12])
    return agency


def test_once_runs_the_due_jobs_for_real(due_round, mailoutbox, job_log):
    out = io.StringIO()
    call_command("scheduler", "--once", "--now", "07:05",
                 "--jobs", "send_reminders@07:00,complaints_shred@04:00", stdout=out)
    assert [m.to for m in mailoutbox] == [["pranee@rae.go.th"]]
    assert "แจ้งเตือนการรายงานผลตามมาตรการ" in mailoutbox[0].subject
    today = timezone.localdate()
    assert set(JobRun.objects.values_list("job", "day", "outcome")) == {
        ("send_reminders", today, "ok"), ("complaints_shred", today, "ok")}
    # the command's output (it lists the addresses) and the people are not in the log
    assert "pranee" not in job_log.text and "@rae.go.th" not in job_log.text
    assert out.getvalue() == ""

    call_command("scheduler", "--once", "--now", "23:30", "--jobs", "send_reminders@07:00")
    assert len(mailoutbox) == 1 and JobRun.objects.count() == 2  # not twice a day
    assert "nothing due" in job_log.text


@pytest.mark.django_db
def test_once_exits_with_1_when_a_job_failed():
    with pytest.raises(CommandError, match="failed: validate") as failure:
        call_command("scheduler", "--once", "--jobs", "validate@00:00,complaints_shred@00:00")
    assert failure.value.returncode == 1
    assert JobRun.objects.get(job="complaints_shred").outcome == "ok"


def test_once_refuses_a_bad_now():
    with pytest.raises(CommandError, match="--now must be HH:MM"):
        call_command("scheduler", "--once", "--now", "7 o'clock", "--jobs", "")
    with pytest.raises(CommandError, match="only goes with --once or --list"):
        call_command("scheduler", "--now", "07:00", "--jobs", "")


@pytest.mark.django_db
def test_list_prints_the_schedule_and_the_last_runs():
    today = timezone.localdate()
    JobRun.objects.create(job="complaints_shred", day=today, started_at=timezone.now(), outcome="ok")
    out = io.StringIO()
    call_command("scheduler", "--list", "--jobs", "complaints_shred@04:00,check-links@sun 02:30",
                 stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("Schedule (Asia/Bangkok), as of ")
    assert "complaints_shred daily at 04:00" in lines[1] and " ok; next " in lines[1]
    assert f"next {today + dt.timedelta(days=1)} 04:00" in lines[1]
    assert "check_links weekly on sun at 02:30" in lines[2] and "never run; due now" in lines[2]


# --- the long-running loop ------------------------------------------------------------------------

def _database_url() -> str:
    """The test database, for a scheduler in another process."""
    if connection.vendor == "sqlite":
        return f"sqlite:///{connection.settings_dict['NAME']}"
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path="/" + connection.settings_dict["NAME"]))


def _reader(stream, lines: queue.Queue) -> None:
    for line in stream:
        lines.put(line)


def _wait_for(lines: queue.Queue, text: str, seen: list[str], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not any(text in line for line in seen):
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise AssertionError(f"no {text!r} within {timeout} s; the scheduler said:\n{''.join(seen)}")
        try:
            seen.append(lines.get(timeout=remaining))
        except queue.Empty:
            pass


@pytest.mark.django_db(transaction=True)
def test_sigterm_stops_the_running_scheduler_quickly(tmp_path):
    env = dict(os.environ, PRONGSAI_DATA_DIR=str(tmp_path), DATABASE_URL=_database_url(),
               PRONGSAI_JOBS="complaints_shred@00:00", PYTHONUNBUFFERED="1")
    process = subprocess.Popen([sys.executable, "-m", "prongsai", "scheduler"], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=_reader, args=(process.stderr, lines), daemon=True).start()
    seen: list[str] = []
    try:
        _wait_for(lines, "job complaints_shred: finished ok", seen, timeout=120)  # it ran the due job
        time.sleep(0.5)  # now asleep until tomorrow's slot
        started = time.monotonic()
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=15) == 0
        assert time.monotonic() - started < 5
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    _wait_for(lines, "scheduler stopped", seen, timeout=5)
    assert any("SIGTERM: stopping" in line for line in seen)
    run = JobRun.objects.get(job="complaints_shred")
    assert run.outcome == "ok" and run.day == timezone.localdate()
