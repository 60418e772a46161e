"""Small ORM builders for the web tests: an agency's year with a prior ITA result, measures, round
results, evidence and a round memo with signers. Everything is a real saved row."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.auth.models import User
from django.test import Client

from prongsai.agencies.models import Agency, Membership, Person, Unit
from prongsai.assessments.models import IndicatorScore, ITAResult
from prongsai.measures.models import Evidence, Measure, RoundResult, YearPlan
from prongsai.memos.models import Memo, Signer

# ITA 2562 scores of the test agency. By the 2562 rules (30/30/40): IIT 25.49, EIT 26.00, OIT 32.05,
# total 83.54, grade B. Below the pass mark 85: urgent (below 75) 9 and 4, to improve 2 and 7.
SCORES_2562 = {1: "91.20", 2: "80.15", 3: "95.00", 4: "70.50", 5: "88.00",
               6: "86.00", 7: "84.00", 8: "90.00", 9: "60.25", 10: "100.00"}


def make_agency(slug: str = "tessaban-rae", name: str = "เทศบาลตำบลแร่", **fields) -> Agency:
    defaults = {
        "kind": Agency.Kind.TESSABAN_TAMBON, "district": "พังโคน", "province": "สกลนคร",
        "doc_prefix": "สน ๘๐๗๐๑", "executive_title": "นายกเทศมนตรีตำบลแร่", "digits": "thai",
        "phone": "042-123456",
    }
    defaults.update(fields)
    return Agency.objects.create(slug=slug, name=name, **defaults)


def make_user(username: str, agency: Agency | None = None, role: str = Membership.Role.VIEWER) -> User:
    user = User.objects.create_user(username=username, password="correct horse battery")
    if agency is not None:
        Membership.objects.create(agency=agency, user=user, role=role)
    return user


def make_people(agency: Agency) -> None:
    office = Unit.objects.create(agency=agency, name="สำนักปลัด", order=1)
    Unit.objects.create(agency=agency, name="กองคลัง", order=2)
    Person.objects.create(agency=agency, name="นายปราโมทย์ แกมนิรัตน์", position="หัวหน้าสำนักงานปลัด", unit=office)
    Person.objects.create(agency=agency, name="ทวี จันทเสนา", rank="จ.อ.", position="ปลัดเทศบาลตำบลแร่")


def make_result(agency: Agency, year: int = 2562, scores: dict | None = None, **fields) -> ITAResult:
    result = ITAResult.objects.create(agency=agency, year=year, **fields)
    for no, score in (SCORES_2562 if scores is None else scores).items():
        IndicatorScore.objects.create(result=result, indicator=no, score=Decimal(score))
    return result


def make_plan(agency: Agency, fiscal_year: int = 2563, **fields) -> YearPlan:
    fields.setdefault("framework_year", fiscal_year)
    return YearPlan.objects.create(agency=agency, fiscal_year=fiscal_year, **fields)


def make_measure(plan: YearPlan, order: int = 1, **fields) -> Measure:
    defaults = {
        "title": "การใช้งบประมาณ", "indicator": 2,
        "guideline": "- จัดทำแผนการใช้จ่ายงบประมาณประจำปีและเผยแพร่ในเว็บไซต์",
        "steps": "1. จัดทำคำสั่งมอบหมายงาน\n2. ผู้บริหารลงนามในคำสั่ง",
        "responsible": "สำนักปลัด และกองคลัง", "monitoring": "รายงานผลการดำเนินงาน", "rounds": [6, 12],
    }
    defaults.update(fields)
    return Measure.objects.create(plan=plan, order=order, **defaults)


def make_round_result(measure: Measure, round: int = 6, **fields) -> RoundResult:
    defaults = {
        "details": "จัดทำแผนการใช้จ่ายงบประมาณประจำปีและประชาสัมพันธ์บนเว็บไซต์",
        "period": "เดือนเมษายน 2563", "outputs": "แผนการใช้จ่ายงบประมาณประจำปี 2563",
        "outcomes": "มีการเผยแพร่แผนบนเว็บไซต์สำนักงาน", "remarks": "ดำเนินการครบ 12 เรื่อง",
    }
    defaults.update(fields)
    result = RoundResult.objects.create(measure=measure, round=round, **defaults)
    Evidence.objects.create(result=result, order=1, title="แผนการใช้จ่ายงบประมาณ 2563",
                            url="https://www.rae.go.th/plan-2563.pdf")
    return result


def make_memo(plan: YearPlan, round: int = 6, **fields) -> Memo:
    defaults = {"number": 277, "date": dt.date(2020, 6, 26), "preface_date": dt.date(2020, 6, 24),
                "report_preparer_name": "นางสาวปราณี จันทไชย",
                "report_preparer_position": "นักวิชาการตรวจสอบภายในชำนาญการ"}
    defaults.update(fields)
    memo = Memo.objects.create(plan=plan, round=round, **defaults)
    Signer.objects.create(memo=memo, role=Signer.Role.PREPARER, order=1, name="นางสาวปราณี จันทไชย",
                          position="นักวิชาการตรวจสอบภายในชำนาญการ")
    Signer.objects.create(memo=memo, role=Signer.Role.APPROVER, order=1, name="นางครสวรรค์ สุพัฒนานนท์",
                          position="นายกเทศมนตรีตำบลแร่")
    return memo


def make_year(agency: Agency, fiscal_year: int = 2563) -> YearPlan:
    """A full year: the prior result (scores of SCORES_2562 for 2562), two measures (one with a
    round-6 result and evidence), and the round-6 memo."""
    make_result(agency, year=fiscal_year - 1)
    plan = make_plan(agency, fiscal_year)
    budget = make_measure(plan, order=1)
    make_round_result(budget, round=6)
    make_measure(plan, order=2, title="การเปิดเผยข้อมูล", indicator=9, rounds=[12], guideline="", steps="")
    make_memo(plan, round=6)
    return plan


def client_for(user=None) -> Client:
    """A test client that asks for Thai pages, logged in as `user` when one is given."""
    client = Client(HTTP_ACCEPT_LANGUAGE="th")
    if user is not None:
        client.force_login(user)
    return client
