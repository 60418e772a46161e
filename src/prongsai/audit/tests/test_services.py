import pytest
from django.contrib.auth.models import User
from django.db import connection, transaction

from prongsai.agencies.models import Agency
from prongsai.audit import services
from prongsai.audit.models import AppendOnlyError, AuditEntry


@pytest.fixture
def agency(db):
    return Agency.objects.create(slug="a1", name="เทศบาลตำบลหนึ่ง")


@pytest.fixture
def user(db):
    return User.objects.create_user("auditor", password="x-long-password-1")


def _record(user, agency, n=3):
    with transaction.atomic():
        for i in range(n):
            services.record(actor=user, action="agencies.agency.updated", obj=agency,
                            changes={"name": [f"ชื่อ {i}", f"ชื่อ {i + 1}"]})


def test_it_chains_entries_and_verifies(user, agency):
    _record(user, agency)
    entries = list(AuditEntry.objects.order_by("id"))
    assert len(entries) == 3
    assert entries[0].prev_hash == services.GENESIS
    assert entries[1].prev_hash == entries[0].hash and entries[2].prev_hash == entries[1].hash
    assert entries[0].agency == agency and entries[0].actor_name == "auditor"
    assert services.verify() == []


@pytest.mark.django_db(transaction=True)
def test_it_refuses_to_record_outside_a_transaction():
    agency = Agency.objects.create(slug="a2", name="เทศบาลตำบลสอง")
    user = User.objects.create_user("auditor2")
    with pytest.raises(RuntimeError):
        services.record(actor=user, action="x", obj=agency)


def test_it_refuses_updates_and_deletes(user, agency):
    _record(user, agency, 1)
    entry = AuditEntry.objects.get()
    entry.action = "forged"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().update(action="forged")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()


def test_it_detects_a_changed_entry(user, agency):
    _record(user, agency)
    middle = AuditEntry.objects.order_by("id")[1]
    with connection.cursor() as cursor:  # tampering behind the ORM's back
        cursor.execute(f"UPDATE {AuditEntry._meta.db_table} SET action = %s WHERE id = %s", ["forged", middle.id])
    problems = services.verify()
    assert [p.entry_id for p in problems] == [middle.id]


def test_it_detects_a_removed_entry(user, agency):
    _record(user, agency)
    first, middle, last = AuditEntry.objects.order_by("id")
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {AuditEntry._meta.db_table} WHERE id = %s", [middle.id])
    assert [p.entry_id for p in services.verify()] == [last.id]
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {AuditEntry._meta.db_table} WHERE id = %s", [last.id])
    assert services.verify()  # the chain head still names the removed newest entry


def test_it_diffs_snapshots():
    assert services.diff({"a": 1, "b": 2}, {"a": 1, "b": 3, "c": 4}) == {"b": [2, 3], "c": [None, 4]}


def test_it_lists_an_objects_history(user, agency):
    _record(user, agency, 2)
    assert [e.changes["name"][1] for e in services.history(agency)] == ["ชื่อ 1", "ชื่อ 2"]
