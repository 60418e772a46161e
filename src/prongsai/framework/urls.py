from django.urls import path

from prongsai.framework import views

app_name = "framework"
urlpatterns = [
    path("catalogues/", views.catalogue_list, name="list"),
    path("catalogues/import/", views.catalogue_import, name="import"),
    path("catalogues/<int:year>/<slug:family>/v<int:version>.<str:fmt>", views.catalogue_export, name="export"),
    path("agencies/<slug:slug>/years/<int:year>/catalogue/", views.plan_catalogue, name="plan_catalogue"),
]
