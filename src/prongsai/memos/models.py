"""The round report's memo (บันทึกข้อความ) with its preparers and approval chain, the agency's
outgoing register (ทะเบียนหนังสือส่ง) and its default chain of approvers.

A memo's status changes only through `memos.services.transition` (the allowed moves are
`Memo.TRANSITIONS`); register numbers only through `memos.services.allocate_number`.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from prongsai.agencies.models import Agency
from prongsai.lib import fiscal
from prongsai.measures import limits
from prongsai.measures.models import YearPlan


class Memo(models.Model):
    """A memo (บันทึกข้อความ) of the year plus the report-level details that go with it (preface date,
    report preparer). Its `kind` says which document it carries (docs/documents.md):

    - round: a round's report memo (round = 3, 6, 9 or 12), one per round;
    - plan: the memo asking approval of the year's measures (บันทึกข้อความ ขออนุมัติ), one per year,
      with the plan document (analysis and measures) behind it; round is empty;
    - announcement: the executive's announcement (ประกาศ) of the approved measures, one per year. It is
      not drafted or sent: it is issued, approved, when the plan memo's last approver signs, with that
      approver as its one signer and the date of that signature; round is empty.

    Empty `subject`, `addressee` and `body` mean: use the wording templates."""

    class Kind(models.TextChoices):
        ROUND = "round", _("บันทึกข้อความรายงานผลรายรอบ")
        PLAN = "plan", _("บันทึกข้อความขออนุมัติมาตรการ")
        ANNOUNCEMENT = "announcement", _("ประกาศมาตรการ")

    class Status(models.TextChoices):
        DRAFT = "draft", _("ฉบับร่าง")
        IN_REVIEW = "in_review", _("อยู่ระหว่างเสนอลงนาม")
        RETURNED = "returned", _("ส่งกลับให้แก้ไข")
        APPROVED = "approved", _("อนุมัติแล้ว")

    # The only moves a memo's status may make: draft → in_review (sent to the chain) → approved (the
    # last approver signed); in_review → returned (an approver returns it with a reason) → draft (the
    # planner revises it) → in_review ... An approved memo is final.
    TRANSITIONS: dict[str, frozenset[str]] = {
        Status.DRAFT: frozenset({Status.IN_REVIEW}),
        Status.IN_REVIEW: frozenset({Status.APPROVED, Status.RETURNED}),
        Status.RETURNED: frozenset({Status.DRAFT}),
        Status.APPROVED: frozenset(),
    }

    plan = models.ForeignKey(YearPlan, on_delete=models.CASCADE, related_name="memos")
    kind = models.CharField(_("ประเภท"), max_length=20, choices=Kind.choices, default=Kind.ROUND)
    round = models.PositiveSmallIntegerField(_("รอบ (เดือน)"), choices=[(m, m) for m in fiscal.ROUNDS],
                                             null=True, blank=True)
    number = models.PositiveIntegerField(_("เลขที่หนังสือ (ทะเบียนส่ง)"), null=True, blank=True)
    date = models.DateField(_("วันที่"), null=True, blank=True)
    subject = models.CharField(_("เรื่อง"), max_length=limits.MEMO_SUBJECT, blank=True)
    addressee = models.CharField(_("เรียน"), max_length=limits.MEMO_ADDRESSEE, blank=True)
    body = models.JSONField(_("ข้อความ (ย่อหน้า)"), default=list, blank=True)
    preface_date = models.DateField(_("วันที่ในคำนำ"), null=True, blank=True)
    report_preparer_name = models.CharField(_("ผู้จัดทำรายงาน"), max_length=limits.REPORT_PREPARER_NAME, blank=True)
    report_preparer_position = models.CharField(_("ตำแหน่งผู้จัดทำรายงาน"), max_length=limits.REPORT_PREPARER_POSITION, blank=True)
    status = models.CharField(_("สถานะ"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("ผู้จัดทำร่าง"),
    )

    class Meta:
        ordering = ["plan", "kind", "round"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "round"], condition=models.Q(kind="round"),
                                    name="unique_memo_round"),
            models.UniqueConstraint(fields=["plan", "kind"], condition=~models.Q(kind="round"),
                                    name="unique_memo_kind"),
            models.CheckConstraint(
                condition=(models.Q(kind="round", round__isnull=False)
                           | (~models.Q(kind="round") & models.Q(round__isnull=True))),
                name="memo_round_only_for_round_kind"),
        ]
        verbose_name = _("บันทึกข้อความ")
        verbose_name_plural = _("บันทึกข้อความ")

    def __str__(self) -> str:
        if self.kind == self.Kind.ROUND:
            return f"{self.plan} รอบ {self.round}"
        return f"{self.plan} {self.get_kind_display()}"

    @property
    def agency(self) -> Agency:
        return self.plan.agency

    @property
    def is_round(self) -> bool:
        return self.kind == self.Kind.ROUND

    def url_name(self, action: str = "memo_detail") -> str:
        """The memos URL name of an action on this memo (plan memos have their own paths)."""
        return action if self.is_round else f"{self.kind}_{action}"

    def url_args(self) -> list:
        plan = self.plan
        args = [plan.agency.slug, plan.fiscal_year]
        return args + [self.round] if self.is_round else args

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        if self.kind == self.Kind.ANNOUNCEMENT:  # shown on its plan memo's page
            return reverse("memos:plan_memo_detail", args=self.url_args())
        return reverse(f"memos:{self.url_name()}", args=self.url_args())

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.DRAFT

    def approvers(self) -> list["Signer"]:
        return [s for s in self.signers.all() if s.role == Signer.Role.APPROVER]

    def preparers(self) -> list["Signer"]:
        return [s for s in self.signers.all() if s.role == Signer.Role.PREPARER]

    def current_approver(self) -> "Signer | None":
        """The approver whose turn it is: the first pending one, while the memo is in review."""
        if self.status != self.Status.IN_REVIEW:
            return None
        return next((s for s in self.approvers() if s.status == Signer.Status.PENDING), None)


class Signer(models.Model):
    class Role(models.TextChoices):
        PREPARER = "preparer", _("ผู้จัดทำ/ผู้เสนอ")
        APPROVER = "approver", _("ผู้บังคับบัญชา")

    class Status(models.TextChoices):
        PENDING = "pending", _("รอลงนาม")
        SIGNED = "signed", _("ลงนามแล้ว")
        RETURNED = "returned", _("ส่งกลับให้แก้ไข")

    memo = models.ForeignKey(Memo, on_delete=models.CASCADE, related_name="signers")
    role = models.CharField(max_length=10, choices=Role.choices)
    order = models.PositiveIntegerField(_("ลำดับ"))
    name = models.CharField(_("ชื่อ-สกุล"), max_length=limits.SIGNER_NAME)
    rank = models.CharField(_("ยศ"), max_length=limits.SIGNER_RANK, blank=True)
    position = models.CharField(_("ตำแหน่ง"), max_length=limits.SIGNER_POSITION)
    comment = models.TextField(_("ความเห็น"), max_length=limits.SIGNER_COMMENT, blank=True)
    signed_on = models.DateField(_("วันที่ลงนาม"), null=True, blank=True)
    # The approval chain in the application: who signs (null for a signer imported from a year file),
    # where they are, and when they acted. `signed_on` is the date printed in the memo.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="memo_signatures",
        verbose_name=_("ผู้ใช้"),
    )
    status = models.CharField(_("สถานะ"), max_length=10, choices=Status.choices, default=Status.PENDING)
    signed_at = models.DateTimeField(_("เวลาที่ลงนาม"), null=True, blank=True)
    return_reason = models.TextField(_("เหตุผลที่ส่งกลับ"), max_length=limits.RETURN_REASON, blank=True)

    class Meta:
        ordering = ["memo", "role", "order"]
        constraints = [models.UniqueConstraint(fields=["memo", "role", "order"], name="unique_signer_order")]
        verbose_name = _("ผู้ลงนาม")
        verbose_name_plural = _("ผู้ลงนาม")

    def __str__(self) -> str:
        return f"{self.name} ({self.position})"


class RegisterCounter(models.Model):
    """The last number handed out in one agency's outgoing register of one calendar year (BE).
    Locked (select_for_update) while a number is allocated, so two requests never get the same one."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveIntegerField(_("ปี พ.ศ."))
    last = models.PositiveIntegerField(_("เลขที่ล่าสุด"), default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "year"], name="unique_register_counter")]
        verbose_name = _("ตัวนับทะเบียนหนังสือส่ง")
        verbose_name_plural = _("ตัวนับทะเบียนหนังสือส่ง")

    def __str__(self) -> str:
        return f"{self.agency} {self.year}: {self.last}"


