"""The round report's memo (บันทึกข้อความ) with its preparers and approval chain."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from prongsai.lib import fiscal
from prongsai.measures.models import YearPlan


class Memo(models.Model):
    """A round's memo plus the report-level details that go with it (preface date, report preparer).

    Empty `subject`, `addressee` and `body` mean: use the wording templates."""

    plan = models.ForeignKey(YearPlan, on_delete=models.CASCADE, related_name="memos")
    round = models.PositiveSmallIntegerField(_("รอบ (เดือน)"), choices=[(m, m) for m in fiscal.ROUNDS])
    number = models.PositiveIntegerField(_("เลขที่หนังสือ (ทะเบียนส่ง)"), null=True, blank=True)
    date = models.DateField(_("วันที่"), null=True, blank=True)
    subject = models.CharField(_("เรื่อง"), max_length=500, blank=True)
    addressee = models.CharField(_("เรียน"), max_length=300, blank=True)
    body = models.JSONField(_("ข้อความ (ย่อหน้า)"), default=list, blank=True)
    preface_date = models.DateField(_("วันที่ในคำนำ"), null=True, blank=True)
    report_preparer_name = models.CharField(_("ผู้จัดทำรายงาน"), max_length=200, blank=True)
    report_preparer_position = models.CharField(_("ตำแหน่งผู้จัดทำรายงาน"), max_length=200, blank=True)

    class Meta:
        ordering = ["plan", "round"]
        constraints = [models.UniqueConstraint(fields=["plan", "round"], name="unique_memo_round")]
        verbose_name = _("บันทึกข้อความ")
        verbose_name_plural = _("บันทึกข้อความ")

    def __str__(self) -> str:
        return f"{self.plan} รอบ {self.round}"


class Signer(models.Model):
    class Role(models.TextChoices):
        PREPARER = "preparer", _("ผู้จัดทำ/ผู้เสนอ")
        APPROVER = "approver", _("ผู้บังคับบัญชา")

    memo = models.ForeignKey(Memo, on_delete=models.CASCADE, related_name="signers")
    role = models.CharField(max_length=10, choices=Role.choices)
    order = models.PositiveIntegerField(_("ลำดับ"))
    name = models.CharField(_("ชื่อ-สกุล"), max_length=200)
    rank = models.CharField(_("ยศ"), max_length=50, blank=True)
    position = models.CharField(_("ตำแหน่ง"), max_length=200)
    comment = models.TextField(_("ความเห็น"), blank=True)
    signed_on = models.DateField(_("วันที่ลงนาม"), null=True, blank=True)

    class Meta:
        ordering = ["memo", "role", "order"]
        constraints = [models.UniqueConstraint(fields=["memo", "role", "order"], name="unique_signer_order")]
        verbose_name = _("ผู้ลงนาม")
        verbose_name_plural = _("ผู้ลงนาม")

    def __str__(self) -> str:
        return f"{self.name} ({self.position})"
