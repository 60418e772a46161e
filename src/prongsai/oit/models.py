"""An agency's answers to the year's OIT checklist (แบบตรวจการเปิดเผยข้อมูลสาธารณะ) and the history of
checking the URLs it gives. Item codes and titles come from the year's framework file, not from here."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from prongsai.agencies.models import Agency


class OITAnswer(models.Model):
    """What the agency answers in ITAS for one item: มี/ไม่มี, the URLs and the explanation."""

    class Source(models.TextChoices):
        MANUAL = "manual", _("กรอกเอง")
        AUTO = "auto", _("ระบบเติมให้")

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="oit_answers")
    fiscal_year = models.PositiveIntegerField(_("ปีงบประมาณ (พ.ศ.)"))
    code = models.CharField(_("ข้อ"), max_length=10)
    # None: not answered yet; True: มี; False: ไม่มี
    has = models.BooleanField(_("มี/ไม่มี"), null=True, blank=True)
    urls = models.JSONField(_("ลิงก์ (URL)"), default=list, blank=True)
    explanation = models.TextField(_("คำอธิบายเพิ่มเติม"), blank=True)
    source = models.CharField(_("ที่มา"), max_length=10, choices=Source.choices, default=Source.MANUAL)
    carried_from = models.CharField(
        _("ยกมาจากข้อของปีก่อน"), max_length=10, blank=True,
        help_text=_("รหัสข้อของปีก่อนเมื่อคำตอบถูกยกมา"),
    )
    # Set when the answer came over from another year or catalogue version (rollover, version move):
    # its URLs are kept but must be checked, until someone saves the answer again.
    to_check = models.BooleanField(_("ต้องตรวจสอบ"), default=False)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    updated_at = models.DateTimeField(_("แก้ไขล่าสุด"), auto_now=True)

    class Meta:
        ordering = ["agency", "fiscal_year", "id"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "fiscal_year", "code"], name="unique_oit_answer"),
        ]
        verbose_name = _("คำตอบ OIT")
        verbose_name_plural = _("คำตอบ OIT")

    def __str__(self) -> str:
        return f"{self.agency} {self.fiscal_year} {self.code}"

    @property
    def disclosed(self) -> bool:
        """Counts in the self-score: answered มี and gave at least one URL."""
        return bool(self.has) and bool(self.urls)


class LinkCheck(models.Model):
    """One fetch of one URL of an answer (`prongsai check-links`)."""

    class Status(models.TextChoices):
        OK = "ok", _("ใช้งานได้")
        BROKEN = "broken", _("เสีย")
        MOVED = "moved", _("ย้ายที่อยู่")
        SLOW = "slow", _("ช้า")
        STALE = "stale", _("ไม่เป็นปัจจุบัน (ไม่ใช่ปีงบประมาณนี้)")

    answer = models.ForeignKey(OITAnswer, on_delete=models.CASCADE, related_name="checks")
    url = models.CharField(_("ลิงก์"), max_length=2000)
    checked_at = models.DateTimeField(_("ตรวจเมื่อ"), db_index=True)
    status = models.CharField(_("สถานะ"), max_length=10, choices=Status.choices)
    http_status = models.PositiveSmallIntegerField(_("รหัส HTTP"), null=True, blank=True)
    final_url = models.CharField(_("ที่อยู่ปลายทาง"), max_length=2000, blank=True)
    redirects = models.PositiveSmallIntegerField(_("จำนวนการเปลี่ยนเส้นทาง"), default=0)
    content_type = models.CharField(_("ชนิดเนื้อหา"), max_length=200, blank=True)
    size = models.PositiveBigIntegerField(_("ขนาด (ไบต์)"), null=True, blank=True)
    truncated = models.BooleanField(_("อ่านไม่ครบ (เกินขนาดที่กำหนด)"), default=False)
    elapsed_ms = models.PositiveIntegerField(_("เวลาที่ใช้ (มิลลิวินาที)"), null=True, blank=True)
    page_date = models.DateField(_("วันที่ล่าสุดที่พบในหน้า"), null=True, blank=True)
    detail = models.CharField(_("รายละเอียด"), max_length=500, blank=True)

    class Meta:
        ordering = ["-checked_at", "-id"]
        verbose_name = _("ผลการตรวจลิงก์")
        verbose_name_plural = _("ผลการตรวจลิงก์")

    def __str__(self) -> str:
        return f"{self.url} {self.status}"
