"""Writes for consent: every decision is a new, audited row; history is never changed."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from minipolice.accounts.models import Role, RoleAssignment, User
from minipolice.accounts.services import assign_role, create_user
from minipolice.audit.services import record_audit
from minipolice.consent import emails, portal, selectors
from minipolice.consent.enforcement import with_latest_consent
from minipolice.consent.models import (
    Consent,
    ConsentKind,
    ConsentMethod,
    ConsentRequest,
    ConsentStatus,
    EmailConfirmation,
    EmailDelivery,
    MediaUse,
    PortalLinkRequest,
    PortalToken,
)
from minipolice.lib.privacy import hooks
from minipolice.lib.users import signed_in_or_none
from minipolice.people.models import Child, Guardian
from minipolice.people.services import apply_confirmed_email, update_guardian


@transaction.atomic
def record_consent(
    *,
    acting_user,
    child,
    kind: str,
    status: str,
    method: str,
    given_by=None,
    given_by_name: str = "",
    given_by_email: str = "",
    given_at: datetime.datetime | None = None,
    expires: datetime.date | None = None,
    media_uses: list[str] | tuple[str, ...] = (),
    trip_reference: str = "",
    note: str = "",
) -> Consent:
    if kind == ConsentKind.MEDIA and status == "granted" and not media_uses:
        raise ValidationError(
            {"media_uses": _("Choose at least one use of photos, or record a refusal.")}
        )
    unknown = set(media_uses) - set(MediaUse.values)
    if unknown:
        raise ValidationError(
            {"media_uses": _("Unknown uses: %(uses)s") % {"uses": ", ".join(sorted(unknown))}}
        )
    if kind != ConsentKind.MEDIA and media_uses:
        raise ValidationError({"media_uses": _("Only consent for photos has uses.")})
    if given_by is not None and given_by.force_id != child.force_id:
        raise ValidationError(_("The guardian and child belong to different forces."))
    if given_by is not None and not given_by.guardianships.filter(child=child).exists():
        raise ValidationError({"given_by": _("Only a guardian of this child can give consent.")})
    if method == ConsentMethod.PORTAL and given_by is None:
        raise ValidationError({"given_by": _("Consent through the portal comes from a guardian.")})
    consent = Consent(
        child=child,
        kind=kind,
        status=status,
        method=method,
        given_by=given_by,
        given_by_name=given_by_name or (given_by.name if given_by else ""),
        given_by_email=given_by_email.strip().lower(),
        recorded_by=signed_in_or_none(acting_user),
        given_at=given_at or timezone.now(),
        expires=expires,
        media_uses=sorted(media_uses),
        trip_reference=trip_reference,
        note=note,
    )
    consent.full_clean()
    consent.save()
    record_audit(
        acting_user=acting_user,
        action="create",
        obj=consent,
        force=child.force,
        fields={
            "kind": kind,
            "status": status,
            "method": method,
            "uses": sorted(media_uses),
            "trip": trip_reference,
        },
    )
    # The apps that show what consent covers react now (the public app takes down photos a
    # decision no longer covers); they answer a hook, so this app imports none of them.
    for consent_recorded in hooks("consent_recorded"):
        consent_recorded(acting_user=acting_user, child=child, consent=consent)
    return consent


# Consent requests, the parent portal and its emails ------------------------------------------

REQUEST_AGAIN_AFTER = selectors.REQUEST_AGAIN_AFTER


@transaction.atomic
def request_consents_for_cohort(*, acting_user, cohort, base_url: str) -> dict:
    """Email every guardian of a child in `cohort` who has not answered (or whose answer has
    expired) for taking part or for photos: one email per guardian, with a portal link.

    Guardians asked about this cohort in the last REQUEST_AGAIN_AFTER are not asked again, so a
    second press of the button does not flood anyone's inbox. Returns the counts it audited.
    """
    now = timezone.now()
    plan = selectors.consent_request_plan(acting_user, cohort, now=now)
    sent = 0
    for guardian, _children in plan.to_ask:
        delivery = emails.queue_email(
            acting_user=acting_user,
            guardian=guardian,
            kind=EmailDelivery.Kind.CONSENT_REQUEST,
            base_url=base_url,
            cohort=cohort,
        )
        ConsentRequest.objects.create(
            cohort=cohort,
            guardian=guardian,
            requested_by=signed_in_or_none(acting_user),
            requested_at=now,
            delivery=delivery,
        )
        sent += 1
    counts = {
        "sent": sent,
        "asked_recently": len(plan.asked_recently),
        "no_email": len(plan.no_email),
    }
    record_audit(
        acting_user=acting_user,
        action="create",
        obj=cohort,
        force=cohort.unit.school.area.force,
        label=f"Consent requests emailed for {cohort}",
        fields=counts,
    )
    return counts


@transaction.atomic
def export_media_list(*, acting_user, cohort, use: str) -> list[Child]:
    """The children of `cohort` who may appear in photos for `use` (enforcement decides), for
    a download. The export is audited with how many were listed and left out."""
    allowed, left_out = selectors.media_export(acting_user, cohort, use)
    record_audit(
        acting_user=acting_user,
        action="export",
        obj=cohort,
        force=cohort.unit.school.area.force,
        label=f"Photo consent list for {cohort}",
        fields={"use": use, "children": len(allowed), "left_out": left_out},
    )
    return allowed


@transaction.atomic
def request_portal_link(*, email: str, ip: str, base_url: str) -> None:
    """Someone asked for a sign-in link. Sends one if the address belongs to a guardian with a
    child in the programme and no link went to it in the last portal.LINK_COOLDOWN; says
    nothing either way. Raises ValidationError when this IP address has asked too often in
    the last hour (see portal.py for why the address itself is never locked)."""
    now = timezone.now()
    email = email.strip().lower()
    if portal.is_rate_limited(ip, now):
        raise ValidationError(
            {"email": _("You have asked for too many links. Wait an hour, then try again.")},
            code="rate_limited",
        )
    PortalLinkRequest.objects.filter(at__lt=now - portal.KEEP_REQUESTS_FOR).delete()
    guardian = (
        Guardian.objects.filter(
            email=email,
            anonymised_at__isnull=True,
            guardianships__child__anonymised_at__isnull=True,
        )
        .order_by("pk")
        .first()
    )
    send = guardian is not None and not portal.in_cooldown(email, now)
    PortalLinkRequest.objects.create(
        at=now,
        email_digest=portal.email_digest(email),
        ip_digest=portal.ip_digest(ip),
        link_sent=send,
    )
    if send:
        emails.queue_email(
            acting_user=None,
            guardian=guardian,
            kind=EmailDelivery.Kind.PORTAL_LINK,
            base_url=base_url,
        )


class PortalLinkError(Exception):
    """A sign-in link that cannot be used: `reason` is "invalid", "used" or "expired"."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def check_portal_token(raw_token: str):
    """The guardian a link signs in, without using the link up. Raises PortalLinkError."""

    token = (
        PortalToken.objects.select_related("guardian")
        .filter(token_hash=portal.hash_token(raw_token))
        .first()
    )
    if token is None or token.guardian.anonymised_at is not None:
        raise PortalLinkError("invalid")
    if token.used_at is not None:
        raise PortalLinkError("used")
    if token.expires_at <= timezone.now():
        raise PortalLinkError("expired")
    return token


