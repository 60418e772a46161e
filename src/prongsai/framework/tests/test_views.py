"""The operator's catalogue pages and an agency's version move, through the test client."""

import io

import pytest
from django.contrib.auth.models import User
from openpyxl import load_workbook

from prongsai.framework import formats, services
from prongsai.framework.models import Catalogue
from prongsai.measures import services as measures
from prongsai.web.tests.factories import client_for, make_agency, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator():
    return User.objects.create_superuser("operator", password="x")


def test_only_the_install_level_role_sees_the_catalogue_pages(operator):
    agency = make_agency()
    admin = make_user("admin", agency, role="admin")
    for path in ("/catalogues/", "/catalogues/import/", "/catalogues/2569/general/v1.xlsx"):
        assert client_for(admin).get(path).status_code == 404
        assert client_for(operator).get(path).status_code == 200
    assert client_for().get("/catalogues/").status_code == 302  # to the login page


def test_the_operator_exports_edits_and_imports_a_catalogue_as_2570_after_seeing_the_difference(operator):
    client = client_for(operator)
    book = load_workbook(io.BytesIO(client.get("/catalogues/2569/general/v1.xlsx").content))
    sheet = book["ข้อ OIT"]
    sheet["B2"] = "โครงสร้างและอำนาจหน้าที่ของหน่วยงาน"
    sheet.append(["O27", "รายงานผลการดำเนินการตามแผนส่งเสริมคุณธรรม ปี 2569", None, None, 10])
    out = io.BytesIO()
    book.save(out)
    upload = io.BytesIO(out.getvalue())
    upload.name = "ita-2570.xlsx"
    page = client.post("/catalogues/import/", {"file": upload, "year": "2570", "status": ""})
    text = page.content.decode()
    assert "O1.title_th" in text and "โครงสร้างและอำนาจหน้าที่ของหน่วยงาน" in text and "+ OIT O27" in text
    assert not Catalogue.objects.filter(fiscal_year=2570).exists()  # nothing before the confirmation
    done = client.post("/catalogues/import/", {"confirm": "1"})
    assert done.status_code == 302
    row = Catalogue.objects.get(fiscal_year=2570)
    assert row.version == 1 and len(row.data["oit_items"]["items"]) == 25


def test_a_broken_upload_names_the_place_in_thai_and_writes_nothing(operator):
    upload = io.BytesIO(b"year: 2569\nweights: {IIT: 30, EIT: 30, OIT: 30}\n")
    upload.name = "bad.yaml"
    page = client_for(operator).post("/catalogues/import/", {"file": upload})
    assert "ไฟล์ไม่ถูกต้องที่ bad.yaml" in page.content.decode()
    assert Catalogue.objects.count() == Catalogue.objects.filter(origin="shipped").count()


def test_the_year_pages_say_the_catalogue_is_provisional_and_the_planner_moves_it():
    agency = make_agency()
    planner = make_user("planner", agency, role="planner")
    plan = measures.start_year(actor=planner, agency=agency, fiscal_year=2570)
    client = client_for(planner)
    text = client.get(f"/agencies/{agency.slug}/years/2570/").content.decode()
    assert "เกณฑ์ชั่วคราว" in text and "ใช้เกณฑ์ปี ๒๕๖๙" in text
    data = dict(services.find(2569).data)
    row = services.apply(services.propose(formats.Parsed(data), name="x", year=2570, status="confirmed"),
                         actor="test")
    url = f"/agencies/{agency.slug}/years/2570/catalogue/"
    preview = client.post(url, {"catalogue": row.pk})
    assert "ยืนยันการย้าย" in preview.content.decode()
    plan.refresh_from_db()
    assert plan.catalogue.fiscal_year == 2569
    assert client.post(url, {"catalogue": row.pk, "confirm": "1"}).status_code == 302
    plan.refresh_from_db()
    assert plan.catalogue_id == row.pk
    assert "เกณฑ์ชั่วคราว" not in client.get(f"/agencies/{agency.slug}/years/2570/").content.decode()
    outsider = make_user("outsider", make_agency(slug="other", name="อื่น"), role="planner")
    assert client_for(outsider).get(url).status_code == 404
