"""The outgoing register: numbers per agency and calendar year (BE), in sequence, never twice, also
under many parallel draft requests (each thread with its own database connection)."""

import datetime as dt
import threading

import pytest
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from prongsai.audit.models import AuditEntry
from prongsai.memos import services
from prongsai.memos.models import Memo, RegisterCounter, RegisterEntry
from prongsai.memos.tests.conftest import client_for
from prongsai.web.tests import factories


def _allocate(agency, day, by, subject="เรื่องทดสอบ"):
    with transaction.atomic():
        return services.allocate_number(agency=agency, day=day, subject=subject, by=by)


def test_it_numbers_in_sequence_per_agency_and_calendar_year(agency, planner, outsider):
    other = outsider.memberships.get().agency
    numbers = [_allocate(agency, dt.date(2020, 3, 1), planner).number for _ in range(3)]
    assert numbers == [1, 2, 3]
    # A new calendar year starts again at 1 (the register follows the calendar, not the fiscal year).
    assert _allocate(agency, dt.date(2021, 1, 4), planner).number == 1
    assert _allocate(agency, dt.date(2020, 12, 31), planner).number == 4
    # Another agency has its own register.
    assert _allocate(other, dt.date(2021, 3, 1), outsider).number == 1
    assert RegisterCounter.objects.get(agency=agency, year=2563).last == 4
    entry = RegisterEntry.objects.get(agency=agency, year=2563, number=4)
    assert (entry.date, entry.subject, entry.created_by) == (dt.date(2020, 12, 31), "เรื่องทดสอบ", planner)
    assert AuditEntry.objects.filter(action="memos.register.allocated", object_id=str(entry.pk)).count() == 1


def test_it_skips_numbers_carried_by_imported_memos_of_that_year(agency, planner):
    plan = factories.make_plan(agency, 2563)
    factories.make_memo(plan, round=6, number=277, date=dt.date(2020, 6, 26))  # as a year file gives it
    factories.make_memo(plan, round=12, number=900, date=dt.date(2019, 11, 1))  # another calendar year
    assert _allocate(agency, dt.date(2020, 7, 1), planner).number == 278
    assert _allocate(agency, dt.date(2020, 7, 2), planner).number == 279
    assert _allocate(agency, dt.date(2019, 12, 1), planner).number == 901


def test_the_database_refuses_a_duplicate_number(agency, planner):
    entry = _allocate(agency, dt.date(2020, 3, 1), planner)
    with pytest.raises(IntegrityError), transaction.atomic():
        RegisterEntry.objects.create(agency=agency, year=entry.year, number=entry.number, subject="ซ้ำ",
                                     date=entry.date)


def test_it_needs_a_transaction():
    with pytest.raises(RuntimeError):
        services.allocate_number(agency=None, day=dt.date(2020, 1, 1), subject="", by=None)


THREADS = 12


@pytest.mark.django_db(transaction=True)
def test_parallel_draft_requests_never_share_a_number(agency, planner):
    """Twelve draft requests at once (three years x four rounds, all dated in 2568): twelve distinct
    numbers, 1 to 12, one register line each."""
    plans = [factories.make_plan(agency, year) for year in (2566, 2567, 2568)]
    jobs = [(plan.fiscal_year, months) for plan in plans for months in (3, 6, 9, 12)]
    assert len(jobs) == THREADS
    barrier = threading.Barrier(THREADS)
    statuses, errors = [], []

    def draft(year, months):
        try:
            client = client_for(planner)
            data = {"round": months, "date": "2025-02-03", "preparers-TOTAL_FORMS": 1, "preparers-INITIAL_FORMS": 0,
                    "preparers-0-name": "นางสาวปราณี จันทไชย", "preparers-0-position": "นักวิชาการ",
                    "approvers-TOTAL_FORMS": 0, "approvers-INITIAL_FORMS": 0}
            barrier.wait(timeout=30)
            statuses.append(client.post(reverse("memos:memo_new", args=[agency.slug, year]), data).status_code)
        except Exception as exc:  # reported below: a thread's failure must fail the test
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=draft, args=job) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert statuses == [302] * THREADS
    numbers = sorted(Memo.objects.filter(plan__in=plans).values_list("number", flat=True))
    assert numbers == list(range(1, THREADS + 1))
    entries = RegisterEntry.objects.filter(agency=agency, year=2568)
    assert sorted(entries.values_list("number", flat=True)) == numbers
    assert RegisterCounter.objects.get(agency=agency, year=2568).last == THREADS
