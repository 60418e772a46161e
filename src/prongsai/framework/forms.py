from django import forms
from django.utils.translation import gettext_lazy as _

from prongsai.framework.models import Catalogue


class ImportForm(forms.Form):
    file = forms.FileField(label=_("ไฟล์เกณฑ์ (YAML หรือ XLSX)"))
    year = forms.IntegerField(label=_("นำเข้าเป็นเกณฑ์ของปี (พ.ศ.)"), required=False, min_value=2500, max_value=2700,
                              help_text=_("เว้นว่างเพื่อใช้ปีที่ระบุในไฟล์"))
    status = forms.ChoiceField(label=_("สถานะ"), required=False,
                               choices=[("", _("ตามไฟล์"))] + list(Catalogue.Status.choices))
