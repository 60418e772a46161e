"""Request and response bodies. Values are raw: Arabic digits, ISO dates (CE), fiscal and ITA years as
Buddhist-era integers, scores as decimal strings ("83.54") so no precision is lost."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import ConfigDict

from prongsai.measures import limits
from prongsai.measures.services import DEFAULT_MONITORING

Score = Annotated[Decimal, Field(ge=0, le=100, max_digits=5, decimal_places=2)]
BEYear = Annotated[int, Field(ge=2500, le=2700, description="ปีพุทธศักราช")]
MAX_ID = 2**63 - 1  # a database id (bigint); larger numbers are refused (422) before any query
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Round = Literal[3, 6, 9, 12]
Indicator = Annotated[int, Field(ge=1, le=99, description="เลขตัวชี้วัด")]
# Dates in a memo: a Buddhist-era year of 4 digits (CE 1900-2200).
MemoDate = Annotated[dt.date, Field(ge=dt.date(1900, 1, 1), le=dt.date(2199, 12, 31))]


class In(Schema):
    """Request bodies reject unknown fields, so a misspelt field is an error, not silently ignored."""

    model_config = ConfigDict(extra="forbid")


class Error(Schema):
    detail: str


class FieldError(Schema):
    loc: list[str | int]
    msg: str
    type: str


class ValidationErrors(Schema):
    detail: list[FieldError]


# --- agencies ----------------------------------------------------------------------------------------

class UnitOut(Schema):
    id: int
    name: str


class AgencyOut(Schema):
    slug: str
    name: str
    kind: str
    office: str
    district: str
    province: str
    digits: str
    roles: list[str]
    permissions: list[str]
    url: str


class AgencyDetailOut(AgencyOut):
    doc_prefix: str
    executive_title: str
    address: str
    phone: str
    email: str
    website: str
    units: list[UnitOut]
    fiscal_years: list[int]


class AgencyPageOut(Schema):
    """One page of the caller's agencies, as GET agencies answers (`?limit=`, `?offset=`)."""

    count: int = Field(description="จำนวนหน่วยงานทั้งหมดของผู้ใช้")
    limit: int
    offset: int
    items: list[AgencyOut]


class ScopeOut(Schema):
    id: int
    name: str
    level: str = Field(description="nation / province / district")


class MeOut(Schema):
    username: str
    name: str
    email: str
    superuser: bool = Field(description="ผู้ดูแลระบบของระบบ: อ่านได้ทุกหน่วยงาน (ยกเว้นเนื้อหาเรื่องร้องเรียน)")
    roles: list[str] = Field(description="บทบาทที่ผู้ใช้มีในหน่วยงานใดหน่วยงานหนึ่ง")
    oversight_scopes: list[ScopeOut] = Field(description="ขอบเขตการกำกับติดตามของผู้ใช้")
    agencies: AgencyPageOut


# --- years -------------------------------------------------------------------------------------------

class YearIn(In):
    fiscal_year: BEYear
    framework_year: BEYear | None = None


class YearOut(Schema):
    fiscal_year: int
    framework_year: int
    based_on: int = Field(description="ปีที่ประเมิน ITA ที่มาตรการของปีนี้ตอบ (ผลของปีก่อน)")
    measures: int
    memos: int
    url: str


class ProgressOut(Schema):
    done: int
    monitored: int
    percent: int
    counts: dict[str, int]


class RoundProgressOut(ProgressOut):
    round: int
    start: dt.date
    end: dt.date


class YearDetailOut(YearOut):
    start: dt.date
    end: dt.date
    analysis: dict | None
    progress: ProgressOut
    rounds: list[RoundProgressOut]


# --- ITA scores --------------------------------------------------------------------------------------

