"""Shared by the year-file tests: a small valid file with known line numbers, and row counts."""

from __future__ import annotations

from pathlib import Path

from django.apps import apps

# Line numbers matter: the broken-file cases name them.
BASE = """\
version: 1
fiscal_year: 2563
agency:
  slug: tessaban-test
  name: เทศบาลตำบลทดสอบ
  kind: tessaban_tambon
  units: [สำนักปลัด, กองคลัง]
  people:
    - name: นางสาวปราณี จันทไชย
      position: นักวิชาการตรวจสอบภายในชำนาญการ
      unit: สำนักปลัด
ita_results:
  - year: 2562
    indicators: {1: 90.5, 2: 80}
measures:
  - title: การใช้งบประมาณ
    indicator: 2
    units: [กองคลัง]
    rounds: [6, 12]
    results:
      - round: 6
        details: จัดทำแผน
        evidence:
          - {title: แผน, url: "https://example.go.th/plan.pdf"}
reports:
  - round: 6
    memo:
      number: 277
      date: 2020-06-26
      preparers:
        - {name: นางสาวปราณี จันทไชย, position: นักวิชาการตรวจสอบภายในชำนาญการ}
    preface_date: 2020-06-24
"""

# BASE with every part a round report needs (no warning): the executive to address, a report entry for
# each monitored round, approvers with their dates, the report's preparer.
COMPLETE = """\
version: 1
fiscal_year: 2563
agency:
  slug: tessaban-test
  name: เทศบาลตำบลทดสอบ
  kind: tessaban_tambon
  executive_title: นายกเทศมนตรีตำบลทดสอบ
  units: [สำนักปลัด, กองคลัง]
ita_results:
  - year: 2562
    indicators: {1: 90.5, 2: 80}
measures:
  - title: การใช้งบประมาณ
    indicator: 2
    units: [กองคลัง]
    rounds: [6]
    results:
      - round: 6
        details: จัดทำแผน
reports:
  - round: 6
    memo:
      number: 277
      date: 2020-06-26
      preparers:
        - {name: นางสาวปราณี จันทไชย, position: นักวิชาการตรวจสอบภายในชำนาญการ}
      approvers:
        - {name: ทวี จันทเสนา, position: ปลัดเทศบาล, comment: ทราบ, date: 2020-06-29}
    preface_date: 2020-06-24
    preparer: {name: นางสาวปราณี จันทไชย, position: นักวิชาการตรวจสอบภายในชำนาญการ}
"""

# A fuller year: two measures with units, results in two rounds, ITA results of two years, an
# analysis, wording, approvers.
FULL = """\
version: 1
fiscal_year: 2563
framework_year: 2563
agency:
  slug: tessaban-full
  name: เทศบาลตำบลเต็ม
  kind: tessaban_tambon
  office_name: สำนักงานเทศบาลตำบลเต็ม
  district: พังโคน
  province: สกลนคร
  doc_prefix: สน ๘๐๗๐๑
  executive_title: นายกเทศมนตรีตำบลเต็ม
  digits: arabic
  phone: "042-000000"
  email: saraban@full.go.th
  website: https://full.go.th
  urgent_below: 70.5
  units: [สำนักปลัด, กองคลัง, กองช่าง]
  people:
    - {name: นางสาวปราณี จันทไชย, position: นักวิชาการตรวจสอบภายใน, unit: สำนักปลัด, email: pranee@full.go.th}
    - {name: ทวี จันทเสนา, rank: จ.อ., position: ปลัดเทศบาล}
  wording:
    results_intro: บัดนี้ {office} ได้ดำเนินการแล้ว
ita_results:
  - year: 2561
    indicators: {1: 70, 2: 71.25}
    grade: C
  - year: 2562
    indicators: {"1": 91.2, "2": 80.15, "3": 60}
    note: ประกาศ ป.ป.ช.
analysis:
  urgent: [3]
  improve:
    - 2
    - {indicator: 4, label: การใช้ทรัพย์สินของทางราชการ}
measures:
  - title: การใช้งบประมาณ
    indicator: 2
    guideline: |
      - จัดทำแผนการใช้จ่ายงบประมาณ
      - เผยแพร่บนเว็บไซต์
    steps: |-
      ๑. จัดทำคำสั่ง
      ๒. ผู้บริหารลงนาม
    responsible: สำนักปลัด และกองคลัง
    units: [กองคลัง, สำนักปลัด]
    rounds: [6, 12]
    results:
      - round: 12
        details: รายงานผลการใช้จ่าย
      - round: 6
        label: การใช้งบ
        details: จัดทำแผน
        period: เดือนเมษายน ๒๕๖๓
        outputs: แผน
        outcomes: เผยแพร่แล้ว
        remarks: ตามแผน
        evidence:
          - {title: แผน, url: "https://full.go.th/plan.pdf"}
          - {url: "https://full.go.th/news"}
  - title: การเปิดเผยข้อมูล
    indicator: 9
    units: [กองช่าง]
    monitoring: รายงานผลการดำเนินงาน
    rounds: [3, 6, 9, 12]
    results:
      - round: 6
        details: เผยแพร่ข้อมูล
reports:
  - round: 12
    memo: {number: 500, date: 2020-10-20}
  - round: 6
    memo:
      number: 277
      date: 2020-06-26
      subject: รายงานผลรอบ ๖ เดือน
      addressee: นายกเทศมนตรีตำบลเต็ม
      body: [ย่อหน้าแรก, ย่อหน้าที่สอง]
      preparers:
        - {name: นางสาวปราณี จันทไชย, position: นักวิชาการตรวจสอบภายใน}
      approvers:
        - {name: ทวี จันทเสนา, rank: จ.อ., position: ปลัดเทศบาล, comment: เห็นควรทราบ, date: 2020-06-29}
        - {name: นายกเทศมนตรี, position: นายกเทศมนตรีตำบลเต็ม}
    preface_date: 2020-06-24
    preparer: {name: นางสาวปราณี จันทไชย, position: นักวิชาการตรวจสอบภายใน}
wording:
  preface:
    - "{office} จัดทำรายงาน {round_label} ปี {fiscal_year}"
  analysis: จากการวิเคราะห์ผลปี {prior_year} สรุปได้ว่า {summary}
"""


def write(tmp_path: Path, text: str | bytes, name: str = "year.yaml") -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def edit(text: str, old: str, new: str) -> str:
    assert old in text, f"fixture has no {old!r}"
    return text.replace(old, new, 1)


def row_counts() -> dict[str, int]:
    """Rows of every model of Prongsai's apps."""
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models(include_auto_created=True)
        if model._meta.app_label in {"agencies", "assessments", "measures", "memos", "yearfile"}
    }