@transaction.atomic
def use_portal_token(*, raw_token: str):
    """Use up a sign-in link and return the user it signs in, and whether that user may be
    signed in by a link at all (only accounts that are nothing but a parent's may).

    The guardian's account is created on first use (no password) with a guardian role for
    every record of theirs under the same email address."""

    token = check_portal_token(raw_token)
    # Claim the link: of two concurrent uses only one finds it unused.
    claimed = PortalToken.objects.filter(pk=token.pk, used_at__isnull=True).update(
        used_at=timezone.now()
    )
    if not claimed:
        raise PortalLinkError("used")
    user = prepare_portal_user(guardian=token.guardian)
    return user, may_sign_in_by_link(user)


def portal_link_address(token) -> str:
    """The address a sign-in link was emailed to: the one its use proves."""
    if token.delivery_id and token.delivery.to_email:
        return token.delivery.to_email
    return token.guardian.email


def may_sign_in_by_link(user) -> bool:
    """Staff sign in with a password and an authenticator app, never by an emailed link."""
    if user.is_staff or user.is_superuser or not user.is_active:
        return False
    return not RoleAssignment.objects.filter(user=user).exclude(role=Role.GUARDIAN).exists()


@transaction.atomic
def prepare_portal_user(*, guardian):
    """The user who signs in as `guardian`: theirs if they have one, else a new one."""
    user = guardian.user
    if user is None:
        assignment = (
            RoleAssignment.objects.filter(role=Role.GUARDIAN, guardian=guardian)
            .select_related("user")
            .order_by("pk")
            .first()
        )
        user = assignment.user if assignment else None
    if user is None and guardian.email:
        user = User.objects.filter(email=guardian.email).first()
    if user is None:
        if not guardian.email:
            raise PortalLinkError("invalid")
        user = create_user(acting_user=None, email=guardian.email, full_name=guardian.name)
    same_person = [guardian]
    if guardian.email:
        same_person += list(
            Guardian.objects.filter(email=guardian.email, anonymised_at__isnull=True).exclude(
                pk=guardian.pk
            )
        )
    for record in same_person:
        assign_role(acting_user=None, user=user, role=Role.GUARDIAN, guardian=record)
    if guardian.user_id is None and not Guardian.objects.filter(user=user).exists():
        guardian.user = user
        guardian.save(update_fields=["user"])
    return user


