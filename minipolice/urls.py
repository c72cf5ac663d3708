from django.urls import include, path

from minipolice.accounts import views as account_views
from minipolice.lib.health import healthz, readyz

urlpatterns = [
    path("", include("minipolice.home.urls")),
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("manage/", account_views.manage, name="manage"),
    path("language/", account_views.switch_language, name="switch_language"),
    # The email address is the sign-in name and is changed by a coordinator, never by its owner:
    # allauth's page for adding addresses is switched off.
    path("accounts/email/", account_views.email_addresses_closed, name="account_email_closed"),
    path("accounts/", include("allauth.urls")),
    path("", include("minipolice.organisations.urls")),
    path("", include("minipolice.people.urls")),
    path("audit/", include("minipolice.audit.urls")),
    path("", include("minipolice.consent.urls")),
    path("", include("minipolice.programme.urls")),
    path("", include("minipolice.delivery.urls")),
    path("", include("minipolice.community.urls")),
    path("", include("minipolice.events.urls")),
    path("", include("minipolice.public.urls")),
    path("", include("minipolice.awards.urls")),
    path("", include("minipolice.impact.urls")),
    path("", include("minipolice.reports.urls")),
    path("", include("minipolice.api.urls")),
]

handler403 = "minipolice.lib.errors.forbidden"
handler404 = "minipolice.lib.errors.not_found"
handler400 = "minipolice.lib.errors.bad_request"
handler500 = "minipolice.lib.errors.server_error"
