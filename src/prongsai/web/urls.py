from django.urls import path

from prongsai.web import views

app_name = "web"

urlpatterns = [
    path("", views.agency_list, name="agency_list"),
]
