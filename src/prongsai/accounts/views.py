"""Members and roles of an agency, the agency's settings (with its units and people), my account,
setting a password from an invitation, and the login lock-out page.

Agency lookups go through prongsai.agencies.access: outsiders get 404, members without the permission
403. Each write is its own POST view: a Form, a call into accounts.services, a redirect; an invalid
form shows its page again with what the user typed.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from prongsai.accounts import forms, services
from prongsai.lib import paging
from prongsai.accounts.models import Invitation
from prongsai.agencies import policy
from prongsai.agencies.access import get_agency_for_user
from prongsai.agencies.models import Membership, Person, Unit
from prongsai.audit import services as audit
from prongsai.audit.models import AuditEntry
from prongsai.lib import thai

User = get_user_model()

def _site_url(request) -> str:
    return request.build_absolute_uri("/")


def _member_history(agency, user):
    return AuditEntry.objects.filter(agency=agency, object_type=user._meta.label_lower, object_id=str(user.pk))


# Members --------------------------------------------------------------------------------------------

MEMBERS_PER_PAGE = 50
INVITATIONS_PER_PAGE = 20


def _members_page(request, agency, invite_form):
    """The members (50 a page, `?page=`) and the pending invitations (20 a page, `?invitations=`), both
    searched by `?q=` (name, username or e-mail): a fixed number of queries, whatever their number."""
    search = " ".join(request.GET.get("q", "").split())[:100]
    member_pages = paging.paginate(request, services.member_users(agency=agency, search=search),
                                   per_page=MEMBERS_PER_PAGE, style=agency.digits, anchor="members-h")
    invitation_pages = paging.paginate(request, services.invitations_query(agency=agency, search=search),
                                       per_page=INVITATIONS_PER_PAGE, param="invitations", style=agency.digits,
                                       anchor="invitations")
    return render(request, "accounts/members.html", {
        "agency": agency, "form": invite_form, "q": search, "now": timezone.now(),
        "members": services.members_of_users(agency=agency, users=member_pages.rows),
        "member_pages": member_pages, "member_count": thai.digits(member_pages.count, agency.digits),
        "invitations": list(invitation_pages.rows), "invitation_pages": invitation_pages,
        "invitation_count": thai.digits(invitation_pages.count, agency.digits),
    })


@login_required
@require_safe
def members(request, slug: str):
    agency = get_agency_for_user(request.user, slug, policy.MANAGE_MEMBERS)
    return _members_page(request, agency, forms.InviteForm(agency=agency))


@login_required
@require_POST
def member_invite(request, slug: str):
    """Sends an invitation; the answer is the same whether or not the address has an account."""
    agency = get_agency_for_user(request.user, slug, policy.MANAGE_MEMBERS)
    form = forms.InviteForm(request.POST, agency=agency)
    if form.is_valid():
        try:
            invitation = services.invite_member(agency=agency, actor=request.user, site_url=_site_url(request),
                                                **form.cleaned_data)
        except ValidationError as exc:
            form.add_error("email" if exc.code == "already_member" else None, exc)
        else:
            messages.success(request, _("ส่งคำเชิญไปที่ %(email)s แล้ว ผู้ได้รับเชิญจะเป็นสมาชิกเมื่อตอบรับคำเชิญ")
                             % {"email": invitation.email})
            return redirect(reverse("accounts:members", kwargs={"slug": agency.slug}) + "#invitations")
    return _members_page(request, agency, form)


@login_required
@require_POST
def invitation_cancel(request, slug: str, invitation_id: int):
    agency = get_agency_for_user(request.user, slug, policy.MANAGE_MEMBERS)
    invitation = get_object_or_404(Invitation, agency=agency, pk=invitation_id)
    try:
        services.cancel_invitation(agency=agency, actor=request.user, invitation=invitation)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("ยกเลิกคำเชิญของ %(email)s แล้ว") % {"email": invitation.email})
    return redirect(reverse("accounts:members", kwargs={"slug": agency.slug}) + "#invitations")


# The invitation e-mail's link: public (the invitee may have no account yet) -------------------------

@require_http_methods(["GET", "HEAD", "POST"])
def invitation(request, token: str):
    """Accept or decline, signed in as the invited address's holder; or, for an address that has no
    account yet, set a password and accept. Every other caller learns nothing about the invitation."""
    found = services.invitation_for_token(token)
    if found is None or not found.is_open():
        return _no_store(render(request, "accounts/invitation.html", {"closed": True}, status=404))
    context = {"invitation": found, "agency": found.agency, "roles": [str(Membership.Role(r).label)
                                                                     for r in found.roles],
               "inviter": found.invited_by.get_full_name() or found.invited_by.get_username()
               if found.invited_by else ""}
    user = request.user
    if user.is_authenticated:
        if not services.holds_address(user, found):
            return _no_store(render(request, "accounts/invitation.html", {**context, "other_user": True},
                                    status=403))
        if request.method == "POST":
            try:
                if request.POST.get("answer") == "decline":
                    services.decline_invitation(invitation=found, user=user)
                    messages.success(request, _("ปฏิเสธคำเชิญของ%(agency)sแล้ว") % {"agency": found.agency.name})
                    return redirect("web:agency_list")
                services.accept_invitation(invitation=found, user=user)
            except ValidationError as exc:
                return _no_store(render(request, "accounts/invitation.html",
                                        {**context, "error": " ".join(exc.messages)}, status=400))
            messages.success(request, _("ท่านเป็นสมาชิกของ%(agency)sแล้ว") % {"agency": found.agency.name})
            return redirect("web:agency_detail", slug=found.agency.slug)
        return _no_store(render(request, "accounts/invitation.html", {**context, "answer": True}))
    if services.find_user_by_email_quietly(found.email) is not None:
        login_url = reverse("login") + "?" + urlencode({"next": request.path})
        return _no_store(render(request, "accounts/invitation.html", {**context, "login_url": login_url}))
    first, last = services.split_name(found.name)
    draft = User(username=found.email, email=found.email, first_name=first, last_name=last)
    form = forms.SetPasswordForm(draft, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.accept_with_new_account(invitation=found, password=form.cleaned_data["new_password1"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            auth_login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("ท่านเป็นสมาชิกของ%(agency)sแล้ว") % {"agency": found.agency.name})
            return redirect("web:agency_detail", slug=found.agency.slug)
    status = 400 if form.is_bound else 200
    return _no_store(render(request, "accounts/invitation.html", {**context, "form": form, "new_account": True},
                            status=status))


def _no_store(response):
    add_never_cache_headers(response)
    patch_cache_control(response, private=True, no_store=True)
    return response


def _member_or_404(agency, user_id: int) -> services.Member:
    member = services.get_member(agency=agency, user_id=user_id)
    if member is None:
        raise Http404("not a member")
    return member


def _member_page(request, agency, member, form):
    return render(request, "accounts/member_detail.html", {
        "agency": agency, "member": member, "form": form, "entries": _member_history(agency, member.user),
        "is_self": member.user.pk == request.user.pk,
    })


@login_required
@require_safe
def member_detail(request, slug: str, user_id: int):
    agency = get_agency_for_user(request.user, slug, policy.MANAGE_MEMBERS)
    member = _member_or_404(agency, user_id)
    form = forms.MemberForm(agency=agency, initial={"roles": list(member.roles), "person": member.person})
    return _member_page(request, agency, member, form)


def _after_own_change(request, agency):
    """Where to go after a change: the members page, or the agency page if the user may no longer manage."""
    if policy.can(request.user, agency, policy.MANAGE_MEMBERS):
        return redirect("accounts:members", slug=agency.slug)
    if policy.can(request.user, agency, policy.VIEW):
        return redirect("web:agency_detail", slug=agency.slug)
    return redirect("web:agency_list")


@login_required
@require_POST
def member_update(request, slug: str, user_id: int):
    agency = get_agency_for_user(request.user, slug, policy.MANAGE_MEMBERS)
    member = _member_or_404(agency, user_id)
    form = forms.MemberForm(request.POST, agency=agency)
    if form.is_valid():
        try:
            changed = services.set_member_roles(agency=agency, actor=request.user, user=member.user,
                                                **form.cleaned_data)
        except ValidationError as exc:
            form.add_error("roles" if exc.code == "last_admin" else None, exc)
        else:
            if changed:
                messages.success(request, _("บันทึกบทบาทของ %(name)s แล้ว") % {"name": member.name})
            return _after_own_change(request, agency)
    return _member_page(request, agency, member, form)


@login_required
@require_POST
def member_remove(request, slug: str, user_id: int):
    agency = get_agency_for_user(request.user, slug, policy.MANAGE_MEMBERS)
    member = _member_or_404(agency, user_id)
    try:
        services.remove_member(agency=agency, actor=request.user, user=member.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("accounts:member_detail", slug=agency.slug, user_id=member.user.pk)
    messages.success(request, _("นำ %(name)s ออกจากหน่วยงานแล้ว") % {"name": member.name})
    return _after_own_change(request, agency)


@login_required
@require_POST
def member_resend(request, slug: str, user_id: int):
    agency = get_agency_for_user(request.user, slug, policy.MANAGE_MEMBERS)
    member = _member_or_404(agency, user_id)
    try:
        services.resend_invitation(agency=agency, actor=request.user, user=member.user, site_url=_site_url(request))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("ส่งอีเมลคำเชิญไปที่ %(email)s อีกครั้งแล้ว") % {"email": member.user.email})
    return redirect("accounts:member_detail", slug=agency.slug, user_id=member.user.pk)


# The agency's settings ------------------------------------------------------------------------------

def _settings_page(request, agency, form=None, unit_form=None, person_form=None, emblem_form=None):
    return render(request, "accounts/agency_settings.html", {
        "agency": agency,
        "form": form or forms.AgencyForm(agency=agency),
        "emblem_form": emblem_form or forms.EmblemForm(agency=agency),
        "unit_form": unit_form or forms.UnitForm(agency=agency),
        "person_form": person_form or forms.PersonForm(agency=agency),
        "units": agency.units.all(),
        "people": agency.people.select_related("unit"),
        "entries": audit.history(agency),
    })


@login_required
@require_safe
def agency_settings(request, slug: str):
    agency = get_agency_for_user(request.user, slug, policy.EDIT_AGENCY)
    return _settings_page(request, agency)


@login_required
@require_POST
def agency_update(request, slug: str):
    agency = get_agency_for_user(request.user, slug, policy.EDIT_AGENCY)
    form = forms.AgencyForm(request.POST, agency=agency)
    if form.is_valid():
        if services.update_agency(agency=agency, actor=request.user, values=form.cleaned_data):
            messages.success(request, _("บันทึกข้อมูลหน่วยงานแล้ว"))
        return redirect("accounts:agency_settings", slug=agency.slug)
    return _settings_page(request, agency, form=form)


@login_required
@require_safe
def agency_emblem_image(request, slug: str):
    """The stored emblem (always a PNG, see reports.emblem) for the settings page."""
    from django.http import HttpResponse

    from prongsai.reports import emblem

    agency = get_agency_for_user(request.user, slug, policy.EDIT_AGENCY)
    png = emblem.for_agency(agency)
    if png is None:
        raise Http404("no emblem")
    response = HttpResponse(png, content_type="image/png")
    response["X-Content-Type-Options"] = "nosniff"
    patch_cache_control(response, private=True, no_cache=True)
    return response


@login_required
@require_POST
def agency_emblem(request, slug: str):
    """Upload (PNG or SVG, made safe and stored as PNG) or remove the agency's Garuda emblem."""
    from prongsai.reports import emblem

    agency = get_agency_for_user(request.user, slug, policy.EDIT_AGENCY)
    form = forms.EmblemForm(request.POST, request.FILES, agency=agency)
    if form.is_valid():
        data = None if form.cleaned_data.get("remove") and not form.cleaned_data.get("file") else form.cleaned_data["data"]
        if emblem.save_for_agency(agency=agency, actor=request.user, data=data):
            messages.success(request, _("ลบตราครุฑแล้ว") if data is None else _("บันทึกตราครุฑแล้ว"))
        return redirect(reverse("accounts:agency_settings", kwargs={"slug": agency.slug}) + "#emblem")
    return _settings_page(request, agency, emblem_form=form)


