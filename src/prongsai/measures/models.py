"""An agency's ITA year: its plan of measures (มาตรการ) and what was done in each round."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from prongsai.agencies.models import Agency
from prongsai.lib import fiscal
from prongsai.measures import limits


class YearPlan(models.Model):
    """One agency's fiscal year (BE): the unit the ITA year file describes."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="years")
    fiscal_year = models.PositiveIntegerField(_("ปีงบประมาณ (พ.ศ.)"))
    framework_year = models.PositiveIntegerField(_("ปีของเกณฑ์ ITA"))
    # The catalogue version the year is worked against (framework.Catalogue). Kept when newer versions
    # are imported; changed only by a version move (framework.moves), which maps the OIT answers.
    catalogue = models.ForeignKey("framework.Catalogue", on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="plans", verbose_name=_("ฉบับของเกณฑ์"))
    # The analysis of the prior year's result, when the agency states it rather than letting it be
    # computed from scores: {"based_on": 2562, "urgent": [...], "improve": [...]} (see docs/year-file.md).
    analysis = models.JSONField(_("ผลการวิเคราะห์ (กำหนดเอง)"), null=True, blank=True)
    # Wording overrides for this year only, on top of the agency's: {template key: text}.
    wording = models.JSONField(_("ถ้อยคำในเอกสาร (เฉพาะปีนี้)"), default=dict, blank=True)

    class Meta:
        ordering = ["agency", "-fiscal_year"]
        constraints = [models.UniqueConstraint(fields=["agency", "fiscal_year"], name="unique_year_plan")]
        verbose_name = _("ปีงบประมาณของหน่วยงาน")
        verbose_name_plural = _("ปีงบประมาณของหน่วยงาน")

    def __str__(self) -> str:
        return f"{self.agency} {self.fiscal_year}"

    def round(self, months: int) -> fiscal.Round:
        return fiscal.round_of(self.fiscal_year, months)


class Measure(models.Model):
    plan = models.ForeignKey(YearPlan, on_delete=models.CASCADE, related_name="measures")
    order = models.PositiveIntegerField(_("ลำดับ"))
    indicator = models.PositiveSmallIntegerField(_("ตัวชี้วัดที่"), null=True, blank=True)
    title = models.CharField(_("ตัวชี้วัด/มาตรการ"), max_length=limits.MEASURE_TITLE)
    guideline = models.TextField(_("แนวทางการปฏิบัติ"), max_length=limits.MEASURE_GUIDELINE, blank=True)
    steps = models.TextField(_("ขั้นตอน/วิธีการปฏิบัติ"), max_length=limits.MEASURE_STEPS, blank=True)
    responsible = models.TextField(_("ผู้รับผิดชอบ"), max_length=limits.MEASURE_RESPONSIBLE, blank=True)
    units = models.ManyToManyField("agencies.Unit", blank=True, related_name="measures")
    monitoring = models.CharField(
        _("การกำกับติดตาม"), max_length=limits.MEASURE_MONITORING, blank=True, default="รายงานผลการดำเนินงานตามมาตรการ"
    )
    rounds = models.JSONField(_("รอบการติดตาม (เดือน)"), default=list)

    class Meta:
        ordering = ["plan", "order"]
        constraints = [models.UniqueConstraint(fields=["plan", "order"], name="unique_measure_order")]
        verbose_name = _("มาตรการ")
        verbose_name_plural = _("มาตรการ")

    def __str__(self) -> str:
        return self.title


class RoundResult(models.Model):
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="results")
    round = models.PositiveSmallIntegerField(_("รอบ (เดือน)"), choices=[(m, m) for m in fiscal.ROUNDS])
    label = models.CharField(
        _("ชื่อในตารางผล"), max_length=limits.RESULT_LABEL, blank=True, help_text=_("เว้นว่างเพื่อใช้ชื่อมาตรการ")
    )
    details = models.TextField(_("รายละเอียดการดำเนินงาน"), max_length=limits.RESULT_DETAILS, blank=True)
    period = models.CharField(_("ระยะเวลาการดำเนินงาน"), max_length=limits.RESULT_PERIOD, blank=True)
    outputs = models.TextField(_("ผลผลิต"), max_length=limits.RESULT_OUTPUTS, blank=True)
    outcomes = models.TextField(_("ผลลัพธ์"), max_length=limits.RESULT_OUTCOMES, blank=True)
    remarks = models.TextField(_("หมายเหตุ"), max_length=limits.RESULT_REMARKS, blank=True)

    class Meta:
        ordering = ["measure", "round"]
        constraints = [models.UniqueConstraint(fields=["measure", "round"], name="unique_round_result")]
        verbose_name = _("ผลการดำเนินงานรายรอบ")
        verbose_name_plural = _("ผลการดำเนินงานรายรอบ")

    def __str__(self) -> str:
        return f"{self.measure} ({self.round})"

    @property
    def row_label(self) -> str:
        return self.label or self.measure.title


class Evidence(models.Model):
    result = models.ForeignKey(RoundResult, on_delete=models.CASCADE, related_name="evidence")
    order = models.PositiveIntegerField(default=0)
    title = models.CharField(_("ชื่อหลักฐาน"), max_length=limits.EVIDENCE_TITLE, blank=True)
    url = models.URLField(_("ลิงก์"), max_length=limits.EVIDENCE_URL, blank=True)
    file = models.FileField(_("ไฟล์"), upload_to="evidence/%Y/", blank=True)
    sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["result", "order", "id"]
        verbose_name = _("หลักฐาน")
        verbose_name_plural = _("หลักฐาน")

    def __str__(self) -> str:
        return self.title or self.url or self.file.name


class ReminderLog(models.Model):
    """One reminder e-mail sent to one address on one day (`prongsai send_reminders`): a rerun on
    the same day skips the addresses listed here, so nobody gets the same day's reminder twice."""

    sent_on = models.DateField(_("วันที่ส่ง"))
    email = models.EmailField(_("อีเมล"))
    items = models.PositiveIntegerField(_("จำนวนรายการ"))
    created_at = models.DateTimeField(_("เวลาที่ส่ง"), auto_now_add=True)

    class Meta:
        ordering = ["-sent_on", "email"]
        constraints = [models.UniqueConstraint(fields=["sent_on", "email"], name="unique_reminder_per_day")]
        verbose_name = _("บันทึกการส่งอีเมลแจ้งเตือน")
        verbose_name_plural = _("บันทึกการส่งอีเมลแจ้งเตือน")

    def __str__(self) -> str:
        return f"{self.sent_on} {self.email}"
