from django.urls import path

from prongsai.oit import views

app_name = "oit"

OIT = "agencies/<slug:slug>/years/<int:year>/oit/"

urlpatterns = [
    path(OIT, views.checklist, name="checklist"),
    path(OIT + "carry-forward/", views.carry_forward, name="carry_forward"),
    path(OIT + "autofill/", views.autofill, name="autofill"),
    path(OIT + "export.<str:fmt>", views.export, name="export"),
    path(OIT + "items/<str:code>/", views.item_edit, name="item_edit"),
]
