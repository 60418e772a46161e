"""Corruption complaints (เรื่องร้องเรียนการทุจริต): the case, its messages and attachments, and each
agency's complaint settings.

What a citizen wrote (the complaint's text, identity and contact, messages, attachment names) is kept
only sealed (`crypto`); attachment files are sealed on disk. The plain columns are what the workflow,
the deadlines and the statistics need: category, channel, status, dates. No IP address, browser
detail or time of day is kept for a complaint from the web: its receipt date only.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from prongsai.agencies.models import Agency
from prongsai.complaints import crypto


def default_retention_days() -> int:
    return int(getattr(settings, "PRONGSAI_COMPLAINT_RETENTION_DAYS", 1095))


class ComplaintSettings(models.Model):
    """An agency's deadlines, retention period and published channels (one row per agency)."""

    agency = models.OneToOneField(Agency, on_delete=models.CASCADE, related_name="complaint_settings")
    acknowledge_days = models.PositiveSmallIntegerField(
        _("กำหนดแจ้งตอบรับผู้ร้อง (วัน)"), default=15,
        help_text=_("นับจากวันที่รับเรื่อง เป็นวันตามปฏิทิน"))
    conclude_days = models.PositiveSmallIntegerField(
        _("กำหนดตรวจสอบให้ได้ข้อยุติ (วัน)"), default=60,
        help_text=_("นับจากวันที่รับเรื่อง เป็นวันตามปฏิทิน"))
    retention_days = models.PositiveIntegerField(
        _("เก็บชื่อและช่องทางติดต่อของผู้ร้องหลังปิดเรื่อง (วัน)"), default=default_retention_days,
        help_text=_("เมื่อครบกำหนด ระบบจะลบชื่อและช่องทางติดต่อทิ้ง ส่วนสถิติยังอยู่"))
    facebook_url = models.URLField(_("เพจ Facebook ของหน่วยงาน"), blank=True)
    line_id = models.CharField(_("LINE ID ของหน่วยงาน"), max_length=100, blank=True)
    other_channels = models.TextField(_("ช่องทางอื่น"), blank=True,
                                      help_text=_("เช่น ตู้รับเรื่องร้องเรียนหน้าสำนักงาน"))
    guideline_extra = models.TextField(
        _("ข้อความเพิ่มเติมในแนวปฏิบัติ"), blank=True,
        help_text=_("ต่อท้ายแนวปฏิบัติการจัดการเรื่องร้องเรียนที่ระบบเขียนให้"))

    class Meta:
        verbose_name = _("การตั้งค่าเรื่องร้องเรียน")
        verbose_name_plural = _("การตั้งค่าเรื่องร้องเรียน")

    def __str__(self) -> str:
        return str(self.agency)


