from django.urls import path

from minipolice.delivery import views

app_name = "delivery"
urlpatterns = [
    path("cohorts/<int:cohort_pk>/sessions/", views.cohort_sessions, name="cohort_sessions"),
    path("cohorts/<int:cohort_pk>/sessions/plan/", views.cohort_plan, name="cohort_plan"),
    path("cohorts/<int:cohort_pk>/sessions/new/", views.session_create, name="session_create"),
    path("sessions/<int:pk>/", views.session_detail, name="session_detail"),
    path("sessions/<int:pk>/edit/", views.session_edit, name="session_edit"),
    path("sessions/<int:pk>/cancel/", views.session_cancel, name="session_cancel"),
    path("sessions/<int:pk>/reinstate/", views.session_reinstate, name="session_reinstate"),
    path("sessions/<int:pk>/details/", views.session_details, name="session_details"),
    path("sessions/<int:pk>/register/<int:child_pk>/", views.register_mark, name="register_mark"),
    path("sessions/<int:pk>/register/finish/", views.register_finish, name="register_finish"),
    path(
        "sessions/<int:pk>/register/finish/confirm/",
        views.register_finish_confirm,
        name="register_finish_confirm",
    ),
    path("units/<int:unit_pk>/timeline/", views.unit_timeline, name="unit_timeline"),
    path("units/<int:unit_pk>/calendar/", views.unit_calendar, name="unit_calendar"),
    path("my-sessions/", views.my_sessions, name="my_sessions"),
    path("my-sessions/calendar/", views.my_calendar, name="my_calendar"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
    path("school-holidays/", views.holiday_list, name="holiday_list"),
    path("school-holidays/new/", views.holiday_create, name="holiday_create"),
    path("school-holidays/<int:pk>/edit/", views.holiday_edit, name="holiday_edit"),
    path("school-holidays/<int:pk>/delete/", views.holiday_delete, name="holiday_delete"),
]
