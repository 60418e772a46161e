import re

import pytest
from django.test import Client
from django.urls import reverse

from prongsai.web.tests import factories

URL = reverse("web:year_detail", args=["tessaban-rae", 2563])


@pytest.fixture
def year(agency):
    return factories.make_year(agency, 2563)


def _section(html: str, heading_id: str) -> str:
    """The HTML from the h2 with this id to the next h2."""
    start = html.index(f'<h2 id="{heading_id}">')
    end = html.find("<h2", start + 1)
    return html[start:end if end != -1 else None]


def test_it_shows_last_years_scores_total_and_grade(member_client, year):
    response = member_client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>เทศบาลตำบลแร่: ปีงบประมาณ ๒๕๖๓</h1>" in html
    assert "๑ ตุลาคม ๒๕๖๒ – ๓๐ กันยายน ๒๕๖๓" in html
    prior = _section(html, "prior")
    assert "ผลการประเมิน ITA ปี ๒๕๖๒" in prior
    # The total and grade come from the 2562 rules (nothing was published for them).
    assert "<dd>๘๓.๕๔</dd>" in prior
    assert "<dd>B</dd>" in prior
    assert "<dd>๒๕.๔๙</dd>" in prior and "<dd>๒๖.๐๐</dd>" in prior and "<dd>๓๒.๐๕</dd>" in prior
    # The score table: every indicator, its score and where it stands against the pass mark.
    row9 = re.search(r"<tr>\s*<td class=\"num\">๙</td>(.*?)</tr>", prior, re.S).group(1)
    assert "การเปิดเผยข้อมูล" in row9 and "๖๐.๒๕" in row9 and "ต่ำกว่าเกณฑ์" in row9
    row10 = re.search(r"<tr>\s*<td class=\"num\">๑๐</td>(.*?)</tr>", prior, re.S).group(1)
    assert "๑๐๐.๐๐" in row10 and "ผ่านเกณฑ์" in row10
    # The 2562 framework is flagged uncertain as a whole: the note says so.
    assert "ข้อมูลเกณฑ์ ITA ปี ๒๕๖๒ ส่วนใหญ่ยังไม่ได้รับการยืนยันจากแหล่งข้อมูลหลัก" in prior
    assert "ไม่ตรงกับ" not in prior  # no mismatch warning: nothing was stated


def test_it_draws_an_accessible_bar_chart_against_the_pass_mark(member_client, year):
    prior = _section(member_client.get(URL).content.decode(), "prior")
    svg = re.search(r"<svg.*?</svg>", prior, re.S).group(0)
    assert 'role="img"' in svg and 'aria-labelledby="chart-title chart-desc"' in svg
    assert '<title id="chart-title">คะแนนรายตัวชี้วัด ITA ปี ๒๕๖๒ เทียบกับเกณฑ์ผ่าน ๘๕ คะแนน</title>' in svg
    assert "ตัวชี้วัดที่ ๙ การเปิดเผยข้อมูล: ๖๐.๒๕ (ต่ำกว่าเกณฑ์)" in svg
    assert svg.count('<rect class="bar') == 10
    assert svg.count('<rect class="bar below"') == 4  # 2, 4, 7, 9
    # The pass line sits at 85 on a 0-100 axis 250 units tall starting at y=16; it is labelled.
    assert '<line class="pass" x1="44.0" x2="556.0" y1="53.5" y2="53.5"/>' in svg
    assert ">เกณฑ์ผ่าน ๘๕</text>" in svg
    # A score of 100 fills the whole plot height and carries its score inside, at its foot.
    assert 'y="16.0" width="39.9" height="250.0"/>' in svg
    assert '<text class="value inside" x="530.4" y="258.0" text-anchor="middle">๑๐๐.๐๐</text>' in svg


