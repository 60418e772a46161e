"""Publishing the approved plan and its announcement at stable portal URLs, and the OIT items of the
year's catalogue that Prongsai fills from them (2569: O25 from the plan and the announcement, O26 from
the previous year's 12-month round report), found by the catalogue's `produces`, not by code."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from prongsai.framework.catalogue import get_framework
from prongsai.memos import services as memos
from prongsai.memos.models import Memo
from prongsai.memos.tests import helpers
from prongsai.memos.tests.conftest import client_for
from prongsai.oit.models import OITAnswer
from prongsai.portal import links, services
from prongsai.reports.models import ReportVersion
from prongsai.reports.tests.test_plan_documents import text_of
from prongsai.web.tests import factories

pytestmark = pytest.mark.django_db

YEAR = 2569
PUBLIC = "https://ita.example.go.th"


@pytest.fixture
def plan_2569(agency):
    factories.make_result(agency, year=YEAR - 1)
    plan = factories.make_plan(agency, YEAR)
    factories.make_measure(plan, order=1)
    factories.make_measure(plan, order=2, title="มาตรการเผยแพร่ข้อมูลต่อสาธารณะ", indicator=9, rounds=[6, 12])
    return plan


def approve_plan(plan, planner, chain) -> Memo:
    return helpers.approved_plan(plan, planner, chain, date=dt.date(2025, 12, 1))


def item_code(kind: str) -> str:
    items = get_framework(YEAR).items_producing(kind)
    assert len(items) == 1, f"the {YEAR} catalogue should have one item producing {kind}"
    return items[0].code


def test_the_approved_plan_and_announcement_are_served_at_stable_urls_and_fill_the_oit_item(
        plan_2569, planner, admin, default_chain):
    agency = plan_2569.agency
    memo = approve_plan(plan_2569, planner, default_chain)
    published = services.publish_plan(memo=memo, by=admin)
    assert [v.publication.slug for v in published] == [f"plan-{YEAR}", f"announcement-{YEAR}"]
    public = Client()
    for path, stem, memo_kind in ((links.plan_path(agency, YEAR), "plan", "plan"),
                                  (links.announcement_path(agency, YEAR), "announcement", "announcement")):
        page = public.get(path)
        assert page.status_code == 200
        text = text_of(page.content, "html")
        assert "การใช้งบประมาณ" in text and "มาตรการเผยแพร่ข้อมูลต่อสาธารณะ" in text
        frozen = ReportVersion.objects.get(memo__kind=memo_kind)
        for fmt in ("pdf", "docx", "html"):
            file = public.get(f"{links.document_version_path(agency, path.rstrip('/').split('/')[-1], 1)}{stem}.{fmt}")
            assert file.status_code == 200
            body = b"".join(file.streaming_content) if file.streaming else file.content
            assert hashlib.sha256(body).hexdigest() == frozen.sha256(fmt)
            assert public.get(links.verify_path(frozen.sha256(fmt))).status_code == 200
    assert "(นางครสวรรค์ สุพัฒนานนท์)" in text_of(public.get(links.announcement_path(agency, YEAR)).content, "html")

    answer = OITAnswer.objects.get(agency=agency, fiscal_year=YEAR, code=item_code("plan"))
    assert answer.has and answer.source == OITAnswer.Source.AUTO
    assert answer.urls == [PUBLIC + links.plan_path(agency, YEAR), PUBLIC + links.announcement_path(agency, YEAR)]
    item_page = public.get(links.oit_item_path(agency, YEAR, answer.code)).content.decode()
    assert links.plan_path(agency, YEAR) in item_page

    again = services.publish_plan(memo=memo, by=admin)  # nothing newer: the same versions
    assert [v.pk for v in again] == [v.pk for v in published]


def test_a_plan_not_yet_approved_or_published_fills_nothing(plan_2569, planner, admin, default_chain):
    memo = memos.draft_memo(plan=plan_2569, kind="plan", by=planner)
    with pytest.raises(services.PublishError):
        services.publish_plan(memo=memo, by=admin)
    from prongsai.oit.services import autofill

    autofill(actor=admin, agency=plan_2569.agency, fiscal_year=YEAR, base_url=PUBLIC + "/")
    assert not OITAnswer.objects.filter(code=item_code("plan")).exists()
    assert not OITAnswer.objects.filter(code=item_code("previous_year_report")).exists()


def test_the_previous_years_12_month_report_fills_this_years_item(plan_2569, planner, admin, default_chain):
    agency = plan_2569.agency
    previous = factories.make_plan(agency, YEAR - 1)
    measure = factories.make_measure(previous, order=1, rounds=[12])
    factories.make_round_result(measure, round=12)
    memo = helpers.approved(previous, planner, default_chain, round=12)
    services.publish_report(memo=memo, by=admin)
    answer = OITAnswer.objects.get(agency=agency, fiscal_year=YEAR, code=item_code("previous_year_report"))
    assert answer.urls == [PUBLIC + links.round_report_path(agency, YEAR - 1, 12)]
    assert Client().get(links.round_report_path(agency, YEAR - 1, 12)).status_code == 200


def test_a_manual_answer_is_never_overwritten(plan_2569, planner, admin, default_chain):
    from prongsai.oit.services import save_answer

    code = item_code("plan")
    save_answer(actor=admin, agency=plan_2569.agency, fiscal_year=YEAR, code=code, has=True,
                urls=["https://www.rae.go.th/ita/o25"], explanation="ของหน่วยงานเอง")
    services.publish_plan(memo=approve_plan(plan_2569, planner, default_chain), by=admin)
    assert OITAnswer.objects.get(code=code).urls == ["https://www.rae.go.th/ita/o25"]


def test_the_publishing_page_publishes_the_plan_and_uploads_cannot_take_its_slug(
        plan_2569, planner, admin, default_chain):
    agency = plan_2569.agency
    approve_plan(plan_2569, planner, default_chain)
    client = client_for(admin)
    page = client.get(reverse("portal:publishing", args=[agency.slug])).content.decode()
    action = reverse("portal:publish_plan", args=[agency.slug, YEAR])
    assert action in page
    assert client.post(action).status_code == 302
    assert Client().get(links.plan_path(agency, YEAR)).status_code == 200
    upload = SimpleUploadedFile("x.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    with pytest.raises(ValidationError, match="สงวนไว้"):
        services.publish_document(agency=agency, slug=f"plan-{YEAR + 1}", title="แผน", upload=upload, by=admin)