@login_required
@require_POST
def unit_add(request, slug: str):
    agency = get_agency_for_user(request.user, slug, policy.EDIT_AGENCY)
    form = forms.UnitForm(request.POST, agency=agency)
    if form.is_valid():
        unit = services.save_unit(agency=agency, actor=request.user, values=form.cleaned_data)
        messages.success(request, _("เพิ่มส่วนราชการ %(name)s แล้ว") % {"name": unit.name})
        return redirect(reverse("accounts:agency_settings", kwargs={"slug": agency.slug}) + "#units")
    return _settings_page(request, agency, unit_form=form)


def _unit_page(request, agency, unit, form):
    return render(request, "accounts/unit_detail.html", {
        "agency": agency, "unit": unit, "form": form, "entries": audit.history(unit),
        "measure_count": unit.measures.count(),
    })


@login_required
@require_safe
def unit_detail(request, slug: str, unit_id: int):
    agency = get_agency_for_user(request.user, slug, policy.EDIT_AGENCY)
    unit = get_object_or_404(Unit, agency=agency, pk=unit_id)
    return _unit_page(request, agency, unit, forms.UnitForm(agency=agency, instance=unit))


@login_required
@require_POST
def unit_update(request, slug: str, unit_id: int):
    agency = get_agency_for_user(request.user, slug, policy.EDIT_AGENCY)
    unit = get_object_or_404(Unit, agency=agency, pk=unit_id)
    form = forms.UnitForm(request.POST, agency=agency, instance=unit)
    if form.is_valid():
        services.save_unit(agency=agency, actor=request.user, unit=unit, values=form.cleaned_data)
        messages.success(request, _("บันทึกส่วนราชการ %(name)s แล้ว") % {"name": unit.name})
        return redirect(reverse("accounts:agency_settings", kwargs={"slug": agency.slug}) + "#units")
    return _unit_page(request, agency, unit, form)


