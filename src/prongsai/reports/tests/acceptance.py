"""Issue 9's acceptance year: 30 measures, one with a 6,000-character result that ends in a marker,
every measure with the same monitoring text, signers named ประสิทธิ์, ศักดิ์ and ฤทธิ์, and a
400-character memo subject. Used by the end-to-end test and by bench/report.py."""

from __future__ import annotations

import datetime as dt

from prongsai.yearfile.loader import validated

MARKER = "จบข้อความยาวXQ9"
MONITORING = "รายงานผลการดำเนินงานต่อผู้บริหารทุกไตรมาส"
SIGNERS = ("นายประสิทธิ์ ผลสัมฤทธิ์", "นายศักดิ์ ศักดิ์ศรี", "นางฤทธิ์ ฤทธิ์เดช")
LONG_MEASURE = 4  # the measure (0-based) with the long result
LONG_URL = "https://www.example.go.th/" + "ita/" * 3 + "documents-and-evidence-" * 6 + "2566.pdf"

SENTENCE = ("หน่วยงานได้ดำเนินการเผยแพร่ข้อมูลข่าวสารตามมาตรการส่งเสริมคุณธรรมและความโปร่งใส"
            "ผ่านเว็บไซต์และช่องทางสื่อสังคมออนไลน์อย่างต่อเนื่อง ")
SUBJECT_PART = "รายงานผลการดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน "


def _long(length: int, *, end: str = "") -> str:
    text = ""
    n = 0
    while len(text) < length - len(end) - 10:
        n += 1
        text += SENTENCE.strip() + f" ({n}) "
    return (text + end).strip()


def acceptance_year(*, measures: int = 30, long_result: bool = True, variant: int = 0) -> dict:
    subject = ""
    while len(subject) < 400:
        subject += SUBJECT_PART
    subject = subject[:399].strip() + "ฯ"
    rows = []
    for n in range(measures):
        details = (_long(6000, end=MARKER) if long_result and n == LONG_MEASURE
                   else f"ดำเนินการจัดทำและเผยแพร่ข้อมูลตามมาตรการที่ {n + 1} ครบถ้วน {variant}")
        rows.append({
            "title": f"มาตรการที่ {n + 1} ส่งเสริมการเปิดเผยข้อมูลต่อสาธารณะ",
            "indicator": n % 10 + 1,
            "guideline": "เผยแพร่ข้อมูลข่าวสารของหน่วยงานให้ประชาชนเข้าถึงได้สะดวก ตรวจสอบได้ ทุกช่องทาง "
                         f"ตามกฎหมายว่าด้วยข้อมูลข่าวสารของราชการ ({n + 1 + variant})",
            "steps": "1. จัดทำแผนการเผยแพร่ข้อมูล\n2. เผยแพร่บนเว็บไซต์หลักของหน่วยงาน\n3. ติดตามและรายงานผล",
            "responsible": "สำนักปลัด",
            "monitoring": MONITORING,
            "rounds": [6, 12],
            "results": [{
                "round": 6, "details": details, "period": "ตุลาคม ๒๕๖๕ – มีนาคม ๒๕๖๖",
                "outputs": "เผยแพร่ข้อมูลครบทุกรายการ", "outcomes": "ประชาชนเข้าถึงข้อมูลได้สะดวก",
                "remarks": "", "evidence": [{"title": LONG_URL, "url": LONG_URL}] if n == 0 else [],
            }],
        })
    raw = {
        "version": 1,
        "fiscal_year": 2566,
        "agency": {
            "slug": "tessaban-acceptance", "name": "เทศบาลตำบลทดสอบสิทธิ์", "kind": "tessaban_tambon",
            "office_name": "สำนักงานเทศบาลตำบลทดสอบสิทธิ์", "district": "เมือง", "province": "ขอนแก่น",
            "doc_prefix": "ขก ๕๒๐๐๑", "executive_title": "นายกเทศมนตรีตำบลทดสอบสิทธิ์", "digits": "thai",
            "units": ["สำนักปลัด"],
        },
        "ita_results": [{"year": 2565, "indicators": {i: 70 + i * 2 for i in range(1, 11)}}],
        "measures": rows,
        "reports": [{
            "round": 6,
            "memo": {
                "number": 120 + variant, "date": dt.date(2023, 4, 20), "subject": subject,
                "addressee": "นายกเทศมนตรีตำบลทดสอบสิทธิ์",
                "preparers": [{"name": SIGNERS[0], "position": "นักวิเคราะห์นโยบายและแผน"}],
                "approvers": [{"name": SIGNERS[1], "position": "ปลัดเทศบาล", "comment": "เห็นควรเสนอ"},
                              {"name": SIGNERS[2], "position": "นายกเทศมนตรี", "comment": ""}],
            },
            "preface_date": dt.date(2023, 4, 18),
            "preparer": {"name": SIGNERS[0], "position": "นักวิเคราะห์นโยบายและแผน"},
        }],
    }
    return validated(raw)
