"""The public pages: home, results, measures, analysis, OIT, feed, open data; Thai digits, escaping."""

import csv
import io
import json
import xml.etree.ElementTree as ET

import pytest

from prongsai.agencies.models import Person
from prongsai.memos.tests.conftest import client_for
from prongsai.portal import links, services
from prongsai.portal.models import Publication

SLUG, FY = "tessaban-rae", 2563


@pytest.fixture
def published(admin, memo):
    return services.publish_report(memo=memo, by=admin)


def _get(path, status=200):
    response = client_for().get(path)
    assert response.status_code == status, path
    return response.content.decode()


def test_it_shows_the_agency_home_with_executive_contacts_and_links(agency, published):
    Person.objects.filter(agency=agency, name="ทวี จันทเสนา").update(position=agency.executive_title)
    text = _get(links.agency_path(agency))
    assert '<html lang="th">' in text and '<main id="main"' in text
    assert "ทวี จันทเสนา" in text and "042-123456" in text
    assert links.measures_path(agency, FY) in text and links.oit_path(agency, FY) in text
    assert links.data_path(agency, FY, "csv") in text


def test_it_shows_the_results_over_the_years_against_the_pass_mark(agency, published):
    text = _get(links.results_path(agency))
    assert "<svg" in text and "เกณฑ์ผ่าน ๘๕" in text and "๒๕๖๒" in text


def test_it_shows_the_measures_and_analysis_as_approved_not_as_edited_since(agency, published, plan):
    plan.measures.filter(order=1).update(title="ชื่อที่แก้ภายหลัง")
    measures = _get(links.measures_path(agency, FY))
    assert "การใช้งบประมาณ" in measures and "ชื่อที่แก้ภายหลัง" not in measures
    assert "จัดทำแผนการใช้จ่ายงบประมาณประจำปี" in measures and "https://www.rae.go.th/plan-2563.pdf" in measures
    analysis = _get(links.analysis_path(agency, FY))
    assert "แก้ไขโดยเร่งด่วน" in analysis and "ต่ำกว่าเกณฑ์" in analysis


def test_it_says_not_yet_published_for_a_year_without_a_published_report(agency, plan):
    assert "ยังไม่มีข้อมูลที่เผยแพร่" in _get(links.measures_path(agency, FY), status=404)
    _get(links.analysis_path(agency, FY), status=404)
    _get("/a/no-such-agency/", status=404)


def test_it_lists_the_oit_items_grouped_by_sub_indicator(agency, plan):
    text = _get(links.oit_path(agency, FY))
    for header in ("ข้อ", "ข้อมูล", "รายละเอียด", "ลิงก์"):
        assert f'<th scope="col">{header}</th>' in text
    assert "9.1" in text or "๙.๑" in text
    assert links.oit_item_path(agency, FY, "O1") in text
    item = _get(links.oit_item_path(agency, FY, "o1"))
    assert "O1" in item and "โครงสร้าง" in item
    upper = client_for().get(f"/a/{SLUG}/oit/{FY}/O1/")
    assert upper.status_code == 302 and upper["Location"] == links.oit_item_path(agency, FY, "o1")
    _get(links.oit_item_path(agency, FY, "o999"), status=404)
    _get(links.oit_path(agency, 2400), status=404)


def test_it_offers_an_atom_feed_of_everything_published(agency, published):
    response = client_for().get(links.feed_path(agency))
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    entries = root.findall("a:entry", ns)
    assert len(entries) == 1
    assert entries[0].find("a:link", ns).get("href") == (
        "https://ita.example.go.th" + links.round_report_version_path(agency, FY, 6, 1))


def test_it_offers_the_year_as_json_and_csv_open_data(agency, published):
    data = json.loads(client_for().get(links.data_path(agency, FY, "json")).content)
    assert data["fiscal_year"] == FY and data["agency"]["slug"] == SLUG
    assert [m["title"] for m in data["measures"]][0] == "การใช้งบประมาณ"
    assert {d["file"] for d in data["published"]} == {"report.pdf", "report.docx", "report.html"}
    assert data["oit"][0]["code"] == "O1" and data["oit"][0]["answer"] is None
    response = client_for().get(links.data_path(agency, FY, "csv"))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["section", "code", "title", "round", "value", "url", "sha256"]
    assert any(r[0] == "published" and r[6] == published.files.get(name="report.pdf").sha256 for r in rows)
    assert client_for().get(f"/a/{SLUG}/data/{FY}.xml").status_code == 404


def test_it_escapes_what_agencies_type(agency, admin, published):
    Publication.objects.filter(pk=published.publication_id).update(title='<script>alert("x")</script>')
    text = _get(links.reports_path(agency))
    assert "<script>" not in text and "&lt;script&gt;" in text
