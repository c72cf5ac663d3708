"""Emails to parents and carers: written to the outbox, sent by a background task, retried.

`queue_email` writes an EmailDelivery and enqueues `send_email_delivery` in the same
transaction: with the database task backend the task row commits (or rolls back) together with
the outbox row, so no email is lost and none is sent for work that was undone.

`deliver` makes one attempt. A failure is recorded on the delivery (attempts, last error) and
the task is enqueued again to run after a delay (BACKOFF); after EmailDelivery.MAX_ATTEMPTS
failures the delivery is marked failed and shows on the coordinator's outbox page, where it can
be sent again. A backend that cannot delay tasks (the immediate backend used in tests) retries
at once.

Each attempt first claims the email (queued -> sending) in one conditional UPDATE, so of two
workers running the same task, or two tasks for one email, only one sends it. A worker killed
while sending leaves the email "sending": `reclaim_interrupted_deliveries` (run by the task
worker) marks it interrupted after EmailDelivery.SENDING_TIMEOUT. It is not sent again by
itself, since the mail server may have taken it; the outbox offers "Send again".

Languages: an email to a parent of a Welsh-language force (Force.welsh_language), or to a
parent who chose Welsh on the site, is in Welsh and English in one email, Welsh first
(`_message`): every kind of parent email, this app's and those other apps build through the
`email_message` hook, which is called once in each language. Other emails are in English.
"""

import datetime
import logging

from django.core.mail import EmailMessage
from django.core.mail.message import EmailAlternative
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_lazy, pgettext

from minipolice.consent import portal
from minipolice.consent.models import EmailConfirmation, EmailDelivery, PortalToken
from minipolice.consent.tasks import send_email_delivery
from minipolice.lib.privacy import hooks
from minipolice.lib.users import signed_in_or_none

logger = logging.getLogger(__name__)

# Wait after the first and the second failed attempt.
BACKOFF = [datetime.timedelta(minutes=1), datetime.timedelta(minutes=10)]

# Stored on the delivery in English; translated when the email is made (see `_message`).
SUBJECTS = {
    EmailDelivery.Kind.PORTAL_LINK: gettext_lazy("Your link to the Mini Police parent portal"),
    EmailDelivery.Kind.CONSENT_REQUEST: gettext_lazy(
        "Mini Police: please answer some questions about consent"
    ),
    EmailDelivery.Kind.EMAIL_CONFIRMATION: gettext_lazy("Mini Police: confirm your email address"),
    EmailDelivery.Kind.EMAIL_CHANGE_NOTICE: gettext_lazy(
        "Mini Police: your email address is being changed"
    ),
}

WELSH, ENGLISH = "cy", "en-gb"
# Between the Welsh and the English version of a bilingual email.
SEPARATOR = "\n" + "-" * 40 + "\n\n"
HTML_SEPARATOR = "\n<hr>\n"


def queue_email(
    *, acting_user, guardian, kind: str, base_url: str, cohort=None, to_email: str = ""
) -> EmailDelivery:
    """Put an email in the outbox and enqueue its sending. Call inside the caller's transaction.

    `to_email` is only for the notice to an address being replaced (see `recipient`)."""
    delivery = EmailDelivery.objects.create(
        force_id=guardian.force_id,
        guardian=guardian,
        cohort=cohort,
        kind=kind,
        to_email=to_email or guardian.email,
        subject=_english(SUBJECTS[kind]),
        base_url=base_url,
        created_at=timezone.now(),
        created_by=signed_in_or_none(acting_user),
    )
    schedule(delivery)
    return delivery


def schedule(delivery: EmailDelivery, run_after: datetime.datetime | None = None):
    task = send_email_delivery
    if run_after is not None and task.get_backend().supports_defer:
        task = task.using(run_after=run_after)
    return task.enqueue(delivery.pk)


def recipient(delivery: EmailDelivery, guardian) -> str:
    """Where an email goes, decided when it is sent. Sign-in links and consent requests go to
    the guardian's confirmed address as it is now; a confirmation link only to the address
    still waiting for it (a later change or a confirmation makes it go nowhere); the notice of
    a change to the old address it was queued for."""
    if delivery.kind == EmailDelivery.Kind.EMAIL_CONFIRMATION:
        pending = guardian.pending_email
        return pending if pending and pending == delivery.to_email else ""
    if delivery.kind == EmailDelivery.Kind.EMAIL_CHANGE_NOTICE:
        return delivery.to_email
    return guardian.email


def _new_link(delivery: EmailDelivery, guardian, now):
    """The link the email carries, made fresh for each attempt: (raw token, stored row)."""
    if delivery.kind == EmailDelivery.Kind.EMAIL_CHANGE_NOTICE:
        return "", None
    raw, token_hash = portal.new_token()
    if delivery.kind == EmailDelivery.Kind.EMAIL_CONFIRMATION:
        model, hours = EmailConfirmation, EmailConfirmation.LIFETIME_HOURS
        extra = {"email": delivery.to_email}
    else:
        model, hours, extra = PortalToken, PortalToken.LIFETIME_HOURS, {}
    token = model.objects.create(
        guardian=guardian,
        token_hash=token_hash,
        delivery=delivery,
        created_at=now,
        expires_at=now + datetime.timedelta(hours=hours),
        **extra,
    )
    return raw, token


