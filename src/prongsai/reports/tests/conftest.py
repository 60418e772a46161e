"""Fixtures for the reports tests: the seed year (examples/tessaban-rae-2563.yaml through the real
loader), a long synthetic year, and its rendered PDFs (rendered once per session: they are slow)."""

from __future__ import annotations

from pathlib import Path

import pytest

from prongsai.reports.build import round_report
from prongsai.reports.render_pdf import render_pdf
from prongsai.reports.tests.synthetic import synthetic_year
from prongsai.yearfile.loader import load_valid_year_file

REPO = Path(__file__).resolve().parents[4]
SEED = REPO / "examples" / "tessaban-rae-2563.yaml"


@pytest.fixture(scope="session")
def seed_data() -> dict:
    return load_valid_year_file(SEED)


@pytest.fixture(scope="session")
def seed_pdf(seed_data) -> bytes:
    return render_pdf(round_report(seed_data, round=6))


@pytest.fixture(scope="session")
def long_data() -> dict:
    return synthetic_year(measures=40)


@pytest.fixture(scope="session")
def long_pdf(long_data) -> bytes:
    return render_pdf(round_report(long_data, round=6))