def test_a_bar_too_short_for_its_score_has_it_above(member_client, agency):
    factories.make_result(agency, 2562, scores={**factories.SCORES_2562, 9: "5.00"})
    factories.make_plan(agency, 2563)
    svg = re.search(r"<svg.*?</svg>", member_client.get(URL).content.decode(), re.S).group(0)
    # y(5) = 16 + 95/100 * 250 = 253.5; the label sits 4 units above the bar.
    assert '<text class="value" x="479.2" y="249.5" text-anchor="middle">๕.๐๐</text>' in svg


def test_it_lists_the_gap_analysis_with_points_lost(member_client, year):
    analysis = _section(member_client.get(URL).content.decode(), "analysis")
    urgent, improve = analysis.split('<h3 id="improve">')
    assert "ประเด็นข้อบกพร่องหรือจุดอ่อนที่จะต้องแก้ไขโดยเร่งด่วน" in urgent
    # Ranked by points lost: 9 (60.25 → 24.75) before 4 (70.50 → 14.50).
    assert re.search(r"การเปิดเผยข้อมูล</th>\s*<td class=\"num\">๖๐.๒๕</td>\s*<td class=\"num\">๒๔.๗๕</td>", urgent)
    assert urgent.index("การเปิดเผยข้อมูล") < urgent.index("๑๔.๕๐")
    assert "ประเด็นที่จะต้องพัฒนาให้ดีขึ้น" in improve
    assert re.search(r"การใช้งบประมาณ</th>\s*<td class=\"num\">๘๐.๑๕</td>\s*<td class=\"num\">๔.๘๕</td>", improve)
    assert "๑.๐๐" in improve  # indicator 7: 84.00
    assert "ปฏิบัติหน้าที่" not in analysis  # indicator 1 passed


def test_it_shows_the_measures_with_their_round_results(member_client, year):
    measures = _section(member_client.get(URL).content.decode(), "measures")
    assert "๑. การใช้งบประมาณ</h3>" in measures
    assert "จัดทำแผนการใช้จ่ายงบประมาณประจำปีและเผยแพร่ในเว็บไซต์" in measures
    assert "๑. จัดทำคำสั่งมอบหมายงาน\n๒. ผู้บริหารลงนามในคำสั่ง" in measures
    assert "สำนักปลัด และกองคลัง" in measures
    assert "ผลการดำเนินงาน รอบ ๖ เดือน (ตุลาคม ๒๕๖๒ – มีนาคม ๒๕๖๓)" in measures
    assert "เดือนเมษายน ๒๕๖๓" in measures
    assert "มีการเผยแพร่แผนบนเว็บไซต์สำนักงาน" in measures
    assert "ดำเนินการครบ ๑๒ เรื่อง" in measures
    assert '<a href="https://www.rae.go.th/plan-2563.pdf" rel="noopener noreferrer">แผนการใช้จ่ายงบประมาณ ๒๕๖๓</a>' in measures
    # The second measure's 12-month round has no result yet.
    assert "๒. การเปิดเผยข้อมูล</h3>" in measures
    assert "ผลการดำเนินงาน รอบ ๑๒ เดือน (ตุลาคม ๒๕๖๒ – กันยายน ๒๕๖๓)" in measures
    assert "ยังไม่มีการบันทึกผลการดำเนินงานของรอบนี้" in measures


def test_it_links_the_round_reports_that_have_a_memo(member_client, year):
    reports = _section(member_client.get(URL).content.decode(), "reports")
    assert "รอบ ๖ เดือน (ตุลาคม ๒๕๖๒ – มีนาคม ๒๕๖๓)" in reports
    assert "ที่ สน ๘๐๗๐๑/๒๗๗" in reports and "ลงวันที่ ๒๖ มิถุนายน ๒๕๖๓" in reports
    for fmt in ("pdf", "docx", "html"):
        url = reverse("web:round_report", args=["tessaban-rae", 2563, 6, fmt])
        assert f'<a href="{url}">ดาวน์โหลด {fmt.upper()}' in reports
    assert "/reports/12." not in reports  # no memo for round 12, so no report