def deliver(delivery_id: int) -> str:
    """One attempt to send a queued email. Returns the delivery's status afterwards."""
    with transaction.atomic():
        delivery = (
            EmailDelivery.objects.select_for_update(of=("self",))
            .select_related(
                "force",
                "guardian",
                "guardian__user",
                "cohort",
                "cohort__unit",
                "cohort__unit__school",
            )
            .filter(pk=delivery_id)
            .first()
        )
        if delivery is None or delivery.status != EmailDelivery.Status.QUEUED:
            return delivery.status if delivery else "missing"
        guardian = delivery.guardian
        to_email = recipient(delivery, guardian) if guardian is not None else ""
        if guardian is None or guardian.anonymised_at is not None or not to_email:
            delivery.status = EmailDelivery.Status.FAILED
            delivery.last_error = "The parent or carer has no email address now."
            delivery.next_attempt_at = None
            delivery.save(update_fields=["status", "last_error", "next_attempt_at"])
            return delivery.status
        now = timezone.now()
        claimed = EmailDelivery.objects.filter(
            pk=delivery.pk, status=EmailDelivery.Status.QUEUED
        ).update(
            status=EmailDelivery.Status.SENDING,
            claimed_at=now,
            attempts=F("attempts") + 1,
            to_email=to_email,
        )
        if not claimed:  # another worker took it between our read and our claim
            delivery.refresh_from_db(fields=["status"])
            return delivery.status
        delivery.status = EmailDelivery.Status.SENDING
        delivery.claimed_at = now
        delivery.attempts += 1
        delivery.to_email = to_email
        raw, token = _new_link(delivery, guardian, now)
    try:
        _message(delivery, raw, token).send()
    except Exception as error:  # any failure of the mail server or the connection to it
        # The error's kind only: a mail server's refusal quotes the parent's address.
        logger.warning(
            "Email %s: attempt %s failed: %s", delivery.pk, delivery.attempts, type(error).__name__
        )
        return _failed(delivery, token, error)
    delivery.status = EmailDelivery.Status.SENT
    delivery.sent_at = timezone.now()
    delivery.next_attempt_at = None
    delivery.save(update_fields=["status", "sent_at", "next_attempt_at"])
    return delivery.status


def _failed(delivery: EmailDelivery, token: PortalToken, error: Exception) -> str:
    # The link in an email that was not sent must never work.
    if token is not None:
        type(token).objects.filter(pk=token.pk).delete()
    delivery.last_error = f"{type(error).__name__}: {error}"[:500]
    retry_at = None
    if delivery.attempts < EmailDelivery.MAX_ATTEMPTS:
        retry_at = timezone.now() + BACKOFF[min(delivery.attempts, len(BACKOFF)) - 1]
        delivery.status = EmailDelivery.Status.QUEUED
        delivery.next_attempt_at = retry_at
    else:
        delivery.status = EmailDelivery.Status.FAILED
        delivery.next_attempt_at = None
    delivery.save(update_fields=["status", "last_error", "next_attempt_at"])
    if retry_at is not None:
        schedule(delivery, run_after=retry_at)
        delivery.refresh_from_db(fields=["status"])
    return delivery.status


def reclaim_interrupted_deliveries() -> int:
    """Emails left "sending" for longer than SENDING_TIMEOUT by a worker that stopped: mark them
    interrupted, and fail the stopped worker's task, which would otherwise show running for ever.
    An email that task had not yet claimed (still queued) is queued again: it was never sent.
    Returns how many emails were marked interrupted."""
    from django_tasks_db.models import DBTaskResult

    cutoff = timezone.now() - EmailDelivery.SENDING_TIMEOUT
    reclaimed = EmailDelivery.objects.filter(
        status=EmailDelivery.Status.SENDING, claimed_at__lt=cutoff
    ).update(
        status=EmailDelivery.Status.INTERRUPTED,
        next_attempt_at=None,
        last_error=INTERRUPTED_ERROR,
    )
    if reclaimed:
        logger.warning("%s email(s) were interrupted while sending: shown in the outbox", reclaimed)
    stale_tasks = DBTaskResult.objects.running().filter(
        task_path=send_email_delivery.module_path, started_at__lt=cutoff
    )
    for task_result in stale_tasks:
        with transaction.atomic():
            task_result.set_failed(WorkerStopped(INTERRUPTED_ERROR))
            # Killed after taking the task but before claiming the email: the email is still
            # queued, and no task would ever send it. Nothing was sent, so it is safe to queue
            # it again (a second task for it, if there is one, finds it sent and does nothing).
            delivery = EmailDelivery.objects.filter(
                pk=task_result.args_kwargs["args"][0], status=EmailDelivery.Status.QUEUED
            ).first()
            if delivery is not None:
                schedule(delivery, run_after=delivery.next_attempt_at)
    return reclaimed


