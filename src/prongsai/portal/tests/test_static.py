"""The static copy of the public site: written on publish, rewritten by `prongsai publish_static`,
old versions kept."""

import hashlib

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from prongsai.memos.tests.conftest import client_for
from prongsai.portal import links, services
from prongsai.reports import versions

SLUG, FY, ROUND = "tessaban-rae", 2563, 6


def _file(settings, path):
    relative = path.lstrip("/") + ("index.html" if path.endswith("/") else "")
    return settings.PRONGSAI_PUBLIC_DIR / relative


def test_it_writes_the_public_site_once_the_publish_commits(admin, memo, report_version, settings,
                                                             django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_report(memo=memo, by=admin)
    for path in (links.agency_path(SLUG), links.results_path(SLUG), links.reports_path(SLUG),
                 links.round_report_path(SLUG, FY, ROUND), links.round_report_version_path(SLUG, FY, ROUND, 1),
                 links.measures_path(SLUG, FY), links.analysis_path(SLUG, FY), links.oit_path(SLUG, FY),
                 links.oit_item_path(SLUG, FY, "O1"), links.feed_path(SLUG), links.data_path(SLUG, FY, "json"),
                 links.data_path(SLUG, FY, "csv"), links.verify_path(report_version.pdf_sha256), links.verify_path()):
        assert _file(settings, path).is_file(), path
    # the page on disk is what the app serves
    served = client_for().get(links.round_report_path(SLUG, FY, ROUND)).content
    assert _file(settings, links.round_report_path(SLUG, FY, ROUND)).read_bytes() == served
    pdf = _file(settings, links.round_report_file_path(SLUG, FY, ROUND, 1, "pdf")).read_bytes()
    assert hashlib.sha256(pdf).hexdigest() == report_version.pdf_sha256
    assert (settings.PRONGSAI_PUBLIC_DIR / "static" / "portal" / "portal.css").is_file()


def test_it_keeps_old_versions_in_the_static_copy(admin, memo, report_version, settings,
                                                  django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_report(memo=memo, by=admin)
    with transaction.atomic():
        versions.freeze(memo=memo, by=admin)
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_report(memo=memo, by=admin)
    for number in (1, 2):
        assert _file(settings, links.round_report_file_path(SLUG, FY, ROUND, number, "pdf")).is_file()
        assert _file(settings, links.round_report_version_path(SLUG, FY, ROUND, number)).is_file()
    current = _file(settings, links.round_report_path(SLUG, FY, ROUND)).read_text()
    assert "ฉบับที่ ๒" in current


def test_it_rebuilds_the_copy_with_the_command(admin, memo, settings, capsys):
    services.publish_report(memo=memo, by=admin)  # no commit callbacks run: nothing written yet
    assert not _file(settings, links.agency_path(SLUG)).exists()
    call_command("publish_static", "--agency", SLUG)
    out = capsys.readouterr().out
    assert f"{SLUG}:" in out and "3 new files" in out
    assert _file(settings, links.agency_path(SLUG)).is_file()
    call_command("publish_static")
    assert "0 new files" in capsys.readouterr().out  # published files are written once
    with pytest.raises(CommandError):
        call_command("publish_static", "--agency", "no-such-agency")


def test_it_rebuilds_when_a_year_has_no_oit_items_yet(memo, settings):
    """A catalogue without OIT items yet (a new year's provisional one) has no OIT page; the rebuild must
    not stop."""
    from prongsai.framework import services as catalogues
    from prongsai.framework.formats import Parsed
    from prongsai.framework.models import Catalogue
    from prongsai.measures.models import YearPlan
    from prongsai.portal import static

    data = dict(Catalogue.objects.filter(fiscal_year=2569).latest("version").data)
    data["oit_items"] = {**data["oit_items"], "items": []}
    data.pop("item_map_from_previous", None)
    catalogues.apply(catalogues.propose(Parsed(data), name="2570.yaml", year=2570), actor="test")
    agency = memo.plan.agency
    YearPlan.objects.create(agency=agency, fiscal_year=2570, framework_year=2570)
    paths = static.agency_paths(agency)
    assert links.oit_path(SLUG, FY) in paths
    assert links.oit_path(SLUG, 2570) not in paths
    call_command("publish_static")
    assert _file(settings, links.agency_path(SLUG)).is_file()
