"""Thai full-text search at N agencies: index build rate and the latency of 20 Thai queries.

    .venv/bin/python bench/search.py [--sizes 100,1000,8300] [--repeat 5] [--keep]
    scripts/with-postgres .venv/bin/python bench/search.py       # the same on PostgreSQL (DATABASE_URL)

Makes its own data directory (SQLite unless DATABASE_URL is set), migrates, and for each N adds agencies up
to N with bulk_create (no signals): one fiscal year each with 9 measures (titles and guidelines drawn from
real ITA measure wording), a round-6 and a round-12 result per measure, an evidence title per result, and
5 answered OIT items with explanations (public). Then `prongsai.search.services.reindex()` builds the index
(printed: rows and rows a second, segmentation included), and each of the 20 queries below is run
--repeat times through `services.search` (segmenting the query, ranking, highlighting the first page) as
three users: anonymous (public rows only), a member of 50 agencies, and a superuser (every row). Printed
per N and user: median and 95th percentile over all queries and repeats, and the slowest query. Goal:
median under 100 ms at N = 8300 on PostgreSQL. Also printed: segmentation speed of nlpo3 against
PyThaiNLP's newmm on the same texts.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FISCAL_YEAR = 2566

MEASURES = [
    ("การปฏิบัติหน้าที่", "ประกาศแนวทางการปฏิบัติงานตามหลักธรรมาภิบาล และจัดทำคู่มือการปฏิบัติงาน"),
    ("การใช้งบประมาณ", "จัดทำแผนการใช้จ่ายงบประมาณประจำปีและเผยแพร่ในเว็บไซต์ของหน่วยงาน"),
    ("มาตรการตรวจสอบการใช้ดุลพินิจ", "วิเคราะห์และบริหารความเสี่ยงเกี่ยวกับการใช้ดุลพินิจของผู้ปฏิบัติงาน"),
    ("การใช้ทรัพย์สินของราชการ", "จัดทำคู่มือการยืมและใช้ทรัพย์สินของราชการ พร้อมแบบฟอร์มขออนุญาต"),
    ("การแก้ไขปัญหาการทุจริต", "จัดทำแผนปฏิบัติการป้องกันการทุจริตและประพฤติมิชอบ"),
    ("มาตรการป้องกันการรับสินบน", "ประกาศเจตนารมณ์ไม่รับของขวัญและของกำนัลทุกชนิดจากการปฏิบัติหน้าที่ (No Gift Policy)"),
    ("มาตรการเผยแพร่ข้อมูลต่อสาธารณะ", "เปิดเผยข้อมูลการจัดซื้อจัดจ้างและผลการดำเนินงานบนเว็บไซต์หลัก"),
    ("การป้องกันผลประโยชน์ทับซ้อน", "จัดทำคู่มือการป้องกันผลประโยชน์ทับซ้อนและอบรมเจ้าหน้าที่"),
    ("ประกาศเจตจำนงการบริหารงานด้วยความซื่อสัตย์สุจริต", "ผู้บริหารประกาศเจตจำนงสุจริตต่อสาธารณชน"),
    ("การปรับปรุงระบบการทำงาน", "นำระบบสารสนเทศมาใช้ลดขั้นตอนการให้บริการประชาชน"),
    ("การรับฟังความคิดเห็นของประชาชน", "จัดเวทีประชาคมและช่องทางร้องเรียนออนไลน์"),
]
RESULTS = ["ดำเนินการแล้วเสร็จตามแผน เผยแพร่บนเว็บไซต์ของหน่วยงาน", "จัดประชุมชี้แจงเจ้าหน้าที่ทุกกอง",
           "มีผู้เข้าร่วมอบรมร้อยละ 95 ของเจ้าหน้าที่", "รายงานผลต่อผู้บริหารและคณะกรรมการ"]
QUERIES = ["ดุลพินิจ", "ทรัพย์สิน", "งบประมาณ", "สินบน", "ผลประโยชน์ทับซ้อน", "ซื่อสัตย์สุจริต", "จัดซื้อจัดจ้าง",
           "คู่มือการปฏิบัติงาน", "เว็บไซต์", "ประชาคม", "ร้องเรียน", "ของขวัญ", "การทุจริต", "อบรมเจ้าหน้าที่",
           "ความเสี่ยง", "สุจริต", "ขั้นตอน", "แผนปฏิบัติการ", "ผู้บริหาร", "พินิจ"]
PROVINCES = None


def setup() -> Path:
    data = Path(tempfile.mkdtemp(prefix="prongsai-search-"))
    os.environ.setdefault("PRONGSAI_DATA_DIR", str(data))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "prongsai.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return data


def load(start: int, stop: int) -> None:
    from django.db import transaction

    from prongsai.agencies import geography
    from prongsai.agencies.models import Agency
    from prongsai.framework.catalogue import get_framework
    from prongsai.measures.models import Evidence, Measure, RoundResult, YearPlan
    from prongsai.oit.models import OITAnswer

    provinces = geography.provinces()
    items = [i.code for i in get_framework(FISCAL_YEAR).oit_items][:5]
    rng = random.Random(start)
    with transaction.atomic():
        agencies = []
        for n in range(start, stop):
            p = provinces[n % len(provinces)]
            d = p.districts[n % len(p.districts)]
            agencies.append(Agency(slug=f"sao-{n}", name=f"องค์การบริหารส่วนตำบลทดสอบ{n}", kind="sao",
                                   province=p.name, district=d.name, code=str(6000000 + n)))
        Agency.objects.bulk_create(agencies, batch_size=1000)
        plans = YearPlan.objects.bulk_create(
            [YearPlan(agency=a, fiscal_year=FISCAL_YEAR, framework_year=FISCAL_YEAR) for a in agencies], batch_size=1000)
        measures = []
        for plan in plans:
            for order, (title, guideline) in enumerate(rng.sample(MEASURES, 9), start=1):
                measures.append(Measure(plan=plan, order=order, title=title, guideline=guideline,
                                        steps="1. จัดทำคำสั่งมอบหมายงาน\n2. ผู้บริหารลงนาม", rounds=[6, 12]))
        Measure.objects.bulk_create(measures, batch_size=2000)
        results = [RoundResult(measure=m, round=r, details=rng.choice(RESULTS), outputs=f"{m.title} 1 เรื่อง")
                   for m in measures for r in (6, 12)]
        RoundResult.objects.bulk_create(results, batch_size=2000)
        Evidence.objects.bulk_create([Evidence(result=r, title=f"หลักฐาน{r.measure.title} รอบ {r.round} เดือน",
                                               url="https://example.go.th/ita.pdf") for r in results], batch_size=2000)
        OITAnswer.objects.bulk_create(
            [OITAnswer(agency=a, fiscal_year=FISCAL_YEAR, code=code, has=True, urls=["https://example.go.th/"],
                       explanation=f"{a.name} เผยแพร่ข้อมูล{rng.choice(MEASURES)[0]}บนเว็บไซต์หลัก")
             for a in agencies for code in items], batch_size=2000)


def users():
    from django.contrib.auth.models import AnonymousUser, User

    from prongsai.agencies.models import Agency, Membership

    member, _ = User.objects.get_or_create(username="member")
    if not Membership.objects.filter(user=member).exists():
        Membership.objects.bulk_create([Membership(user=member, agency=a, role="planner")
                                        for a in Agency.objects.order_by("pk")[:50]])
    root = User.objects.filter(username="root").first() or User.objects.create_superuser("root", password="x")
    return [("anonymous", AnonymousUser()), ("member of 50", member), ("superuser", root)]


def segmentation_speed() -> None:
    from pythainlp.tokenize import word_tokenize

    from prongsai.search import text

    texts = [f"{t} {g}" for t, g in MEASURES] * 20
    text.words("อุ่นเครื่อง")
    started = time.perf_counter()
    for t in texts:
        text.words(t)
    ours = (time.perf_counter() - started) / len(texts) * 1000
    word_tokenize("อุ่นเครื่อง", engine="newmm")
    started = time.perf_counter()
    for t in texts:
        word_tokenize(t, engine="newmm")
    newmm = (time.perf_counter() - started) / len(texts) * 1000
    print(f"segmentation, a measure's title and guideline ({sum(map(len, texts)) // len(texts)} characters): "
          f"nlpo3 {ours:.3f} ms, PyThaiNLP newmm {newmm:.3f} ms (ratio newmm / nlpo3: {newmm / ours:.1f})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="100,1000,8300")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--keep", action="store_true", help="keep the data directory")
    args = parser.parse_args()
    data = setup()
    from django.db import connection

    from prongsai.search import services
    from prongsai.search.models import Entry

    print(f"database: {connection.vendor}; queries: {len(QUERIES)} Thai words and phrases, {args.repeat} times each")
    segmentation_speed()
    have = 0
    try:
        for n in [int(s) for s in args.sizes.split(",")]:
            started = time.perf_counter()
            load(have, n)
            loaded = time.perf_counter() - started
            have = n
            started = time.perf_counter()
            counts = services.reindex()
            indexed = time.perf_counter() - started
            rows = Entry.objects.count()
            print(f"\nN = {n} agencies: loaded in {loaded:.1f} s; index: {rows} rows ({counts.written} written now) "
                  f"in {indexed:.1f} s = {counts.written / indexed:.0f} rows/s")
            if connection.vendor == "postgresql":
                # What autovacuum does a minute after a bulk write: statistics, and the GIN indexes'
                # pending lists merged (a query scans a pending list row by row: 2-4 times slower).
                with connection.cursor() as cursor:
                    cursor.execute("VACUUM ANALYZE search_entry")
            for label, user in users():
                times, slowest = [], (0.0, "")
                hits = 0
                for _ in range(args.repeat):
                    for q in QUERIES:
                        started = time.perf_counter()
                        found = services.search(user, q)
                        ms = (time.perf_counter() - started) * 1000
                        times.append(ms)
                        hits += found.total
                        slowest = max(slowest, (ms, q))
                times.sort()
                p95 = times[int(len(times) * 0.95) - 1]
                print(f"  {label:>13}: median {statistics.median(times):6.1f} ms, p95 {p95:6.1f} ms, "
                      f"slowest {slowest[0]:6.1f} ms ({slowest[1]}); {hits // args.repeat} hits per round")
    finally:
        if args.keep:
            print(f"data kept in {data}")
        else:
            shutil.rmtree(data, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
