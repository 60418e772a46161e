"""Frozen report versions: what an approved memo's report said, kept for good.

A version holds the year's data as exported when the last approver signed, and the PDF, DOCX and HTML
rendered from it, each with its SHA-256. Nothing changes a version once written (see versions.py).
"""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _

from prongsai.memos.models import Memo

FORMATS = ("pdf", "docx", "html")


class ReportVersion(models.Model):
    memo = models.ForeignKey(Memo, on_delete=models.PROTECT, related_name="versions",
                             verbose_name=_("บันทึกข้อความ"))
    number = models.PositiveIntegerField(_("ฉบับที่"))
    created_at = models.DateTimeField(_("เวลาที่จัดเก็บ"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("ผู้อนุมัติ"),
    )
    # The exported year dict (prongsai.yearfile export_year) the files were made from; dates as ISO text.
    data = models.JSONField(_("ข้อมูลปีที่ใช้จัดทำ"), encoder=DjangoJSONEncoder)
    pdf = models.FileField(_("ไฟล์ PDF"), upload_to="reports/", max_length=300)
    pdf_sha256 = models.CharField(max_length=64)
    docx = models.FileField(_("ไฟล์ DOCX"), upload_to="reports/", max_length=300)
    docx_sha256 = models.CharField(max_length=64)
    html = models.FileField(_("ไฟล์ HTML"), upload_to="reports/", max_length=300)
    html_sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["memo", "number"]
        constraints = [models.UniqueConstraint(fields=["memo", "number"], name="unique_report_version")]
        verbose_name = _("รายงานฉบับอนุมัติ")
        verbose_name_plural = _("รายงานฉบับอนุมัติ")

    def __str__(self) -> str:
        return f"{self.memo} ฉบับที่ {self.number}"

    def file(self, fmt: str) -> models.fields.files.FieldFile:
        if fmt not in FORMATS:
            raise ValueError(f"unknown format {fmt!r}")
        return getattr(self, fmt)

    def sha256(self, fmt: str) -> str:
        if fmt not in FORMATS:
            raise ValueError(f"unknown format {fmt!r}")
        return getattr(self, f"{fmt}_sha256")

    def files(self) -> list[tuple[str, models.fields.files.FieldFile, str]]:
        """(format, file, sha256) for each format."""
        return [(fmt, self.file(fmt), self.sha256(fmt)) for fmt in FORMATS]
