import io
import re
import subprocess
import zipfile

import pytest
from django.test import Client
from django.urls import reverse

from prongsai.reports.tests.readers import html_text
from prongsai.web.tests import factories


def _url(fmt: str, round: int = 6, slug: str = "tessaban-rae", year: int = 2563) -> str:
    return reverse("web:round_report", args=[slug, year, round, fmt])


@pytest.fixture
def year(agency):
    return factories.make_year(agency, 2563)


def _squeeze(text: str) -> str:
    """pdftotext may put spaces after Thai marks placed with offsets: compare without whitespace."""
    return re.sub(r"\s+", "", text)


def test_it_downloads_the_pdf(member_client, year, tmp_path):
    response = member_client.get(_url("pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="tessaban-rae-2563-round6.pdf"'
    assert "private" in response["Cache-Control"]
    assert response.content.startswith(b"%PDF-")
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert _squeeze("เทศบาลตำบลแร่") in _squeeze(text)
    assert _squeeze("รอบ ๖ เดือน") in _squeeze(text)


def test_it_downloads_the_docx(member_client, year):
    response = member_client.get(_url("docx"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert response["Content-Disposition"] == 'attachment; filename="tessaban-rae-2563-round6.docx"'
    with zipfile.ZipFile(io.BytesIO(response.content)) as docx:
        document = docx.read("word/document.xml").decode()
    assert "เทศบาลตำบลแร่" in document
    assert "จัดทำแผนการใช้จ่ายงบประมาณประจำปีและประชาสัมพันธ์บนเว็บไซต์" in document


def test_it_downloads_the_html(member_client, year):
    response = member_client.get(_url("html"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="tessaban-rae-2563-round6.html"'
    html = response.content.decode()
    assert 'lang="th"' in html
    text = html_text(html)
    assert "เทศบาลตำบลแร่" in text
    assert "ที่ สน ๘๐๗๐๑/๒๗๗" in text


def test_the_report_follows_an_arabic_digit_agency(db):
    agency = factories.make_agency(slug="sao-arabic", name="อบต.อารบิก", digits="arabic")
    factories.make_year(agency, 2563)
    client = Client()
    client.force_login(factories.make_user("arabic", agency))
    text = html_text(client.get(_url("html", slug="sao-arabic")).content)
    assert "ที่ สน 80701/277" in text
    assert "26 มิถุนายน 2563" in text
    assert "๒๕๖๓" not in text


def test_it_gives_404_for_a_round_without_a_memo(member_client, year):
    assert member_client.get(_url("pdf", round=12)).status_code == 404
    assert member_client.get(_url("pdf", round=5)).status_code == 404


def test_it_gives_404_for_an_unknown_format(member_client, year):
    assert member_client.get(_url("xlsx")).status_code == 404


def test_it_gives_404_for_a_year_without_a_plan(member_client, year):
    assert member_client.get(_url("pdf", year=2564)).status_code == 404


def test_it_hides_the_report_from_an_outsider(outsider_client, year):
    assert outsider_client.get(_url("pdf")).status_code == 404


def test_it_redirects_anonymous_visitors_to_login(anon_client, year):
    response = anon_client.get(_url("pdf"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login") + "?next=")


def test_it_rejects_post(member_client, year):
    assert member_client.post(_url("pdf")).status_code == 405
