"""Forms of the fiscal-year workspace. They check what a person typed and keep it on errors; the
writing is done by the services (measures.services, assessments.editing)."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.validators import URLValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from prongsai.agencies.models import Agency
from prongsai.assessments import editing
from prongsai.framework.catalogue import Framework, available_years, suggested_measures
from prongsai.lib import fiscal, thai
from prongsai.measures import limits, services
from prongsai.measures.models import RoundResult, YearPlan

TEXTAREA = forms.Textarea(attrs={"rows": 4})


class ThaiIntegerField(forms.IntegerField):
    """An integer typed with Thai or Arabic digits."""

    widget = forms.TextInput(attrs={"inputmode": "numeric"})

    def to_python(self, value):
        if isinstance(value, str):
            value = thai.to_arabic(value).strip()
        return super().to_python(value)


class ScoreField(forms.CharField):
    """A score 0–100 with at most two decimals, typed with Thai or Arabic digits; empty is None."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal", "size": 8}))
        super().__init__(**kwargs)

    def clean(self, value):
        text = super().clean(value)
        if not text:
            return None
        try:
            return editing.parse_score(text)
        except ValueError as exc:
            raise forms.ValidationError(f"{self.label}: {exc}") from None


class StartYearForm(forms.Form):
    fiscal_year = ThaiIntegerField(label=_("ปีงบประมาณ (พ.ศ.)"), min_value=2500, max_value=2700,
                                   error_messages={"invalid": _("ปีงบประมาณ: กรอกปี พ.ศ. เป็นตัวเลข เช่น ๒๕๖๘")})
    framework_year = forms.TypedChoiceField(
        label=_("ปีของเกณฑ์ ITA"), coerce=int, required=False, empty_value=None,
        help_text=_("เว้นว่างเพื่อใช้เกณฑ์ของปีงบประมาณเดียวกัน"),
    )

    from_year = forms.TypedChoiceField(
        label=_("ยกมาจากปีงบประมาณ"), coerce=int, required=False, empty_value=None,
        help_text=_("ยกมาตรการ คำตอบ OIT (ลิงก์เดิม ให้ตรวจสอบอีกครั้ง) และถ้อยคำของปีที่เลือกมาเป็นจุดเริ่มต้น "
                    "ไม่ยกผลการดำเนินงานและหลักฐาน"),
    )

    def __init__(self, *args, agency: Agency, **kwargs):
        super().__init__(*args, **kwargs)
        self.agency = agency
        years = list(YearPlan.objects.filter(agency=agency).order_by("-fiscal_year").values_list("fiscal_year", flat=True))
        self.fields["from_year"].choices = [("", _("ไม่ยกมา (เริ่มปีว่าง)"))] + [
            (y, thai.digits(y, agency.digits)) for y in years]
        if not self.is_bound and years:
            self.initial.setdefault("from_year", years[0])
        self.fields["framework_year"].choices = [("", _("ตามปีงบประมาณ"))] + [
            (y, thai.digits(y, agency.digits)) for y in available_years()]
        if not self.is_bound:
            self.initial.setdefault("fiscal_year", fiscal.of_date(timezone.localdate()))

    def clean(self):
        data = super().clean()
        year = data.get("fiscal_year")
        if year is None:
            return data
        if YearPlan.objects.filter(agency=self.agency, fiscal_year=year).exists():
            self.add_error("fiscal_year", _("ปีงบประมาณ: หน่วยงานมีปี %(year)s อยู่แล้ว") % {"year": year})
        from_year = data.get("from_year")
        if from_year is not None and from_year >= year:
            self.add_error("from_year", _("ยกมาจากปี: ต้องเป็นปีก่อนปี %(year)s") % {"year": year})
        return data


def round_choices(plan: YearPlan) -> list[tuple[int, str]]:
    return [(m, fiscal.round_of(plan.fiscal_year, m).title(plan.agency.digits)) for m in fiscal.ROUNDS]


