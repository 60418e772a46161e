"""Forms of the complaint pages. Every error message names its field, in Thai."""

from __future__ import annotations

import re
import secrets

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from prongsai.complaints.models import Complaint, ComplaintSettings
from prongsai.lib import thai

ACCEPT = ".pdf,.png,.jpg,.jpeg,.docx,.xlsx,application/pdf,image/png,image/jpeg"
ANONYMOUS, CONFIDENTIAL = "anonymous", "confidential"
IDENTITY_FIELDS = ("name", "citizen_id", "phone", "email", "address")


def valid_citizen_id(digits: str) -> bool:
    """The 13th digit of a Thai citizen ID is a check digit over the first twelve."""
    if not re.fullmatch(r"\d{13}", digits):
        return False
    total = sum(int(d) * (13 - i) for i, d in enumerate(digits[:12]))
    return (11 - total % 11) % 10 == int(digits[12])


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        items = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        return [super(MultipleFileField, self).clean(item, initial) for item in items]


class ComplaintForm(forms.Form):
    category = forms.ChoiceField(
        label=_("เรื่องที่ร้องเรียนเกี่ยวกับอะไร"), choices=Complaint.Category.choices, widget=forms.RadioSelect,
        error_messages={"required": _("ประเภทเรื่อง: กรุณาเลือกว่าเรื่องเกี่ยวกับอะไร"),
                        "invalid_choice": _("ประเภทเรื่อง: กรุณาเลือกจากรายการ")})
    what = forms.CharField(
        label=_("เกิดอะไรขึ้น"), max_length=10_000, widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("เล่าตามที่ท่านรู้ ใช้ภาษาของท่านเองได้ ไม่ต้องเป็นภาษาราชการ"),
        error_messages={"required": _("เกิดอะไรขึ้น: กรุณาเล่าเรื่องที่ต้องการร้องเรียน"),
                        "max_length": _("เกิดอะไรขึ้น: ยาวเกิน %(limit_value)d ตัวอักษร")})
    when = forms.CharField(label=_("เกิดขึ้นเมื่อไร"), max_length=300, required=False,
                           help_text=_("เช่น ประมาณเดือนมีนาคม 2568"),
                           error_messages={"max_length": _("เกิดขึ้นเมื่อไร: ยาวเกิน %(limit_value)d ตัวอักษร")})
    where = forms.CharField(label=_("เกิดขึ้นที่ไหน"), max_length=300, required=False,
                            error_messages={"max_length": _("เกิดขึ้นที่ไหน: ยาวเกิน %(limit_value)d ตัวอักษร")})
    who = forms.CharField(label=_("ใครเกี่ยวข้อง"), max_length=2_000, required=False,
                          widget=forms.Textarea(attrs={"rows": 3}),
                          help_text=_("ชื่อหรือตำแหน่งของผู้ที่เกี่ยวข้อง ถ้าทราบ"),
                          error_messages={"max_length": _("ใครเกี่ยวข้อง: ยาวเกิน %(limit_value)d ตัวอักษร")})
    files = MultipleFileField(label=_("ไฟล์หลักฐาน"),
                              help_text=_("PDF รูปภาพ (PNG, JPEG) Word หรือ Excel ไม่เกิน 5 ไฟล์ ไฟล์ละไม่เกิน 10 MB"))
    anonymity = forms.ChoiceField(
        label=_("ท่านต้องการบอกชื่อหรือไม่"), widget=forms.RadioSelect, initial=ANONYMOUS,
        choices=[(ANONYMOUS, _("ไม่บอกชื่อ (ร้องเรียนโดยไม่ระบุตัวตน)")),
                 (CONFIDENTIAL, _("บอกชื่อและช่องทางติดต่อ โดยให้เก็บเป็นความลับ"))],
        error_messages={"required": _("การบอกชื่อ: กรุณาเลือกว่าจะบอกชื่อหรือไม่")})
    name = forms.CharField(label=_("ชื่อ-นามสกุล"), max_length=200, required=False,
                           error_messages={"max_length": _("ชื่อ-นามสกุล: ยาวเกิน %(limit_value)d ตัวอักษร")})
    citizen_id = forms.CharField(label=_("เลขประจำตัวประชาชน 13 หลัก"), max_length=30, required=False,
                                 widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
    phone = forms.CharField(label=_("หมายเลขโทรศัพท์"), max_length=30, required=False,
                            widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}))
    email = forms.EmailField(label=_("อีเมล"), max_length=200, required=False,
                             error_messages={"invalid": _("อีเมล: รูปแบบอีเมลไม่ถูกต้อง")})
    address = forms.CharField(label=_("ที่อยู่ที่ติดต่อได้"), max_length=500, required=False,
                              widget=forms.Textarea(attrs={"rows": 2}),
                              error_messages={"max_length": _("ที่อยู่: ยาวเกิน %(limit_value)d ตัวอักษร")})

    def clean_citizen_id(self) -> str:
        raw = self.cleaned_data.get("citizen_id", "")
        digits = re.sub(r"[\s-]", "", thai.to_arabic(raw))
        if not digits:
            return ""
        if not valid_citizen_id(digits):
            raise forms.ValidationError(_("เลขประจำตัวประชาชน: ต้องเป็นตัวเลข 13 หลักที่ถูกต้อง "
                                          "(ตรวจเลขหลักสุดท้ายแล้วไม่ตรง กรุณาตรวจอีกครั้ง)"))
        return digits

    def clean_phone(self) -> str:
        raw = thai.to_arabic(self.cleaned_data.get("phone", "")).strip()
        if raw and (not re.fullmatch(r"[0-9+\-\s()]+", raw) or not 9 <= len(re.sub(r"\D", "", raw)) <= 15):
            raise forms.ValidationError(_("หมายเลขโทรศัพท์: กรุณากรอกเป็นตัวเลข 9–10 หลัก เช่น 081-234-5678"))
        return raw

    def clean(self):
        data = super().clean()
        filled = [name for name in IDENTITY_FIELDS if data.get(name)]
        if data.get("anonymity") == CONFIDENTIAL and not data.get("name"):
            self.add_error("name", _("ชื่อ-นามสกุล: กรุณากรอกชื่อ หรือเลือก “ไม่บอกชื่อ”"))
        if data.get("anonymity") == ANONYMOUS and filled:
            self.add_error("anonymity", _("การบอกชื่อ: ท่านเลือก “ไม่บอกชื่อ” แต่กรอกชื่อหรือช่องทางติดต่อไว้ "
                                          "กรุณาลบข้อมูลนั้นออก หรือเลือก “บอกชื่อและช่องทางติดต่อ”"))
        return data

    def text(self) -> dict:
        return {name: self.cleaned_data.get(name, "") for name in ("what", "when", "where", "who")}

    def identity(self) -> dict | None:
        if self.cleaned_data.get("anonymity") != CONFIDENTIAL:
            return None
        return {name: self.cleaned_data.get(name, "") for name in IDENTITY_FIELDS}


