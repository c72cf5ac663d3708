"""With the database backend (as in production), an enqueued email waits in the database and
`manage.py db_worker` sends it."""

import pytest
from django.core import mail
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from minipolice.consent.models import EmailDelivery
from minipolice.consent.tests.conftest import DATABASE_TASKS


@pytest.mark.django_db(transaction=True)
def test_db_worker_sends_an_email_enqueued_with_the_database_backend(client, settings):
    from conftest import build_world

    settings.TASKS = DATABASE_TASKS
    world = build_world()
    mail.outbox.clear()
    client.post("/portal/link/", {"email": world.guardian.email})
    delivery = EmailDelivery.objects.get()
    assert delivery.status == "queued" and mail.outbox == []
    assert DBTaskResult.objects.filter(status="READY").count() == 1

    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

    delivery.refresh_from_db()
    assert delivery.status == "sent"
    assert mail.outbox[0].to == [world.guardian.email]
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
