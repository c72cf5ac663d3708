from django.urls import path

from minipolice.consent import views

app_name = "consent"
urlpatterns = [
    # Staff: a child's consents, paper forms, a cohort's board and photo list, the outbox.
    path("consent/children/<int:pk>/", views.child_consents, name="child_consents"),
    path("consent/children/<int:pk>/record/", views.record_paper_consent, name="record_paper"),
    path("consent/cohorts/<int:pk>/", views.cohort_board, name="cohort_board"),
    path(
        "consent/cohorts/<int:pk>/requests/",
        views.cohort_send_requests,
        name="cohort_send_requests",
    ),
    path(
        "consent/cohorts/<int:pk>/requests/confirm/",
        views.cohort_send_requests_confirm,
        name="cohort_send_requests_confirm",
    ),
    path("consent/cohorts/<int:pk>/media-export/", views.media_export, name="media_export"),
    path("consent/emails/", views.email_list, name="email_list"),
    path("consent/emails/<int:pk>/retry/", views.email_retry, name="email_retry"),
    # The parent portal.
    path("portal/", views.portal_home, name="portal_home"),
    path("portal/children/<int:pk>/", views.portal_child, name="portal_child"),
    path("portal/details/", views.portal_details, name="portal_details"),
    path("portal/sign-in/<str:token>/", views.portal_sign_in, name="portal_sign_in"),
    path(
        "portal/confirm-email/<str:token>/",
        views.portal_confirm_email,
        name="portal_confirm_email",
    ),
    path("portal/link/", views.portal_link_request, name="portal_link_request"),
    path("portal/link/sent/", views.portal_link_sent, name="portal_link_sent"),
    path("portal/sign-out/", views.portal_sign_out, name="portal_sign_out"),
    path("portal/signed-out/", views.portal_signed_out, name="portal_signed_out"),
]