INTERRUPTED_ERROR = (
    "Sending was interrupted (the task worker stopped): it may or may not have arrived."
)


class WorkerStopped(Exception):
    """Recorded on the task of an email whose worker stopped while sending it."""


def _english(text) -> str:
    with translation.override(ENGLISH):
        return str(text)


def in_welsh_and_english(delivery: EmailDelivery) -> bool:
    """Parents of a unit in a Welsh-language force get every email in Welsh and English; so
    does a parent who chose Welsh with the language switch (kept on their account)."""
    if delivery.force.welsh_language:
        return True
    user = delivery.guardian.user if delivery.guardian_id else None
    return user is not None and user.language == WELSH


def _message(delivery: EmailDelivery, raw_token: str, token: PortalToken) -> EmailMessage:
    """The email, in English, or in Welsh then English: both versions carry the same link."""
    if not in_welsh_and_english(delivery):
        with translation.override(ENGLISH):
            return _message_in_language(delivery, raw_token, token)
    with translation.override(WELSH):
        welsh = _message_in_language(delivery, raw_token, token)
    with translation.override(ENGLISH):
        english = _message_in_language(delivery, raw_token, token)
    return bilingual_message(welsh, english)


def bilingual_message(welsh: EmailMessage, english: EmailMessage) -> EmailMessage:
    """One email of two: subject "Welsh / English", the Welsh body, a separator line, the
    English body (HTML parts alike). The English message's recipients, headers and
    attachments (such as a calendar file) are kept, once."""
    message = english
    if welsh.subject != english.subject:
        message.subject = f"{welsh.subject} / {english.subject}"
    message.body = welsh.body.rstrip("\n") + SEPARATOR + english.body
    welsh_html = {mimetype: content for content, mimetype in getattr(welsh, "alternatives", [])}
    if welsh_html:
        message.alternatives = [
            EmailAlternative(
                welsh_html[mimetype] + HTML_SEPARATOR + content
                if mimetype in welsh_html and mimetype == "text/html"
                else content,
                mimetype,
            )
            for content, mimetype in message.alternatives
        ]
    message.extra_headers = {**message.extra_headers, "Content-Language": "cy, en-GB"}
    return message


def _message_in_language(
    delivery: EmailDelivery, raw_token: str, token: PortalToken
) -> EmailMessage:
    """The email in the active language."""
    # A kind another app writes (the events app's place emails) is built by that app's
    # `email_message` hook in its emails.py, so this app imports none of them. The hook is
    # called in each language the email is in: it renders in the active one.
    for email_message in hooks("email_message", module="emails"):
        message = email_message(delivery, raw_token, token)
        if message is not None:
            if message.subject == delivery.subject:
                message.subject = gettext(delivery.subject)  # a fixed subject: its translation
            return message
    guardian = delivery.guardian
    base = delivery.base_url.rstrip("/")
    # The Welsh version's links open the site in Welsh (views.link_language).
    query = f"?lang={WELSH}" if translation.get_language() == WELSH else ""
    children = guardian.guardianships.filter(child__anonymised_at__isnull=True).select_related(
        "child"
    )
    context = {
        "guardian": guardian,
        "children": and_list([link.child.first_name for link in children]),
        "cohort": delivery.cohort,
        "new_link": base + reverse("consent:portal_link_request") + query,
    }
    if delivery.kind == EmailDelivery.Kind.EMAIL_CHANGE_NOTICE:
        context["new_address"] = (
            mask_email(guardian.pending_email) if guardian.pending_email else ""
        )
    elif delivery.kind == EmailDelivery.Kind.EMAIL_CONFIRMATION:
        context["link"] = base + reverse("consent:portal_confirm_email", args=[raw_token]) + query
    else:
        context["link"] = base + reverse("consent:portal_sign_in", args=[raw_token]) + query
    if token is not None:
        context["expires_at"] = timezone.localtime(token.expires_at)
        context["hours"] = type(token).LIFETIME_HOURS
    body = render_to_string(f"consent/email/{delivery.kind}.txt", context)
    return EmailMessage(subject=gettext(delivery.subject), body=body, to=[delivery.to_email])


VOWELS = "aeiouwyâêîôûŵŷáéíóúàèìòù"


def and_list(names: list[str]) -> str:
    """ "Ada and Byron" in the active language ("Ada a Byron", "Byron ac Ada" in Welsh)."""
    text = names[0] if names else ""
    for name in names[1:]:
        if name[:1].lower() in VOWELS:
            word = pgettext("between names, before a name starting with a vowel", "and")
        else:
            word = pgettext("between names", "and")
        text += f" {word} {name}"
    return text


def mask_email(email: str) -> str:
    """Enough of an address for its owner to recognise it, not enough to write to it."""
    if "@" not in email:
        return email[:1] + "…"
    local, domain = email.split("@", 1)
    return f"{local[:1]}…@{domain}"