class PublicComplaintForm(ComplaintForm):
    # A field people never see (hidden by CSS and from screen readers); form-filling robots fill it in.
    homepage = forms.CharField(label=_("เว็บไซต์ (เว้นว่างไว้)"), required=False,
                               widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}))
    # One-time token of this form: sending it twice (reload, double click) makes one complaint.
    token = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("token", secrets.token_hex(16))
        super().__init__(*args, **kwargs)

    def clean_token(self) -> str:
        token = self.cleaned_data["token"]
        if not re.fullmatch(r"[0-9a-f]{32}", token):
            raise forms.ValidationError(_("แบบฟอร์มไม่สมบูรณ์ กรุณาเปิดหน้านี้ใหม่แล้วกรอกอีกครั้ง"))
        return token

    @property
    def is_robot(self) -> bool:
        return bool(self.data.get("homepage"))


class StaffComplaintForm(ComplaintForm):
    channel = forms.ChoiceField(
        label=_("ช่องทางที่รับเรื่อง"), widget=forms.RadioSelect,
        choices=[c for c in Complaint.Channel.choices if c[0] != Complaint.Channel.WEB],
        error_messages={"required": _("ช่องทาง: กรุณาเลือกช่องทางที่รับเรื่อง")})
    received_on = forms.DateField(label=_("วันที่รับเรื่อง (ค.ศ. ปี-เดือน-วัน)"),
                                  widget=forms.DateInput(attrs={"type": "date"}),
                                  error_messages={"required": _("วันที่รับเรื่อง: กรุณากรอกวันที่"),
                                                  "invalid": _("วันที่รับเรื่อง: รูปแบบวันที่ไม่ถูกต้อง")})

    field_order = ["channel", "received_on"]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("received_on", timezone.localdate())
        super().__init__(*args, **kwargs)

    def clean_received_on(self):
        value = self.cleaned_data["received_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("วันที่รับเรื่อง: ต้องไม่เป็นวันในอนาคต"))
        return value


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("รหัสติดตามเรื่อง (ตัวเลข 25 หลัก)"), max_length=80,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "autocapitalize": "off",
                                      "spellcheck": "false"}),
        error_messages={"required": _("รหัสติดตามเรื่อง: กรุณากรอกรหัสที่ได้รับตอนส่งเรื่อง")})


