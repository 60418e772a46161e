"""Statistics per fiscal year: the counts and medians of `statistics()`, small counts hidden on public
pages (with the one more cell that would give a hidden one away), the chart, CSV and XLSX."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from prongsai.complaints import services, stats
from prongsai.complaints.models import Complaint

from .conftest import client_for, submit

pytestmark = pytest.mark.django_db


def backdate(complaint, **moments):
    Complaint.objects.filter(pk=complaint.pk).update(**moments)


def at(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))


@pytest.fixture
def year_2568(agency, officer):
    """FY 2568 (1 Oct 2024 - 30 Sep 2025): five complaints in October, one in March, one by phone in
    September; and one from FY 2567 and one from FY 2569 that must not count."""
    made = []
    for n in range(5):
        made.append(submit(agency, category="procurement", received_on=dt.date(2024, 10, 1 + n)).complaint)
    made.append(submit(agency, category="conduct", received_on=dt.date(2025, 3, 10)).complaint)
    made.append(submit(agency, category="finance", channel="phone", received_on=dt.date(2025, 9, 30),
                       actor=officer).complaint)
    submit(agency, received_on=dt.date(2024, 9, 30))
    submit(agency, received_on=dt.date(2025, 10, 1))
    # acknowledged after 2, 10 and 20 days (the last one late: the deadline is 15), concluded after 30 and 70
    for complaint, days in zip(made[:3], (2, 10, 20)):
        for target in ("registered", "acknowledged"):
            services.transition(actor=officer, complaint=complaint, to=target)
        backdate(complaint, acknowledged_at=at(complaint.received_on + dt.timedelta(days=days)))
    for complaint, days, outcome in zip(made[:2], (30, 70), ("unsubstantiated", "forwarded")):
        complaint.refresh_from_db()
        services.transition(actor=officer, complaint=complaint, to="under_inquiry")
        services.transition(actor=officer, complaint=complaint, to="concluded", outcome=outcome, reason="เหตุผล",
                            forwarded_to="สำนักงาน ป.ป.ช.")
        backdate(complaint, concluded_at=at(complaint.received_on + dt.timedelta(days=days)))
    return made


def test_it_counts_the_fiscal_year_by_receipt_date(agency, year_2568):
    figures = stats.statistics(agency=agency, fiscal_year=2568, today=dt.date(2025, 10, 15))
    assert figures.received == 7
    assert [(m.year_ce, m.month, m.count) for m in figures.by_month][:2] == [(2024, 10, 5), (2024, 11, 0)]
    assert figures.by_month[5].count == 1 and figures.by_month[-1] == stats.MonthCount(2025, 9, 1)
    assert figures.by_category == {"procurement": 5, "authority": 0, "finance": 1, "property": 0,
                                   "conduct": 1, "other": 0}
    assert figures.by_channel["web"] == 6 and figures.by_channel["phone"] == 1
    assert figures.by_status == {"received": 4, "registered": 0, "acknowledged": 1, "under_inquiry": 0,
                                 "concluded": 2, "closed": 0}
    assert figures.by_outcome == {"substantiated": 0, "unsubstantiated": 1, "forwarded": 1}
    assert (figures.acknowledged, figures.acknowledged_in_time) == (3, 2)
    assert (figures.concluded, figures.concluded_in_time) == (2, 1)  # 70 days is past the 60-day deadline
    assert figures.median_days_to_acknowledge == 10.0
    assert figures.median_days_to_conclude == 50.0
    assert figures.as_dict()["as_of"] == "2025-10-15"


def test_it_hides_small_counts_and_the_cell_that_would_give_one_away():
    assert stats.public_cells({"a": 5, "b": 0, "c": 1}) == {"a": "5", "b": "< 3", "c": "< 3"}
    assert stats.public_cells({"a": 5, "b": 4, "c": 1}) == {"a": "5", "b": "*", "c": "< 3"}
    assert stats.public_cells({"a": 3, "b": 7}) == {"a": "3", "b": "7"}
    assert stats.public_value(2) == "< 3" and stats.public_value(3) == "3"


def test_it_publishes_the_page_with_hidden_small_counts_and_a_chart(agency, year_2568):
    page = client_for().get(reverse("complaints:public_statistics", args=[agency.slug, 2568]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "<svg" in html and 'role="img"' in html
    assert "&lt; 3" in html
    rows = {(r.section, r.item): r.value for r in stats.table_rows(
        stats.statistics(agency=agency, fiscal_year=2568), public=True, style="arabic")}
    assert rows[("รวม", "เรื่องร้องเรียนที่รับในปีงบประมาณ")] == "7"
    assert rows[("ประเภทเรื่อง", "จัดซื้อจัดจ้าง")] == "5"
    assert rows[("ประเภทเรื่อง", "พฤติกรรมเจ้าหน้าที่")] == "< 3"
    assert rows[("ระยะเวลา", "มัธยฐานจำนวนวันจนได้ข้อยุติ")] == "–"  # from fewer than 3 complaints
    assert rows[("ระยะเวลา", "มัธยฐานจำนวนวันจนแจ้งตอบรับ")] == "10"
    assert "๗" in html  # the agency writes Thai digits


def test_it_exports_csv_and_xlsx_that_match_the_page(agency, year_2568):
    client = client_for()
    response = client.get(reverse("complaints:public_statistics_file", args=[agency.slug, 2568, "csv"]))
    assert response["Content-Type"].startswith("text/csv")
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert lines[0] == ["หมวด", "รายการ", "จำนวน"]
    assert ["ประเภทเรื่อง", "จัดซื้อจัดจ้าง", "5"] in lines
    assert ["ประเภทเรื่อง", "การเงิน/งบประมาณ", "< 3"] in lines
    response = client.get(reverse("complaints:public_statistics_file", args=[agency.slug, 2568, "xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [tuple(row) for row in sheet.iter_rows(values_only=True)]
    assert ("รวม", "เรื่องร้องเรียนที่รับในปีงบประมาณ", 7) in values
    assert ("ช่องทาง", "โทรศัพท์", "< 3") in values
    assert client.get(reverse("complaints:public_statistics_file", args=[agency.slug, 2568, "pdf"])).status_code == 404


def test_it_gives_officers_the_exact_figures(agency, officer, year_2568):
    response = client_for(officer).get(reverse("complaints:staff_statistics_file", args=[agency.slug, 2568, "csv"]))
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert ["ช่องทาง", "โทรศัพท์", "1"] in lines
    assert ["ระยะเวลา", "มัธยฐานจำนวนวันจนได้ข้อยุติ", "50"] in lines


def test_it_redirects_to_the_current_fiscal_year_and_gives_oit_links(agency):
    response = client_for().get(reverse("complaints:public_statistics_current", args=[agency.slug]))
    assert response.status_code == 302 and "/complaints/statistics/25" in response["Location"]
    links = stats.oit_links(agency, 2568)
    assert links["statistics"] == "/a/tessaban-rae/complaints/statistics/2568/"
    for url in links.values():
        assert client_for().get(url).status_code == 200


def test_it_publishes_the_guideline_and_channels_with_the_agencys_settings(agency):
    from prongsai.complaints.models import ComplaintSettings
    ComplaintSettings.objects.create(agency=agency, acknowledge_days=7, line_id="@tessabanrae",
                                     guideline_extra="ผู้รับผิดชอบ: สำนักปลัด")
    guideline = client_for().get(reverse("complaints:guideline", args=[agency.slug])).content.decode()
    assert "ภายใน ๗ วัน" in guideline and "ผู้รับผิดชอบ: สำนักปลัด" in guideline
    channels = client_for().get(reverse("complaints:channels", args=[agency.slug])).content.decode()
    assert "@tessabanrae" in channels and "042-123456" in channels
