"""A generated install for the oversight tests: agencies in two provinces with years, memos, published
reports, OIT answers, link checks and ITA results, written with bulk_create (real rows, no mocks)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.auth.models import User
from django.utils import timezone

from prongsai.agencies.models import Agency
from prongsai.assessments.models import IndicatorScore, ITAResult
from prongsai.assessments.services import recompute_many
from prongsai.framework.catalogue import get_framework
from prongsai.measures.models import YearPlan
from prongsai.memos.models import Memo, Signer
from prongsai.oit.models import LinkCheck, OITAnswer
from prongsai.oversight.models import OversightMember, OversightScope
from prongsai.portal.models import Publication, PublishedVersion

FY = 2566
PLACES = [("สกลนคร", "พังโคน"), ("สกลนคร", "วานรนิวาส"), ("ขอนแก่น", "ดอนแก้วทอง")]
KINDS = [Agency.Kind.SAO, Agency.Kind.TESSABAN_TAMBON]


def aware(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10)))


def build(n: int, *, fy: int = FY, prefix: str = "ag") -> list[Agency]:
    """n agencies; agency i: place i % 3, kind i % 2. Every agency has the year; every 2nd a signed
    round-12 memo (signed on time when i % 4 == 0, late otherwise); every 4th has it published; every
    3rd answered every OIT item; results of fy-1 and fy for all (total rising by i % 5 points)."""
    agencies = Agency.objects.bulk_create([
        Agency(slug=f"{prefix}-{i}", name=f"หน่วยงานทดสอบ {prefix} {i:04d}", province=PLACES[i % 3][0],
               district=PLACES[i % 3][1], kind=KINDS[i % 2]) for i in range(n)])
    plans = YearPlan.objects.bulk_create([YearPlan(agency=a, fiscal_year=fy, framework_year=fy) for a in agencies])
    memos = Memo.objects.bulk_create([
        Memo(plan=p, kind=Memo.Kind.ROUND, round=12, status=Memo.Status.APPROVED)
        for i, p in enumerate(plans) if i % 2 == 0])
    due_ok, late = dt.date(thai_ce(fy), 10, 15), dt.date(thai_ce(fy), 12, 20)
    Signer.objects.bulk_create([
        Signer(memo=m, role=Signer.Role.APPROVER, order=1, name="ผู้อนุมัติ", position="นายก",
               status=Signer.Status.SIGNED, signed_on=due_ok if (index * 2) % 4 == 0 else late)
        for index, m in enumerate(memos)])
    pubs = Publication.objects.bulk_create([
        Publication(agency=a, kind=Publication.Kind.ROUND_REPORT, fiscal_year=fy, round=12, title="รายงาน")
        for i, a in enumerate(agencies) if i % 4 == 0])
    PublishedVersion.objects.bulk_create([PublishedVersion(publication=p, number=1) for p in pubs])
    framework = get_framework(fy)
    OITAnswer.objects.bulk_create([
        OITAnswer(agency=a, fiscal_year=fy, code=item.code, has=True, urls=[f"https://example.test/{a.slug}"])
        for i, a in enumerate(agencies) if i % 3 == 0 for item in framework.oit_items])
    results = []
    for i, a in enumerate(agencies):
        results += [ITAResult(agency=a, year=fy - 1), ITAResult(agency=a, year=fy)]
    results = ITAResult.objects.bulk_create(results)
    scores = []
    for j, r in enumerate(results):
        i = j // 2
        base = Decimal(70 + (i % 5) * 5) + (Decimal(i % 5) if r.year == fy else 0)
        scores += [IndicatorScore(result=r, indicator=no, score=min(base + no, Decimal(100)))
                   for no in framework.indicator_numbers]
    IndicatorScore.objects.bulk_create(scores)
    recompute_many(ITAResult.objects.filter(agency__in=agencies))
    return agencies


def thai_ce(be: int) -> int:
    return be - 543


def add_broken_link(agency: Agency, fy: int = FY) -> None:
    answer = OITAnswer.objects.filter(agency=agency, fiscal_year=fy).first()
    url = answer.urls[0]
    LinkCheck.objects.create(answer=answer, url=url, checked_at=aware(dt.date(thai_ce(fy), 3, 1)),
                             status=LinkCheck.Status.OK)
    LinkCheck.objects.create(answer=answer, url=url, checked_at=aware(dt.date(thai_ce(fy), 4, 1)),
                             status=LinkCheck.Status.BROKEN)


def overseer(username: str, *, name: str = "สถ.จ.สกลนคร", level: str = "province", province: str = "สกลนคร",
             district: str = "", kinds=(), families=()) -> tuple[User, OversightScope]:
    user = User.objects.create_user(username=username, password="x")
    scope = OversightScope(name=name, level=level, province=province, district=district, kinds=list(kinds),
                           families=list(families))
    scope.full_clean()
    scope.save()
    OversightMember.objects.create(scope=scope, user=user)
    return user, scope
