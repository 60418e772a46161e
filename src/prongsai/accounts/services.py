"""An agency's members (invitations, roles, removal) and its own settings, units and people.

Every change runs in one transaction with its audit entry. A member is a user with one or more
Membership rows in the agency (one row per role). Rules:

- an agency keeps at least one active agency admin: the last one cannot be removed or lose the role;
- inviting an e-mail address makes an Invitation and mails its link, whatever the address: nobody is
  added until the address's holder accepts, signed in (an existing account, e.g. a member of another
  agency) or with a new account made on the link's page (the address is the username); the inviting
  agency sees only what it typed, and the same answer for every address (issue 10 item 6);
- a unit that measures name as responsible cannot be deleted (rename it instead).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import smtplib
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import models, transaction
from django.db.models import Max, Q, Value
from django.db.models.functions import Coalesce, Concat, Lower, NullIf, Trim
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from prongsai.accounts.models import Invitation
from prongsai.agencies import policy
from prongsai.agencies.models import Agency, Membership, Person, Unit
from prongsai.audit import services as audit
from prongsai.lib import thai

User = get_user_model()
Role = Membership.Role
ROLE_ORDER = [role.value for role in Role]

AGENCY_FIELDS = [
    "name", "kind", "office_name", "district", "province", "doc_prefix", "executive_title", "digits",
    "address", "phone", "email", "website", "urgent_below", "session_hours",
]
UNIT_FIELDS = ["name", "order"]
PERSON_FIELDS = ["name", "rank", "position", "unit", "email", "order"]


@dataclass(frozen=True)
class Member:
    """A user's place in one agency: the roles held (in Role order) and the linked Person, if any."""

    user: User
    roles: tuple[str, ...]
    person: Person | None

    @property
    def role_labels(self) -> list[str]:
        return [str(Role(role).label) for role in self.roles]

    @property
    def name(self) -> str:
        return self.user.get_full_name() or self.user.get_username()

    @property
    def invitation_pending(self) -> bool:
        """Invited but no password set yet."""
        return not self.user.has_usable_password()


def _sorted_roles(roles) -> tuple[str, ...]:
    wanted = set(roles)
    return tuple(role for role in ROLE_ORDER if role in wanted)


def members(*, agency: Agency) -> list[Member]:
    """The agency's members, by name."""
    rows = Membership.objects.filter(agency=agency).select_related("user", "person")
    by_user: dict[int, list[Membership]] = {}
    for row in rows:
        by_user.setdefault(row.user_id, []).append(row)
    found = [_member_of(group) for group in by_user.values()]
    return sorted(found, key=lambda m: (m.name.casefold(), m.user.pk))


def _full_name():
    """User.get_full_name() as SQL: first and last name joined by a space, trimmed."""
    return Trim(Concat("first_name", Value(" "), "last_name", output_field=models.CharField()))


def member_users(*, agency: Agency, search: str = "") -> models.QuerySet:
    """The agency's members as a queryset of users, by name as the members page shows it (full name,
    else username; case-folded), for a Paginator: one COUNT and one page of rows. `search` keeps the
    users whose full name, username or e-mail contains it (case-insensitive)."""
    users = (User.objects.filter(pk__in=Membership.objects.filter(agency=agency).values("user_id"))
             .annotate(full_name=_full_name()))
    users = users.annotate(sort_name=Lower(Coalesce(NullIf("full_name", Value("")), "username")))
    if search:
        users = users.filter(Q(full_name__icontains=search) | Q(username__icontains=search)
                             | Q(email__icontains=search))
    return users.order_by("sort_name", "pk")


def members_of_users(*, agency: Agency, users) -> list[Member]:
    """The Member of each user (in the users' order): one query for their memberships of the agency."""
    users = list(users)
    rows: dict[int, list[Membership]] = {user.pk: [] for user in users}
    for row in Membership.objects.filter(agency=agency, user__in=users).select_related("person"):
        rows[row.user_id].append(row)
    by_pk = {user.pk: user for user in users}
    found = []
    for user_id, group in rows.items():
        if group:
            for row in group:
                row.user = by_pk[user_id]
            found.append(_member_of(group))
    return found


