"""Demo consents: the demo leader's current Oasis Connaught cohort has a mix of answers, so the
consent board shows who is missing what. The demo parent's own children (Mia and Leo) are left
unanswered for the parent portal. Idempotent: does nothing once any photo consent exists in that
cohort."""

import datetime

from django.utils import timezone

from minipolice.consent.models import Consent, EmailDelivery
from minipolice.consent.services import record_consent
from minipolice.demo.today import demo_cohort

# For each child in order: (taking part, photo uses or None for a refusal, or skip).
ANSWERS = [
    ("granted", ["internal", "school_newsletter", "force_website"]),
    ("granted", ["internal", "school_newsletter"]),
    ("granted", ["internal"]),
    ("granted", None),
    ("granted", ["internal", "school_newsletter", "force_website", "press"]),
    ("granted", "skip"),
    ("refused", None),
    ("granted", ["internal"]),
]


def load_demo_data() -> None:
    cohort = demo_cohort()
    if (
        cohort is None
        or Consent.objects.filter(child__enrolments__cohort=cohort, kind="media").exists()
    ):
        return
    children = [
        e.child
        for e in cohort.enrolments.select_related("child").order_by("child__first_name", "pk")
        if not e.child.guardianships.filter(guardian__user__isnull=False).exists()
    ]
    answered = set(
        Consent.objects.filter(child__in=children, kind="participation").values_list(
            "child_id", flat=True
        )
    )
    given_at = timezone.make_aware(
        datetime.datetime.combine(cohort.start_date - datetime.timedelta(days=7), datetime.time())
    )
    for child, (participation, uses) in zip(children, ANSWERS, strict=False):
        guardian = child.guardianships.select_related("guardian").first().guardian
        common = {
            "acting_user": None,
            "child": child,
            "method": "paper",
            "given_by": guardian,
            "given_at": given_at,
        }
        if child.pk not in answered:
            record_consent(kind="participation", status=participation, **common)
        if uses == "skip":
            continue
        if uses is None:
            record_consent(kind="media", status="refused", **common)
        else:
            record_consent(kind="media", status="granted", media_uses=uses, **common)
    # One email the mail server refused, so the outbox shows what a failure looks like.
    unanswered = children[len(ANSWERS)] if len(children) > len(ANSWERS) else None
    if unanswered is not None:
        guardian = unanswered.guardianships.select_related("guardian").first().guardian
        EmailDelivery.objects.create(
            force_id=guardian.force_id,
            guardian=guardian,
            cohort=cohort,
            kind=EmailDelivery.Kind.CONSENT_REQUEST,
            to_email=guardian.email,
            subject="Mini Police: please answer some questions about consent",
            base_url="http://127.0.0.1:8000/",
            status=EmailDelivery.Status.FAILED,
            attempts=EmailDelivery.MAX_ATTEMPTS,
            last_error="SMTPRecipientsRefused: 550 mailbox unavailable (demo)",
            created_at=timezone.now() - datetime.timedelta(hours=2),
        )
