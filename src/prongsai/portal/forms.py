from django import forms
from django.utils.translation import gettext_lazy as _


class VerifyForm(forms.Form):
    sha256 = forms.RegexField(label=_("ค่า SHA-256 ของเอกสาร"), regex=r"^\s*[0-9a-fA-F]{64}\s*$", required=False,
                              error_messages={"invalid": _("ค่า SHA-256 ต้องเป็นตัวอักษร 0-9 และ a-f จำนวน 64 ตัว")})
    file = forms.FileField(label=_("หรือเลือกไฟล์ที่ได้รับมา"), required=False)

    def clean(self):
        data = super().clean()
        if not data.get("sha256") and not data.get("file") and not self.errors:
            raise forms.ValidationError(_("กรุณาระบุค่า SHA-256 หรือเลือกไฟล์"))
        return data


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("ชื่อเรื่อง"), max_length=300)
    slug = forms.SlugField(label=_("ชื่อในลิงก์ (a-z 0-9 -)"), max_length=80,
                           help_text=_("เช่น manual-service; ใช้ชื่อเดิมเพื่อเผยแพร่ฉบับใหม่ของเอกสารเดิม"))
    fiscal_year = forms.IntegerField(label=_("ปีงบประมาณ (พ.ศ.)"), required=False, min_value=2500, max_value=2700)
    summary = forms.CharField(label=_("สรุปสั้น ๆ"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    file = forms.FileField(label=_("ไฟล์"))
