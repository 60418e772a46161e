"""Forms of the accounts pages. Every error message names its field, in Thai ("กรุณากรอกอีเมล")."""

from __future__ import annotations

from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from prongsai.agencies.models import Agency, Membership, Person, Unit
from prongsai.lib import thai


def _field_messages(field: forms.Field, style: str) -> dict:
    label = field.label or ""

    def n(value) -> str:
        return thai.digits(value, style)

    choose = isinstance(field, forms.ChoiceField)
    messages = {
        "required": (_("กรุณาเลือก%(field)s") if choose else _("กรุณากรอก%(field)s")) % {"field": label},
        "invalid_choice": _("%(field)s: ตัวเลือกที่เลือกไม่มีในรายการ") % {"field": label},
        "invalid_list": _("%(field)s: ตัวเลือกที่เลือกไม่มีในรายการ") % {"field": label},
    }
    if isinstance(field, forms.EmailField):
        messages["invalid"] = _("%(field)sไม่ใช่ที่อยู่อีเมลที่ถูกต้อง (เช่น name@example.go.th)") % {"field": label}
    elif isinstance(field, forms.URLField):
        messages["invalid"] = _("%(field)sไม่ใช่ที่อยู่เว็บที่ถูกต้อง (เช่น https://www.example.go.th)") % {
            "field": label}
    elif isinstance(field, (forms.IntegerField, forms.DecimalField)):
        messages["invalid"] = _("%(field)sต้องเป็นตัวเลข") % {"field": label}
    else:
        messages["invalid"] = _("%(field)sไม่ถูกต้อง") % {"field": label}
    if getattr(field, "max_length", None):
        messages["max_length"] = _("%(field)sยาวเกินไป (ไม่เกิน %(limit)s ตัวอักษร)") % {
            "field": label, "limit": n(field.max_length)}
    if getattr(field, "min_value", None) is not None:
        messages["min_value"] = _("%(field)sต้องไม่น้อยกว่า %(limit)s") % {"field": label, "limit": n(field.min_value)}
    if getattr(field, "max_value", None) is not None:
        messages["max_value"] = _("%(field)sต้องไม่เกิน %(limit)s") % {"field": label, "limit": n(field.max_value)}
    if isinstance(field, forms.DecimalField):
        places = field.decimal_places
        messages["max_decimal_places"] = _("%(field)sมีทศนิยมได้ไม่เกิน %(places)s ตำแหน่ง") % {
            "field": label, "places": n(places)}
        messages["max_digits"] = _("%(field)sมีหลักมากเกินไป") % {"field": label}
        messages["max_whole_digits"] = messages["max_digits"]
    return messages


class ThaiErrors:
    """Mixin: error messages that name the field. `digit_style` ("thai"/"arabic") for numbers in them."""

    digit_style = thai.THAI

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.error_messages.update(_field_messages(field, self.digit_style))


