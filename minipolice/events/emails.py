"""The email telling parents of a child's place at an event, with the event as a calendar file.

Written to the consent app's outbox (EmailDelivery, kind event_place) and sent by its task;
consent.emails asks `email_message` here for the message (a hook: it does not import this app)."""

from urllib.parse import urlsplit

from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from minipolice.consent.models import EmailDelivery
from minipolice.events.ical import event_calendar


def email_message(delivery, raw_token: str, token) -> EmailMessage | None:
    """The consent outbox's hook: the message of an event-place email, None for other kinds."""
    if delivery.kind == EmailDelivery.Kind.EVENT_CANCELLED:
        return event_cancelled_message(delivery, raw_token, token)
    if delivery.kind != EmailDelivery.Kind.EVENT_PLACE:
        return None
    return event_place_message(delivery, raw_token, token)


def event_cancelled_message(delivery, raw_token: str, token) -> EmailMessage:
    """The event the child had a place at is off, with the organiser's reason."""
    link = delivery.event_email
    base = delivery.base_url.rstrip("/")
    context = {
        "guardian": delivery.guardian,
        "child_first_name": link.child.first_name,
        "event": link.event,
        "link": base + reverse("consent:portal_sign_in", args=[raw_token]),
        "hours": type(token).LIFETIME_HOURS if token else None,
    }
    # In the active language: the outbox calls this once per language of the email (Welsh
    # and English for a Welsh-language force's parents).
    body = render_to_string("events/email/cancelled.txt", context)
    subject = gettext("Mini Police: %(title)s is cancelled") % {"title": link.event.title}
    return EmailMessage(subject=subject[:200], body=body, to=[delivery.to_email])


def event_place_message(delivery, raw_token: str, token) -> EmailMessage:
    link = delivery.event_email
    event, child = link.event, link.child
    base = delivery.base_url.rstrip("/")
    event_url = base + reverse("events:portal_event", args=[event.pk])
    context = {
        "guardian": delivery.guardian,
        "child_first_name": child.first_name,
        "event": event,
        "programme": list(event.programme.all()),
        "link": base + reverse("consent:portal_sign_in", args=[raw_token]),
        "event_url": event_url,
        "expires_at": timezone.localtime(token.expires_at) if token else None,
        "hours": type(token).LIFETIME_HOURS if token else None,
    }
    body = render_to_string("events/email/place.txt", context)
    calendar = event_calendar(event, host=urlsplit(base).hostname or "minipolice", url=event_url)
    subject = gettext("Mini Police: a place at %(title)s") % {"title": event.title}
    message = EmailMessage(subject=subject[:200], body=body, to=[delivery.to_email])
    message.attach("mini-police-event.ics", calendar, "text/calendar; method=PUBLISH")
    return message
