from django.urls import path

from minipolice.awards import views

app_name = "awards"
urlpatterns = [
    path("awards/", views.award_list, name="award_list"),
    path("awards/totals/", views.award_totals, name="award_totals"),
    path("awards/settings/", views.certificate_settings, name="certificate_settings"),
    path("awards/<int:pk>/", views.award_detail, name="award_detail"),
    path("awards/<int:pk>/certificate.pdf", views.certificate_pdf, name="certificate_pdf"),
    path("awards/<int:pk>/reissue/", views.certificate_reissue, name="certificate_reissue"),
    path("awards/<int:pk>/revoke/", views.certificate_revoke, name="certificate_revoke"),
    path("awards/issues/<int:pk>/", views.bulk_issue_progress, name="bulk_issue_progress"),
    path("awards/issues/<int:pk>/certificates.pdf", views.bulk_issue_pdf, name="bulk_issue_pdf"),
    path("cohorts/<int:pk>/awards/", views.cohort_awards, name="cohort_awards"),
    path("cohorts/<int:pk>/awards/issue/", views.bulk_issue_start, name="bulk_issue_start"),
    path("cohorts/<int:pk>/awards/special/", views.special_award_create, name="special_award"),
    path(
        "events/<int:pk>/awards/issue/",
        views.event_bulk_issue_start,
        name="event_bulk_issue_start",
    ),
    path("verify/", views.verify_lookup, name="verify_lookup"),
    path("verify/<str:code>/", views.verify, name="verify"),
    # The QR code's short address, in capitals (services.qr_url).
    path("V/<str:code>", views.verify_short, name="verify_short"),
    path("portal/certificates/", views.portal_certificates, name="portal_certificates"),
    path(
        "portal/certificates/<int:pk>.pdf",
        views.portal_certificate_pdf,
        name="portal_certificate_pdf",
    ),
]