def invitations_query(*, agency: Agency, search: str = "") -> models.QuerySet:
    """The pending invitations of pending_invitations() as a queryset (newest first), for a Paginator;
    `search` keeps those whose name or e-mail contains it."""
    rows = (Invitation.objects.filter(agency=agency, status=Invitation.Status.PENDING)
            .select_related("invited_by").order_by("-created_at", "-id"))
    if search:
        rows = rows.filter(Q(name__icontains=search) | Q(email__icontains=search))
    return rows


def get_member(*, agency: Agency, user_id: int) -> Member | None:
    rows = list(Membership.objects.filter(agency=agency, user_id=user_id).select_related("user", "person"))
    return _member_of(rows) if rows else None


def memberships_of(*, user) -> list[tuple[Agency, list[str]]]:
    """The user's agencies (by name) with the labels of the roles held in each, in Role order."""
    by_agency: dict[Agency, list[str]] = {}
    for row in Membership.objects.filter(user=user).select_related("agency").order_by("agency__name"):
        by_agency.setdefault(row.agency, []).append(row.role)
    return [(agency, [str(Role(r).label) for r in _sorted_roles(roles)]) for agency, roles in by_agency.items()]


def _member_of(rows: list[Membership]) -> Member:
    person = next((row.person for row in rows if row.person_id), None)
    return Member(user=rows[0].user, roles=_sorted_roles(row.role for row in rows), person=person)


def _lock(agency: Agency) -> None:
    """Serialise membership changes of one agency (two admins removing each other at once)."""
    Agency.objects.select_for_update().filter(pk=agency.pk).first()


def _admin_ids(agency: Agency) -> set[int]:
    return set(
        Membership.objects.filter(agency=agency, role=Role.ADMIN, user__is_active=True)
        .values_list("user_id", flat=True)
    )


def _check_keeps_an_admin(agency: Agency, user, new_roles) -> None:
    admins = _admin_ids(agency)
    if user.pk in admins and Role.ADMIN not in new_roles and len(admins) == 1:
        raise ValidationError(
            _("ต้องมีผู้ดูแลระบบของหน่วยงานอย่างน้อยหนึ่งคน: "
              "เพิ่มผู้ดูแลระบบคนอื่นก่อน จึงจะถอดบทบาทหรือลบผู้ดูแลระบบคนสุดท้ายได้"),
            code="last_admin",
        )


def _member_snapshot(member: Member | None) -> dict | None:
    if member is None:
        return None
    return {"roles": list(member.roles), "person": member.person.pk if member.person else None}


def _record_member(*, actor, action: str, agency: Agency, user, before: Member | None, after: Member | None,
                   extra: dict | None = None):
    changes = audit.diff(_member_snapshot(before), _member_snapshot(after))
    changes.update(extra or {})
    name = user.get_full_name() or user.get_username()
    return audit.record(actor=actor, action=action, obj=user, agency=agency, changes=changes,
                        object_repr=f"{name} ({user.get_username()})")


def _split_name(name: str) -> tuple[str, str]:
    """'นางสาวปราณี จันทไชย' -> ('นางสาวปราณี', 'จันทไชย'); get_full_name() joins them back."""
    first, _, last = " ".join(name.split()).partition(" ")
    return first[:150], last[:150]


def find_user_by_email(email: str):
    """The user this address belongs to (by e-mail, else by a username equal to it), or None.
    ValidationError when several accounts share the address."""
    matches = list(User.objects.filter(email__iexact=email)[:2])
    if len(matches) > 1:
        raise ValidationError(
            _("อีเมลนี้เป็นของผู้ใช้มากกว่าหนึ่งบัญชี กรุณาติดต่อผู้ดูแลระบบ"), code="ambiguous_email"
        )
    if matches:
        return matches[0]
    return User.objects.filter(username__iexact=email).first()


