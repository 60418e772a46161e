"""An agency's ITA result for one assessment year, as the NACC announced it."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from prongsai.agencies.models import Agency

SCORE = {
    "max_digits": 5,
    "decimal_places": 2,
    "validators": [MinValueValidator(0), MaxValueValidator(100)],
}


class ITAResult(models.Model):
    """Scores of one ITA year (BE). Parts are the weighted IIT/EIT/OIT contributions the NACC
    publishes (e.g. IIT 28.04 + EIT 30.00 + OIT 40.00 = 98.04). Any of them may be unknown."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="ita_results")
    year = models.PositiveIntegerField(_("ปีที่ประเมิน (พ.ศ.)"))
    total = models.DecimalField(_("คะแนนรวม"), null=True, blank=True, **SCORE)
    iit = models.DecimalField(_("IIT (ถ่วงน้ำหนัก)"), null=True, blank=True, **SCORE)
    eit = models.DecimalField(_("EIT (ถ่วงน้ำหนัก)"), null=True, blank=True, **SCORE)
    oit = models.DecimalField(_("OIT (ถ่วงน้ำหนัก)"), null=True, blank=True, **SCORE)
    grade = models.CharField(_("ระดับผลการประเมิน"), max_length=30, blank=True)
    note = models.TextField(_("หมายเหตุ/ที่มา"), blank=True)
    # What counts, stored so that oversight can aggregate it in SQL (kept right by
    # assessments.services.recompute_totals on every score write and catalogue move): the given figure,
    # else the one computed from the indicator scores by the catalogue of (year, agency family).
    final_total = models.DecimalField(_("คะแนนรวมที่ใช้"), null=True, blank=True, **SCORE)
    final_iit = models.DecimalField(_("IIT ที่ใช้"), null=True, blank=True, **SCORE)
    final_eit = models.DecimalField(_("EIT ที่ใช้"), null=True, blank=True, **SCORE)
    final_oit = models.DecimalField(_("OIT ที่ใช้"), null=True, blank=True, **SCORE)
    rating = models.CharField(_("ระดับที่ใช้"), max_length=30, blank=True)
    passed = models.BooleanField(_("ผ่านเกณฑ์"), null=True, blank=True)
    mismatches = models.JSONField(_("ตัวเลขที่ไม่ตรงกับที่คำนวณได้"), default=list, blank=True)
    catalogue_version = models.PositiveIntegerField(_("ฉบับของเกณฑ์ที่ใช้คำนวณ"), null=True, blank=True)
    computed_at = models.DateTimeField(_("คำนวณเมื่อ"), null=True, blank=True)

    class Meta:
        ordering = ["agency", "year"]
        constraints = [models.UniqueConstraint(fields=["agency", "year"], name="unique_ita_result_year")]
        indexes = [models.Index(fields=["year", "final_total"], name="ita_result_year_total")]
        verbose_name = _("ผลการประเมิน ITA")
        verbose_name_plural = _("ผลการประเมิน ITA")

    def __str__(self) -> str:
        return f"{self.agency} ITA {self.year}"


class IndicatorScore(models.Model):
    result = models.ForeignKey(ITAResult, on_delete=models.CASCADE, related_name="scores")
    indicator = models.PositiveSmallIntegerField(_("ตัวชี้วัดที่"))
    score = models.DecimalField(_("คะแนน"), **SCORE)

    class Meta:
        ordering = ["result", "indicator"]
        constraints = [
            models.UniqueConstraint(fields=["result", "indicator"], name="unique_indicator_score"),
        ]
        verbose_name = _("คะแนนรายตัวชี้วัด")
        verbose_name_plural = _("คะแนนรายตัวชี้วัด")

    def __str__(self) -> str:
        return f"{self.result} #{self.indicator}: {self.score}"
