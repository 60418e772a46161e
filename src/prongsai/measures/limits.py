"""The longest text each field of a year's documents takes: the one source of the numbers that the models,
the forms, the API schemas and the year file's schema (yearfile/schema.json) enforce alike
(measures/tests/test_limits.py checks that they agree). docs/year-file.md lists them with the reasons.

Lengths are counted in characters (Unicode code points, as PostgreSQL counts a varchar): a Thai vowel or
tone mark is one character, as in Word's count. A line break typed in a browser counts as one character
(a textarea sends it as CR LF).

    limits.check({"details": text}, limits.RESULT)   # {"details": "รายละเอียดการดำเนินงาน: ยาวเกินไป ..."}
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from prongsai.lib import thai

# --- measures (the measures table: ตัวชี้วัด/มาตรการ, แนวทาง, ขั้นตอน, ผู้รับผิดชอบ, การกำกับติดตาม) -------------
MEASURE_TITLE = 300          # one heading-like line per measure; the longest seen is ~200
MEASURE_GUIDELINE = 5_000    # a list of practices: a few hundred characters in real plans
MEASURE_STEPS = 5_000
MEASURE_RESPONSIBLE = 1_000  # units and people, as written
MEASURE_MONITORING = 300     # one phrase, often the same for every measure
# --- round results (the results table) ----------------------------------------------------------------
RESULT_LABEL = 300           # the row's name in the results table: a measure title by default
RESULT_DETAILS = 10_000      # what was done: the long cell; 10,000 characters are ~15 pages of that column
RESULT_PERIOD = 300
RESULT_OUTPUTS = 5_000
RESULT_OUTCOMES = 5_000
RESULT_REMARKS = 2_000
EVIDENCE_TITLE = 300
EVIDENCE_URL = 2_000         # a Thai file name percent-encoded takes 9 characters a letter
# --- memos (บันทึกข้อความ) ------------------------------------------------------------------------------
MEMO_SUBJECT = 500           # เรื่อง: one or two lines in practice; the DOCX core properties take a shortened one
MEMO_ADDRESSEE = 300         # เรียน, with its "ผ่าน ..." chain
MEMO_PARAGRAPH = 3_000       # one paragraph of the memo's body: about a page
MEMO_PARAGRAPHS = 20         # paragraphs in the body
SIGNER_NAME = 200            # = agencies.Person.name
SIGNER_RANK = 50
SIGNER_POSITION = 200        # = agencies.Person.position
SIGNER_COMMENT = 2_000       # ความเห็นผู้บังคับบัญชา
RETURN_REASON = 2_000
REPORT_PREPARER_NAME = 200
REPORT_PREPARER_POSITION = 200

# The limit of each form/service field, with the Thai label its message names.
MEASURE = {
    "title": (MEASURE_TITLE, gettext_lazy("ตัวชี้วัด/มาตรการ")),
    "guideline": (MEASURE_GUIDELINE, gettext_lazy("แนวทางการปฏิบัติ")),
    "steps": (MEASURE_STEPS, gettext_lazy("ขั้นตอน/วิธีการปฏิบัติ")),
    "responsible": (MEASURE_RESPONSIBLE, gettext_lazy("ผู้รับผิดชอบ")),
    "monitoring": (MEASURE_MONITORING, gettext_lazy("การกำกับติดตาม")),
}
RESULT = {
    "label": (RESULT_LABEL, gettext_lazy("ชื่อในตารางผล")),
    "details": (RESULT_DETAILS, gettext_lazy("รายละเอียดการดำเนินงาน")),
    "period": (RESULT_PERIOD, gettext_lazy("ระยะเวลาการดำเนินงาน")),
    "outputs": (RESULT_OUTPUTS, gettext_lazy("ผลผลิต")),
    "outcomes": (RESULT_OUTCOMES, gettext_lazy("ผลลัพธ์")),
    "remarks": (RESULT_REMARKS, gettext_lazy("หมายเหตุ")),
}
EVIDENCE = {
    "title": (EVIDENCE_TITLE, gettext_lazy("ชื่อหลักฐาน")),
    "url": (EVIDENCE_URL, gettext_lazy("ลิงก์")),
}
MEMO = {
    "subject": (MEMO_SUBJECT, gettext_lazy("เรื่อง")),
    "addressee": (MEMO_ADDRESSEE, gettext_lazy("เรียน")),
    "report_preparer_name": (REPORT_PREPARER_NAME, gettext_lazy("ผู้จัดทำรายงาน")),
    "report_preparer_position": (REPORT_PREPARER_POSITION, gettext_lazy("ตำแหน่งผู้จัดทำรายงาน")),
}
SIGNER = {
    "name": (SIGNER_NAME, gettext_lazy("ชื่อ-สกุล")),
    "rank": (SIGNER_RANK, gettext_lazy("ยศ")),
    "position": (SIGNER_POSITION, gettext_lazy("ตำแหน่ง")),
}

# The year file's schema: the JSON pointer of each limited string in schema.json and its limit
# ("maxLength"), and of each limited list ("maxItems"). schema.py applies them when it loads the schema.
YEAR_FILE_MAX_LENGTH = {
    "/$defs/measure/properties/title": MEASURE_TITLE,
    "/$defs/measure/properties/guideline": MEASURE_GUIDELINE,
    "/$defs/measure/properties/steps": MEASURE_STEPS,
    "/$defs/measure/properties/responsible": MEASURE_RESPONSIBLE,
    "/$defs/measure/properties/monitoring": MEASURE_MONITORING,
    "/$defs/result/properties/label": RESULT_LABEL,
    "/$defs/result/properties/details": RESULT_DETAILS,
    "/$defs/result/properties/period": RESULT_PERIOD,
    "/$defs/result/properties/outputs": RESULT_OUTPUTS,
    "/$defs/result/properties/outcomes": RESULT_OUTCOMES,
    "/$defs/result/properties/remarks": RESULT_REMARKS,
    "/$defs/evidence/properties/title": EVIDENCE_TITLE,
    "/$defs/evidence/properties/url": EVIDENCE_URL,
    "/$defs/memo/properties/subject": MEMO_SUBJECT,
    "/$defs/memo/properties/addressee": MEMO_ADDRESSEE,
    "/$defs/memo/properties/body/items": MEMO_PARAGRAPH,
    "/$defs/signer/properties/name": SIGNER_NAME,
    "/$defs/signer/properties/rank": SIGNER_RANK,
    "/$defs/signer/properties/position": SIGNER_POSITION,
    "/$defs/signer/properties/comment": SIGNER_COMMENT,
    "/$defs/report/properties/preparer/properties/name": REPORT_PREPARER_NAME,
    "/$defs/report/properties/preparer/properties/position": REPORT_PREPARER_POSITION,
}
YEAR_FILE_MAX_ITEMS = {
    "/$defs/memo/properties/body": MEMO_PARAGRAPHS,
}


def length(value) -> int:
    """The length the limits count: characters, a CR LF line break as one."""
    return len(str(value or "").replace("\r\n", "\n"))


def too_long(label, limit: int, size: int, style: str = thai.THAI) -> str:
    """The Thai message for a text over its limit, naming the field, with the numbers in the agency's digits."""
    return _("%(label)s: ยาวเกินไป (%(size)s ตัวอักษร) ยาวได้ไม่เกิน %(limit)s ตัวอักษร") % {
        "label": label, "size": thai.format_number(size, style), "limit": thai.format_number(limit, style)}