class ScoresIn(In):
    indicators: dict[Indicator, Score] = Field(description="คะแนนรายตัวชี้วัด {เลขตัวชี้วัด: คะแนน}")
    iit: Score | None = None
    eit: Score | None = None
    oit: Score | None = None
    total: Score | None = None
    grade: str = Field("", max_length=30)
    note: str | None = Field(None, description="null: คงหมายเหตุเดิมไว้")


class FiguresOut(Schema):
    iit: Decimal | None
    eit: Decimal | None
    oit: Decimal | None
    total: Decimal | None
    grade: str


class ScoresOut(Schema):
    year: int
    indicators: dict[int, Decimal]
    iit: Decimal | None
    eit: Decimal | None
    oit: Decimal | None
    total: Decimal | None
    grade: str
    note: str
    framework_year: int | None = Field(description="null: ระบบยังไม่มีเกณฑ์ของปีนี้ (ไม่มีค่าที่คำนวณได้)")
    computed: FiguresOut | None = Field(description="ค่าที่คำนวณจากคะแนนรายตัวชี้วัดตามเกณฑ์ของปี")
    evaluated: FiguresOut | None = Field(description="ค่าที่ใช้: ค่าที่ระบุไว้ ส่วนที่ไม่ได้ระบุใช้ค่าที่คำนวณได้")
    mismatches: list[str]


# --- measures ----------------------------------------------------------------------------------------

class MeasureIn(In):
    title: str = Field(max_length=limits.MEASURE_TITLE)
    rounds: list[Round] = Field(min_length=1, max_length=4, description="รอบการติดตาม (เดือน): 3, 6, 9, 12")
    indicator: Indicator | None = None
    guideline: str = Field("", max_length=limits.MEASURE_GUIDELINE)
    steps: str = Field("", max_length=limits.MEASURE_STEPS)
    responsible: str = Field("", max_length=limits.MEASURE_RESPONSIBLE)
    monitoring: str = Field(DEFAULT_MONITORING, max_length=limits.MEASURE_MONITORING)
    units: list[Id] = Field([], max_length=200, description="id ของส่วนราชการของหน่วยงาน (ดูรายละเอียดหน่วยงาน)")


class MoveIn(In):
    direction: str = Field(pattern="^(up|down)$", description="up หรือ down")


class ReorderIn(In):
    order: list[Id] = Field(max_length=1000, description="id ของมาตรการทุกข้อของปี เรียงตามลำดับใหม่")


class RoundStateOut(Schema):
    round: int
    status: str = Field(description="planned / in_progress / done / overdue")
    recorded: bool


class MeasureOut(Schema):
    id: int
    order: int
    indicator: int | None
    title: str
    guideline: str
    steps: str
    responsible: str
    monitoring: str
    rounds: list[int]
    units: list[UnitOut]
    round_states: list[RoundStateOut]
    url: str


# --- round results and evidence ----------------------------------------------------------------------

class RoundResultIn(In):
    label: str = Field("", max_length=limits.RESULT_LABEL, description="ชื่อในตารางผล (ว่าง: ใช้ชื่อมาตรการ)")
    details: str = Field("", max_length=limits.RESULT_DETAILS)
    period: str = Field("", max_length=limits.RESULT_PERIOD)
    outputs: str = Field("", max_length=limits.RESULT_OUTPUTS)
    outcomes: str = Field("", max_length=limits.RESULT_OUTCOMES)
    remarks: str = Field("", max_length=limits.RESULT_REMARKS)


class EvidenceLinkIn(In):
    url: str = Field(max_length=limits.EVIDENCE_URL)
    title: str = Field("", max_length=limits.EVIDENCE_TITLE)


class EvidenceOut(Schema):
    id: int
    order: int
    title: str
    url: str
    has_file: bool
    sha256: str
    download_url: str | None = Field(description="ไฟล์หลักฐาน (ผ่าน API) เฉพาะหลักฐานที่เป็นไฟล์")


