"""Retention: `prongsai complaints_shred` deletes the identity of complaints closed longer ago than the
agency's retention period, keeps everything else, and is audited."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from prongsai.audit.models import AuditEntry
from prongsai.complaints import services, stats
from prongsai.complaints.models import Complaint, ComplaintSettings

from .conftest import IDENTITY, submit

pytestmark = pytest.mark.django_db


def closed(agency, officer):
    complaint = submit(agency, identity=IDENTITY).complaint
    for target in ("registered", "acknowledged", "under_inquiry"):
        complaint = services.transition(actor=officer, complaint=complaint, to=target)
    complaint = services.transition(actor=officer, complaint=complaint, to="concluded", outcome="substantiated",
                                    reason="พบหลักฐาน")
    return services.transition(actor=officer, complaint=complaint, to="closed")


def test_it_shreds_identity_after_the_retention_period_and_keeps_the_rest(agency, officer, capsys):
    ComplaintSettings.objects.create(agency=agency, retention_days=30)
    complaint = closed(agency, officer)
    still_open = submit(agency, identity=IDENTITY).complaint
    closed_on = timezone.localdate(complaint.closed_at)
    call_command("complaints_shred", date=closed_on + dt.timedelta(days=29))
    complaint.refresh_from_db()
    assert complaint.read_identity() == IDENTITY
    call_command("complaints_shred", date=closed_on + dt.timedelta(days=30))
    assert "Shredded the identity of 1 complaints" in capsys.readouterr().out
    complaint.refresh_from_db()
    assert complaint.identity is None and complaint.identity_shredded_at is not None
    assert complaint.read_content()["what"]  # the complaint itself stays
    assert Complaint.objects.get(pk=still_open.pk).read_identity() == IDENTITY
    entry = AuditEntry.objects.get(action="complaints.identity.shredded")
    assert entry.changes == {"identity": ["kept", "shredded"]}
    figures = stats.statistics(agency=agency, fiscal_year=complaint.register_year)
    assert figures.received == 2 and figures.by_status["closed"] == 1
    call_command("complaints_shred", date=closed_on + dt.timedelta(days=31))  # safe to run again
    assert AuditEntry.objects.filter(action="complaints.identity.shredded").count() == 1


def test_it_uses_the_default_retention_when_the_agency_set_none(agency, officer, settings):
    complaint = closed(agency, officer)
    closed_on = timezone.localdate(complaint.closed_at)
    assert services.due_for_shredding(today=closed_on + dt.timedelta(days=1094)) == []
    assert services.due_for_shredding(today=closed_on + dt.timedelta(days=1095)) == [complaint]


@pytest.mark.django_db(transaction=True)
def test_it_leaves_no_copy_of_the_shredded_identity_in_the_sqlite_files(settings):
    from pathlib import Path

    from django.db import connection

    from prongsai.agencies.models import Membership
    from prongsai.web.tests import factories

    if connection.vendor != "sqlite":
        pytest.skip("checks the SQLite file and its write-ahead log")
    agency = factories.make_agency()
    officer = factories.make_user("officer", agency, Membership.Role.COMPLAINT_OFFICER)
    complaint = closed(agency, officer)
    sealed = bytes(complaint.identity)
    name = Path(connection.settings_dict["NAME"])

    def on_disk() -> bool:
        return any(sealed in p.read_bytes() for p in (name, Path(f"{name}-wal")) if p.exists())

    assert on_disk()
    call_command("complaints_shred", date=timezone.localdate(complaint.closed_at) + dt.timedelta(days=1095))
    assert not on_disk()
