"""Issue 8's acceptance as a new user meets it after `make run`, through the pages only (the test client,
the demo data of `prongsai demo`): the catalogue editor exports the 2569 catalogue as XLSX, renames one
item and adds one, imports it as 2570 after seeing the difference; the demo planner starts FY 2570 from
FY 2569 in one action, enters the ITA 2569 scores, gets the analysis, keeps and adds measures, makes the
plan and its memo; the chain signs; the executive's announcement is issued; the portal shows the plan and
the announcement and the FY 2570 OIT items for them link there."""

from __future__ import annotations

import io
import re

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from openpyxl import load_workbook

from prongsai.framework.catalogue import framework_for_plan, get_framework
from prongsai.framework.models import Catalogue
from prongsai.measures.models import YearPlan
from prongsai.lib import thai
from prongsai.memos.models import Memo
from prongsai.oit.models import OITAnswer
from prongsai.portal import links
from prongsai.reports.tests.readers import html_text
from prongsai.web.tests.factories import client_for

pytestmark = pytest.mark.django_db

SLUG = "sao-nong-bua-ngoen"  # the demo's fictional agency, with FY 2569
RENAMED = "โครงสร้างและอำนาจหน้าที่ของหน่วยงาน (ชื่อที่ปรับใหม่)"
ADDED = ("O27", "รายงานการนำผลการประเมินไปปรับปรุงการให้บริการ")


@pytest.fixture
def demo(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRONGSAI_PUBLIC_DIR = tmp_path / "public"
    settings.PRONGSAI_PUBLIC_URL = "https://ita.example.go.th"
    call_command("demo", stdout=io.StringIO())
    return {name: User.objects.get(username=name)
            for name in ("catalogue", "demo", "approver1", "approver2", "approver3", "admin")}


def _import_2570(client) -> Catalogue:
    listing = client.get("/catalogues/").content.decode()
    export = re.search(r'href="(/catalogues/2569/general/v\d+\.xlsx)"', listing).group(1)
    book = load_workbook(io.BytesIO(client.get(export).content))
    sheet = book["ข้อ OIT"]
    header = [c.value for c in sheet[1]]
    code_col, title_col = header.index("code") + 1, header.index("title_th") + 1
    row = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, code_col).value == "O1")
    sheet.cell(row, title_col, RENAMED)
    sheet.append([None] * len(header))
    sheet.cell(sheet.max_row, code_col, ADDED[0])
    sheet.cell(sheet.max_row, title_col, ADDED[1])
    out = io.BytesIO()
    book.save(out)
    upload = io.BytesIO(out.getvalue())
    upload.name = "ita-2570.xlsx"
    preview = client.post("/catalogues/import/", {"file": upload, "year": "2570", "status": ""})
    text = html_text(preview.content)
    assert RENAMED in text and ADDED[0] in text, "the difference is shown before anything is written"
    assert not Catalogue.objects.filter(fiscal_year=2570).exists()
    assert client.post("/catalogues/import/", {"confirm": "1"}).status_code == 302
    return Catalogue.objects.get(fiscal_year=2570)


def form_values(html: bytes, field: str) -> dict:
    """What the browser sends for the page's POST form that has `field`: the prefilled values of its
    inputs, selects and textareas, as a user who changes nothing."""
    import lxml.html

    tree = lxml.html.fromstring(html.decode())
    form = next(f for f in tree.forms if f.method == "POST" and f.inputs.keys().__contains__(field))
    return dict(form.form_values())


def _scores_post(plan_url: str, client, framework) -> None:
    data = {f"indicator_{ind.no}": str(95 if ind.no % 3 else 70) for ind in framework.indicators}
    data.update(iit="", eit="", oit="", total="", grade="", note="ผลการประเมิน ITA ๒๕๖๙ จากระบบ ITAS")
    response = client.post(plan_url + "scores/", data)
    assert response.status_code == 302, html_text(response.content)[:2000]