class Complaint(models.Model):
    class Category(models.TextChoices):
        PROCUREMENT = "procurement", _("จัดซื้อจัดจ้าง")
        AUTHORITY = "authority", _("การใช้อำนาจ/ตำแหน่ง")
        FINANCE = "finance", _("การเงิน/งบประมาณ")
        PROPERTY = "property", _("ทรัพย์สินของราชการ")
        CONDUCT = "conduct", _("พฤติกรรมเจ้าหน้าที่")
        OTHER = "other", _("เรื่องอื่น")

    class Channel(models.TextChoices):
        WEB = "web", _("เว็บไซต์ (แบบฟอร์มออนไลน์)")
        PHONE = "phone", _("โทรศัพท์")
        LETTER = "letter", _("หนังสือ/จดหมาย")
        WALK_IN = "walk_in", _("มาแจ้งด้วยตนเอง")
        FACEBOOK = "facebook", _("Facebook")
        LINE = "line", _("LINE")

    class Status(models.TextChoices):
        RECEIVED = "received", _("รับเรื่องแล้ว")
        REGISTERED = "registered", _("ลงทะเบียนรับเรื่องแล้ว")
        ACKNOWLEDGED = "acknowledged", _("แจ้งตอบรับผู้ร้องแล้ว")
        UNDER_INQUIRY = "under_inquiry", _("อยู่ระหว่างตรวจสอบข้อเท็จจริง")
        CONCLUDED = "concluded", _("ได้ข้อยุติแล้ว")
        CLOSED = "closed", _("ปิดเรื่องแล้ว")

    class Outcome(models.TextChoices):
        SUBSTANTIATED = "substantiated", _("มีมูล")
        UNSUBSTANTIATED = "unsubstantiated", _("ไม่มีมูล")
        FORWARDED = "forwarded", _("ส่งต่อหน่วยงานอื่น")

    # Settled cases (no longer open) and cases not yet acknowledged to the complainant.
    SETTLED = (Status.CONCLUDED, Status.CLOSED)
    NOT_ACKNOWLEDGED = (Status.RECEIVED, Status.REGISTERED)

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="complaints")
    category = models.CharField(_("ประเภทเรื่อง"), max_length=20, choices=Category.choices)
    channel = models.CharField(_("ช่องทาง"), max_length=20, choices=Channel.choices)
    status = models.CharField(_("สถานะ"), max_length=20, choices=Status.choices, default=Status.RECEIVED)
    identified = models.BooleanField(_("ผู้ร้องให้ชื่อและช่องทางติดต่อ"), default=False)
    received_on = models.DateField(_("วันที่รับเรื่อง"))
    acknowledge_due = models.DateField(_("กำหนดแจ้งตอบรับ"))
    conclude_due = models.DateField(_("กำหนดได้ข้อยุติ"))
    register_year = models.PositiveIntegerField(_("ปีของทะเบียนรับเรื่อง (พ.ศ.)"), null=True, blank=True)
    register_number = models.PositiveIntegerField(_("เลขทะเบียนรับเรื่อง"), null=True, blank=True)
    registered_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    inquiry_started_at = models.DateTimeField(null=True, blank=True)
    concluded_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(_("ผลการตรวจสอบ"), max_length=20, choices=Outcome.choices, blank=True)
    forwarded_to = models.CharField(_("ส่งต่อให้"), max_length=200, blank=True)
    # Sealed JSON: {"what", "when", "where", "who"}; {"name", "citizen_id", "phone", "email", "address"};
    # {"reason"} of the conclusion.
    content = models.BinaryField()
    identity = models.BinaryField(null=True, blank=True)
    conclusion = models.BinaryField(null=True, blank=True)
    identity_shredded_at = models.DateTimeField(null=True, blank=True)
    code_index = models.CharField(max_length=16, db_index=True)
    code_hash = models.CharField(max_length=200)
    # SHA-256 of the intake form's one-time token: the same form sent twice makes one complaint.
    intake_token = models.CharField(max_length=64, unique=True, null=True, blank=True)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                      related_name="+")

    class Meta:
        ordering = ["-received_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "register_year", "register_number"],
                                    condition=models.Q(register_number__isnull=False),
                                    name="unique_complaint_register_number"),
        ]
        indexes = [models.Index(fields=["agency", "received_on"]), models.Index(fields=["agency", "status"])]
        verbose_name = _("เรื่องร้องเรียน")
        verbose_name_plural = _("เรื่องร้องเรียน")

    def __str__(self) -> str:
        # Never any content: this text goes into the audit trail.
        if self.register_number:
            return f"เรื่องร้องเรียน เลขรับ {self.register_label}"
        return f"เรื่องร้องเรียน {str(self.uid)[:8]}"

    @property
    def register_label(self) -> str:
        return f"{self.register_number}/{self.register_year}" if self.register_number else ""

    def purpose(self, field: str) -> str:
        return f"complaint:{self.uid}:{field}"

    def read_content(self) -> dict:
        return crypto.unseal_json(self.content, purpose=self.purpose("content"))

    def read_identity(self) -> dict | None:
        if self.identity is None:
            return None
        return crypto.unseal_json(self.identity, purpose=self.purpose("identity"))

    def read_conclusion(self) -> dict | None:
        if self.conclusion is None:
            return None
        return crypto.unseal_json(self.conclusion, purpose=self.purpose("conclusion"))

    @property
    def is_open(self) -> bool:
        return self.status not in self.SETTLED

    def acknowledge_overdue(self, today: dt.date) -> bool:
        """Not yet acknowledged to the complainant, and the deadline has passed (the due day itself is in time)."""
        return self.status in self.NOT_ACKNOWLEDGED and today > self.acknowledge_due

    def conclude_overdue(self, today: dt.date) -> bool:
        return self.is_open and today > self.conclude_due

    def overdue(self, today: dt.date) -> bool:
        return self.acknowledge_overdue(today) or self.conclude_overdue(today)

    # The same rules as database filters (Complaint.objects.filter(Complaint.overdue_q(today))), so a list
    # or a count of overdue cases is one query; tests/test_overdue_query.py checks they agree.

    @classmethod
    def open_q(cls) -> models.Q:
        """is_open as a filter."""
        return ~models.Q(status__in=cls.SETTLED)

    @classmethod
    def acknowledge_overdue_q(cls, today: dt.date) -> models.Q:
        """acknowledge_overdue(today) as a filter."""
        return models.Q(status__in=cls.NOT_ACKNOWLEDGED, acknowledge_due__lt=today)

    @classmethod
    def conclude_overdue_q(cls, today: dt.date) -> models.Q:
        """conclude_overdue(today) as a filter."""
        return cls.open_q() & models.Q(conclude_due__lt=today)

    @classmethod
    def overdue_q(cls, today: dt.date) -> models.Q:
        """overdue(today) as a filter."""
        return cls.acknowledge_overdue_q(today) | cls.conclude_overdue_q(today)

    def days_to_acknowledge(self) -> int | None:
        if self.acknowledged_at is None:
            return None
        return (timezone.localdate(self.acknowledged_at) - self.received_on).days

    def days_to_conclude(self) -> int | None:
        if self.concluded_at is None:
            return None
        return (timezone.localdate(self.concluded_at) - self.received_on).days

    def acknowledged_in_time(self) -> bool | None:
        if self.acknowledged_at is None:
            return None
        return timezone.localdate(self.acknowledged_at) <= self.acknowledge_due

    def concluded_in_time(self) -> bool | None:
        if self.concluded_at is None:
            return None
        return timezone.localdate(self.concluded_at) <= self.conclude_due