def too_many_paragraphs(label, limit: int, size: int, style: str = thai.THAI) -> str:
    return _("%(label)s: มีย่อหน้ามากเกินไป (%(size)s ย่อหน้า) มีได้ไม่เกิน %(limit)s ย่อหน้า") % {
        "label": label, "size": thai.format_number(size, style), "limit": thai.format_number(limit, style)}


def check(values: dict, fields: dict, style: str = thai.THAI) -> dict[str, str]:
    """{field: message} for each of `values` longer than its limit in `fields` ({field: (limit, label)})."""
    errors = {}
    for name, (limit, label) in fields.items():
        if name in values and length(values[name]) > limit:
            errors[name] = too_long(label, limit, length(values[name]), style)
    return errors


def require(values: dict, fields: dict, style: str = thai.THAI) -> None:
    """Raise ValidationError({field: message}) when any of `values` is over its limit (the services' check)."""
    errors = check(values, fields, style)
    if errors:
        raise ValidationError(errors)


class TextLimit(MaxLengthValidator):
    """A form field's length check whose message names the field and gives the numbers in Thai digits
    (Django's own says "Ensure this value has at most N characters")."""

    def __init__(self, limit: int, label, style: str = thai.THAI):
        super().__init__(limit)
        self.label, self.style = label, style

    def clean(self, x) -> int:
        return length(x)

    def __call__(self, value):
        size = self.clean(value)
        if size > self.limit_value:
            # Not code "max_length": a form's error_messages["max_length"] would replace this message.
            raise ValidationError(too_long(self.label, self.limit_value, size, self.style), code="too_long",
                                  params={"limit_value": self.limit_value, "show_value": size, "value": value})


def apply_to_form(form, style: str = thai.THAI) -> None:
    """Give every field of `form` that has a max_length a TextLimit (in place of Django's check), with the
    field's label in the message. The HTML maxlength attribute stays, so a browser stops typing there."""
    for field in form.fields.values():
        limit = getattr(field, "max_length", None)
        if not limit:
            continue
        field.validators = [v for v in field.validators if not isinstance(v, MaxLengthValidator)]
        field.validators.append(TextLimit(limit, field.label, style))
