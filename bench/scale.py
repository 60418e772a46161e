"""Many agencies in one install: the oversight roll-up and the public directory against the raw SQL that
answers the same question, at N agencies × 7 years.

    .venv/bin/python bench/scale.py [--sizes 100,1000,8300] [--repeat 3] [--keep]
    scripts/with-postgres .venv/bin/python bench/scale.py          # the same on PostgreSQL (DATABASE_URL)

Makes its own data directory (SQLite unless DATABASE_URL is set), migrates, and for each N adds agencies
up to N with bulk_create: 7 fiscal years each (year plan, ITA result with 10 indicator scores and its
stored final figures), in the newest year a signed round-6 memo for every 2nd agency and a published one
for every 4th, and the OIT answers of every 3rd agency. Then, per N, it asks the nation-wide roll-up
(/oversight/<scope>/, a national overseer) and the directory (/a/?province=…) through Django's test
client and prints their query count and median time, the median time of the raw SQL that answers the
same question, and `ratio: roll-up / raw SQL` (goal ≤ 3 at N = 8300). For the roll-up the raw SQL is the
page's own SELECT statements sent again through a bare cursor (every completeness figure, the results
tables: each table is one grouped statement, so this is the SQL that answers the question); a
hand-written SQL for a 4-document subset (year started, round 6 signed and published, OIT answered;
uncorrelated `IN` sets as the page uses) plus the totals and indicator averages is timed beside it, with
its own ratio. For the directory it is a hand-written count, page and per-province count. Every time
is the median of --repeat runs after a warm-up; the machine may be shared, so run it more than once.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
YEARS = 7
NEWEST = 2567
PROVINCES = [("สกลนคร", ["พังโคน", "วานรนิวาส", "สว่างแดนดิน", "เมืองสกลนคร"]),
             ("ขอนแก่น", ["ดอนแก้วทอง", "เมืองขอนแก่น", "ชุมแพ"]),
             ("อุดรธานี", ["เมืองอุดรธานี", "กุมภวาปี"]), ("เชียงใหม่", ["เมืองเชียงใหม่", "สันทราย"]),
             ("นครราชสีมา", ["เมืองนครราชสีมา", "ปากช่อง", "สีคิ้ว"])]


def setup(keep: bool) -> Path:
    data = Path(tempfile.mkdtemp(prefix="prongsai-scale-"))
    os.environ.setdefault("PRONGSAI_DATA_DIR", str(data))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "prongsai.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return data


def load(start: int, stop: int) -> None:
    """Agencies start..stop-1 with their 7 years (bulk_create, the stored final figures set directly)."""
    from django.db import transaction

    from prongsai.agencies.models import Agency
    from prongsai.assessments.models import IndicatorScore, ITAResult
    from prongsai.framework.catalogue import get_framework
    from prongsai.measures.models import YearPlan
    from prongsai.memos.models import Memo, Signer
    from prongsai.oit.models import OITAnswer
    from prongsai.portal.models import Publication, PublishedVersion

    items = get_framework(NEWEST).oit_items
    kinds = [k for k in Agency.Kind.values if k != "other"]
    with transaction.atomic():
        agencies = []
        for i in range(start, stop):
            province, districts = PROVINCES[i % len(PROVINCES)]
            agencies.append(Agency(slug=f"agency-{i}", name=f"หน่วยงานจำลอง {i:05d}", province=province,
                                   district=districts[(i // len(PROVINCES)) % len(districts)], kind=kinds[i % len(kinds)],
                                   code=f"{i:07d}"))
        agencies = Agency.objects.bulk_create(agencies, batch_size=2000)
        plans = YearPlan.objects.bulk_create(
            [YearPlan(agency=a, fiscal_year=y, framework_year=y) for a in agencies
             for y in range(NEWEST - YEARS + 1, NEWEST + 1)], batch_size=5000)
        newest = [p for p in plans if p.fiscal_year == NEWEST]
        memos = Memo.objects.bulk_create([Memo(plan=p, kind="round", round=6, status=Memo.Status.APPROVED)
                                          for n, p in enumerate(newest) if (start + n) % 2 == 0], batch_size=5000)
        Signer.objects.bulk_create([Signer(memo=m, role="approver", order=1, name="ผู้อนุมัติ", position="นายก",
                                           status="signed") for m in memos], batch_size=5000)
        pubs = Publication.objects.bulk_create(
            [Publication(agency=a, kind="round_report", fiscal_year=NEWEST, round=6, title="รายงาน")
             for n, a in enumerate(agencies) if (start + n) % 4 == 0], batch_size=5000)
        PublishedVersion.objects.bulk_create([PublishedVersion(publication=p, number=1) for p in pubs], batch_size=5000)
        OITAnswer.objects.bulk_create([OITAnswer(agency=a, fiscal_year=NEWEST, code=item.code, has=True)
                                       for n, a in enumerate(agencies) if (start + n) % 3 == 0 for item in items],
                                      batch_size=5000)
        results = []
        for n, a in enumerate(agencies):
            for y in range(NEWEST - YEARS + 1, NEWEST + 1):
                total = Decimal(60 + (start + n + y) % 40)
                results.append(ITAResult(agency=a, year=y, final_total=total, rating="ผ่าน" if total >= 85 else "ไม่ผ่าน",
                                         passed=total >= 85))
        results = ITAResult.objects.bulk_create(results, batch_size=5000)
        IndicatorScore.objects.bulk_create(
            [IndicatorScore(result=r, indicator=no, score=min(r.final_total + no - 5, Decimal(100)))
             for r in results for no in range(1, 11)], batch_size=10000)


RAW_ROLLUP = """
SELECT a.province, COUNT(*),
  SUM(CASE WHEN a.id IN (SELECT p.agency_id FROM measures_yearplan p WHERE p.fiscal_year = %(fy)s) THEN 1 ELSE 0 END),
  SUM(CASE WHEN a.id IN (SELECT p.agency_id FROM memos_memo m JOIN measures_yearplan p ON p.id = m.plan_id
       WHERE p.fiscal_year = %(fy)s AND m.kind = 'round' AND m.round = 6 AND m.status = 'approved') THEN 1 ELSE 0 END),
  SUM(CASE WHEN a.id IN (SELECT u.agency_id FROM portal_publishedversion v JOIN portal_publication u
       ON u.id = v.publication_id WHERE u.kind = 'round_report' AND u.fiscal_year = %(fy)s AND u.round = 6)
       THEN 1 ELSE 0 END),
  SUM(CASE WHEN a.id IN (SELECT o.agency_id FROM oit_oitanswer o WHERE o.fiscal_year = %(fy)s AND o.has IS NOT NULL
       GROUP BY o.agency_id HAVING COUNT(*) >= %(items)s) THEN 1 ELSE 0 END)
