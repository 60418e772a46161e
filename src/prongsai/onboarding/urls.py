from django.urls import path

from prongsai.onboarding import views

app_name = "onboarding"

urlpatterns = [
    path("operator/import/agencies/", views.import_agencies, name="agencies"),
    path("operator/import/results/", views.import_results, name="results"),
]