class Message(models.Model):
    class Sender(models.TextChoices):
        COMPLAINANT = "complainant", _("ผู้ร้อง")
        OFFICER = "officer", _("เจ้าหน้าที่")

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="messages")
    sender = models.CharField(max_length=20, choices=Sender.choices)
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="+")
    body = models.BinaryField()  # sealed UTF-8 text
    sent_on = models.DateField()

    class Meta:
        ordering = ["id"]
        verbose_name = _("ข้อความ")
        verbose_name_plural = _("ข้อความ")

    def __str__(self) -> str:
        return f"ข้อความ {str(self.uid)[:8]}"

    def purpose(self) -> str:
        return f"message:{self.uid}:body"

    def read_body(self) -> str:
        return crypto.unseal(self.body, purpose=self.purpose()).decode("utf-8")


class Attachment(models.Model):
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="attachments")
    message = models.ForeignKey(Message, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments")
    sender = models.CharField(max_length=20, choices=Message.Sender.choices)
    stored_name = models.CharField(max_length=64, unique=True)  # random; the sealed file in the files folder
    kind = models.CharField(max_length=10)  # pdf, png, jpeg, docx, xlsx (judged by content)
    size = models.PositiveIntegerField()
    meta = models.BinaryField()  # sealed JSON {"name", "sha256"}
    added_on = models.DateField()

    class Meta:
        ordering = ["id"]
        verbose_name = _("ไฟล์แนบ")
        verbose_name_plural = _("ไฟล์แนบ")

    def __str__(self) -> str:
        return f"ไฟล์แนบ {str(self.uid)[:8]}"

    def purpose(self, part: str) -> str:
        return f"attachment:{self.uid}:{part}"

    def read_meta(self) -> dict:
        return crypto.unseal_json(self.meta, purpose=self.purpose("meta"))
