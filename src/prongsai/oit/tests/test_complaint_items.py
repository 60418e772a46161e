"""The OIT complaint items filled by auto-fill from the complaints app: the guideline and the channels
point at the public complaint pages, and the statistics item states the year's figures from
`complaints.stats.statistics()` ("< 3" for small counts), refreshed when the figures change and never
over a manual answer."""

import datetime as dt

import pytest

from prongsai.agencies.models import Membership
from prongsai.complaints import crypto, ratelimit, services as complaint_services, stats
from prongsai.complaints.models import Complaint
from prongsai.framework.catalogue import shipped_framework as get_framework
from prongsai.oit import services
from prongsai.oit.models import OITAnswer
from prongsai.web.tests import factories
from prongsai.workspace.tests.personas import audit_actions

BASE = "https://ita.example.go.th/"
PAGES = BASE + "a/tessaban-rae/complaints/"
TEXT = {"what": "จัดซื้อวัสดุราคาสูงเกินจริง", "when": "มกราคม 2563", "where": "กองคลัง", "who": "-"}
Status = Complaint.Status


@pytest.fixture(autouse=True)
def _complaint_keys(settings, tmp_path):
    settings.PRONGSAI_PUBLIC_URL = BASE.rstrip("/")  # the address the automatic refresh links to
    settings.PRONGSAI_COMPLAINT_KEYS = ""
    settings.PRONGSAI_COMPLAINT_KEYS_FILE = tmp_path / "complaint-keys"
    settings.PRONGSAI_COMPLAINT_FILES_DIR = tmp_path / "complaint-files"
    crypto.forget()
    ratelimit.reset_all()
    yield
    crypto.forget()


@pytest.fixture
def officer(agency):
    return factories.make_user("officer", agency, Membership.Role.COMPLAINT_OFFICER)


def _codes(kind_wanted: str) -> str:
    return next(code for code, kind in services.produced_items(get_framework(2563)).items() if kind == kind_wanted)


GUIDELINE, CHANNEL, STATISTICS = (_codes(services.GUIDELINE), _codes(services.CHANNEL), _codes(services.STATISTICS))


def _received(agency, officer, n: int) -> list[Complaint]:
    """n complaints that came by phone in January 2020 (fiscal year 2563)."""
    return [complaint_services.submit(agency=agency, category="procurement", text=TEXT, channel=Complaint.Channel.PHONE,
                                      received_on=dt.date(2020, 1, 10), actor=officer).complaint for _ in range(n)]


def _work(officer, complaint, *, to: str) -> None:
    path = [Status.REGISTERED, Status.ACKNOWLEDGED, Status.UNDER_INQUIRY, Status.CONCLUDED]
    complaint.refresh_from_db()
    for step in path[path.index(complaint.status) + 1 if complaint.status in path else 0:path.index(to) + 1]:
        extra = {"outcome": "unsubstantiated", "reason": "ตรวจแล้วราคาตามท้องตลาด"} if step == Status.CONCLUDED else {}
        complaint = complaint_services.transition(actor=officer, complaint=complaint, to=step, **extra)


def _answer(code: str) -> OITAnswer:
    return OITAnswer.objects.get(fiscal_year=2563, code=code)


def test_the_complaint_items_point_at_the_public_complaint_pages(plan, planner, agency):
    changed = services.autofill(actor=planner, agency=agency, fiscal_year=2563, base_url=BASE)
    assert {GUIDELINE, CHANNEL, STATISTICS} <= set(changed)
    assert _answer(GUIDELINE).urls == [PAGES + "guideline/"]
    assert _answer(CHANNEL).urls == [PAGES + "channels/", PAGES]
    statistics = _answer(STATISTICS)
    assert (statistics.has, statistics.source, statistics.urls) == (True, "auto", [PAGES + "statistics/2563/"])
    # No complaint yet: the count is hidden like any count below 3 on the public page.
    assert statistics.explanation.startswith(
        "ปีงบประมาณ 2563: รับเรื่องร้องเรียนการทุจริตและประพฤติมิชอบ < 3 เรื่อง")


