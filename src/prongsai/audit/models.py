"""The audit trail: append-only entries chained by SHA-256 so that tampering is detectable.

Each entry's hash covers its own content and the previous entry's hash; `services.verify()` walks
the chain. Entries are written only through `services.record()`, inside the transaction of the
change they describe.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    pass


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("audit entries cannot be changed")

    def delete(self):
        raise AppendOnlyError("audit entries cannot be deleted")


class AuditEntry(models.Model):
    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="audit_entries"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_name = models.CharField(_("ผู้ดำเนินการ"), max_length=200, blank=True)
    action = models.CharField(_("การกระทำ"), max_length=100)
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField(_("รายการ"), max_length=300, blank=True)
    changes = models.JSONField(_("การเปลี่ยนแปลง"), default=dict, blank=True)
    created_at = models.DateTimeField(_("เวลา"))
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["object_type", "object_id"]), models.Index(fields=["agency", "id"])]
        verbose_name = _("บันทึกการตรวจสอบ")
        verbose_name_plural = _("บันทึกการตรวจสอบ")

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("audit entries cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("audit entries cannot be deleted")


class ChainHead(models.Model):
    """One row holding the newest hash; locked while appending so the chain never forks."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("ปลายสายบันทึก")
