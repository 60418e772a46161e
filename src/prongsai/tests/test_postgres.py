"""The second pass of `make test` really runs on PostgreSQL (tests marked `postgres` are skipped on
SQLite by the root conftest.py)."""

import pytest
from django.db import connection

from prongsai.agencies.models import Agency


@pytest.mark.postgres
@pytest.mark.django_db
def test_it_runs_on_postgresql_with_utf8_thai_text():
    assert connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute("show server_encoding")
        assert cursor.fetchone()[0] == "UTF8"
    Agency.objects.create(slug="tessaban-rae", name="เทศบาลตำบลแร่", district="พังโคน", province="สกลนคร")
    assert Agency.objects.get(name__contains="ตำบลแร่").location == "อำเภอพังโคน จังหวัดสกลนคร"