class MeasureForm(forms.Form):
    title = forms.CharField(label=_("ตัวชี้วัด/มาตรการ"), max_length=limits.MEASURE_TITLE)
    indicator = forms.TypedChoiceField(label=_("ตัวชี้วัดที่ (ตามเกณฑ์ ITA)"), coerce=int, required=False,
                                       empty_value=None)
    guideline = forms.CharField(label=_("แนวทางการปฏิบัติ"), widget=TEXTAREA, required=False,
                                max_length=limits.MEASURE_GUIDELINE)
    steps = forms.CharField(label=_("ขั้นตอน/วิธีการปฏิบัติ"), widget=TEXTAREA, required=False,
                            max_length=limits.MEASURE_STEPS)
    responsible = forms.CharField(label=_("ผู้รับผิดชอบ"), widget=forms.Textarea(attrs={"rows": 2}), required=False,
                                  max_length=limits.MEASURE_RESPONSIBLE)
    units = forms.ModelMultipleChoiceField(label=_("ส่วนราชการที่รับผิดชอบ (สำหรับการแจ้งเตือน)"), queryset=None,
                                           widget=forms.CheckboxSelectMultiple, required=False)
    monitoring = forms.CharField(label=_("การกำกับติดตาม"), max_length=limits.MEASURE_MONITORING, required=False,
                                 initial=services.DEFAULT_MONITORING)
    rounds = forms.TypedMultipleChoiceField(
        label=_("รอบการติดตาม"), coerce=int, widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("รอบการติดตาม: เลือกอย่างน้อยหนึ่งรอบ")},
    )

    def __init__(self, *args, plan: YearPlan, framework: Framework | None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = plan.agency.units.all()
        self.fields["rounds"].choices = round_choices(plan)
        style = plan.agency.digits
        indicators = framework.indicators if framework else ()
        self.fields["indicator"].choices = [("", _("ไม่ระบุ"))] + [
            (ind.no, thai.digits(f"{ind.no}. {ind.name}", style)) for ind in indicators]
        self.fields["title"].error_messages["required"] = _("ตัวชี้วัด/มาตรการ: กรุณากรอกชื่อ")
        limits.apply_to_form(self, style)


class MoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", _("ขึ้น")), ("down", _("ลง"))])


class AdoptForm(forms.Form):
    key = forms.ChoiceField(label=_("มาตรการแนะนำ"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["key"].choices = [(s.key, s.title) for s in suggested_measures()]


class RoundResultForm(forms.ModelForm):
    class Meta:
        model = RoundResult
        fields = ["label", "details", "period", "outputs", "outcomes", "remarks"]
        widgets = {name: TEXTAREA for name in ("details", "outputs", "outcomes", "remarks")}

    def __init__(self, *args, style: str = thai.THAI, **kwargs):
        super().__init__(*args, **kwargs)
        limits.apply_to_form(self, style)


class EvidenceLinkForm(forms.Form):
    """Shown on the same page as EvidenceFileForm: its own id prefix keeps the labels unique."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "link_%s")
        super().__init__(*args, **kwargs)
        limits.apply_to_form(self)

    title = forms.CharField(label=_("ชื่อหลักฐาน"), max_length=limits.EVIDENCE_TITLE, required=False)
    url = forms.URLField(label=_("ลิงก์"), max_length=limits.EVIDENCE_URL, assume_scheme="https",
                         validators=[URLValidator(schemes=["http", "https"])],
                         error_messages={"invalid": _("ลิงก์: ต้องเป็นที่อยู่เว็บ เช่น https://www.example.go.th/file.pdf"),
                                         "required": _("ลิงก์: กรุณากรอกที่อยู่เว็บ")})


class EvidenceFileForm(forms.Form):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "file_%s")
        super().__init__(*args, **kwargs)
        limits.apply_to_form(self)

    title = forms.CharField(label=_("ชื่อหลักฐาน"), max_length=limits.EVIDENCE_TITLE, required=False,
                            help_text=_("เว้นว่างเพื่อใช้ชื่อไฟล์"))
    file = forms.FileField(label=_("ไฟล์"), error_messages={"required": _("ไฟล์: กรุณาเลือกไฟล์"),
                                                             "empty": _("ไฟล์: เป็นไฟล์ว่าง")},
                           widget=forms.ClearableFileInput(attrs={
                               "accept": ".pdf,.png,.jpg,.jpeg,.docx,.xlsx"}))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            self.kind = services.check_upload(upload)
        except forms.ValidationError as exc:
            raise forms.ValidationError(exc.message_dict["file"]) from None
        return upload


class ScoresForm(forms.Form):
    """One ITA year's published result: a field per indicator of that year's framework, the parts,
    total and grade (all optional: what is left out is computed for display, never stored)."""

    def __init__(self, *args, framework: Framework, style: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.framework = framework
        for ind in framework.indicators:
            self.fields[f"indicator_{ind.no}"] = ScoreField(
                label=thai.digits(f"ตัวชี้วัดที่ {ind.no} {ind.name} ({ind.instrument})", style))
        self.fields["iit"] = ScoreField(label=_("IIT (ถ่วงน้ำหนัก)"))
        self.fields["eit"] = ScoreField(label=_("EIT (ถ่วงน้ำหนัก)"))
        self.fields["oit"] = ScoreField(label=_("OIT (ถ่วงน้ำหนัก)"))
        self.fields["total"] = ScoreField(label=_("คะแนนรวม"))
        self.fields["grade"] = forms.ChoiceField(
            label=_("ระดับผลการประเมิน"), required=False,
            choices=[("", _("ไม่ระบุ (คำนวณจากคะแนน)"))] + [(b.label, b.label) for b in framework.bands])
        self.fields["note"] = forms.CharField(label=_("หมายเหตุ/ที่มา"), required=False,
                                              widget=forms.Textarea(attrs={"rows": 2}))

    def indicator_fields(self):
        return [self[f"indicator_{ind.no}"] for ind in self.framework.indicators]

    def part_fields(self):
        return [self[name] for name in ("iit", "eit", "oit", "total", "grade", "note")]

    def clean(self):
        data = super().clean()
        if not self.errors and all(data.get(f"indicator_{ind.no}") is None for ind in self.framework.indicators) \
                and data.get("total") is None:
            raise forms.ValidationError(_("กรุณากรอกคะแนนอย่างน้อยหนึ่งตัวชี้วัด หรือคะแนนรวม"))
        return data

    def values(self) -> dict:
        data = self.cleaned_data
        indicators: dict[int, Decimal] = {
            ind.no: data[f"indicator_{ind.no}"] for ind in self.framework.indicators
            if data.get(f"indicator_{ind.no}") is not None}
        return {"indicators": indicators, "iit": data["iit"], "eit": data["eit"], "oit": data["oit"],
                "total": data["total"], "grade": data["grade"], "note": data["note"]}

    @staticmethod
    def initial_from(result) -> dict:
        if result is None:
            return {}
        initial = {f"indicator_{s.indicator}": s.score for s in result.scores.all()}
        initial.update({name: getattr(result, name) for name in ("iit", "eit", "oit", "total")})
        initial.update(grade=result.grade, note=result.note)
        return initial


class SheetUploadForm(forms.Form):
    file = forms.FileField(label=_("ไฟล์"), error_messages={"required": _("ไฟล์: กรุณาเลือกไฟล์"),
                                                             "empty": _("ไฟล์: เป็นไฟล์ว่าง")})

    def __init__(self, *args, accept: str = ".xlsx,.csv", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = accept

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > services.max_upload_bytes():
            raise forms.ValidationError(_("ไฟล์: มีขนาดเกินที่ระบบรับได้"))
        return upload
