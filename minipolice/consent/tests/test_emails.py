"""Emails are sent by a background task, retried with a delay, and a failure is visible to the
coordinator, who can send it again."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from minipolice.consent import emails
from minipolice.consent.models import EmailDelivery, PortalToken
from minipolice.consent.tests.backends import FlakyEmailBackend
from minipolice.consent.tests.conftest import DATABASE_TASKS, link_in
from minipolice.people import services as people

DOWN = "minipolice.consent.tests.backends.DownEmailBackend"
FLAKY = "minipolice.consent.tests.backends.FlakyEmailBackend"


def queue(world):
    return emails.queue_email(
        acting_user=None,
        guardian=world.guardian,
        kind=EmailDelivery.Kind.PORTAL_LINK,
        base_url="http://testserver/",
    )


def test_a_queued_email_is_sent_by_the_task(world):
    mail.outbox.clear()
    delivery = queue(world)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.to_email) == ("sent", 1, "ann@example.com")
    assert delivery.sent_at is not None
    assert mail.outbox[0].to == ["ann@example.com"]


def test_a_failing_mail_server_is_tried_three_times_then_shown_as_failed(world, settings):
    settings.EMAIL_BACKEND = DOWN
    delivery = queue(world)
    delivery.refresh_from_db()
    assert delivery.status == "failed" and delivery.attempts == EmailDelivery.MAX_ATTEMPTS
    assert "SMTPConnectError" in delivery.last_error
    assert "not answering" in delivery.last_error
    # No link from an email that was never sent can work.
    assert not PortalToken.objects.exists()


def test_a_passing_failure_is_retried_and_the_email_arrives(world, settings):
    settings.EMAIL_BACKEND = FLAKY
    FlakyEmailBackend.failures_left = 2
    mail.outbox.clear()
    delivery = queue(world)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("sent", 3)
    assert len(mail.outbox) == 1
    # Only the link that was actually sent exists, and it works.
    assert PortalToken.objects.count() == 1


def test_a_retry_waits_when_the_backend_can_delay_tasks(world, settings):
    """With the database backend, a failed attempt enqueues the next one to run later."""
    settings.TASKS = DATABASE_TASKS
    settings.EMAIL_BACKEND = DOWN
    delivery = queue(world)
    before = timezone.now()
    assert emails.deliver(delivery.pk) == "queued"
    delivery.refresh_from_db()
    assert delivery.attempts == 1 and "SMTPConnectError" in delivery.last_error
    assert delivery.next_attempt_at > before + datetime.timedelta(seconds=50)
    retry = DBTaskResult.objects.filter(status="READY").order_by("-enqueued_at").first()
    assert retry.run_after == delivery.next_attempt_at
    assert retry.args_kwargs == {"args": [delivery.pk], "kwargs": {}}
    # The second failure waits longer; the third is the last.
    emails.deliver(delivery.pk)
    delivery.refresh_from_db()
    assert delivery.next_attempt_at > timezone.now() + datetime.timedelta(minutes=9)
    assert emails.deliver(delivery.pk) == "failed"


def test_a_sent_email_is_never_sent_twice(world):
    delivery = queue(world)
    mail.outbox.clear()
    assert emails.deliver(delivery.pk) == "sent"
    assert mail.outbox == []


def test_an_email_to_a_guardian_without_an_address_fails_at_once(world, settings):
    settings.TASKS = DATABASE_TASKS
    delivery = queue(world)
    people.update_guardian(
        acting_user=None,
        guardian=world.guardian,
        email="",
        phone="0117 496 0000",
        base_url="http://testserver/",
    )
    assert emails.deliver(delivery.pk) == "failed"
    delivery.refresh_from_db()
    assert delivery.attempts == 0 and "no email address" in delivery.last_error


def test_coordinator_sees_failed_emails_and_sends_them_again(world, client_for, settings):
    settings.EMAIL_BACKEND = DOWN
    delivery = queue(world)
    client = client_for(world.users["coordinator"])
    page = client.get("/consent/emails/?status=failed")
    html = page.content.decode()
    assert "ann@example.com" in html and "Failed" in html and "SMTPConnectError" in html
    assert "Send again" in html
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox.clear()
    response = client.post(f"/consent/emails/{delivery.pk}/retry/", follow=True)
    assert "is being sent again" in response.content.decode()
    delivery.refresh_from_db()
    assert delivery.status == "sent"
    assert link_in(mail.outbox[0]).startswith("/portal/sign-in/")


def test_only_a_failed_email_can_be_sent_again(world, client_for):
    delivery = queue(world)
    client = client_for(world.users["coordinator"])
    mail.outbox.clear()
    response = client.post(f"/consent/emails/{delivery.pk}/retry/", follow=True)
    assert (
        "Only an email that failed or was interrupted can be sent again"
        in response.content.decode()
    )
    assert mail.outbox == []


def test_coordinators_of_another_force_do_not_see_the_emails(world, client_for):
    queue(world)
    client = client_for(world.users["outsider"])
    assert client.get("/consent/emails/").context["listing"].page.paginator.count == 0


@pytest.mark.parametrize("count", [1, 50])
def test_outbox_query_count_does_not_grow(world, client_for, django_assert_num_queries, count):
    for _ in range(count):
        queue(world)
    client = client_for(world.users["coordinator"])
    client.get("/")
    # session, user, role assignments, count, page of deliveries (with guardian and cohort)
    with django_assert_num_queries(5):
        client.get("/consent/emails/")
