"""The memo tests' personas and year (tessaban-rae, FY 2563 with a round-6 result), an approved
round-6 memo with its frozen report version, and a public directory of the test's own."""

import pytest

from prongsai.memos.tests.conftest import (  # noqa: F401  (fixtures)
    admin, agency, approvers, default_chain, outsider, plan, planner, viewer,
)
from prongsai.memos.tests import helpers
from prongsai.reports.models import ReportVersion


@pytest.fixture(autouse=True)
def _dirs(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRONGSAI_PUBLIC_DIR = tmp_path / "public"
    settings.PRONGSAI_PUBLIC_URL = "https://ita.example.go.th"


@pytest.fixture
def memo(plan, planner, default_chain):
    return helpers.approved(plan, planner, default_chain)


@pytest.fixture
def report_version(memo):
    return ReportVersion.objects.get(memo=memo)
