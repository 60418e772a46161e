"""The form for one OIT item's answer; services.save_answer does the writing."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

HAS_CHOICES = [("yes", _("มี")), ("no", _("ไม่มี")), ("", _("ยังไม่ตอบ"))]
_URL = URLValidator(schemes=["http", "https"])


class AnswerForm(forms.Form):
    has = forms.ChoiceField(label=_("การเปิดเผยข้อมูล"), choices=HAS_CHOICES, required=False,
                            widget=forms.RadioSelect)
    urls = forms.CharField(label=_("ลิงก์ (URL) บรรทัดละหนึ่งลิงก์"), required=False,
                           widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}))
    explanation = forms.CharField(label=_("คำอธิบายเพิ่มเติมสำหรับผู้ประเมิน"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 4}))

    def clean_has(self) -> bool | None:
        return {"yes": True, "no": False}.get(self.cleaned_data.get("has") or "")

    def clean_urls(self) -> list[str]:
        urls = [line.strip() for line in (self.cleaned_data.get("urls") or "").splitlines() if line.strip()]
        for url in urls:
            try:
                _URL(url)
            except ValidationError:
                raise ValidationError(_("“%(url)s” ไม่ใช่ลิงก์ที่ขึ้นต้นด้วย http:// หรือ https://"),
                                      params={"url": url}) from None
        return urls

    @classmethod
    def initial_for(cls, answer) -> dict:
        if answer is None:
            return {}
        return {"has": {True: "yes", False: "no"}.get(answer.has, ""), "urls": "\n".join(answer.urls),
                "explanation": answer.explanation}
