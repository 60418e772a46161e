"""API tokens: a user's keys for the REST API (`Authorization: Bearer <token>`).

Only the SHA-256 of a token is stored, with a short visible prefix so its owner can tell tokens apart;
the token itself is shown once, when it is made (see services.create_token).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ApiToken(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens",
                             verbose_name=_("ผู้ใช้"))
    name = models.CharField(_("ชื่อโทเคน"), max_length=100)
    prefix = models.CharField(_("ขึ้นต้นด้วย"), max_length=16)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("สร้างเมื่อ"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("ใช้ล่าสุด"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("ยกเลิกเมื่อ"), null=True, blank=True)

    class Meta:
        ordering = ["user", "-created_at", "-id"]
        verbose_name = _("โทเคน API")
        verbose_name_plural = _("โทเคน API")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None
