"""The index and the search on the database in use (SQLite, and PostgreSQL under scripts/with-postgres):
what is found, who sees it, and the index following saves and deletes."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.core.management import call_command
from django.db import connection
from django.test import Client

from prongsai.measures.models import Evidence, Measure
from prongsai.oit.models import OITAnswer
from prongsai.search import services, sources
from prongsai.search.models import Entry
from prongsai.web.tests import factories
from prongsai.web.tests.factories import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run the index updates a commit would run (the tests' transaction never commits)."""
    def run(fn, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return fn(*args, **kwargs)
    return run


@pytest.fixture
def agency():
    return factories.make_agency()


@pytest.fixture
def plan(agency):
    return factories.make_plan(agency)


def titles(results) -> list[str]:
    return [h.entry.title for h in results.hits]


def test_a_saved_measure_is_found_by_a_word_inside_a_run(committed, plan):
    member = factories.make_user("member", plan.agency)
    committed(factories.make_measure, plan, title="มาตรการตรวจสอบการใช้ดุลพินิจ")
    found = services.search(member, "ดุลพินิจ")
    assert titles(found) == ["มาตรการตรวจสอบการใช้ดุลพินิจ"]
    assert str(found.hits[0].title) == "มาตรการตรวจสอบการใช้<mark>ดุลพินิจ</mark>"


def test_live_data_is_for_members_only(committed, plan):
    committed(factories.make_measure, plan, title="มาตรการตรวจสอบการใช้ดุลพินิจ")
    other = factories.make_agency(slug="other", name="อบต.อื่น")
    outsider = factories.make_user("outsider", other)
    admin = User.objects.create_superuser("root", password="x")
    assert services.search(AnonymousUser(), "ดุลพินิจ").hits == []
    assert services.search(outsider, "ดุลพินิจ").hits == []
    assert titles(services.search(admin, "ดุลพินิจ")) == ["มาตรการตรวจสอบการใช้ดุลพินิจ"]


def test_the_index_follows_edits_and_deletes(committed, plan):
    member = factories.make_user("member", plan.agency)
    measure = committed(factories.make_measure, plan, title="การใช้งบประมาณ")
    result = committed(factories.make_round_result, measure)
    assert services.search(member, "ดุลพินิจ").hits == []

    def rename():
        measure.title = "การใช้ดุลพินิจในการอนุมัติ"
        measure.save()
    committed(rename)
    assert "การใช้ดุลพินิจในการอนุมัติ" in titles(services.search(member, "ดุลพินิจ"))
    assert "แผนการใช้จ่ายงบประมาณ 2563" in titles(services.search(member, "แผนการใช้จ่าย"))  # evidence title

    committed(Evidence.objects.filter(result=result).delete)
    assert "แผนการใช้จ่ายงบประมาณ 2563" not in titles(services.search(member, "แผนการใช้จ่าย"))
    committed(measure.delete)
    assert services.search(member, "ดุลพินิจ").hits == []
    assert not Entry.objects.filter(group=sources.plan_group(plan.pk)).exists()


def test_partial_words_are_found_by_substring(committed, plan):
    member = factories.make_user("member", plan.agency)
    committed(factories.make_measure, plan, title="ความซื่อสัตย์สุจริต")
    # the segmenter keeps ซื่อสัตย์สุจริต as one word: สุจริต is found inside it by the trigram/LIKE part
    assert titles(services.search(member, "สุจริต")) == ["ความซื่อสัตย์สุจริต"]
    assert titles(services.search(member, "จริ")) == ["ความซื่อสัตย์สุจริต"]  # 3 characters
    assert titles(services.search(member, "สุ")) == ["ความซื่อสัตย์สุจริต"]  # 2: LIKE


def test_every_word_must_match_and_ranking_prefers_the_title(committed, plan):
    member = factories.make_user("member", plan.agency)
    committed(factories.make_measure, plan, order=1, title="การเปิดเผยข้อมูล", guideline="ประกาศการใช้ดุลพินิจ")
    committed(factories.make_measure, plan, order=2, title="มาตรการตรวจสอบการใช้ดุลพินิจ", guideline="")
    committed(factories.make_measure, plan, order=3, title="การใช้งบประมาณ", guideline="")
    found = titles(services.search(member, "ดุลพินิจ"))
    assert found == ["มาตรการตรวจสอบการใช้ดุลพินิจ", "การเปิดเผยข้อมูล"]
    assert titles(services.search(member, "ดุลพินิจ งบประมาณ")) == []


def test_oit_answers_are_public(committed, agency):
    def answer():
        OITAnswer.objects.create(agency=agency, fiscal_year=2566, code="O1", has=True,
                                 urls=["https://www.rae.go.th/structure"],
                                 explanation="แผนผังแสดงโครงสร้างการแบ่งส่วนราชการของเทศบาล")
    committed(answer)
    found = services.search(AnonymousUser(), "แผนผัง")
    assert len(found.hits) == 1 and found.hits[0].entry.kind == "oit"
    assert found.hits[0].entry.url == "/a/tessaban-rae/oit/2566/o1/"


def test_reindex_repairs_what_signals_missed(plan):
    factories.make_measure(plan, title="มาตรการตรวจสอบการใช้ดุลพินิจ")  # no commit: no index row yet
    Measure.objects.filter(plan=plan).update(title="มาตรการป้องกันการรับสินบน")  # no signal at all
    member = factories.make_user("member", plan.agency)
    assert services.search(member, "สินบน").hits == []
    counts = services.reindex()
    assert counts.written >= 1
    assert titles(services.search(member, "สินบน")) == ["มาตรการป้องกันการรับสินบน"]
    again = services.reindex()
    assert again.written == 0 and again.kept == counts.written + counts.kept


def test_a_query_with_no_words_finds_nothing(plan):
    assert services.search(AnonymousUser(), "  “” ; ").hits == []


def test_the_page_escapes_what_it_shows(committed, plan, client):
    member = factories.make_user("member", plan.agency)
    committed(factories.make_measure, plan, title="<script>alert(1)</script> มาตรการดุลพินิจ")
    client.force_login(member)
    page = client.get("/search/", {"q": "<script> ดุลพินิจ"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "<script>alert" not in html
    assert "<mark>&lt;script&gt;</mark>alert(1)&lt;/<mark>script</mark>&gt;" in html
    assert 'value="&lt;script&gt; ดุลพินิจ"' in html
    assert page["Cache-Control"] == "private, no-store"


@pytest.mark.django_db(transaction=True)
def test_the_demo_acceptance():
    """After `prongsai demo`: anonymous users find the fictional agency's published measure; the demo
    user finds the municipality's unpublished one, which anonymous users do not."""
    call_command("demo", stdout=open("/dev/null", "w"))
    anonymous = Client()
    page = anonymous.get("/search/", {"q": "ทรัพย์สิน"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "การใช้<mark>ทรัพย์สิน</mark>ของราชการ" in html
    assert re.search(r'href="/a/sao-nong-bua-ngoen/measures/\d{4}/#m\d+"', html)
    html = anonymous.get("/search/", {"q": "ดุลพินิจ"}).content.decode()
    assert "ไม่พบรายการที่ตรงกับ “ดุลพินิจ”" in html and 'class="hit"' not in html

    demo = Client()
    assert demo.login(username="demo", password="prongsai-demo")
    html = demo.get("/search/", {"q": "ดุลพินิจ"}).content.decode()
    assert "มาตรการตรวจสอบการใช้<mark>ดุลพินิจ</mark>" in html
    assert re.search(r'href="/agencies/tessaban-rae/years/\d{4}/#measure-\d+"', html)


@pytest.mark.postgres
def test_postgres_uses_the_generated_tsvector_and_trigram_indexes(committed, plan):
    committed(factories.make_measure, plan, title="มาตรการตรวจสอบการใช้ดุลพินิจ")
    with connection.cursor() as cursor:
        cursor.execute("SELECT document::text FROM search_entry WHERE kind = 'measure'")
        document = cursor.fetchone()[0]
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'search_entry'")
        indexes = {row[0] for row in cursor.fetchall()}
    assert "'ดุลพินิจ':5A" in document
    assert {"search_entry_document", "search_entry_plain_trgm", "search_entry_title_document",
            "search_entry_public_document"} <= indexes


@pytest.mark.postgres
def test_postgres_finds_title_words_through_the_title_index(committed, plan):
    committed(factories.make_measure, plan, title="มาตรการตรวจสอบการใช้ดุลพินิจ", guideline="จัดทำคู่มือ")
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN SELECT id FROM search_entry WHERE title_document @@ to_tsquery('simple', 'ดุลพินิจ')")
        cursor.execute("SELECT title_document::text FROM search_entry WHERE kind = 'measure'")
        title_document = cursor.fetchone()[0]
    assert "'ดุลพินิจ'" in title_document and "คู่มือ" not in title_document


def test_the_search_page_in_english(client):
    client.cookies["django_language"] = "en"
    html = client.get("/search/", {"q": "ไม่มีคำนี้"}).content.decode()
    assert "Nothing matches “ไม่มีคำนี้”" in html and "Searching what agencies publish" in html


def test_round_and_plan_memos_are_found_with_their_own_pages(plan):
    from prongsai.memos.models import Memo

    round_memo = Memo.objects.create(plan=plan, kind=Memo.Kind.ROUND, round=6, subject="รายงานผลการดำเนินงานรอบหก")
    plan_memo = Memo.objects.create(plan=plan, kind=Memo.Kind.PLAN, subject="ขออนุมัติมาตรการส่งเสริมคุณธรรม")
    services.reindex()
    member = factories.make_user("member", plan.agency)
    urls = {h.entry.title: h.entry.url for h in services.search(member, "รายงานผลการดำเนินงาน").hits}
    assert urls == {"รายงานผลการดำเนินงานรอบหก": round_memo.get_absolute_url()}
    urls = {h.entry.title: h.entry.url for h in services.search(member, "ขออนุมัติมาตรการ").hits}
    assert urls == {"ขออนุมัติมาตรการส่งเสริมคุณธรรม": plan_memo.get_absolute_url()}
    assert plan_memo.get_absolute_url() != round_memo.get_absolute_url()
    assert client_for(member).get(plan_memo.get_absolute_url()).status_code == 200


def test_public_rows_and_a_members_rows_are_merged_in_one_ranking(committed, agency, plan):
    """A member's search runs over the public rows and over its agencies' other rows separately; the
    hits come back in the order one search over both gives, and a short word (matched whole on
    PostgreSQL) still finds the longer words it starts."""
    member = factories.make_user("member", agency)
    OITAnswer.objects.create(agency=agency, fiscal_year=2563, code="O1", has=True,
                             explanation="เผยแพร่มาตรการป้องกันสินบนบนเว็บไซต์")  # public, word in the text
    committed(services.reindex)
    committed(factories.make_measure, plan, title="มาตรการป้องกันการรับสินบน")  # unpublished, in the title
    for order, title in enumerate(["การใช้งบประมาณ", "การปฏิบัติหน้าที่", "การแก้ไขปัญหาการทุจริต"], start=2):
        committed(factories.make_measure, plan, order=order, title=title)  # without the word: bm25 weighs it
    hits = services.search(member, "สินบน").hits
    assert sorted(h.entry.kind for h in hits) == ["measure", "oit"]
    one_query = services._ranked(services.visible(member), services.query_words("สินบน"), services._parts("สินบน"))
    assert [h.entry.pk for h in hits] == [pk for _tier, pk, _score in one_query]
    assert [h.entry.kind for h in services.search(AnonymousUser(), "สินบน").hits] == ["oit"]
    assert "measure" in {h.entry.kind for h in services.search(member, "รับ").hits}


def test_an_oversight_user_finds_the_rows_of_its_scope_and_no_others(committed):
    """An overseer of สกลนคร finds the unpublished measures of สกลนคร's agencies (its scope, read only),
    never those of an agency elsewhere, and not by a word that only the other agency's row has."""
    from prongsai.oversight.models import OversightMember, OversightScope

    inside = factories.make_agency(slug="in-scope", name="อบต.ในเขต", province="สกลนคร", district="พังโคน")
    outside = factories.make_agency(slug="out-of-scope", name="อบต.นอกเขต", province="ขอนแก่น",
                                    district="ชุมแพ")
    committed(factories.make_measure, factories.make_plan(inside), title="มาตรการตรวจสอบการใช้ดุลพินิจ")
    committed(factories.make_measure, factories.make_plan(outside), title="การใช้ดุลพินิจของเจ้าหน้าที่")
    committed(factories.make_measure, factories.make_plan(outside, fiscal_year=2564), title="การรับของขวัญ")
    overseer = User.objects.create_user("overseer", password="x")
    scope = OversightScope.objects.create(name="สถ.จ.สกลนคร", level=OversightScope.Level.PROVINCE, province="สกลนคร")
    OversightMember.objects.create(scope=scope, user=overseer)

    found = services.search(overseer, "ดุลพินิจ")
    assert titles(found) == ["มาตรการตรวจสอบการใช้ดุลพินิจ"]
    assert {h.entry.agency.slug for h in found.hits} == {"in-scope"}
    assert services.search(overseer, "ของขวัญ").hits == []
    # the same rows are there: a superuser finds both agencies' measures
    admin = User.objects.create_superuser("root", password="x")
    assert sorted(titles(services.search(admin, "ดุลพินิจ"))) == ["การใช้ดุลพินิจของเจ้าหน้าที่",
                                                                 "มาตรการตรวจสอบการใช้ดุลพินิจ"]
    # a new agency of the province falls into the scope by itself
    later = factories.make_agency(slug="new-in-scope", name="อบต.ใหม่", province="สกลนคร", district="วานรนิวาส")
    committed(factories.make_measure, factories.make_plan(later), title="การป้องกันการรับสินบน")
    assert [h.entry.agency.slug for h in services.search(overseer, "สินบน").hits] == ["new-in-scope"]