def find_user_by_email_quietly(email: str):
    """Like find_user_by_email, but several accounts with the address count as one (the first)."""
    found = User.objects.filter(email__iexact=email).order_by("pk").first()
    return found or User.objects.filter(username__iexact=email).first()


split_name = _split_name

INVITATION_DAYS = 7


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def invite_member(*, agency: Agency, actor, email: str, name: str, roles, person: Person | None = None,
                  site_url: str) -> Invitation:
    """Invite the holder of this e-mail address to the agency with these roles: an Invitation and an
    e-mail with its link (`site_url` starts the link, e.g. "https://ita.example.go.th/"). Nobody is
    added until the holder accepts, signed in (accept_invitation) or with a new account
    (accept_with_new_account). Whether an account has this address is never looked at here, so the
    answer is the same for every address; an earlier open invitation of the same address is replaced.

    ValidationError: no role, a person of another agency, the address is already a member's (of this
    agency: its own members list shows them anyway), or the e-mail could not be sent (nothing saved)."""
    email = email.strip().lower()
    roles = _sorted_roles(roles)
    if not roles:
        raise ValidationError(_("กรุณาเลือกบทบาทอย่างน้อยหนึ่งบทบาท"), code="no_role")
    if person is not None and person.agency_id != agency.pk:
        raise ValidationError(_("บุคลากรที่เลือกไม่ได้อยู่ในหน่วยงานนี้"), code="other_agency_person")
    name = " ".join(name.split())[:200]
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    with transaction.atomic():
        _lock(agency)
        if _members_with_address(agency, email):
            raise ValidationError(_("ผู้ใช้ที่มีอีเมลนี้เป็นสมาชิกของหน่วยงานอยู่แล้ว"), code="already_member")
        for old in Invitation.objects.filter(agency=agency, email=email, status=Invitation.Status.PENDING):
            old.status, old.answered_at = Invitation.Status.CANCELLED, now
            old.save(update_fields=["status", "answered_at"])
            audit.record(actor=actor, action="accounts.invitation.replaced", obj=old, agency=agency,
                         changes={"status": [Invitation.Status.PENDING, Invitation.Status.CANCELLED]})
        invitation = Invitation.objects.create(
            agency=agency, email=email, name=name, roles=list(roles), person=person, invited_by=actor,
            token_hash=_token_hash(token), created_at=now, expires_at=now + dt.timedelta(days=INVITATION_DAYS))
        audit.record(actor=actor, action="accounts.invitation.created", obj=invitation, agency=agency,
                     changes={"email": [None, email], "name": [None, name], "roles": [None, list(roles)],
                              "person": [None, person.pk if person else None]})
        _send_invitation(invitation=invitation, actor=actor, token=token, site_url=site_url)
    return invitation


def _members_with_address(agency: Agency, email: str) -> bool:
    return Membership.objects.filter(agency=agency).filter(
        models.Q(user__email__iexact=email) | models.Q(user__username__iexact=email)).exists()


def pending_invitations(*, agency: Agency) -> list[Invitation]:
    """The agency's invitations still waiting for an answer (expired ones included, marked by is_open)."""
    return list(Invitation.objects.filter(agency=agency, status=Invitation.Status.PENDING)
                .select_related("invited_by").order_by("-created_at", "-id"))


def invitation_for_token(token: str) -> Invitation | None:
    """The invitation of an e-mail's link, or None (unknown token)."""
    if not token or len(token) > 100:
        return None
    return Invitation.objects.filter(token_hash=_token_hash(token)).select_related("agency", "invited_by").first()


def holds_address(user, invitation: Invitation) -> bool:
    """Whether the signed-in user is the one the invitation was sent to (by e-mail, or a username equal
    to the address, as accounts made from an invitation have)."""
    address = invitation.email.lower()
    return bool(user.is_authenticated and user.is_active and (
        (user.email or "").strip().lower() == address or user.get_username().lower() == address))