class RoundResultOut(Schema):
    measure_id: int
    round: int
    start: dt.date
    end: dt.date
    status: str = Field(description="planned / in_progress / done / overdue")
    recorded: bool
    label: str
    details: str
    period: str
    outputs: str
    outcomes: str
    remarks: str
    evidence: list[EvidenceOut]
    url: str


# --- memos -------------------------------------------------------------------------------------------

class PreparerIn(In):
    name: str = Field(min_length=1, max_length=limits.SIGNER_NAME)
    position: str = Field("", max_length=limits.SIGNER_POSITION)
    rank: str = Field("", max_length=limits.SIGNER_RANK)


class ApproverIn(In):
    username: str = Field(description="ชื่อผู้ใช้ของสมาชิกที่มีบทบาทผู้บังคับบัญชาในหน่วยงาน")
    position: str = Field("", max_length=limits.SIGNER_POSITION, description="ว่าง: ใช้ตำแหน่งของบุคลากรที่ผูกไว้")


class MemoFieldsIn(In):
    subject: str = Field("", max_length=limits.MEMO_SUBJECT, description="ว่าง: ใช้ถ้อยคำมาตรฐาน")
    addressee: str = Field("", max_length=limits.MEMO_ADDRESSEE, description="ว่าง: ใช้ถ้อยคำมาตรฐาน")
    body: list[Annotated[str, Field(max_length=limits.MEMO_PARAGRAPH)]] = Field(
        [], max_length=limits.MEMO_PARAGRAPHS, description="ย่อหน้าของข้อความ (ว่าง: ใช้ถ้อยคำมาตรฐาน)")
    preface_date: MemoDate | None = None
    report_preparer_name: str = Field("", max_length=limits.REPORT_PREPARER_NAME)
    report_preparer_position: str = Field("", max_length=limits.REPORT_PREPARER_POSITION)
    preparers: list[PreparerIn] | None = Field(None, description="null: ผู้จัดทำร่าง (ร่างใหม่) หรือคงเดิม (แก้ไข)")
    approvers: list[ApproverIn] | None = Field(
        None, description="null: ลำดับเริ่มต้นของหน่วยงาน (ร่างใหม่) หรือคงเดิม (แก้ไข)")


class MemoDraftIn(MemoFieldsIn):
    round: Round = Field(description="รอบการติดตาม (เดือน): 3, 6, 9, 12")
    date: MemoDate | None = Field(None, description="ว่าง: วันนี้")


class MemoUpdateIn(MemoFieldsIn):
    date: MemoDate


class SignIn(In):
    comment: str = Field(min_length=1, max_length=limits.SIGNER_COMMENT, description="ความเห็นที่พิมพ์ในบันทึกข้อความ")


class ReturnIn(In):
    reason: str = Field(min_length=1, max_length=limits.RETURN_REASON, description="เหตุผลที่ส่งกลับให้แก้ไข")


class SignerOut(Schema):
    order: int
    name: str
    rank: str
    position: str


class ApproverOut(SignerOut):
    username: str | None
    status: str = Field(description="pending / signed / returned")
    comment: str
    signed_on: dt.date | None
    signed_at: dt.datetime | None
    return_reason: str


class FileOut(Schema):
    format: str
    sha256: str
    download_url: str
    web_url: str


class VersionOut(Schema):
    number: int
    created_at: dt.datetime
    created_by: str | None
    files: list[FileOut]


class MemoOut(Schema):
    fiscal_year: int
    round: int
    number: int | None
    date: dt.date | None
    subject: str
    status: str = Field(description="draft / in_review / returned / approved")
    status_label: str
    current_approver: ApproverOut | None
    url: str


class MemoDetailOut(MemoOut):
    addressee: str
    body: list[str]
    preface_date: dt.date | None
    report_preparer_name: str
    report_preparer_position: str
    created_by: str | None
    preparers: list[SignerOut]
    approvers: list[ApproverOut]
    versions: list[VersionOut]


class InboxItemOut(Schema):
    agency: str
    memo: MemoOut
