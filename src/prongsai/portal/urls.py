"""The stable public URL scheme (see prongsai.portal.links, which builds the same paths) and the staff
publishing page."""

from django.urls import path

from prongsai.portal import views

app_name = "portal"

A = "a/<slug:slug>/"
REPORT = A + "reports/<int:fy>/round-<int:round>/"
DOC = A + "documents/<slug:doc>/"

urlpatterns = [
    path(A, views.agency_home, name="agency"),
    path(A + "results/", views.results, name="results"),
    path(A + "measures/<int:fy>/", views.measures, name="measures"),
    path(A + "analysis/<int:fy>/", views.analysis, name="analysis"),
    path(A + "reports/", views.reports, name="reports"),
    path(REPORT, views.round_report, name="round_report"),
    path(REPORT + "v<int:number>/", views.round_report, name="round_report_version"),
    path(REPORT + "v<int:number>/<str:filename>", views.round_report_file, name="round_report_file"),
    path(DOC, views.document, name="document"),
    path(DOC + "v<int:number>/", views.document, name="document_version"),
    path(DOC + "v<int:number>/<str:filename>", views.document_file, name="document_file"),
    path(A + "oit/<int:fy>/", views.oit, name="oit"),
    path(A + "oit/<int:fy>/<str:code>/", views.oit_item, name="oit_item"),
    path(A + "feed.atom", views.feed, name="feed"),
    path(A + "data/<int:fy>.<str:fmt>", views.open_data, name="open_data"),
    path("verify/", views.verify_form, name="verify_form"),
    path("verify/<str:sha256>/", views.verify, name="verify"),
    # staff
    path("agencies/<slug:slug>/publishing/", views.publishing, name="publishing"),
    path("agencies/<slug:slug>/publishing/reports/<int:year>/<int:round>/", views.publish_memo, name="publish_memo"),
    path("agencies/<slug:slug>/publishing/documents/", views.publish_document, name="publish_document"),
    path("agencies/<slug:slug>/publishing/plans/<int:year>/", views.publish_plan, name="publish_plan"),
]