def _open_for(invitation: Invitation, user) -> Invitation:
    """The invitation, locked, when `user` may answer it now; ValidationError otherwise."""
    locked = Invitation.objects.select_for_update().select_related("agency").get(pk=invitation.pk)
    if not locked.is_open():
        raise ValidationError(_("คำเชิญนี้ใช้ไม่ได้แล้ว (ตอบไปแล้ว ถูกยกเลิก หรือหมดอายุ)"), code="closed")
    if not holds_address(user, locked):
        raise ValidationError(_("คำเชิญนี้ส่งถึงอีเมลอื่น: กรุณาเข้าสู่ระบบด้วยบัญชีของอีเมลที่ได้รับคำเชิญ"),
                              code="other_user")
    return locked


def accept_invitation(*, invitation: Invitation, user) -> Member:
    """The signed-in invitee joins the agency with the invited roles (those not held already)."""
    with transaction.atomic():
        _lock(invitation.agency)
        invitation = _open_for(invitation, user)
        agency = invitation.agency
        before = get_member(agency=agency, user_id=user.pk)
        person = invitation.person if invitation.person and invitation.person.agency_id == agency.pk else None
        held = set(before.roles) if before else set()
        if before is not None and before.person is not None:
            person = before.person
        wanted = _sorted_roles([*held, *invitation.roles])
        Membership.objects.bulk_create(
            [Membership(agency=agency, user=user, role=role, person=person) for role in wanted if role not in held])
        if before is not None:
            Membership.objects.filter(agency=agency, user=user).update(person=person)
        after = Member(user=user, roles=wanted, person=person)
        invitation.status, invitation.answered_at, invitation.user = Invitation.Status.ACCEPTED, timezone.now(), user
        invitation.save(update_fields=["status", "answered_at", "user"])
        audit.record(actor=user, action="accounts.invitation.accepted", obj=invitation, agency=agency,
                     changes={"status": [Invitation.Status.PENDING, Invitation.Status.ACCEPTED]})
        _record_member(actor=user, action="agencies.membership.created" if before is None
                       else "agencies.membership.updated", agency=agency, user=user, before=before, after=after)
    policy.forget(user)
    return after


def decline_invitation(*, invitation: Invitation, user) -> None:
    with transaction.atomic():
        invitation = _open_for(invitation, user)
        invitation.status, invitation.answered_at, invitation.user = Invitation.Status.DECLINED, timezone.now(), user
        invitation.save(update_fields=["status", "answered_at", "user"])
        audit.record(actor=user, action="accounts.invitation.declined", obj=invitation, agency=invitation.agency,
                     changes={"status": [Invitation.Status.PENDING, Invitation.Status.DECLINED]})


def accept_with_new_account(*, invitation: Invitation, password: str):
    """For an address that has no account yet: make one (the address is the username, the name as the
    inviting agency typed it, this password) and accept with it. ValidationError when an account has
    the address by now (then the invitee signs in and accepts) or the invitation is closed."""
    with transaction.atomic():
        _lock(invitation.agency)
        locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if not locked.is_open():
            raise ValidationError(_("คำเชิญนี้ใช้ไม่ได้แล้ว (ตอบไปแล้ว ถูกยกเลิก หรือหมดอายุ)"), code="closed")
        if find_user_by_email_quietly(locked.email) is not None:
            raise ValidationError(_("อีเมลนี้มีบัญชีผู้ใช้แล้ว กรุณาเข้าสู่ระบบเพื่อตอบรับคำเชิญ"), code="has_account")
        first, last = _split_name(locked.name)
        user = User(username=locked.email, email=locked.email, first_name=first, last_name=last)
        user.set_password(password)
        user.save()
        audit.record(actor=user, action="accounts.user.created", obj=user, agency=locked.agency,
                     changes={"user": [None, user.get_username()]}, object_repr=user.get_username())
        accept_invitation(invitation=locked, user=user)
    return user