class RegisterEntry(models.Model):
    """One line of the outgoing register (ทะเบียนหนังสือส่ง): numbers run through the calendar year."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="register_entries")
    year = models.PositiveIntegerField(_("ปี พ.ศ."))
    number = models.PositiveIntegerField(_("เลขที่"))
    memo = models.ForeignKey(
        Memo, on_delete=models.SET_NULL, null=True, blank=True, related_name="register_entries",
        verbose_name=_("บันทึกข้อความ"),
    )
    subject = models.CharField(_("เรื่อง"), max_length=limits.MEMO_SUBJECT)
    date = models.DateField(_("ลงวันที่"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("ผู้ลงทะเบียน"),
    )
    created_at = models.DateTimeField(_("เวลาที่ลงทะเบียน"), auto_now_add=True)
    # A number is never handed out twice: when a draft's date moves to another calendar year, it gets
    # a number of that year and its old line stays, cancelled.
    cancelled = models.BooleanField(_("ยกเลิกเลขนี้แล้ว"), default=False)

    class Meta:
        ordering = ["agency", "-year", "-number"]
        constraints = [models.UniqueConstraint(fields=["agency", "year", "number"], name="unique_register_number")]
        verbose_name = _("รายการทะเบียนหนังสือส่ง")
        verbose_name_plural = _("ทะเบียนหนังสือส่ง")

    def __str__(self) -> str:
        return f"{self.agency} {self.number}/{self.year}"


class AgencyChainStep(models.Model):
    """The agency's default approval chain for new memos, in order (like the seed's signers)."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="chain_steps")
    order = models.PositiveIntegerField(_("ลำดับ"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                             verbose_name=_("ผู้บังคับบัญชา"))
    # Printed under the signature when the member has no linked person (Membership.person).
    position = models.CharField(_("ตำแหน่ง"), max_length=limits.SIGNER_POSITION, blank=True)

    class Meta:
        ordering = ["agency", "order"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "order"], name="unique_chain_step_order"),
            models.UniqueConstraint(fields=["agency", "user"], name="unique_chain_step_user"),
        ]
        verbose_name = _("ลำดับผู้ลงนามเริ่มต้น")
        verbose_name_plural = _("ลำดับผู้ลงนามเริ่มต้น")

    def __str__(self) -> str:
        return f"{self.agency} {self.order}: {self.user}"