def test_it_warns_when_the_published_figures_do_not_add_up(member_client, agency):
    factories.make_result(agency, 2562, total="84.40", grade="A")
    factories.make_plan(agency, 2563)
    prior = _section(member_client.get(URL).content.decode(), "prior")
    assert "ตัวเลขที่บันทึกไว้ไม่ตรงกับการคำนวณตามเกณฑ์" in prior
    assert "คะแนนรวมที่ระบุ ๘๔.๔๐ ไม่ตรงกับที่คำนวณได้ ๘๓.๕๔" in prior
    assert "ระดับผลการประเมินที่ระบุ A ไม่ตรงกับเกณฑ์ปี ๒๕๖๒" in prior
    assert "<dd>๘๔.๔๐</dd>" in prior  # the published total is kept as published


def test_it_flags_the_uncertain_grade_bands_from_2566(member_client, agency):
    factories.make_result(agency, 2566)
    factories.make_plan(agency, 2567)
    html = member_client.get(reverse("web:year_detail", args=["tessaban-rae", 2567])).content.decode()
    prior = _section(html, "prior")
    assert "ช่วงคะแนนของระดับผลการประเมินปี ๒๕๖๖ ยังไม่ได้รับการยืนยัน" in prior
    assert "<dd>ไม่ผ่าน</dd>" in prior  # 83.54 under the pass/fail rating of 2566


def test_it_shows_the_analysis_the_agency_stated(member_client, agency):
    factories.make_plan(agency, 2563, analysis={
        "based_on": 2562, "urgent": [], "improve": [2, {"indicator": 4, "label": "การใช้ทรัพย์สินของทางราชการ"}],
    })
    html = member_client.get(URL).content.decode()
    assert "ยังไม่มีผลการประเมิน ITA ปี ๒๕๖๒ ในระบบ" in _section(html, "prior")
    analysis = _section(html, "analysis")
    urgent, improve = analysis.split('<h3 id="improve">')
    assert "ตามที่หน่วยงานระบุจากผลการประเมินปี ๒๕๖๒" in analysis
    assert "ไม่มี" in urgent
    assert "การใช้งบประมาณ</th>" in improve  # the framework's name for indicator 2
    assert "การใช้ทรัพย์สินของทางราชการ</th>" in improve  # the agency's own wording for 4


def test_it_shows_arabic_digits_for_an_arabic_digit_agency(db):
    agency = factories.make_agency(slug="sao-arabic", name="อบต.อารบิก", digits="arabic")
    factories.make_year(agency, 2563)
    client = Client(HTTP_ACCEPT_LANGUAGE="th")
    client.force_login(factories.make_user("arabic", agency))
    html = client.get(reverse("web:year_detail", args=["sao-arabic", 2563])).content.decode()
    assert "<h1>อบต.อารบิก: ปีงบประมาณ 2563</h1>" in html
    assert "<dd>83.54</dd>" in html
    assert "เกณฑ์ผ่าน 85 คะแนน</title>" in html
    assert "รอบ 6 เดือน (ตุลาคม 2562 – มีนาคม 2563)" in html
    assert "1. จัดทำคำสั่งมอบหมายงาน" in html
    assert not re.search("[๐-๙]", html)


def test_it_hides_the_year_from_an_outsider(outsider_client, year):
    assert outsider_client.get(URL).status_code == 404


def test_it_gives_404_for_a_year_without_a_plan(member_client, year):
    assert member_client.get(reverse("web:year_detail", args=["tessaban-rae", 2570])).status_code == 404


def test_it_redirects_anonymous_visitors_to_login(anon_client, year):
    response = anon_client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login") + "?next=")


def test_it_rejects_post(member_client, year):
    assert member_client.post(URL).status_code == 405


def test_it_speaks_english_after_the_switch(member_client, year):
    member_client.post(reverse("set_language"), {"language": "en", "next": URL})
    html = member_client.get(URL).content.decode()
    assert '<html lang="en">' in html
    assert "ITA result of ๒๕๖๒" in html  # the agency's digits stay
    assert "Issues to improve" in html
    assert "Download PDF" in html
    assert "ผลการวิเคราะห์" not in html