def cancel_invitation(*, agency: Agency, actor, invitation: Invitation) -> None:
    with transaction.atomic():
        locked = Invitation.objects.select_for_update().get(pk=invitation.pk, agency=agency)
        if locked.status != Invitation.Status.PENDING:
            raise ValidationError(_("คำเชิญนี้ตอบไปแล้วหรือถูกยกเลิกแล้ว"), code="closed")
        locked.status, locked.answered_at = Invitation.Status.CANCELLED, timezone.now()
        locked.save(update_fields=["status", "answered_at"])
        audit.record(actor=actor, action="accounts.invitation.cancelled", obj=locked, agency=agency,
                     changes={"status": [Invitation.Status.PENDING, Invitation.Status.CANCELLED]})


def resend_invitation(*, agency: Agency, actor, user, site_url: str) -> None:
    """Send a member who has not set a password yet a new invitation (a fresh set-password link)."""
    with transaction.atomic():
        member = get_member(agency=agency, user_id=user.pk)
        if member is None:
            raise ValidationError(_("ผู้ใช้นี้ไม่ได้เป็นสมาชิกของหน่วยงาน"), code="not_member")
        if not member.invitation_pending:
            raise ValidationError(
                _("สมาชิกนี้ตั้งรหัสผ่านแล้ว จึงไม่ต้องส่งคำเชิญอีก"), code="password_already_set"
            )
        audit.record(actor=actor, action="agencies.membership.invited", obj=member.user, agency=agency,
                     changes={}, object_repr=f"{member.name} ({member.user.get_username()})")
        _send_password_link(agency=agency, actor=actor, member=member, site_url=site_url)


def set_member_roles(*, agency: Agency, actor, user, roles, person: Person | None = None) -> bool:
    """Give the member exactly these roles (and link them to `person`, or to nobody). True when
    something changed. ValidationError: no role, or the agency's last admin would lose the role."""
    roles = _sorted_roles(roles)
    if not roles:
        raise ValidationError(_("กรุณาเลือกบทบาทอย่างน้อยหนึ่งบทบาท"), code="no_role")
    if person is not None and person.agency_id != agency.pk:
        raise ValidationError(_("บุคลากรที่เลือกไม่ได้อยู่ในหน่วยงานนี้"), code="other_agency_person")
    with transaction.atomic():
        _lock(agency)
        before = get_member(agency=agency, user_id=user.pk)
        if before is None:
            raise ValidationError(_("ผู้ใช้นี้ไม่ได้เป็นสมาชิกของหน่วยงาน"), code="not_member")
        if before.roles == roles and before.person == person:
            return False
        _check_keeps_an_admin(agency, user, roles)
        Membership.objects.filter(agency=agency, user=user).exclude(role__in=roles).delete()
        Membership.objects.bulk_create([
            Membership(agency=agency, user=user, role=role, person=person)
            for role in roles if role not in before.roles
        ])
        Membership.objects.filter(agency=agency, user=user).update(person=person)
        after = Member(user=user, roles=roles, person=person)
        _record_member(actor=actor, action="agencies.membership.updated", agency=agency, user=user,
                       before=before, after=after)
    policy.forget(user)
    policy.forget(actor)
    return True


def remove_member(*, agency: Agency, actor, user) -> None:
    """Take the user out of the agency (the account stays: it may belong to other agencies).
    ValidationError for the agency's last admin."""
    with transaction.atomic():
        _lock(agency)
        before = get_member(agency=agency, user_id=user.pk)
        if before is None:
            raise ValidationError(_("ผู้ใช้นี้ไม่ได้เป็นสมาชิกของหน่วยงาน"), code="not_member")
        _check_keeps_an_admin(agency, user, ())
        Membership.objects.filter(agency=agency, user=user).delete()
        _record_member(actor=actor, action="agencies.membership.deleted", agency=agency, user=user,
                       before=before, after=None)
    policy.forget(user)
    policy.forget(actor)


