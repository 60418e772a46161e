import io

import pytest
from django.core.management import CommandError, call_command

from prongsai.agencies.models import Person, Unit
from prongsai.measures.models import ReminderLog


@pytest.fixture
def year(plan, planner, agency):
    """การใช้งบประมาณ (rounds 6, 12; round 6 done) belongs to กองคลัง, whose officer has an e-mail;
    การเปิดเผยข้อมูล (round 12) has no unit: only the planner hears of it."""
    finance = Unit.objects.get(agency=agency, name="กองคลัง")
    Person.objects.create(agency=agency, name="นางสาวมาลี ใจดี", position="ผู้อำนวยการกองคลัง", unit=finance,
                          email="Malee@rae.go.th")
    Person.objects.create(agency=agency, name="นายไม่มี อีเมล", position="นักวิชาการเงินและบัญชี", unit=finance)
    plan.measures.get(order=1).units.set([finance])
    return plan


def _run(*args) -> str:
    out = io.StringIO()
    call_command("send_reminders", *args, stdout=out)
    return out.getvalue()


def test_it_mails_due_soon_items_to_the_units_people_and_the_planners(year, mailoutbox):
    output = _run("--date", "2020-09-20", "--days", "14")
    assert sorted(m.to[0] for m in mailoutbox) == ["malee@rae.go.th", "pranee@rae.go.th"]
    planner_mail = next(m for m in mailoutbox if m.to == ["pranee@rae.go.th"])
    assert planner_mail.subject == "[โปร่งใส] แจ้งเตือนการรายงานผลตามมาตรการ: ใกล้ครบกำหนด ๒ รายการ เลยกำหนด ๐ รายการ"
    assert "เทศบาลตำบลแร่ ปีงบประมาณ ๒๕๖๓" in planner_mail.body
    assert "- มาตรการที่ ๑ การใช้งบประมาณ: รอบ ๑๒ เดือน ครบกำหนด ๓๐ กันยายน ๒๕๖๓ (อีก ๑๐ วัน)" in planner_mail.body
    assert "- มาตรการที่ ๒ การเปิดเผยข้อมูล: รอบ ๑๒ เดือน" in planner_mail.body
    unit_mail = next(m for m in mailoutbox if m.to == ["malee@rae.go.th"])
    assert "การใช้งบประมาณ" in unit_mail.body and "การเปิดเผยข้อมูล" not in unit_mail.body
    assert "รอบ ๖ เดือน" not in unit_mail.body  # round 6 is done
    assert "2 e-mail(s) sent" in output
    assert ReminderLog.objects.filter(sent_on="2020-09-20").count() == 2


def test_a_rerun_on_the_same_day_sends_nothing_twice(year, mailoutbox):
    _run("--date", "2020-09-20")
    output = _run("--date", "2020-09-20")
    assert len(mailoutbox) == 2
    assert "0 e-mail(s) sent, 2 already sent today" in output
    _run("--date", "2020-09-21")
    assert len(mailoutbox) == 4  # a new day, a new reminder


def test_it_reminds_of_overdue_rounds(year, mailoutbox):
    _run("--date", "2020-10-05")
    planner_mail = next(m for m in mailoutbox if m.to == ["pranee@rae.go.th"])
    assert "เลยกำหนด ๒ รายการ" in planner_mail.subject
    assert "การใช้งบประมาณ: รอบ ๑๒ เดือน เลยกำหนดมาแล้ว ๕ วัน (ครบกำหนด ๓๐ กันยายน ๒๕๖๓)" in planner_mail.body


def test_it_leaves_alone_rounds_far_from_their_end_and_long_past(year, mailoutbox):
    _run("--date", "2020-08-01", "--days", "14")  # round 12 ends in 60 days; round 6 is done
    assert mailoutbox == []
    _run("--date", "2021-03-01", "--overdue-days", "90")  # round 12 ended 152 days ago
    assert mailoutbox == []


def test_it_skips_done_rounds(year, mailoutbox):
    for measure in year.measures.all():
        measure.results.update_or_create(round=12, defaults={"details": "ดำเนินการแล้ว"})
    _run("--date", "2020-09-20")
    assert mailoutbox == []


def test_it_refuses_a_bad_date(year):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        _run("--date", "20/09/2020")
