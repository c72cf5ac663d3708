"""The consent app's personal data: consents, requests, emails and sign-in links.

See people/privacy.py for what these hooks are for.
"""

from minipolice.consent.models import (
    Consent,
    ConsentRequest,
    EmailConfirmation,
    EmailDelivery,
    PortalToken,
)
from minipolice.consent.services import start_guardian_email_change
from minipolice.lib.privacy import Identifiers, Section, redact_rows, text


def _consent_rows(consents):
    return [
        {
            "Given": text(c.given_at),
            "Child": c.child.full_name,
            "Consent for": c.get_kind_display(),
            "Trip or outing": c.trip_reference,
            "Answer": c.get_status_display(),
            "Photo uses": ", ".join(c.use_labels),
            "Given by": c.given_by_name,
            "Given from the address": c.given_by_email,
            "How": c.get_method_display(),
            "Recorded by": (c.recorded_by.email if c.recorded_by else ""),
            "Expires": text(c.expires),
            "Note": c.note,
        }
        for c in consents.select_related("child", "recorded_by").order_by("given_at", "id")
    ]


def child_sections(child) -> list[Section]:
    return [
        Section("consents", "Consent (every answer, oldest first)", _consent_rows(child.consents))
    ]


def guardian_sections(guardian) -> list[Section]:
    deliveries = EmailDelivery.objects.filter(guardian=guardian).order_by("created_at", "id")
    tokens = PortalToken.objects.filter(guardian=guardian).order_by("created_at", "id")
    requests = ConsentRequest.objects.filter(guardian=guardian).select_related("cohort")
    return [
        Section(
            "consents_given",
            "Consent answers given",
            _consent_rows(Consent.objects.filter(given_by=guardian)),
        ),
        Section(
            "consent_requests",
            "Requests to answer consent questions",
            [
                {"Asked": text(r.requested_at), "About the cohort": r.cohort.name}
                for r in requests.order_by("requested_at", "id")
            ],
        ),
        Section(
            "emails",
            "Emails sent",
            [
                {
                    "Queued": text(d.created_at),
                    "Email": d.get_kind_display(),
                    "To": d.to_email,
                    "Status": d.get_status_display(),
                    "Attempts": str(d.attempts),
                    "Sent": text(d.sent_at),
                }
                for d in deliveries
            ],
        ),
        Section(
            "sign_in_links",
            "Sign-in links to the parent portal (the links themselves are never stored)",
            [
                {
                    "Created": text(t.created_at),
                    "Expires": text(t.expires_at),
                    "Used": text(t.used_at),
                }
                for t in tokens
            ],
        ),
    ]


def anonymise_child(child) -> None:
    """Consents stay (they are counted); who signed and any note go."""
    Consent.objects.filter(child=child).update(given_by_name="", given_by_email="", note="")


def anonymise_guardian(guardian) -> None:
    Consent.objects.filter(given_by=guardian).update(given_by_name="", given_by_email="")
    EmailConfirmation.objects.filter(guardian=guardian).delete()
    EmailDelivery.objects.filter(guardian=guardian).update(to_email="", last_error="")
    PortalToken.objects.filter(guardian=guardian).delete()


def remove_identifiers(identifiers: Identifiers) -> list[str]:
    """Notes and signatures on the consents of children in the same units (a note such as
    "Ann phoned, Ada is keen" on a sibling's or classmate's consent)."""
    consents = Consent.objects.filter(
        child__enrolments__cohort__unit_id__in=identifiers.unit_ids
    ).distinct()
    return redact_rows(
        consents,
        ["note", "given_by_name"],
        identifiers,
        lambda consent, _: (
            f"a consent note of child #{consent.child_id} ({text(consent.given_at)})"
        ),
    )


def guardian_email_changed(*, acting_user, guardian, old_email: str, new_email: str, base_url: str):
    """The people app's hook, when staff change a guardian's address: the new address is asked
    to confirm itself and the old one is told (consent.services.start_guardian_email_change)."""
    start_guardian_email_change(
        acting_user=acting_user,
        guardian=guardian,
        old_email=old_email,
        new_email=new_email,
        base_url=base_url,
    )