FROM agencies_agency a GROUP BY a.province ORDER BY a.province
"""
RAW_TOTALS = """
SELECT a.province, a.kind, r.final_total FROM assessments_itaresult r JOIN agencies_agency a ON a.id = r.agency_id
WHERE r.year = %(fy)s AND r.final_total IS NOT NULL
"""
RAW_INDICATORS = """
SELECT s.indicator, AVG(s.score), COUNT(*) FROM assessments_indicatorscore s
JOIN assessments_itaresult r ON r.id = s.result_id WHERE r.year = %(fy)s GROUP BY s.indicator
"""
RAW_DIRECTORY = [
    "SELECT COUNT(*) FROM agencies_agency WHERE province = %(province)s",
    "SELECT id, slug, name, kind, district, province FROM agencies_agency WHERE province = %(province)s "
    "ORDER BY province, district, name, id LIMIT 50",
    "SELECT province, COUNT(*) FROM agencies_agency GROUP BY province",
]


def _params(sql: str, params: dict) -> tuple[str, list]:
    """%(name)s placeholders to the positional ones both backends accept."""
    import re

    names = re.findall(r"%\((\w+)\)s", sql)
    return re.sub(r"%\(\w+\)s", "%s", sql), [params[n] for n in names]


def raw(queries: list[str], params: dict) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        for sql in queries:
            text, values = _params(sql, params)
            cursor.execute(text, values)
            cursor.fetchall()


def timed(fn, repeat: int) -> float:
    fn()  # warm: per-process caches (catalogues), the database's own
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def measure(client, url: str, repeat: int) -> tuple[int, float, int, list[str]]:
    """(query count, median seconds, bytes, the page's SQL statements as executed)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def get():
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return response

    seconds = timed(get, repeat)
    with CaptureQueriesContext(connection) as ctx:
        size = len(get().content)
    statements = [q["sql"] for q in ctx.captured_queries if q["sql"].lstrip().upper().startswith("SELECT")]
    return len(ctx.captured_queries), seconds, size, statements


def replay(statements: list[str]) -> None:
    """The page's own SELECTs, sent again through a bare cursor: what the database alone costs."""
    from django.db import connection

    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
            cursor.fetchall()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="100,1000,8300")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", action="store_true", help="keep the data directory")
    args = parser.parse_args()
    data = setup(args.keep)
    try:
        from django.contrib.auth.models import User
        from django.db import connection
        from django.test import Client
        from django.urls import reverse

        from prongsai.framework.catalogue import get_framework
        from prongsai.oversight.models import OversightMember, OversightScope

        user = User.objects.create_user("nation", password="x")
        scope = OversightScope.objects.create(name="ทั้งประเทศ", level="nation")
        OversightMember.objects.create(scope=scope, user=user)
        client = Client(HTTP_ACCEPT_LANGUAGE="th")
        client.force_login(user)
        anonymous = Client(HTTP_ACCEPT_LANGUAGE="th")
        items = len(get_framework(NEWEST).oit_items)
        rollup_url = reverse("oversight:rollup", args=[scope.pk]) + f"?year={NEWEST}"
        directory_url = reverse("oversight:directory") + "?province=สกลนคร"
        print(f"database: {connection.vendor}; {YEARS} years per agency")
        loaded = 0
        for n in [int(s) for s in args.sizes.split(",")]:
            start = time.perf_counter()
            load(loaded, n)
            loaded = n
            if connection.vendor == "postgresql":  # as autovacuum would soon: the planner's statistics
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE")
            print(f"\nN = {n}: loaded in {time.perf_counter() - start:.1f} s")
            queries, seconds, size, statements = measure(client, rollup_url, args.repeat)
            sql = timed(lambda: replay(statements), args.repeat)
            core = timed(lambda: raw([RAW_ROLLUP, RAW_TOTALS, RAW_INDICATORS], {"fy": NEWEST, "items": items}),
                         args.repeat)
            print(f"  roll-up   {queries:3d} queries  {seconds * 1000:8.1f} ms  {size / 1024:7.0f} KiB   "
                  f"raw SQL {sql * 1000:8.1f} ms   ratio: roll-up / raw SQL {seconds / sql:.2f}   "
                  f"(hand-written 4-document subset {core * 1000:.1f} ms, ratio {seconds / core:.2f})")
            queries, seconds, size, statements = measure(anonymous, directory_url, args.repeat)
            sql = timed(lambda: raw(RAW_DIRECTORY, {"province": "สกลนคร"}), args.repeat)
            print(f"  directory {queries:3d} queries  {seconds * 1000:8.1f} ms  {size / 1024:7.0f} KiB   "
                  f"raw SQL {sql * 1000:8.1f} ms   ratio: directory / raw SQL {seconds / sql:.2f}")
    finally:
        if not args.keep:
            shutil.rmtree(data, ignore_errors=True)
        else:
            print(f"data kept in {data}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