@dataclass(frozen=True)
class Answer:
    """A guardian's answer in the portal: yes or no to one consent (and for photos, the uses)."""

    kind: str
    agree: bool
    media_uses: tuple[str, ...] = ()
    trip_reference: str = ""


@transaction.atomic
def answer_consents(
    *, acting_user, guardian, child, answers: list[Answer], given_by_email: str = ""
) -> list[Consent]:
    """Record a guardian's answers from the portal. Only answers that change something are
    recorded; "no" to a consent that stands granted is recorded as a withdrawal.
    `given_by_email` is the confirmed address whose sign-in gave them, kept on each record."""
    today = timezone.localdate()
    recorded = []
    for answer in answers:
        current = (
            with_latest_consent(
                Child.objects.filter(pk=child.pk), answer.kind, answer.trip_reference, "current"
            )
            .values("current_status", "current_uses", "current_expires")
            .get()
        )
        status, uses = current["current_status"], sorted(current["current_uses"] or [])
        expired = current["current_expires"] is not None and current["current_expires"] < today
        if answer.agree:
            new_status = ConsentStatus.GRANTED
            unchanged = status == new_status and uses == sorted(answer.media_uses) and not expired
        else:
            new_status = (
                ConsentStatus.WITHDRAWN
                if status == ConsentStatus.GRANTED
                else ConsentStatus.REFUSED
            )
            unchanged = status in (ConsentStatus.REFUSED, ConsentStatus.WITHDRAWN)
        if unchanged:
            continue
        recorded.append(
            record_consent(
                acting_user=acting_user,
                child=child,
                kind=answer.kind,
                status=new_status,
                method=ConsentMethod.PORTAL,
                given_by=guardian,
                given_by_email=given_by_email,
                media_uses=answer.media_uses if answer.agree else (),
                trip_reference=answer.trip_reference,
            )
        )
    return recorded


