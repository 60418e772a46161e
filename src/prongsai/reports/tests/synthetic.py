"""Year data made up for tests and the benchmark: any number of measures, Thai text of realistic
length, either digit style. `variant` changes every text a little, so repeated renders share no cache."""

from __future__ import annotations

import datetime as dt

from prongsai.yearfile.loader import validated

WORDS = (
    "การจัดทำ", "แผนการใช้จ่ายงบประมาณ", "ประจำปี", "และเผยแพร่", "ประชาสัมพันธ์", "บนเว็บไซต์หลัก", "ของหน่วยงาน",
    "เพื่อให้", "ประชาชน", "สามารถตรวจสอบ", "ได้อย่างสะดวก", "ผู้รับผิดชอบ", "ดำเนินการ", "ตามมาตรการ",
    "ส่งเสริมคุณธรรม", "ความโปร่งใส", "ความซื่อสัตย์สุจริต", "กำกับติดตาม", "ทุกไตรมาส", "คู่มือการปฏิบัติงาน",
)


def _text(n: int, *, words: int, variant: int) -> str:
    picked = [WORDS[(n * 7 + i * 3 + variant) % len(WORDS)] for i in range(words)]
    return " ".join("".join(picked[i:i + 3]) for i in range(0, len(picked), 3)) + f" {n + variant + 1}"


def synthetic_year(*, measures: int = 40, digits: str = "thai", variant: int = 0, slug: str = "tessaban-synthetic") -> dict:
    """A valid, normalised year dict (through the year-file validator) with `measures` measures, all
    monitored at rounds 6 and 12, each with a round-6 result."""
    raw = {
        "version": 1,
        "fiscal_year": 2566,
        "agency": {
            "slug": slug, "name": "เทศบาลตำบลทดสอบ", "kind": "tessaban_tambon",
            "office_name": "สำนักงานเทศบาลตำบลทดสอบ", "district": "เมืองทดสอบ", "province": "ขอนแก่น",
            "doc_prefix": "ขก 52001", "executive_title": "นายกเทศมนตรีตำบลทดสอบ", "digits": digits,
            "units": ["สำนักปลัด", "กองคลัง"],
        },
        "ita_results": [{"year": 2565, "indicators": {i: 70 + i * 2 + variant % 5 for i in range(1, 11)}}],
        "measures": [
            {
                "title": f"มาตรการที่ {n + 1} " + _text(n, words=4, variant=variant),
                "indicator": n % 10 + 1,
                "guideline": _text(n, words=12, variant=variant),
                "steps": f"1. {_text(n + 1, words=6, variant=variant)}\n2. {_text(n + 2, words=6, variant=variant)}",
                "responsible": "สำนักปลัด" if n % 3 else "กองคลัง",
                "rounds": [6, 12],
                "results": [{
                    "round": 6,
                    "details": _text(n + 3, words=10, variant=variant),
                    "period": f"เดือนมีนาคม {2566 + variant % 2}",
                    "outputs": _text(n + 4, words=5, variant=variant),
                    "outcomes": _text(n + 5, words=7, variant=variant),
                    "remarks": "",
                }],
            }
            for n in range(measures)
        ],
        "reports": [{
            "round": 6,
            "memo": {
                "number": 100 + variant, "date": dt.date(2023, 4, 20) + dt.timedelta(days=variant % 9),
                "preparers": [{"name": "นางสาวทดสอบ ใจดี", "position": "นักวิเคราะห์นโยบายและแผน"}],
                "approvers": [{"name": "นายทดสอบ ตั้งใจ", "position": "ปลัดเทศบาลตำบลทดสอบ", "comment": ""}],
            },
            "preface_date": dt.date(2023, 4, 18),
            "preparer": {"name": "นางสาวทดสอบ ใจดี", "position": "นักวิเคราะห์นโยบายและแผน"},
        }],
    }
    return validated(raw)
