"""`prongsai check-links`: stores the history, prints a summary, and is reachable with its dash."""

import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from prongsai.oit import services
from prongsai.oit.models import LinkCheck
from prongsai.oit.tests.httpserver import LocalServer


@pytest.fixture
def server():
    with LocalServer() as running:
        yield running


def _answer(planner, agency, code, *urls):
    return services.save_answer(actor=planner, agency=agency, fiscal_year=2563, code=code, has=True,
                                urls=list(urls), explanation="")


def test_it_checks_every_url_and_keeps_the_history(settings, server, plan, planner, agency, planner_client):
    settings.PRONGSAI_LINKCHECK_ALLOW_PRIVATE = True
    ok = _answer(planner, agency, "O1", server.url("/report.pdf"))
    _answer(planner, agency, "O2", server.url("/redirect"), server.url("/404"))
    out = StringIO()
    with pytest.raises(CommandError, match="1 broken"):
        call_command("check_links", "--agency", "tessaban-rae", "--year", "2563", stdout=out)
    text = out.getvalue()
    assert "ตรวจลิงก์" in text and "สรุป" in text and "/404" in text
    assert dict(LinkCheck.objects.values_list("url", "status")) == {
        server.url("/report.pdf"): "ok", server.url("/redirect"): "moved", server.url("/404"): "broken"}
    assert LinkCheck.objects.get(url=server.url("/report.pdf")).content_type == "application/pdf"
    call_command("check_links", "--agency", "tessaban-rae", "--year", "2562", stdout=StringIO())  # nothing to do
    assert ok.checks.count() == 1
    page = planner_client.get(reverse("oit:checklist", args=["tessaban-rae", 2563])).content.decode()
    assert "status-broken" in page and "status-moved" in page
    item = planner_client.get(reverse("oit:item_edit", args=["tessaban-rae", 2563, "O2"])).content.decode()
    assert "HTTP 404" in item or "๔๐๔" in item


def test_it_refuses_local_addresses_unless_allowed(settings, server, plan, planner, agency):
    settings.PRONGSAI_LINKCHECK_ALLOW_PRIVATE = False
    _answer(planner, agency, "O1", server.url("/report.pdf"))
    with pytest.raises(CommandError):
        call_command("check_links", stdout=StringIO())
    check = LinkCheck.objects.get()
    assert check.status == "broken" and check.detail.startswith("refused:") and check.http_status is None


def test_it_names_an_unknown_agency(db):
    with pytest.raises(CommandError, match="no agency"):
        call_command("check_links", "--agency", "nope", stdout=StringIO())


def test_it_answers_to_its_dashed_name():
    done = subprocess.run([sys.executable, "-m", "prongsai", "check-links", "--help"], capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0 and "--agency" in done.stdout
