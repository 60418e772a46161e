from django import forms
from django.utils.translation import gettext_lazy as _

from prongsai.lib import fiscal


class UploadForm(forms.Form):
    file = forms.FileField(label=_("ไฟล์ตาราง (XLSX หรือ CSV)"))


class ResultsUploadForm(UploadForm):
    year = forms.IntegerField(label=_("ปีที่ประเมิน (พ.ศ.)"), min_value=2560, max_value=2600)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        import datetime as dt

        self.fields["year"].initial = fiscal.of_date(dt.date.today())
