"""The tenant: an agency, its units and its people."""

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from prongsai.lib import thai


class Agency(models.Model):
    class Kind(models.TextChoices):
        TESSABAN_TAMBON = "tessaban_tambon", _("เทศบาลตำบล")
        TESSABAN_MUEANG = "tessaban_mueang", _("เทศบาลเมือง")
        TESSABAN_NAKHON = "tessaban_nakhon", _("เทศบาลนคร")
        SAO = "sao", _("องค์การบริหารส่วนตำบล (อบต.)")
        PAO = "pao", _("องค์การบริหารส่วนจังหวัด (อบจ.)")
        OTHER = "other", _("หน่วยงานอื่น")

    class Digits(models.TextChoices):
        THAI = thai.THAI, _("เลขไทย")
        ARABIC = thai.ARABIC, _("เลขอารบิก")

    class Family(models.TextChoices):
        """The NACC's assessment family: which catalogue (OIT list, weights) the agency is scored on."""

        GENERAL = "general", _("หน่วยงานทั่วไปและองค์กรปกครองส่วนท้องถิ่น")
        OBEC = "obec", _("สถานศึกษาสังกัด สพฐ.")
        OVEC = "ovec", _("สถานศึกษาสังกัด สอศ.")
        MOPH = "moph", _("หน่วยงานสังกัดกระทรวงสาธารณสุข (MOIT)")

    slug = models.SlugField(
        _("รหัสหน่วยงาน (slug)"),
        max_length=80,
        unique=True,
        validators=[RegexValidator(r"^[a-z0-9][a-z0-9-]*$", _("ใช้ตัวอักษร a-z ตัวเลข และ - เท่านั้น"))],
    )
    name = models.CharField(_("ชื่อหน่วยงาน"), max_length=200)
    kind = models.CharField(_("ประเภท"), max_length=30, choices=Kind.choices, default=Kind.OTHER)
    office_name = models.CharField(
        _("ชื่อสำนักงาน"), max_length=200, blank=True, help_text=_("เช่น สำนักงานเทศบาลตำบลแร่")
    )
    family = models.CharField(
        _("กลุ่มการประเมิน"), max_length=20, choices=Family.choices, default=Family.GENERAL, db_index=True
    )
    # The agency's official code (e.g. the DLA code of a local government), used to match bulk imports.
    code = models.CharField(_("รหัสหน่วยงานทางราชการ"), max_length=30, blank=True, db_index=True)
    district = models.CharField(_("อำเภอ"), max_length=100, blank=True)
    province = models.CharField(_("จังหวัด"), max_length=100, blank=True)
    doc_prefix = models.CharField(_("รหัสหนังสือ"), max_length=50, blank=True, help_text=_("เช่น สน ๘๐๗๐๑"))
    executive_title = models.CharField(
        _("ตำแหน่งผู้บริหาร"), max_length=200, blank=True, help_text=_("เช่น นายกเทศมนตรีตำบลแร่")
    )
    digits = models.CharField(_("ตัวเลขในเอกสาร"), max_length=10, choices=Digits.choices, default=Digits.THAI)
    address = models.TextField(_("ที่อยู่"), blank=True)
    phone = models.CharField(_("โทรศัพท์"), max_length=100, blank=True)
    email = models.EmailField(_("อีเมล"), blank=True)
    website = models.URLField(_("เว็บไซต์"), blank=True)
    # Agency overrides of the report wording templates: {template key: text}.
    wording = models.JSONField(_("ถ้อยคำในเอกสาร"), default=dict, blank=True)
    # Gap analysis: indicators scoring below `urgent_below` are weak points to fix urgently;
    # those between it and the pass mark are points to improve.
    urgent_below = models.DecimalField(_("เกณฑ์จุดอ่อนเร่งด่วน (ต่ำกว่า)"), max_digits=5, decimal_places=2, default=75)
    # The Garuda emblem drawn on its บันทึกข้อความ and ประกาศ (PNG, or SVG made safe), uploaded once.
    emblem = models.FileField(_("ตราครุฑ"), upload_to="emblems/", max_length=300, blank=True)
    # Staff sessions end after this many hours without activity.
    session_hours = models.PositiveSmallIntegerField(_("อายุการเข้าระบบ (ชั่วโมงที่ไม่มีการใช้งาน)"), default=8)

    class Meta:
        ordering = ["name"]
        verbose_name = _("หน่วยงาน")
        verbose_name_plural = _("หน่วยงาน")

    def __str__(self) -> str:
        return self.name

    @property
    def office(self) -> str:
        return self.office_name or f"สำนักงาน{self.name}"

    @property
    def location(self) -> str:
        """'อำเภอพังโคน จังหวัดสกลนคร'"""
        parts = []
        if self.district:
            parts.append(f"อำเภอ{self.district}")
        if self.province:
            parts.append(f"จังหวัด{self.province}")
        return " ".join(parts)


class Unit(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="units")
    name = models.CharField(_("ชื่อส่วนราชการ"), max_length=200)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["agency", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["agency", "name"], name="unique_unit_name")]
        verbose_name = _("ส่วนราชการ")
        verbose_name_plural = _("ส่วนราชการ")

    def __str__(self) -> str:
        return self.name


class Person(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="people")
    name = models.CharField(_("ชื่อ-สกุล (พร้อมคำนำหน้า)"), max_length=200)
    rank = models.CharField(_("ยศ"), max_length=50, blank=True, help_text=_("เช่น จ.อ. (ถ้ามี)"))
    position = models.CharField(_("ตำแหน่ง"), max_length=200)
    unit = models.ForeignKey(Unit, on_delete=models.SET_NULL, null=True, blank=True, related_name="people")
    email = models.EmailField(_("อีเมล"), blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["agency", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["agency", "name"], name="unique_person_name")]
        verbose_name = _("บุคลากร")
        verbose_name_plural = _("บุคลากร")

    def __str__(self) -> str:
        return f"{self.name} ({self.position})"


class Membership(models.Model):
    """A user's role in one agency. A user may belong to several agencies."""

    class Role(models.TextChoices):
        ADMIN = "admin", _("ผู้ดูแลระบบของหน่วยงาน")
        PLANNER = "planner", _("ผู้จัดทำ")
        APPROVER = "approver", _("ผู้บังคับบัญชา")
        COMPLAINT_OFFICER = "complaint_officer", _("เจ้าหน้าที่รับเรื่องร้องเรียน")
        VIEWER = "viewer", _("ผู้อ่านอย่างเดียว")

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey("auth.User", on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("บทบาท"), max_length=30, choices=Role.choices, default=Role.VIEWER)
    person = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "user", "role"], name="unique_membership_role")]
        verbose_name = _("สมาชิก")
        verbose_name_plural = _("สมาชิก")

    def __str__(self) -> str:
        return f"{self.user} @ {self.agency} ({self.get_role_display()})"