class RoleChoiceField(forms.MultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        super().__init__(choices=Membership.Role.choices, label=_("บทบาท"), **kwargs)


class AgencyFormMixin(ThaiErrors):
    """Forms of one agency's data: choices limited to the agency, numbers in its digits."""

    def __init__(self, *args, agency: Agency, **kwargs):
        self.agency = agency
        self.digit_style = agency.digits
        super().__init__(*args, **kwargs)


class InviteForm(AgencyFormMixin, forms.Form):
    email = forms.EmailField(label=_("อีเมล"), max_length=150,
                             help_text=_("ใช้เป็นชื่อผู้ใช้ของผู้ที่ยังไม่มีบัญชี"))
    name = forms.CharField(label=_("ชื่อ-สกุล"), max_length=200, help_text=_("พร้อมคำนำหน้า เช่น นางสาวปราณี จันทไชย"))
    roles = RoleChoiceField()
    person = forms.ModelChoiceField(
        label=_("บุคลากรของหน่วยงาน"), queryset=Person.objects.none(), required=False,
        empty_label=_("(ไม่ระบุ)"), help_text=_("ใช้ชื่อและตำแหน่งนี้ในบันทึกข้อความ"),
    )

    field_order = ["email", "name", "roles", "person"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = self.agency.people.all()
        self.fields["email"].widget.attrs.update({"autocomplete": "off", "autocapitalize": "none"})


class MemberForm(AgencyFormMixin, forms.Form):
    roles = RoleChoiceField()
    person = forms.ModelChoiceField(
        label=_("บุคลากรของหน่วยงาน"), queryset=Person.objects.none(), required=False,
        empty_label=_("(ไม่ระบุ)"), help_text=_("ใช้ชื่อและตำแหน่งนี้ในบันทึกข้อความ"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = self.agency.people.all()


class AgencyForm(AgencyFormMixin, forms.ModelForm):
    urgent_below = forms.DecimalField(
        label=Agency._meta.get_field("urgent_below").verbose_name, min_value=0, max_value=100, max_digits=5,
        decimal_places=2, help_text=_("ตัวชี้วัดที่ได้คะแนนต่ำกว่านี้เป็นจุดอ่อนที่ต้องแก้ไขโดยเร่งด่วน"),
    )
    website = forms.URLField(label=Agency._meta.get_field("website").verbose_name, required=False,
                             max_length=200, assume_scheme="https")
    session_hours = forms.IntegerField(
        label=Agency._meta.get_field("session_hours").verbose_name, min_value=1, max_value=24, required=False,
        help_text=_("เจ้าหน้าที่ที่ไม่ได้ใช้งานนานเท่านี้ต้องเข้าสู่ระบบใหม่ (ผู้ที่อยู่หลายหน่วยงานใช้ค่าที่สั้นที่สุด) "
                    "เว้นว่างไว้เพื่อคงค่าเดิม"))

    class Meta:
        model = Agency
        fields = ["name", "kind", "office_name", "district", "province", "doc_prefix", "executive_title",
                  "digits", "address", "phone", "email", "website", "urgent_below", "session_hours"]
        widgets = {"address": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, agency: Agency, **kwargs):
        # A copy: an invalid form must not change the agency the rest of the page shows.
        super().__init__(*args, agency=agency, instance=Agency.objects.get(pk=agency.pk), **kwargs)

    def clean_session_hours(self):
        hours = self.cleaned_data.get("session_hours")
        return self.instance.session_hours if hours is None else hours


class EmblemForm(AgencyFormMixin, forms.Form):
    """The agency's Garuda emblem: PNG or SVG, checked by content (reports.emblem.prepare)."""

    prefix = "emblem"
    file = forms.FileField(label=_("ไฟล์ตราครุฑ (PNG หรือ SVG)"), required=False,
                           help_text=_("ใช้ในบันทึกข้อความ (สูง ๑.๕ ซม. มุมซ้ายบน) และประกาศ (สูง ๓ ซม. กึ่งกลาง)"))
    remove = forms.BooleanField(label=_("ลบตราครุฑ"), required=False)

    def clean(self):
        from prongsai.reports.emblem import MAX_BYTES, EmblemInvalid, prepare

        cleaned = super().clean()
        upload = cleaned.get("file")
        if not upload and not cleaned.get("remove"):
            raise ValidationError(_("กรุณาเลือกไฟล์ตราครุฑ"))
        if upload:
            if upload.size > MAX_BYTES:
                self.add_error("file", _("ไฟล์ตราครุฑต้องมีขนาดไม่เกิน ๒ เมกะไบต์"))
                return cleaned
            data = upload.read()
            try:
                prepare(data)
            except EmblemInvalid as exc:
                self.add_error("file", str(exc))
            cleaned["data"] = data
        return cleaned


class UnitForm(AgencyFormMixin, forms.ModelForm):
    prefix = "unit"  # the settings page shows it beside the agency's and a person's form
    order = forms.IntegerField(label=_("ลำดับ"), min_value=0, max_value=9999, required=False,
                               help_text=_("เว้นว่างไว้เพื่อต่อท้าย"))

    class Meta:
        model = Unit
        fields = ["name", "order"]

    def __init__(self, *args, agency: Agency, instance: Unit | None = None, **kwargs):
        self.editing = instance
        super().__init__(*args, agency=agency, instance=Unit(agency=agency), **kwargs)
        if instance is not None and not self.is_bound:
            self.initial.update({"name": instance.name, "order": instance.order})

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        taken = self.agency.units.filter(name=name)
        if self.editing is not None:
            taken = taken.exclude(pk=self.editing.pk)
        if taken.exists():
            raise ValidationError(_("ชื่อส่วนราชการ: มีส่วนราชการชื่อนี้ในหน่วยงานแล้ว"), code="unique")
        return name


class PersonForm(AgencyFormMixin, forms.ModelForm):
    prefix = "person"
    order = forms.IntegerField(label=_("ลำดับ"), min_value=0, max_value=9999, required=False,
                               help_text=_("เว้นว่างไว้เพื่อต่อท้าย"))

    class Meta:
        model = Person
        fields = ["name", "rank", "position", "unit", "email", "order"]
        labels = {"unit": _("ส่วนราชการ")}

    def __init__(self, *args, agency: Agency, instance: Person | None = None, **kwargs):
        self.editing = instance
        super().__init__(*args, agency=agency, instance=Person(agency=agency), **kwargs)
        self.fields["unit"].queryset = agency.units.all()
        self.fields["unit"].empty_label = _("(ไม่ระบุ)")
        if instance is not None and not self.is_bound:
            for field in ["name", "rank", "position", "email", "order"]:
                self.initial[field] = getattr(instance, field)
            self.initial["unit"] = instance.unit_id

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        taken = self.agency.people.filter(name=name)
        if self.editing is not None:
            taken = taken.exclude(pk=self.editing.pk)
        if taken.exists():
            raise ValidationError(_("ชื่อ-สกุล: มีบุคลากรชื่อนี้ในหน่วยงานแล้ว"), code="unique")
        return name


# Passwords ------------------------------------------------------------------------------------------

def _min_password_length() -> int:
    for validator in password_validation.get_default_password_validators():
        if isinstance(validator, password_validation.MinimumLengthValidator):
            return validator.min_length
    return 0


def password_help() -> str:
    """The rules of settings.AUTH_PASSWORD_VALIDATORS, in Thai."""
    rules = []
    for validator in password_validation.get_default_password_validators():
        if isinstance(validator, password_validation.MinimumLengthValidator):
            rules.append(_("อย่างน้อย %(min)s ตัวอักษร") % {"min": thai.digits(validator.min_length)})
        elif isinstance(validator, password_validation.NumericPasswordValidator):
            rules.append(_("ไม่ใช่ตัวเลขล้วน"))
        elif isinstance(validator, password_validation.CommonPasswordValidator):
            rules.append(_("ไม่ใช่รหัสผ่านที่ใช้กันทั่วไป"))
        elif isinstance(validator, password_validation.UserAttributeSimilarityValidator):
            rules.append(_("ไม่คล้ายชื่อผู้ใช้หรืออีเมล"))
    return " · ".join(str(rule) for rule in rules)


PASSWORD_MESSAGES = {
    "password_too_short": _("รหัสผ่านใหม่สั้นเกินไป ต้องมีอย่างน้อย %(min)s ตัวอักษร"),
    "password_too_common": _("รหัสผ่านใหม่เป็นรหัสผ่านที่ใช้กันทั่วไปและเดาได้ง่าย กรุณาตั้งรหัสผ่านอื่น"),
    "password_entirely_numeric": _("รหัสผ่านใหม่เป็นตัวเลขทั้งหมดไม่ได้"),
    "password_too_similar": _("รหัสผ่านใหม่คล้ายกับชื่อผู้ใช้หรือข้อมูลส่วนตัวมากเกินไป"),
    "password_mismatch": _("ยืนยันรหัสผ่านใหม่: รหัสผ่านทั้งสองช่องไม่ตรงกัน"),
    "password_incorrect": _("รหัสผ่านเดิมไม่ถูกต้อง กรุณากรอกอีกครั้ง"),
}


class ThaiPasswordMixin:
    """Thai labels, help and messages for Django's password forms (Django has no Thai text for its
    password validators)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = _("รหัสผ่านใหม่")
        self.fields["new_password1"].help_text = password_help()
        self.fields["new_password2"].label = _("ยืนยันรหัสผ่านใหม่")
        self.fields["new_password2"].help_text = _("กรอกรหัสผ่านใหม่อีกครั้ง")
        if "old_password" in self.fields:
            self.fields["old_password"].label = _("รหัสผ่านเดิม")
        for field in self.fields.values():
            field.error_messages.update(_field_messages(field, thai.THAI))

    def add_error(self, field, error):
        if isinstance(error, ValidationError) and hasattr(error, "error_list"):
            minimum = thai.digits(_min_password_length())
            error = ValidationError([
                ValidationError(PASSWORD_MESSAGES[e.code] % {"min": minimum}, code=e.code)
                if e.code in PASSWORD_MESSAGES else e
                for e in error.error_list
            ])
        super().add_error(field, error)


class SetPasswordForm(ThaiPasswordMixin, auth_forms.SetPasswordForm):
    pass


class PasswordChangeForm(ThaiPasswordMixin, auth_forms.PasswordChangeForm):
    pass