class ReplyForm(forms.Form):
    body = forms.CharField(label=_("ข้อความถึงเจ้าหน้าที่"), max_length=5_000, required=False,
                           widget=forms.Textarea(attrs={"rows": 5}),
                           error_messages={"max_length": _("ข้อความ: ยาวเกิน %(limit_value)d ตัวอักษร")})
    files = MultipleFileField(label=_("แนบไฟล์เพิ่ม"),
                              help_text=_("PDF รูปภาพ (PNG, JPEG) Word หรือ Excel ไม่เกิน 5 ไฟล์ ไฟล์ละไม่เกิน 10 MB"))

    def clean(self):
        data = super().clean()
        if not data.get("body") and not data.get("files") and not self.errors:
            self.add_error("body", _("ข้อความ: กรุณาพิมพ์ข้อความหรือแนบไฟล์"))
        return data


class OfficerMessageForm(ReplyForm):
    body = forms.CharField(label=_("ข้อความถึงผู้ร้อง"), max_length=5_000, required=False,
                           widget=forms.Textarea(attrs={"rows": 4}),
                           help_text=_("ผู้ร้องจะเห็นข้อความนี้เมื่อใช้รหัสติดตามเรื่อง"),
                           error_messages={"max_length": _("ข้อความ: ยาวเกิน %(limit_value)d ตัวอักษร")})


class TransitionForm(forms.Form):
    """The fields the next step needs: a message to the complainant (optional), and for a conclusion
    the outcome, the reason and, when forwarded, the body it went to."""

    message = forms.CharField(label=_("ข้อความถึงผู้ร้อง (ถ้ามี)"), max_length=5_000, required=False,
                              widget=forms.Textarea(attrs={"rows": 3}),
                              error_messages={"max_length": _("ข้อความถึงผู้ร้อง: ยาวเกิน %(limit_value)d ตัวอักษร")})

    def __init__(self, *args, target: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.target = target
        if target == Complaint.Status.ACKNOWLEDGED:
            self.fields["message"].help_text = _("ถ้าเว้นว่าง ระบบจะส่งข้อความแจ้งรับเรื่องพร้อมเลขรับให้ผู้ร้อง")
        if target == Complaint.Status.CONCLUDED:
            self.fields["outcome"] = forms.ChoiceField(
                label=_("ผลการตรวจสอบ"), choices=Complaint.Outcome.choices, widget=forms.RadioSelect,
                error_messages={"required": _("ผลการตรวจสอบ: กรุณาเลือกว่ามีมูล ไม่มีมูล หรือส่งต่อหน่วยงานอื่น")})
            self.fields["forwarded_to"] = forms.CharField(
                label=_("ส่งต่อให้หน่วยงาน (เมื่อส่งต่อ)"), max_length=200, required=False,
                help_text=_("เช่น สำนักงาน ป.ป.ช. หรือ สำนักงาน ป.ป.ท."))
            self.fields["reason"] = forms.CharField(
                label=_("เหตุผลของข้อยุติ"), max_length=5_000, widget=forms.Textarea(attrs={"rows": 3}),
                error_messages={"required": _("เหตุผล: กรุณาระบุเหตุผลของข้อยุติ")})
            self.order_fields(["outcome", "forwarded_to", "reason", "message"])


class RevealForm(forms.Form):
    reason = forms.CharField(
        label=_("เหตุผลที่ต้องเปิดดูชื่อและช่องทางติดต่อของผู้ร้อง"), max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("ระบบบันทึกเหตุผลนี้พร้อมชื่อของท่านทุกครั้งที่เปิดดู"),
        error_messages={"required": _("เหตุผลที่ต้องเปิดดูตัวตนผู้ร้อง: กรุณาระบุเหตุผล")})


class SettingsForm(forms.ModelForm):
    facebook_url = forms.URLField(label=_("เพจ Facebook ของหน่วยงาน"), required=False, assume_scheme="https",
                                  error_messages={"invalid": _("เพจ Facebook: กรุณากรอกที่อยู่เว็บ เช่น https://www.facebook.com/...")})

    class Meta:
        model = ComplaintSettings
        fields = ["acknowledge_days", "conclude_days", "retention_days", "facebook_url", "line_id",
                  "other_channels", "guideline_extra"]
        widgets = {"other_channels": forms.Textarea(attrs={"rows": 3}),
                   "guideline_extra": forms.Textarea(attrs={"rows": 6})}

    def clean(self):
        data = super().clean()
        for name in ("acknowledge_days", "conclude_days", "retention_days"):
            if data.get(name) is not None and data[name] < 1:
                self.add_error(name, _("%(label)s: ต้องไม่น้อยกว่า 1 วัน") % {
                    "label": self.fields[name].label})
        ack, conclude = data.get("acknowledge_days"), data.get("conclude_days")
        if ack and conclude and conclude < ack:
            self.add_error("conclude_days", _("กำหนดได้ข้อยุติ: ต้องไม่น้อยกว่ากำหนดแจ้งตอบรับ"))
        return data
