from django.urls import path

from minipolice.events import views

app_name = "events"
urlpatterns = [
    path("events/", views.event_list, name="event_list"),
    path("events/new/", views.event_create, name="event_create"),
    path("events/<int:pk>/", views.event_detail, name="event_detail"),
    path("events/<int:pk>/edit/", views.event_edit, name="event_edit"),
    path("events/<int:pk>/risk-assessment/", views.risk_assessment, name="risk_assessment"),
    path("events/<int:pk>/risk-assessment/sign-off/", views.sign_off, name="sign_off"),
    path("events/<int:pk>/confirm/", views.confirm, name="confirm"),
    path("events/<int:pk>/invite/", views.invite, name="invite"),
    path("events/<int:pk>/cancel/", views.event_cancel, name="event_cancel"),
    path("events/<int:pk>/places/", views.place_list, name="place_list"),
    path(
        "events/<int:pk>/places/<int:place_pk>/release/",
        views.place_release,
        name="place_release",
    ),
    path("events/<int:pk>/check-in/", views.checkin, name="checkin"),
    path("events/<int:pk>/check-in/<int:place_pk>/", views.checkin_mark, name="checkin_mark"),
    path("events/invitations/<int:pk>/", views.invitation_detail, name="invitation_detail"),
    path(
        "events/invitations/<int:pk>/decline/",
        views.invitation_decline,
        name="invitation_decline",
    ),
    path("units/<int:unit_pk>/reward-visits/new/", views.visit_create, name="visit_create"),
    path("portal/events/", views.portal_event_list, name="portal_event_list"),
    path("portal/events/<int:pk>/", views.portal_event, name="portal_event"),
]
