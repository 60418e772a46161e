"""Generated agency and result tables for the tests and bench/ (real CSV/XLSX files, in memory)."""

from __future__ import annotations

import csv
import io
import random

from openpyxl import Workbook

from prongsai.agencies import geography

KINDS = ["อบต.", "เทศบาลตำบล", "เทศบาลเมือง", "องค์การบริหารส่วนตำบล", "ทต."]


def agency_rows(n: int, seed: int = 1, start: int = 0) -> list[dict[str, str]]:
    """n distinct agencies spread over real provinces and districts, each with a unique code."""
    rng = random.Random(seed)
    provinces = geography.provinces()
    rows = []
    for i in range(start, start + n):
        p = provinces[i % len(provinces)]
        d = p.districts[(i // len(provinces)) % len(p.districts)]
        kind = rng.choice(KINDS)
        rows.append({
            "ชื่อหน่วยงาน": f"{kind}ทดสอบที่ {i}", "ประเภท": kind,
            "จังหวัด": rng.choice([p.name, f"จ.{p.name}", f"จังหวัด{p.name}"]),
            "อำเภอ": rng.choice([d.name, f"{p.district_word}{d.name}"]),
            "รหัสหน่วยงาน": f"{6000000 + i}", "โทรศัพท์": f"042-{i:06d}",
            "อีเมล": f"saraban{i}@example.go.th", "เว็บไซต์": f"www.agency{i}.go.th",
        })
    return rows


def csv_file(rows: list[dict[str, str]], headings: list[str] | None = None) -> io.BytesIO:
    headings = headings or list(rows[0])
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headings)
    for row in rows:
        writer.writerow([row.get(h, "") for h in headings])
    return io.BytesIO(out.getvalue().encode("utf-8-sig"))


def xlsx_file(rows: list[dict[str, str]], headings: list[str] | None = None, title_rows: int = 0) -> io.BytesIO:
    headings = headings or list(rows[0])
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    for n in range(title_rows):
        sheet.append([f"ผลการประเมิน ITA (หัวเรื่องแถวที่ {n + 1})"])
    sheet.append(headings)
    for row in rows:
        sheet.append([row.get(h, "") for h in headings])
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    return out


INDICATORS = [f"ตัวชี้วัดที่ {n}" for n in range(1, 11)]


def result_rows(agencies: list[dict[str, str]], seed: int = 2) -> list[dict[str, str]]:
    """A NACC-shaped results sheet for the agencies (their name, province and code), 10 indicator scores."""
    rng = random.Random(seed)
    rows = []
    for n, a in enumerate(agencies, start=1):
        row = {"ลำดับ": str(n), "หน่วยงาน": a["ชื่อหน่วยงาน"], "จังหวัด": a["จังหวัด"], "รหัสหน่วยงาน": a["รหัสหน่วยงาน"]}
        for heading in INDICATORS:
            row[heading] = f"{rng.uniform(50, 100):.2f}"
        rows.append(row)
    return rows
