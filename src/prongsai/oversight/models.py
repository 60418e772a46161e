"""Oversight scopes as data: a part of the install's agencies, defined by their attributes (the nation,
a province or a district, optionally only some agency kinds or assessment families), and the users who
oversee it. An agency falls into every scope its attributes match, by itself: nothing links agencies
to scopes.

Oversight users read what their scope covers (the roll-up, and agencies' pages read-only: policy.VIEW),
never complaint content. Names are stored as the shipped list spells them (agencies.geography).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from prongsai.agencies import geography
from prongsai.agencies.models import Agency


def province_spellings(name: str) -> list[str]:
    """How an agency's free-text province may spell the province (the bare name is the norm)."""
    return [name, f"จังหวัด{name}", f"จ.{name}"] if name else []


def district_spellings(name: str) -> list[str]:
    return [name, f"อำเภอ{name}", f"เขต{name}", f"อ.{name}"] if name else []


class OversightScope(models.Model):
    class Level(models.TextChoices):
        NATION = "nation", _("ทั้งประเทศ")
        PROVINCE = "province", _("จังหวัด")
        DISTRICT = "district", _("อำเภอ")

    name = models.CharField(_("ชื่อขอบเขต"), max_length=200,
                            help_text=_("เช่น สำนักงานส่งเสริมการปกครองท้องถิ่นจังหวัดสกลนคร"))
    level = models.CharField(_("ระดับ"), max_length=10, choices=Level.choices, default=Level.PROVINCE)
    province = models.CharField(_("จังหวัด"), max_length=100, blank=True)
    district = models.CharField(_("อำเภอ"), max_length=100, blank=True)
    # Empty: every kind / family.
    kinds = models.JSONField(_("ประเภทหน่วยงาน"), default=list, blank=True,
                             help_text=_("เว้นว่างเพื่อรวมทุกประเภท"))
    families = models.JSONField(_("กลุ่มการประเมิน"), default=list, blank=True,
                                help_text=_("เว้นว่างเพื่อรวมทุกกลุ่ม"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["level", "province", "district", "name"]
        verbose_name = _("ขอบเขตการกำกับติดตาม")
        verbose_name_plural = _("ขอบเขตการกำกับติดตาม")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors = {}
        if self.level == self.Level.NATION:
            self.province = self.district = ""
        else:
            found = geography.province(self.province)
            if found is None:
                errors["province"] = _("จังหวัด: ไม่พบ “%(name)s” ในรายชื่อ ๗๗ จังหวัด") % {"name": self.province}
            else:
                self.province = found.name
        if self.level == self.Level.PROVINCE:
            self.district = ""
        elif self.level == self.Level.DISTRICT and "province" not in errors:
            found_d = geography.district(self.district, province=self.province)
            if found_d is None:
                errors["district"] = _("อำเภอ: ไม่พบ “%(name)s” ในจังหวัด%(province)s") % {
                    "name": self.district, "province": self.province}
            else:
                self.district = found_d.name
        bad_kinds = [k for k in self.kinds or [] if k not in Agency.Kind.values]
        if bad_kinds:
            errors["kinds"] = _("ประเภทหน่วยงาน: ไม่รู้จัก %(kinds)s") % {"kinds": ", ".join(map(str, bad_kinds))}
        bad_families = [f for f in self.families or [] if f not in Agency.Family.values]
        if bad_families:
            errors["families"] = _("กลุ่มการประเมิน: ไม่รู้จัก %(f)s") % {"f": ", ".join(map(str, bad_families))}
        if errors:
            raise ValidationError(errors)

    def agency_q(self, prefix: str = "") -> Q:
        """The agencies of the scope, as a filter on Agency (or on a relation to it: prefix "agency__")."""
        q = Q()
        if self.level in (self.Level.PROVINCE, self.Level.DISTRICT):
            q &= Q(**{f"{prefix}province__in": province_spellings(self.province)})
        if self.level == self.Level.DISTRICT:
            q &= Q(**{f"{prefix}district__in": district_spellings(self.district)})
        if self.kinds:
            q &= Q(**{f"{prefix}kind__in": list(self.kinds)})
        if self.families:
            q &= Q(**{f"{prefix}family__in": list(self.families)})
        return q

    def covers(self, agency: Agency) -> bool:
        """The same rule as agency_q, on an agency in memory (no query)."""
        if self.level in (self.Level.PROVINCE, self.Level.DISTRICT):
            if agency.province not in province_spellings(self.province):
                return False
        if self.level == self.Level.DISTRICT and agency.district not in district_spellings(self.district):
            return False
        if self.kinds and agency.kind not in self.kinds:
            return False
        if self.families and agency.family not in self.families:
            return False
        return True

    def agencies(self):
        return Agency.objects.filter(self.agency_q())


class OversightMember(models.Model):
    """A user who oversees a scope (read only)."""

    scope = models.ForeignKey(OversightScope, on_delete=models.CASCADE, related_name="members",
                              verbose_name=_("ขอบเขต"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="oversight_memberships", verbose_name=_("ผู้ใช้"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scope", "user"], name="unique_oversight_member")]
        verbose_name = _("ผู้กำกับติดตาม")
        verbose_name_plural = _("ผู้กำกับติดตาม")

    def __str__(self) -> str:
        return f"{self.user} @ {self.scope}"