@transaction.atomic
def update_own_contact_details(*, acting_user, guardians, name: str, phone: str):
    """A guardian corrects their name and phone in the portal (every record of theirs).

    The email address is not theirs to change here: it is the address sign-in links go to, and
    an unconfirmed change would let one parent claim another's records. Staff change it, and
    that ends the guardian's portal access until a link to the new address is used.
    """
    for guardian in guardians:
        update_guardian(acting_user=acting_user, guardian=guardian, name=name, phone=phone)
    if name.strip() and acting_user.full_name != name.strip():
        acting_user.full_name = name.strip()
        acting_user.save(update_fields=["full_name"])


@transaction.atomic
def retry_email_delivery(*, acting_user, delivery):
    """Send a failed or interrupted email again, from a fresh count of attempts.

    The change of status is conditional, so two presses of "Send again" queue it once."""

    before = delivery.outbox_status
    sendable = Q(status__in=[EmailDelivery.Status.FAILED, EmailDelivery.Status.INTERRUPTED]) | Q(
        status=EmailDelivery.Status.SENDING,
        claimed_at__lt=timezone.now() - EmailDelivery.SENDING_TIMEOUT,
    )
    requeued = EmailDelivery.objects.filter(sendable, pk=delivery.pk).update(
        status=EmailDelivery.Status.QUEUED, attempts=0, next_attempt_at=None
    )
    if not requeued:
        raise ValidationError(_("Only an email that failed or was interrupted can be sent again."))
    delivery.refresh_from_db(fields=["status", "attempts", "next_attempt_at"])
    record_audit(
        acting_user=acting_user,
        action="update",
        obj=delivery,
        force=delivery.force,
        label=f"Email {delivery.pk} sent again",
        fields={"status": [before, "queued"]},
    )
    emails.schedule(delivery)
    return delivery


# A guardian's new email address, confirmed from that address ---------------------------------
@transaction.atomic
def start_guardian_email_change(
    *, acting_user, guardian, old_email: str, new_email: str, base_url: str
) -> None:
    """Staff changed a guardian's address (people.services.update_guardian, through the
    `guardian_email_changed` hook in consent/privacy.py): email the new
    address a link to confirm it, and tell the old address. Earlier confirmation links stop
    working. Call after `guardian.pending_email` is saved: the email goes to it when sent."""
    EmailConfirmation.objects.filter(guardian=guardian, used_at__isnull=True).delete()
    if new_email:
        emails.queue_email(
            acting_user=acting_user,
            guardian=guardian,
            kind=EmailDelivery.Kind.EMAIL_CONFIRMATION,
            base_url=base_url,
            to_email=new_email,
        )
    if old_email:
        emails.queue_email(
            acting_user=acting_user,
            guardian=guardian,
            kind=EmailDelivery.Kind.EMAIL_CHANGE_NOTICE,
            base_url=base_url,
            to_email=old_email,
        )


def check_email_confirmation(raw_token: str) -> EmailConfirmation:
    """The confirmation a link carries, without using it up. Raises PortalLinkError."""
    confirmation = (
        EmailConfirmation.objects.select_related("guardian")
        .filter(token_hash=portal.hash_token(raw_token))
        .first()
    )
    if (
        confirmation is None
        or confirmation.guardian.anonymised_at is not None
        or (
            confirmation.used_at is None
            and confirmation.guardian.pending_email != confirmation.email
        )
    ):
        raise PortalLinkError("invalid")
    if confirmation.used_at is not None:
        raise PortalLinkError("used")
    if confirmation.expires_at <= timezone.now():
        raise PortalLinkError("expired")
    return confirmation


@transaction.atomic
def confirm_guardian_email(*, raw_token: str):
    """Use up a confirmation link: its address becomes the guardian's, where sign-in links go
    from now on. Returns the guardian. Raises PortalLinkError."""
    confirmation = check_email_confirmation(raw_token)
    claimed = EmailConfirmation.objects.filter(pk=confirmation.pk, used_at__isnull=True).update(
        used_at=timezone.now()
    )
    if not claimed:
        raise PortalLinkError("used")
    try:
        return apply_confirmed_email(guardian=confirmation.guardian, email=confirmation.email)
    except ValidationError:
        raise PortalLinkError("invalid") from None
