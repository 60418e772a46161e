from django.urls import path

from prongsai.accounts import views

app_name = "accounts"

MEMBER = "agencies/<slug:slug>/members/<int:user_id>/"
UNIT = "agencies/<slug:slug>/settings/units/<int:unit_id>/"
PERSON = "agencies/<slug:slug>/settings/people/<int:person_id>/"

urlpatterns = [
    path("agencies/<slug:slug>/members/", views.members, name="members"),
    path("agencies/<slug:slug>/members/invite/", views.member_invite, name="member_invite"),
    path("agencies/<slug:slug>/members/invitations/<int:invitation_id>/cancel/", views.invitation_cancel,
         name="invitation_cancel"),
    path("accounts/invitations/<str:token>/", views.invitation, name="invitation"),
    path(MEMBER, views.member_detail, name="member_detail"),
    path(MEMBER + "update/", views.member_update, name="member_update"),
    path(MEMBER + "remove/", views.member_remove, name="member_remove"),
    path(MEMBER + "resend/", views.member_resend, name="member_resend"),
    path("agencies/<slug:slug>/settings/", views.agency_settings, name="agency_settings"),
    path("agencies/<slug:slug>/settings/update/", views.agency_update, name="agency_update"),
    path("agencies/<slug:slug>/settings/emblem/", views.agency_emblem, name="agency_emblem"),
    path("agencies/<slug:slug>/settings/emblem.png", views.agency_emblem_image, name="agency_emblem_image"),
    path("agencies/<slug:slug>/settings/units/add/", views.unit_add, name="unit_add"),
    path(UNIT, views.unit_detail, name="unit_detail"),
    path(UNIT + "update/", views.unit_update, name="unit_update"),
    path(UNIT + "delete/", views.unit_delete, name="unit_delete"),
    path("agencies/<slug:slug>/settings/people/add/", views.person_add, name="person_add"),
    path(PERSON, views.person_detail, name="person_detail"),
    path(PERSON + "update/", views.person_update, name="person_update"),
    path(PERSON + "delete/", views.person_delete, name="person_delete"),
    path("accounts/me/", views.account, name="account"),
    path("accounts/password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/set-password/<uidb64>/<token>/", views.SetPasswordView.as_view(), name="password_reset_confirm"),
    path("accounts/set-password/done/", views.SetPasswordDoneView.as_view(), name="set_password_done"),
]
