from django.urls import path

from prongsai.workspace import views

app_name = "workspace"

YEAR = "agencies/<slug:slug>/years/<int:year>/"
MEASURE = YEAR + "measures/<int:pk>/"
ROUND = MEASURE + "rounds/<int:round>/"

urlpatterns = [
    path("agencies/<slug:slug>/years/new/", views.year_new, name="year_new"),
    path(YEAR + "dashboard/", views.dashboard, name="dashboard"),
    path(YEAR + "scores/", views.scores, name="scores"),
    path(YEAR + "scores/upload/", views.scores_upload, name="scores_upload"),
    path(YEAR + "scores/template.<str:fmt>", views.scores_template, name="scores_template"),
    path(YEAR + "measures/", views.measure_list, name="measure_list"),
    path(YEAR + "measures/new/", views.measure_new, name="measure_new"),
    path(YEAR + "measures/adopt/", views.measure_adopt, name="measure_adopt"),
    path(MEASURE, views.measure_edit, name="measure_edit"),
    path(MEASURE + "delete/", views.measure_delete, name="measure_delete"),
    path(MEASURE + "move/", views.measure_move, name="measure_move"),
    path(ROUND, views.round_result, name="round_result"),
    path(ROUND + "delete/", views.round_result_delete, name="round_result_delete"),
    path(ROUND + "evidence/link/", views.evidence_add_link, name="evidence_add_link"),
    path(ROUND + "evidence/file/", views.evidence_add_file, name="evidence_add_file"),
    path(YEAR + "evidence/<int:pk>/delete/", views.evidence_delete, name="evidence_delete"),
    path(YEAR + "evidence/<int:pk>/download/", views.evidence_download, name="evidence_download"),
    path(YEAR + "export.xlsx", views.year_export, name="year_export"),
    path(YEAR + "results/import/", views.results_import, name="results_import"),
]
