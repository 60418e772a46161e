from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from prongsai.agencies.models import Agency, Membership
from prongsai.measures.models import Measure
from prongsai.web.management.commands.demo import EXAMPLES_DIR

pytestmark = pytest.mark.django_db

USERNAMES = {"demo", "approver1", "approver2", "approver3", "admin", "viewer"}


def run_demo() -> str:
    out = StringIO()
    call_command("demo", stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {
        "agencies": Agency.objects.count(),
        "measures": Measure.objects.count(),
        "users": get_user_model().objects.count(),
        "memberships": Membership.objects.count(),
    }


def test_it_loads_every_example_and_the_demo_users():
    output = run_demo()
    example_count = len(list(EXAMPLES_DIR.glob("*.yaml")))
    assert example_count > 0
    assert Agency.objects.count() >= 1
    assert Measure.objects.exists()
    users = get_user_model().objects.filter(username__in=USERNAMES)
    assert set(users.values_list("username", flat=True)) == USERNAMES
    assert not users.filter(is_superuser=True).exists()
    assert not users.filter(is_staff=True).exists()
    for agency in Agency.objects.all():
        assert Membership.objects.filter(agency=agency, user__username="demo", role="planner").exists()
        for n in (1, 2, 3):
            assert Membership.objects.filter(agency=agency, user__username=f"approver{n}", role="approver").exists()
        assert Membership.objects.filter(agency=agency, user__username="admin", role="admin").exists()
        assert Membership.objects.filter(agency=agency, user__username="viewer", role="viewer").exists()
    assert "Demo login: user demo, password prongsai-demo" in output


def test_it_is_idempotent():
    first_output = run_demo()
    first = counts()
    second_output = run_demo()
    assert counts() == first
    assert ": imported" in first_output
    assert ": imported" not in second_output
    assert second_output.count(": already up to date") == len(list(EXAMPLES_DIR.glob("*.yaml")))


def test_it_logs_in_with_the_printed_login(client):
    run_demo()
    response = client.post(reverse("login"), {"username": "demo", "password": "prongsai-demo"})
    assert response.status_code == 302
    response = client.get(reverse("web:agency_list"))
    assert response.status_code == 200
    agency = Agency.objects.first()
    assert agency.name in response.content.decode()


def test_it_takes_the_password_from_the_environment(client, monkeypatch):
    monkeypatch.setenv("PRONGSAI_DEMO_PASSWORD", "another-secret-1")
    output = run_demo()
    assert "password another-secret-1" in output
    assert client.login(username="approver2", password="another-secret-1")
    assert not client.login(username="approver2", password="prongsai-demo")


def test_it_gives_a_changed_password_back():
    run_demo()
    user = get_user_model().objects.get(username="demo")
    user.set_password("changed-by-someone")
    user.save()
    run_demo()
    user.refresh_from_db()
    assert user.check_password("prongsai-demo")


def test_it_fails_clearly_without_year_files(tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="no year files"):
        call_command("demo", str(tmp_path), stdout=StringIO())


def test_the_demo_admin_manages_members_and_the_viewer_only_reads(client):
    run_demo()
    agency = Agency.objects.first()
    members_url = reverse("accounts:members", args=[agency.slug])
    assert client.login(username="admin", password="prongsai-demo")
    assert client.get(members_url).status_code == 200
    assert client.get(reverse("accounts:agency_settings", args=[agency.slug])).status_code == 200
    assert client.login(username="viewer", password="prongsai-demo")
    assert client.get(reverse("web:agency_detail", args=[agency.slug])).status_code == 200
    assert client.get(members_url).status_code == 403
