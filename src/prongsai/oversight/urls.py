from django.urls import path

from prongsai.oversight import views

app_name = "oversight"

SCOPE = "oversight/<int:scope_id>/"

urlpatterns = [
    # Oversight users (signed in; their own scopes only, 404 outside).
    path("oversight/", views.home, name="home"),
    path(SCOPE, views.rollup, name="rollup"),
    path(SCOPE + "agencies/", views.agencies, name="agencies"),
    path(SCOPE + "agencies/<slug:slug>/", views.agency, name="agency"),
    path(SCOPE + "export/<str:table>.<str:fmt>", views.export, name="export"),
    # Public: published material only.
    path("overview/", views.overview, name="overview"),
    path("overview/agencies/", views.overview_agencies, name="overview_agencies"),
    path("overview/data.<str:fmt>", views.overview_data, name="overview_data"),
    path("overview/<str:province>/", views.overview, name="overview_province"),
    path("a/", views.directory, name="directory"),
]