def set_password_url(*, user, site_url: str) -> str:
    """The one-time link where the user sets a password (Django's password-reset token: it stops
    working once the password is set, and after PASSWORD_RESET_TIMEOUT)."""
    path = reverse("accounts:password_reset_confirm", kwargs={
        "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
    })
    return site_url.rstrip("/") + path


def _send_invitation(*, invitation: Invitation, actor, token: str, site_url: str) -> None:
    """The invitation e-mail: the same text whether or not the address has an account (the link's page
    tells the invitee what to do)."""
    agency = invitation.agency
    context = {
        "agency": agency,
        "name": invitation.name,
        "inviter": actor.get_full_name() or actor.get_username(),
        "roles": ", ".join(str(Role(role).label) for role in invitation.roles),
        "invitation_url": site_url.rstrip("/") + reverse("accounts:invitation", kwargs={"token": token}),
        "valid_days": thai.digits(INVITATION_DAYS, agency.digits),
    }
    # Invitees have not chosen a language yet: the e-mail is in Thai.
    with translation.override("th"):
        subject = " ".join(render_to_string("accounts/email/invitation_subject.txt", context).split())
        body = render_to_string("accounts/email/invitation.txt", context)
    message = EmailMessage(subject=subject, body=body, to=[invitation.email])
    try:
        message.send()
    except (smtplib.SMTPException, OSError) as exc:
        raise ValidationError(
            _("ส่งอีเมลคำเชิญไม่สำเร็จ (%(error)s) จึงยังไม่ได้บันทึก กรุณาตรวจสอบการตั้งค่าอีเมลของระบบ"),
            code="mail_failed", params={"error": exc.__class__.__name__},
        ) from exc


