"""The ITA catalogues the install maintains: one row per (fiscal year, family, version).

A catalogue's `data` is the year-file format of docs/framework.md. A row is never rewritten once an
agency's year, score or answer points at it: a change is a new version (services.import_catalogue).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Catalogue(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("ร่าง")
        PROVISIONAL = "provisional", _("ชั่วคราว")
        CONFIRMED = "confirmed", _("ยืนยันแล้ว")

    class Origin(models.TextChoices):
        SHIPPED = "shipped", _("มากับโปรแกรม")
        IMPORTED = "imported", _("นำเข้า")

    class Family(models.TextChoices):
        GENERAL = "general", _("หน่วยงานทั่วไปและองค์กรปกครองส่วนท้องถิ่น")
        OBEC = "obec", _("สถานศึกษาสังกัด สพฐ.")
        OVEC = "ovec", _("สถานศึกษาสังกัด สอศ.")
        MOPH = "moph", _("หน่วยงานสังกัดกระทรวงสาธารณสุข (MOIT)")

    fiscal_year = models.PositiveIntegerField(_("ปีของเกณฑ์ ITA"))
    family = models.CharField(_("กลุ่มการประเมิน"), max_length=20, choices=Family.choices, default=Family.GENERAL)
    version = models.PositiveIntegerField(_("ฉบับที่"))
    status = models.CharField(_("สถานะ"), max_length=20, choices=Status.choices, default=Status.PROVISIONAL)
    origin = models.CharField(_("ที่มา"), max_length=20, choices=Origin.choices, default=Origin.IMPORTED)
    data = models.JSONField(_("ข้อมูลเกณฑ์"))
    sha256 = models.CharField(max_length=64)
    note = models.TextField(_("หมายเหตุ"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")

    class Meta:
        ordering = ["-fiscal_year", "family", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["fiscal_year", "family", "version"], name="unique_catalogue_version"),
        ]
        indexes = [models.Index(fields=["family", "fiscal_year", "status"])]
        verbose_name = _("เกณฑ์การประเมิน ITA")
        verbose_name_plural = _("เกณฑ์การประเมิน ITA")

    def __str__(self) -> str:
        return f"ITA {self.fiscal_year} {self.family} v{self.version} ({self.status})"

    @property
    def label(self) -> str:
        """'2569 general ฉบับที่ 2 (ชั่วคราว)' for pages and exports."""
        return f"{self.fiscal_year} {self.family} v{self.version} ({self.get_status_display()})"
