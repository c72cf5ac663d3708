from django.urls import path

from minipolice.people import classlist_views, privacy_views, views

app_name = "people"
urlpatterns = [
    path("children/", views.child_list, name="child_list"),
    path("cohorts/<int:cohort_pk>/children/new/", views.child_create, name="child_create"),
    path("cohorts/<int:pk>/import/", classlist_views.cohort_import, name="cohort_import"),
    path(
        "cohorts/<int:pk>/import/<int:import_pk>/",
        classlist_views.cohort_import_progress,
        name="cohort_import_progress",
    ),
    path(
        "cohorts/<int:pk>/import/template/",
        classlist_views.cohort_import_template,
        name="cohort_import_template",
    ),
    path("children/<int:pk>/", views.child_detail, name="child_detail"),
    path("children/<int:pk>/edit/", views.child_edit, name="child_edit"),
    path("children/<int:pk>/move/", views.child_move, name="child_move"),
    path("children/<int:pk>/leave/", views.child_leave, name="child_leave"),
    path("children/<int:child_pk>/guardians/new/", views.guardian_add, name="guardian_add"),
    path("guardians/", views.guardian_list, name="guardian_list"),
    path("guardians/<int:pk>/", views.guardian_detail, name="guardian_detail"),
    path("guardians/<int:pk>/edit/", views.guardian_edit, name="guardian_edit"),
    path("leaders/", views.leader_list, name="leader_list"),
    path("leaders/new/", views.leader_create, name="leader_create"),
    path("leaders/<int:pk>/", views.leader_detail, name="leader_detail"),
    path("leaders/<int:pk>/vetting/new/", views.leader_vetting_add, name="leader_vetting_add"),
    path("leaders/<int:pk>/training/new/", views.leader_training_add, name="leader_training_add"),
    # Data protection: subject access, erasure on request, retention.
    path(
        "children/<int:pk>/export.json", privacy_views.child_export_json, name="child_export_json"
    ),
    path("children/<int:pk>/export.pdf", privacy_views.child_export_pdf, name="child_export_pdf"),
    path("children/<int:pk>/erase/", privacy_views.child_erase, name="child_erase"),
    path(
        "guardians/<int:pk>/export.json",
        privacy_views.guardian_export_json,
        name="guardian_export_json",
    ),
    path(
        "guardians/<int:pk>/export.pdf",
        privacy_views.guardian_export_pdf,
        name="guardian_export_pdf",
    ),
    path("guardians/<int:pk>/erase/", privacy_views.guardian_erase, name="guardian_erase"),
    path("data-protection/", privacy_views.retention_overview, name="retention"),
]
