from tests.access import COORDINATOR, PUBLIC, UNIT_STAFF, row

GUARDIAN_ONLY = row(guardian=200)
EVERYONE_REDIRECTED = row(
    guardian=302, teacher=302, leader=302, area_lead=302, coordinator=302, funder=302, national=302
)

MATRIX = {
    # Staff.
    "consent:child_consents": ("get", UNIT_STAFF),
    "consent:record_paper": ("get", UNIT_STAFF),
    "consent:cohort_board": ("get", UNIT_STAFF),
    "consent:cohort_send_requests": (
        "post",
        row(teacher=302, leader=302, area_lead=302, coordinator=302),
    ),
    # The page that says how many emails and to whom, before any is sent.
    "consent:cohort_send_requests_confirm": ("get", UNIT_STAFF),
    "consent:media_export": ("get", UNIT_STAFF),
    "consent:email_list": ("get", COORDINATOR),
    "consent:email_retry": ("post", row(coordinator=302)),
    # The parent portal: signed-out visitors are sent to ask for a link.
    "consent:portal_home": ("get", GUARDIAN_ONLY),
    "consent:portal_child": ("get", GUARDIAN_ONLY),
    "consent:portal_details": ("get", GUARDIAN_ONLY),
    "consent:portal_sign_in": ("get", PUBLIC),  # a link that does not work explains what next
    "consent:portal_confirm_email": ("get", PUBLIC),  # likewise
    "consent:portal_link_request": ("get", PUBLIC),
    "consent:portal_link_sent": ("get", PUBLIC),
    "consent:portal_sign_out": ("post", EVERYONE_REDIRECTED),
    "consent:portal_signed_out": ("get", PUBLIC),
}

# Portal pages are about the signed-in parent's own children, not one force's objects: staff
# of any force get 403 there, and the sign-in link is public.
UNSCOPED = {"consent:portal_child", "consent:portal_sign_in", "consent:portal_confirm_email"}


def url_kwargs(world):
    from minipolice.consent.models import EmailDelivery

    delivery = EmailDelivery.objects.filter(force=world.force).first()
    if delivery is None:
        from django.utils import timezone

        delivery = EmailDelivery.objects.create(
            force=world.force,
            guardian=world.guardian,
            kind=EmailDelivery.Kind.PORTAL_LINK,
            to_email=world.guardian.email,
            subject="Your link",
            base_url="http://testserver/",
            status=EmailDelivery.Status.FAILED,
            attempts=3,
            created_at=timezone.now(),
        )
    child = {"pk": world.child.pk}
    cohort = {"pk": world.cohort.pk}
    return {
        "consent:child_consents": child,
        "consent:record_paper": child,
        "consent:portal_child": child,
        "consent:cohort_board": cohort,
        "consent:cohort_send_requests": cohort,
        "consent:cohort_send_requests_confirm": cohort,
        "consent:media_export": cohort,
        "consent:email_retry": {"pk": delivery.pk},
    }