@login_required
@require_POST
def unit_delete(request, slug: str, unit_id: int):
    agency = get_agency_for_user(request.user, slug, policy.EDIT_AGENCY)
    unit = get_object_or_404(Unit, agency=agency, pk=unit_id)
    try:
        services.delete_unit(agency=agency, actor=request.user, unit=unit)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("accounts:unit_detail", slug=agency.slug, unit_id=unit.pk)
    messages.success(request, _("ลบส่วนราชการ %(name)s แล้ว") % {"name": unit.name})
    return redirect(reverse("accounts:agency_settings", kwargs={"slug": agency.slug}) + "#units")


@login_required
@require_POST
def person_add(request, slug: str):
    agency = get_agency_for_user(request.user, slug, policy.EDIT_AGENCY)
    form = forms.PersonForm(request.POST, agency=agency)
    if form.is_valid():
        person = services.save_person(agency=agency, actor=request.user, values=form.cleaned_data)
        messages.success(request, _("เพิ่มบุคลากร %(name)s แล้ว") % {"name": person.name})
        return redirect(reverse("accounts:agency_settings", kwargs={"slug": agency.slug}) + "#people")
    return _settings_page(request, agency, person_form=form)


def _person_page(request, agency, person, form):
    return render(request, "accounts/person_detail.html", {
        "agency": agency, "person": person, "form": form, "entries": audit.history(person),
    })


