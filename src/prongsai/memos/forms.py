"""Forms of the memo pages. Every message names its field in Thai; the lists of preparers and approvers
are formsets whose rows may be left empty (an empty row is ignored)."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from prongsai.agencies.models import Agency
from prongsai.lib import fiscal, thai
from prongsai.measures import limits
from prongsai.memos import services
from prongsai.memos.services import ApproverChoice, MemoError, SignerSpec

MAX_ROWS = 10
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")


def _messages(label: str, *, example: str = "") -> dict:
    invalid = _("%(label)s: รูปแบบไม่ถูกต้อง") % {"label": label}
    if example:
        invalid += " " + _("(เช่น %(example)s)") % {"example": example}
    return {
        "required": _("%(label)s: กรุณากรอก%(label)s") % {"label": label},
        "invalid": invalid,
        "invalid_choice": _("%(label)s: ตัวเลือกไม่ถูกต้อง") % {"label": label},
        "max_length": _("%(label)s: ยาวเกินไป (ไม่เกิน %%(limit_value)s ตัวอักษร)") % {"label": label},
    }


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class ThaiDateField(forms.DateField):
    """A date typed as ISO (the date picker), or as day/month/year where a year of 2400 or more is
    read as Buddhist era (26/06/2563 = 26 June 2020); Thai digits are accepted."""

    def to_python(self, value):
        if isinstance(value, str):
            value = thai.to_arabic(value.strip())
        day = super().to_python(value)
        if day is not None and day.year >= 2400:
            day = day.replace(year=day.year - thai.BE_OFFSET)
        return day


def paragraphs(text: str) -> list[str]:
    """A textarea's text as paragraphs: a blank line starts a new one."""
    return [p.strip() for p in _PARAGRAPH_BREAK.split(text.replace("\r\n", "\n")) if p.strip()]


class MemoForm(forms.Form):
    """The memo's own fields. `round` only when drafting a new memo."""

    round = forms.TypedChoiceField(label=gettext_lazy("รอบการรายงาน"), coerce=int)
    date = ThaiDateField(label=gettext_lazy("วันที่"), widget=DateInput())
    subject = forms.CharField(label=gettext_lazy("เรื่อง"), max_length=limits.MEMO_SUBJECT, required=False)
    addressee = forms.CharField(label=gettext_lazy("เรียน"), max_length=limits.MEMO_ADDRESSEE, required=False)
    body = forms.CharField(label=gettext_lazy("ข้อความ"), required=False, widget=forms.Textarea(attrs={"rows": 8}))
    preface_date = ThaiDateField(label=gettext_lazy("วันที่ในคำนำของรายงาน"), required=False, widget=DateInput())
    report_preparer_name = forms.CharField(label=gettext_lazy("ผู้จัดทำรายงาน (ลงชื่อท้ายรายงาน)"),
                                           max_length=limits.REPORT_PREPARER_NAME, required=False)
    report_preparer_position = forms.CharField(label=gettext_lazy("ตำแหน่งผู้จัดทำรายงาน"),
                                               max_length=limits.REPORT_PREPARER_POSITION, required=False)

    def __init__(self, *args, agency: Agency, rounds: list[int] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.agency = agency
        for name, field in self.fields.items():
            example = "2025-06-26 หรือ 26/06/2568" if "date" in name else ""
            field.error_messages.update(_messages(str(field.label), example=example))
        limits.apply_to_form(self, agency.digits)
        if rounds is None:
            del self.fields["round"]
        else:
            self.fields["round"].choices = [
                (m, _("รอบ %(months)s เดือน") % {"months": thai.digits(m, agency.digits)}) for m in rounds
            ]

    def clean_body(self):
        found = paragraphs(self.cleaned_data["body"])
        style = self.agency.digits
        if len(found) > limits.MEMO_PARAGRAPHS:
            raise forms.ValidationError(limits.too_many_paragraphs(_("ข้อความ"), limits.MEMO_PARAGRAPHS, len(found),
                                                                   style))
        for index, paragraph in enumerate(found, start=1):
            if limits.length(paragraph) > limits.MEMO_PARAGRAPH:
                label = _("ข้อความ ย่อหน้าที่ %(n)s") % {"n": thai.digits(index, style)}
                raise forms.ValidationError(limits.too_long(label, limits.MEMO_PARAGRAPH, limits.length(paragraph),
                                                            style))
        return self.cleaned_data["body"]

    def memo_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "date": data["date"], "subject": data["subject"].strip(), "addressee": data["addressee"].strip(),
            "body": paragraphs(data["body"]), "preface_date": data["preface_date"],
            "report_preparer_name": data["report_preparer_name"].strip(),
            "report_preparer_position": data["report_preparer_position"].strip(),
        }


class PreparerForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("ชื่อ-สกุล (พร้อมคำนำหน้า)"), max_length=limits.SIGNER_NAME,
                           required=False)
    rank = forms.CharField(label=gettext_lazy("ยศ (ถ้ามี)"), max_length=limits.SIGNER_RANK, required=False)
    position = forms.CharField(label=gettext_lazy("ตำแหน่ง"), max_length=limits.SIGNER_POSITION, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limits.apply_to_form(self)

    def clean(self):
        data = super().clean()
        if any((data.get(k) or "").strip() for k in ("name", "rank", "position")):
            if not (data.get("name") or "").strip():
                self.add_error("name", _("ชื่อ-สกุล: กรุณากรอกชื่อ-สกุลของผู้เสนอ"))
            if not (data.get("position") or "").strip():
                self.add_error("position", _("ตำแหน่ง: กรุณากรอกตำแหน่งของผู้เสนอ"))
        return data

    def spec(self) -> SignerSpec | None:
        data = self.cleaned_data
        if not (data.get("name") or "").strip():
            return None
        return SignerSpec(name=data["name"].strip(), rank=data["rank"].strip(), position=data["position"].strip())


class ApproverForm(forms.Form):
    user = forms.TypedChoiceField(label=gettext_lazy("ผู้บังคับบัญชา"), coerce=int, required=False, empty_value=None)
    position = forms.CharField(label=gettext_lazy("ตำแหน่ง (ถ้าไม่ระบุ ใช้ตำแหน่งในรายชื่อบุคลากร)"),
                               max_length=limits.SIGNER_POSITION, required=False)

    def __init__(self, *args, agency: Agency, members: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.agency = agency
        self.members = members
        limits.apply_to_form(self, agency.digits)
        self.fields["user"].choices = [("", _("— ไม่ระบุ —"))] + [
            (pk, label) for pk, (_user, label) in members.items()
        ]
        self.fields["user"].error_messages["invalid_choice"] = _(
            "ผู้บังคับบัญชา: ผู้ที่เลือกไม่ได้มีบทบาทผู้บังคับบัญชาในหน่วยงานนี้")

    def clean(self):
        data = super().clean()
        if data.get("user"):
            try:
                services.approver_identity(self.agency, self.choice())
            except MemoError as exc:
                self.add_error("position", str(exc))
        elif (data.get("position") or "").strip():
            self.add_error("user", _("ผู้บังคับบัญชา: กรุณาเลือกผู้บังคับบัญชาของตำแหน่งนี้"))
        return data

    def choice(self) -> ApproverChoice | None:
        pk = self.cleaned_data.get("user")
        if not pk:
            return None
        return ApproverChoice(user=self.members[pk][0], position=(self.cleaned_data.get("position") or "").strip())


class _RowsFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        if self.total_form_count() > MAX_ROWS:
            raise forms.ValidationError(_("รายชื่อ: ระบุได้ไม่เกิน %(max)s คน") % {"max": MAX_ROWS})


class _ApproverFormSet(_RowsFormSet):
    def __init__(self, *args, agency: Agency, **kwargs):
        self.agency = agency
        self.members = {
            m.user_id: (m.user, _member_label(m)) for m in services.approver_members(agency)
        }
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {"agency": self.agency, "members": self.members}

    def clean(self):
        super().clean()
        seen = set()
        for form in self.forms:
            choice = form.choice() if hasattr(form, "cleaned_data") else None
            if choice is None:
                continue
            if choice.user.pk in seen:
                form.add_error("user", _("ผู้บังคับบัญชา: เลือก %(name)s ซ้ำกัน แต่ละคนลงนามได้ครั้งเดียว")
                               % {"name": services.display_name(choice.user)})
            seen.add(choice.user.pk)

    def choices(self) -> list[ApproverChoice]:
        return [c for c in (form.choice() for form in self.forms) if c is not None]


class _PreparerFormSet(_RowsFormSet):
    def specs(self) -> list[SignerSpec]:
        return [s for s in (form.spec() for form in self.forms) if s is not None]


def _member_label(membership) -> str:
    person = membership.person
    name = services.display_name(membership.user)
    if person is not None:
        return f"{person.name} ({person.position})" if person.position else person.name
    return name


def approver_formset(*, agency: Agency, data=None, initial: list[dict] | None = None, prefix: str = "approvers"):
    initial = initial or []
    cls = forms.formset_factory(ApproverForm, formset=_ApproverFormSet, extra=max(2, 5 - len(initial)),
                                max_num=MAX_ROWS, absolute_max=MAX_ROWS)
    return cls(data, initial=initial, prefix=prefix, agency=agency)


def preparer_formset(*, data=None, initial: list[dict] | None = None, prefix: str = "preparers"):
    initial = initial or []
    cls = forms.formset_factory(PreparerForm, formset=_PreparerFormSet, extra=max(1, 2 - len(initial)),
                                max_num=MAX_ROWS, absolute_max=MAX_ROWS)
    return cls(data, initial=initial, prefix=prefix)


def approver_initial(choices: list[ApproverChoice]) -> list[dict]:
    return [{"user": c.user.pk, "position": c.position} for c in choices]


def preparer_initial(specs: list[SignerSpec]) -> list[dict]:
    return [{"name": s.name, "rank": s.rank, "position": s.position} for s in specs]


class SignForm(forms.Form):
    comment = forms.CharField(label=gettext_lazy("ความเห็น"), max_length=limits.SIGNER_COMMENT,
                              widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["comment"].error_messages.update(
            _messages(_("ความเห็น")) | {"required": _("ความเห็น: กรุณากรอกความเห็นก่อนลงนาม (เช่น ทราบ หรือ เห็นชอบ)")})
        limits.apply_to_form(self)


class ReturnForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("เหตุผลที่ส่งกลับ"), max_length=limits.RETURN_REASON,
                             widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].error_messages.update(
            _messages(_("เหตุผลที่ส่งกลับ")) | {"required": _("เหตุผลที่ส่งกลับ: กรุณากรอกเหตุผลที่ส่งกลับให้แก้ไข")})
        limits.apply_to_form(self)


def available_rounds(plan) -> list[int]:
    """The rounds (3, 6, 9, 12) of the year that have no memo yet."""
    taken = set(plan.memos.values_list("round", flat=True))
    return [m for m in fiscal.ROUNDS if m not in taken]
