from django.urls import path

from prongsai.complaints import views_public, views_staff

app_name = "complaints"

PUBLIC = "a/<slug:slug>/complaints/"
STAFF = "agencies/<slug:slug>/complaints/"
CASE = STAFF + "<uuid:uid>/"

urlpatterns = [
    # Public: no login.
    path(PUBLIC, views_public.intake, name="intake"),
    path(PUBLIC + "status/", views_public.status, name="status"),
    path(PUBLIC + "guideline/", views_public.guideline, name="guideline"),
    path(PUBLIC + "channels/", views_public.channels, name="channels"),
    path(PUBLIC + "statistics/", views_public.statistics_current, name="public_statistics_current"),
    path(PUBLIC + "statistics/<int:year>/", views_public.public_statistics, name="public_statistics"),
    path(PUBLIC + "statistics/<int:year>.<str:fmt>", views_public.public_statistics_file,
         name="public_statistics_file"),
    # Complaint officers.
    path(STAFF, views_staff.case_list, name="case_list"),
    path(STAFF + "new/", views_staff.case_new, name="case_new"),
    path(STAFF + "statistics/", views_staff.staff_statistics, name="staff_statistics"),
    path(STAFF + "statistics/<int:year>.<str:fmt>", views_staff.staff_statistics_file, name="staff_statistics_file"),
    path(STAFF + "settings/", views_staff.settings_view, name="settings"),
    path(CASE, views_staff.case_detail, name="case"),
    path(CASE + "transition/", views_staff.case_transition, name="case_transition"),
    path(CASE + "message/", views_staff.case_message, name="case_message"),
    path(CASE + "identity/", views_staff.case_reveal, name="case_reveal"),
    path(CASE + "files/<uuid:file_uid>/", views_staff.attachment_download, name="attachment"),
]
