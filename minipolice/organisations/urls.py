from django.urls import path

from minipolice.organisations import views

app_name = "organisations"
urlpatterns = [
    path("areas/", views.area_list, name="area_list"),
    path("areas/new/", views.area_create, name="area_create"),
    path("areas/<int:pk>/", views.area_detail, name="area_detail"),
    path("areas/<int:pk>/edit/", views.area_edit, name="area_edit"),
    path("schools/", views.school_list, name="school_list"),
    path("schools/new/", views.school_create, name="school_create"),
    path("schools/<int:pk>/", views.school_detail, name="school_detail"),
    path("schools/<int:pk>/edit/", views.school_edit, name="school_edit"),
    path("units/", views.unit_list, name="unit_list"),
    path("units/new/", views.unit_create, name="unit_create"),
    path("units/<int:pk>/", views.unit_detail, name="unit_detail"),
    path("units/<int:pk>/edit/", views.unit_edit, name="unit_edit"),
    path("units/<int:pk>/status/", views.unit_status, name="unit_status"),
    path("units/<int:pk>/leaders/", views.unit_leaders, name="unit_leaders"),
    path(
        "units/<int:pk>/leaders/<int:user_pk>/remove/",
        views.unit_leader_remove,
        name="unit_leader_remove",
    ),
    path("units/<int:unit_pk>/cohorts/new/", views.cohort_create, name="cohort_create"),
    path("cohorts/", views.cohort_list, name="cohort_list"),
    path("cohorts/<int:pk>/", views.cohort_detail, name="cohort_detail"),
    path("cohorts/<int:pk>/edit/", views.cohort_edit, name="cohort_edit"),
]
