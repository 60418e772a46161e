import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from prongsai.agencies.models import Agency
from prongsai.audit import services
from prongsai.audit.models import AuditEntry


@pytest.mark.django_db
def test_it_reports_an_intact_chain_and_a_broken_one(capsys):
    agency = Agency.objects.create(slug="a1", name="เทศบาลตำบลหนึ่ง")
    user = User.objects.create_user("u1")
    with transaction.atomic():
        services.record(actor=user, action="agencies.agency.created", obj=agency)
        services.record(actor=user, action="agencies.agency.updated", obj=agency, changes={"name": ["a", "b"]})
    call_command("audit", "verify")
    assert "ok: 2 audit entries" in capsys.readouterr().out
    first = AuditEntry.objects.order_by("id").first()
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {AuditEntry._meta.db_table} SET changes = %s WHERE id = %s", ['{"x": 1}', first.id])
    with pytest.raises(CommandError, match="audit chain broken"):
        call_command("audit", "verify")
