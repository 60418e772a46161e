"""An invitation to join an agency: sent to an e-mail address, accepted (or declined) by the person who
holds that address, signed in. Until then nobody is added to the agency, and the inviting agency sees
only what it typed itself (the address, the name, the roles): nothing another agency recorded about an
account that may already have this address (issue 10 item 6)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Invitation(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("รอการตอบรับ")
        ACCEPTED = "accepted", _("ตอบรับแล้ว")
        DECLINED = "declined", _("ปฏิเสธแล้ว")
        CANCELLED = "cancelled", _("ยกเลิกแล้ว")

    agency = models.ForeignKey("agencies.Agency", on_delete=models.CASCADE, related_name="invitations")
    email = models.CharField(_("อีเมล"), max_length=254)  # lower case, as typed by the inviting admin
    name = models.CharField(_("ชื่อ-สกุล"), max_length=200)  # as typed by the inviting admin
    roles = models.JSONField(_("บทบาท"), default=list)
    person = models.ForeignKey("agencies.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    # SHA-256 of the random token in the e-mail's link: the link itself is never stored.
    token_hash = models.CharField(max_length=64, unique=True)
    status = models.CharField(_("สถานะ"), max_length=20, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    answered_at = models.DateTimeField(null=True, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="+")  # who accepted or declined

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["agency", "status"])]
        verbose_name = _("คำเชิญ")
        verbose_name_plural = _("คำเชิญ")

    def __str__(self) -> str:
        return f"คำเชิญ {self.email}"

    def get_role_labels(self) -> list[str]:
        from prongsai.agencies.models import Membership

        return [str(Membership.Role(role).label) for role in self.roles if role in Membership.Role.values]

    def is_open(self, now=None) -> bool:
        return self.status == self.Status.PENDING and (now or timezone.now()) < self.expires_at