@login_required
@require_safe
def person_detail(request, slug: str, person_id: int):
    agency = get_agency_for_user(request.user, slug, policy.EDIT_AGENCY)
    person = get_object_or_404(Person, agency=agency, pk=person_id)
    return _person_page(request, agency, person, forms.PersonForm(agency=agency, instance=person))


@login_required
@require_POST
def person_update(request, slug: str, person_id: int):
    agency = get_agency_for_user(request.user, slug, policy.EDIT_AGENCY)
    person = get_object_or_404(Person, agency=agency, pk=person_id)
    form = forms.PersonForm(request.POST, agency=agency, instance=person)
    if form.is_valid():
        services.save_person(agency=agency, actor=request.user, person=person, values=form.cleaned_data)
        messages.success(request, _("บันทึกข้อมูล %(name)s แล้ว") % {"name": person.name})
        return redirect(reverse("accounts:agency_settings", kwargs={"slug": agency.slug}) + "#people")
    return _person_page(request, agency, person, form)


@login_required
@require_POST
def person_delete(request, slug: str, person_id: int):
    agency = get_agency_for_user(request.user, slug, policy.EDIT_AGENCY)
    person = get_object_or_404(Person, agency=agency, pk=person_id)
    services.delete_person(agency=agency, actor=request.user, person=person)
    messages.success(request, _("ลบบุคลากร %(name)s แล้ว") % {"name": person.name})
    return redirect(reverse("accounts:agency_settings", kwargs={"slug": agency.slug}) + "#people")


# My account and passwords ---------------------------------------------------------------------------

@login_required
@require_safe
def account(request):
    return render(request, "accounts/account.html", {"memberships": services.memberships_of(user=request.user)})


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's password change, in Thai, audited."""

    template_name = "accounts/password_change.html"
    form_class = forms.PasswordChangeForm
    success_url = reverse_lazy("accounts:account")

    def form_valid(self, form):
        with transaction.atomic():
            response = super().form_valid(form)
            audit.record(actor=form.user, action="accounts.password.changed", obj=form.user, changes={})
        messages.success(self.request, _("เปลี่ยนรหัสผ่านแล้ว"))
        return response


class SetPasswordView(auth_views.PasswordResetConfirmView):
    """The link of an invitation e-mail: Django's password-reset confirmation, in Thai, audited."""

    template_name = "accounts/set_password.html"
    form_class = forms.SetPasswordForm
    success_url = reverse_lazy("accounts:set_password_done")

    def form_valid(self, form):
        with transaction.atomic():
            response = super().form_valid(form)
            audit.record(actor=form.user, action="accounts.password.set", obj=form.user, changes={})
        return response


class SetPasswordDoneView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/set_password_done.html"


# Login lock-out (settings.AXES_LOCKOUT_CALLABLE) ----------------------------------------------------

def locked_out(request, original_response=None, credentials=None):
    """The page django-axes shows instead of logging in, once a username has failed too often from
    this address (HTTP 429)."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    response = render(request, "accounts/locked_out.html", {
        "minutes": thai.digits(minutes), "failures": thai.digits(settings.AXES_FAILURE_LIMIT),
    }, status=429)
    response["Retry-After"] = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    return response