def test_the_statistics_item_follows_the_figures_when_autofill_runs_again(plan, planner, agency, officer):
    complaints = _received(agency, officer, 4)
    for complaint in complaints[:2]:
        _work(officer, complaint, to=Status.CONCLUDED)
    _work(officer, complaints[2], to=Status.ACKNOWLEDGED)
    services.autofill(actor=planner, agency=agency, fiscal_year=2563, base_url=BASE)
    before = _answer(STATISTICS).explanation
    assert "รับเรื่องร้องเรียนการทุจริตและประพฤติมิชอบ 4 เรื่อง" in before
    assert "แจ้งตอบรับผู้ร้องแล้ว 3 เรื่อง" in before
    assert "ได้ข้อยุติแล้ว < 3 เรื่อง" in before
    assert "ผลการตรวจสอบ" not in before  # below 3 concluded, the outcomes would give the hidden count away
    assert services.autofill(actor=planner, agency=agency, fiscal_year=2563, base_url=BASE) == []

    # Concluding the third complaint refreshes the statistics item by itself, in the same transaction.
    _work(officer, complaints[2], to=Status.CONCLUDED)
    assert services.autofill(actor=planner, agency=agency, fiscal_year=2563, base_url=BASE) == []
    after = _answer(STATISTICS).explanation
    assert "ได้ข้อยุติแล้ว 3 เรื่อง" in after
    assert "ผลการตรวจสอบ: มีมูล < 3, ไม่มีมูล 3, ส่งต่อหน่วยงานอื่น < 3" in after
    assert after == stats.oit_explanation(stats.statistics(agency=agency, fiscal_year=2563))
    assert audit_actions()[-2:] == ["complaints.complaint.concluded", "oit.answers.autofilled"]


def test_a_manual_statistics_answer_is_never_overwritten(plan, planner, agency, officer):
    services.save_answer(actor=planner, agency=agency, fiscal_year=2563, code=STATISTICS, has=True,
                         urls=["https://www.rae.go.th/stat"], explanation="สถิติจากสมุดทะเบียน")
    _received(agency, officer, 3)
    changed = services.autofill(actor=planner, agency=agency, fiscal_year=2563, base_url=BASE)
    assert STATISTICS not in changed
    answer = _answer(STATISTICS)
    assert (answer.source, answer.urls, answer.explanation) == ("manual", ["https://www.rae.go.th/stat"],
                                                                 "สถิติจากสมุดทะเบียน")


def test_the_explanation_counts_only_the_agency_and_the_year(plan, planner, agency, officer):
    other = factories.make_agency(slug="tessaban-other", name="เทศบาลตำบลอื่น")
    _received(other, factories.make_user("other-officer", other, Membership.Role.COMPLAINT_OFFICER), 5)
    complaint_services.submit(agency=agency, category="finance", text=TEXT, channel=Complaint.Channel.LETTER,
                              received_on=dt.date(2020, 10, 1), actor=officer)  # fiscal year 2564
    services.autofill(actor=planner, agency=agency, fiscal_year=2563, base_url=BASE)
    assert "ประพฤติมิชอบ < 3 เรื่อง" in _answer(STATISTICS).explanation


def test_an_officers_transition_refreshes_the_item_without_autofill(plan, agency, officer):
    """The year has a plan, so the complaint workflow keeps the OIT item current by itself."""
    complaint = _received(agency, officer, 1)[0]
    assert not OITAnswer.objects.filter(code=STATISTICS).exists()
    _work(officer, complaint, to=Status.REGISTERED)
    answer = _answer(STATISTICS)
    assert (answer.has, answer.source, answer.urls) == (True, "auto", [PAGES + "statistics/2563/"])
    assert answer.explanation == stats.oit_explanation(stats.statistics(agency=agency, fiscal_year=2563))


def test_the_oit_autofill_command_refreshes_every_year(plan, agency, capsys):
    from django.core.management import call_command

    call_command("oit_autofill")
    assert f"{agency.slug} 2563:" in capsys.readouterr().out
    assert _answer(STATISTICS).urls == [PAGES + "statistics/2563/"]
    call_command("oit_autofill", "--agency", agency.slug, "--year", "2563")
    assert "ok: 0 OIT answers refreshed" in capsys.readouterr().out
