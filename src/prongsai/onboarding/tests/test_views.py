"""The operator's pages: preview writes nothing, import writes in one go, others get 404."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile

from prongsai.agencies.models import Agency
from prongsai.assessments.models import ITAResult
from prongsai.onboarding.tests import generate
from prongsai.web.tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator(client, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    client.force_login(User.objects.create_superuser("root", password="x"))
    return client


def upload(rows, name="agencies.csv"):
    return SimpleUploadedFile(name, generate.csv_file(rows).getvalue(), content_type="text/csv")


def test_only_the_operator_sees_the_pages(client):
    agency = factories.make_agency()
    client.force_login(factories.make_user("admin", agency, role="admin"))
    assert client.get("/operator/import/agencies/").status_code == 404
    assert client.get("/operator/import/results/").status_code == 404
    client.logout()
    assert client.get("/operator/import/agencies/").status_code == 302  # to the login page


def test_preview_then_import_agencies(operator, tmp_path):
    rows = generate.agency_rows(30)
    page = operator.post("/operator/import/agencies/", {"action": "preview", "file": upload(rows)})
    assert page.status_code == 200 and Agency.objects.count() == 0
    token = page.context["token"]
    assert page.context["plan"].counts()["created"] == 30
    page = operator.post("/operator/import/agencies/", {"action": "apply", "token": token})
    assert page.context["report"].written and Agency.objects.count() == 30
    assert not list((tmp_path / "onboarding").iterdir())  # the kept file is gone
    again = operator.post("/operator/import/agencies/", {"action": "apply", "token": token})
    assert "ไม่พบไฟล์ที่ตรวจสอบไว้" in again.content.decode()


def test_refused_rows_are_listed_and_nothing_written_unless_asked(operator):
    rows = generate.agency_rows(5)
    rows[2]["จังหวัด"] = "<b>ไม่มีจังหวัดนี้</b>"
    page = operator.post("/operator/import/agencies/", {"action": "preview", "file": upload(rows)})
    html = page.content.decode()
    assert "แถวที่ 4 คอลัมน์ “จังหวัด”: ไม่พบจังหวัด “&lt;b&gt;ไม่มีจังหวัดนี้&lt;/b&gt;”" in html
    token = page.context["token"]
    page = operator.post("/operator/import/agencies/", {"action": "apply", "token": token})
    assert not page.context["report"].written and Agency.objects.count() == 0
    page = operator.post("/operator/import/agencies/", {"action": "apply", "token": token, "partial": "1"})
    assert page.context["report"].written and Agency.objects.count() == 4


def test_results_for_a_year(operator):
    agencies = generate.agency_rows(3)
    operator.post("/operator/import/agencies/", {"action": "preview", "file": upload(agencies)})
    token = operator.session["prongsai.onboarding.uploads"].popitem()[0]
    operator.post("/operator/import/agencies/", {"action": "apply", "token": token})
    page = operator.post("/operator/import/results/", {
        "action": "preview", "year": "2567", "file": upload(generate.result_rows(agencies), "ita.csv")})
    assert page.context["plan"].counts()["created"] == 3
    page = operator.post("/operator/import/results/", {"action": "apply", "year": "2567",
                                                         "token": page.context["token"]})
    assert page.context["report"].written and ITAResult.objects.filter(year=2567).count() == 3


def test_the_agency_import_page_in_english(operator):
    operator.cookies["django_language"] = "en"
    rows = generate.agency_rows(2)
    rows[0]["จังหวัด"] = "ไม่มี"
    html = operator.post("/operator/import/agencies/", {"action": "preview", "file": upload(rows)}).content.decode()
    assert "Import many agencies" in html
    assert "Row 2, column “จังหวัด”: “ไม่มี” is not one of the 77 provinces" in html