def _send_password_link(*, agency: Agency, actor, member: Member, site_url: str) -> None:
    """A new set-password link for a member whose account has no password yet (made before invitations
    were accepted by the invitee, or by an operator)."""
    user = member.user
    context = {
        "agency": agency,
        "name": member.name,
        "inviter": actor.get_full_name() or actor.get_username(),
        "roles": ", ".join(member.role_labels),
        "username": user.get_username(),
        "set_password_url": set_password_url(user=user, site_url=site_url),
        "login_url": site_url.rstrip("/") + reverse("login"),
        "valid_days": thai.digits(max(1, settings.PASSWORD_RESET_TIMEOUT // 86400), agency.digits),
    }
    with translation.override("th"):
        subject = " ".join(render_to_string("accounts/email/invitation_subject.txt", context).split())
        body = render_to_string("accounts/email/set_password.txt", context)
    message = EmailMessage(subject=subject, body=body, to=[user.email or user.get_username()])
    try:
        message.send()
    except (smtplib.SMTPException, OSError) as exc:
        raise ValidationError(
            _("ส่งอีเมลคำเชิญไม่สำเร็จ (%(error)s) จึงยังไม่ได้บันทึก กรุณาตรวจสอบการตั้งค่าอีเมลของระบบ"),
            code="mail_failed", params={"error": exc.__class__.__name__},
        ) from exc


# The agency's settings, units and people ----------------------------------------------------------

def update_agency(*, agency: Agency, actor, values: dict) -> bool:
    """Set the agency's editable fields (AGENCY_FIELDS) from `values`; True when something changed."""
    with transaction.atomic():
        agency = Agency.objects.select_for_update().get(pk=agency.pk)
        before = audit.snapshot(agency, AGENCY_FIELDS)
        for field in AGENCY_FIELDS:
            if field in values:
                setattr(agency, field, _as_stored(Agency, field, values[field]))
        agency.full_clean()
        after = audit.snapshot(agency, AGENCY_FIELDS)
        changes = audit.diff(before, after)
        if not changes:
            return False
        agency.save(update_fields=[f for f in AGENCY_FIELDS if f in changes])
        audit.record(actor=actor, action="agencies.agency.updated", obj=agency, changes=changes)
    return True


def _as_stored(model, name: str, value):
    """The value as the database gives it back (80.5 -> 80.50), so that the audit diff is exact."""
    field = model._meta.get_field(name)
    if isinstance(field, models.DecimalField) and value is not None:
        return Decimal(value).quantize(Decimal(1).scaleb(-field.decimal_places))
    return value


def _save_child(*, instance, actor, values: dict, fields: list[str], kind: str):
    created = instance.pk is None
    with transaction.atomic():
        before = None if created else audit.snapshot(type(instance).objects.get(pk=instance.pk), _attnames(fields))
        for field in fields:
            if field in values:
                setattr(instance, field, values[field])
        if instance.order is None:
            siblings = type(instance).objects.filter(agency=instance.agency)
            instance.order = (siblings.aggregate(n=Max("order"))["n"] or 0) + 1
        instance.full_clean()
        after = audit.snapshot(instance, _attnames(fields))
        changes = audit.diff(before, after)
        if not created and not changes:
            return instance
        instance.save()
        audit.record(actor=actor, action=f"agencies.{kind}.{'created' if created else 'updated'}", obj=instance,
                     agency=instance.agency, changes=changes)
    return instance


def _attnames(fields: list[str]) -> list[str]:
    return [f"{field}_id" if field == "unit" else field for field in fields]


def save_unit(*, agency: Agency, actor, values: dict, unit: Unit | None = None) -> Unit:
    """Create a unit (values: name, order; order None = last) or change one of the agency's units."""
    if unit is not None and unit.agency_id != agency.pk:
        raise ValidationError("unit of another agency")
    unit = unit or Unit(agency=agency, order=None)
    return _save_child(instance=unit, actor=actor, values=values, fields=UNIT_FIELDS, kind="unit")


def delete_unit(*, agency: Agency, actor, unit: Unit) -> None:
    """Delete a unit; its people stay, without a unit. ValidationError while measures name it."""
    if unit.agency_id != agency.pk:
        raise ValidationError("unit of another agency")
    with transaction.atomic():
        used = unit.measures.count()
        if used:
            raise ValidationError(
                _("ลบไม่ได้: ส่วนราชการนี้เป็นผู้รับผิดชอบมาตรการอยู่ %(count)s รายการ (แก้ไขชื่อแทนได้)"),
                code="unit_in_use", params={"count": thai.digits(used, agency.digits)},
            )
        before = audit.snapshot(unit, _attnames(UNIT_FIELDS))
        audit.record(actor=actor, action="agencies.unit.deleted", obj=unit, agency=agency,
                     changes=audit.diff(before, None))
        unit.delete()


def save_person(*, agency: Agency, actor, values: dict, person: Person | None = None) -> Person:
    """Create a person (values: name, rank, position, unit, email, order; order None = last) or change
    one of the agency's people."""
    if person is not None and person.agency_id != agency.pk:
        raise ValidationError("person of another agency")
    unit = values.get("unit")
    if unit is not None and unit.agency_id != agency.pk:
        raise ValidationError(_("ส่วนราชการที่เลือกไม่ได้อยู่ในหน่วยงานนี้"), code="other_agency_unit")
    person = person or Person(agency=agency, order=None)
    return _save_child(instance=person, actor=actor, values=values, fields=PERSON_FIELDS, kind="person")


def delete_person(*, agency: Agency, actor, person: Person) -> None:
    """Delete a person of the agency; members linked to them keep their account and roles."""
    if person.agency_id != agency.pk:
        raise ValidationError("person of another agency")
    with transaction.atomic():
        before = audit.snapshot(person, _attnames(PERSON_FIELDS))
        audit.record(actor=actor, action="agencies.person.deleted", obj=person, agency=agency,
                     changes=audit.diff(before, None))
        person.delete()