def test_the_december_work_of_an_agency_from_the_catalogue_to_the_published_plan(demo):
    operator, planner = client_for(demo["catalogue"]), client_for(demo["demo"])

    # 1. the catalogue editor makes the 2570 catalogue from the 2569 one
    row = _import_2570(operator)
    assert {i["code"] for i in row.data["oit_items"]["items"]} >= {"O1", ADDED[0]}

    # 2. the planner starts FY 2570 from FY 2569 in one action, after the preview
    new = f"/agencies/{SLUG}/years/new/"
    preview = planner.post(new, {"fiscal_year": "2570", "framework_year": "", "from_year": "2569"})
    assert preview.status_code == 200 and not YearPlan.objects.filter(agency__slug=SLUG, fiscal_year=2570).exists()
    carried = YearPlan.objects.get(agency__slug=SLUG, fiscal_year=2569).measures.count()
    assert carried > 0
    started = planner.post(new, {"fiscal_year": "2570", "framework_year": "", "from_year": "2569", "confirm": "1"})
    assert started.status_code == 302
    plan = YearPlan.objects.get(agency__slug=SLUG, fiscal_year=2570)
    assert plan.measures.count() == carried
    assert plan.catalogue_id == row.pk and framework_for_plan(plan).year == 2570
    moved = OITAnswer.objects.filter(agency=plan.agency, fiscal_year=2570)
    assert moved.exists() and all(a.to_check for a in moved)
    year_url = f"/agencies/{SLUG}/years/2570/"
    oit_page = html_text(planner.get(year_url + "oit/").content)
    assert RENAMED in oit_page

    # 3. the ITA 2569 scores, the analysis, one suggested measure kept beside the carried ones
    _scores_post(year_url, planner, get_framework(2569, plan.agency.family))
    year_page = html_text(planner.get(year_url).content)
    assert thai.digits("70", plan.agency.digits) in year_page  # a weak indicator's score in the analysis
    adopt = planner.get(year_url + "measures/adopt/").content.decode()
    key = re.search(r'name="key" value="([^"]+)"', adopt).group(1)
    assert planner.post(year_url + "measures/adopt/", {"key": key}).status_code == 302
    assert plan.measures.count() == carried + 1

    # 4. the plan memo, through the chain
    chain = [demo["approver1"], demo["approver2"], demo["approver3"]]
    memo_data = form_values(planner.get(year_url + "plan-memo/new/").content, "subject")
    assert memo_data["date"], "the date comes prefilled"
    made = planner.post(year_url + "plan-memo/new/", memo_data)
    assert made.status_code == 302, html_text(made.content)[:2000]
    memo = Memo.objects.get(plan=plan, kind=Memo.Kind.PLAN)
    assert [s.user_id for s in memo.approvers()] == [u.pk for u in chain]
    assert planner.post(year_url + "plan-memo/send/", {"confirm": "1"}).status_code == 302
    for user, comment in zip(chain, ("เห็นควรอนุมัติ", "เห็นชอบ", "อนุมัติ")):
        assert client_for(user).post(year_url + "plan-memo/sign/", {"comment": comment}).status_code == 302
    memo.refresh_from_db()
    assert memo.status == Memo.Status.APPROVED
    announcement = Memo.objects.get(plan=plan, kind=Memo.Kind.ANNOUNCEMENT)
    assert announcement.status == Memo.Status.APPROVED

    # 5. published: the portal shows both; the FY 2570 OIT items producing them link there
    admin = client_for(demo["admin"])
    assert admin.post(f"/agencies/{SLUG}/publishing/plans/2570/").status_code == 302
    reports = client_for().get(f"/a/{SLUG}/reports/").content.decode()
    published = {kind: re.search(rf'href="(/a/{SLUG}/documents/{kind}-2570/)"', reports) for kind in ("plan", "announcement")}
    assert all(published.values()), "the portal lists the plan and the announcement"
    assert "ประกาศ" in html_text(client_for().get(published["announcement"].group(1)).content)
    measure_titles = list(plan.measures.values_list("title", flat=True))
    plan_page = html_text(client_for().get(published["plan"].group(1)).content)
    assert all(title in plan_page for title in measure_titles)
    items = framework_for_plan(plan).items_producing("plan")
    assert items, "the 2570 catalogue (imported from 2569) has an item the plan fills"
    for item in items:
        answer = OITAnswer.objects.get(agency=plan.agency, fiscal_year=2570, code=item.code)
        assert answer.has and any(published["plan"].group(1) in url for url in answer.urls), answer.urls
        oit_page = client_for().get(links.oit_item_path(SLUG, 2570, item.code))
        assert oit_page.status_code == 200, oit_page.status_code
        assert published["plan"].group(1) in oit_page.content.decode()
    # the planner's auto-fill answers the item for last year's report from the published 12-month report
    assert planner.post(year_url + "oit/autofill/").status_code == 302
    previous = framework_for_plan(plan).items_producing("previous_year_report")
    assert previous, "the 2570 catalogue has an item for last year's report (2569: O26)"
    for item in previous:
        answer = OITAnswer.objects.get(agency=plan.agency, fiscal_year=2570, code=item.code)
        assert any(links.round_report_path(SLUG, 2569, 12) in url for url in answer.urls), answer.urls
