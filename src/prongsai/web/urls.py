from django.urls import path

from prongsai.web import views

app_name = "web"

urlpatterns = [
    path("", views.agency_list, name="agency_list"),
    path("agencies/<slug:slug>/", views.agency_detail, name="agency_detail"),
    path("agencies/<slug:slug>/years/<int:year>/", views.year_detail, name="year_detail"),
    path(
        "agencies/<slug:slug>/years/<int:year>/reports/<int:round>.<str:fmt>",
        views.round_report,
        name="round_report",
    ),
    path("fonts/SarabunCompat-<str:style>.woff2", views.font, name="font"),
]
