"""The outbox survives a task worker killed while it sends a batch of emails.

What is guaranteed (consent.emails, EmailDelivery's docstring): an email is sent at most once.
A worker claims an email ("sending") before it hands it to the mail server and records "sent"
after. Killed in between, nobody knows whether the server took it: after SENDING_TIMEOUT the
restarted worker's housekeeping marks it "interrupted", never sends it again by itself, and the
coordinator sees it in the outbox with "Send again". Every other email is sent by the restarted
worker, once. So no email is lost from sight and none is sent twice.

The test runs a real site (its own database, `manage.py task_worker` as a process, a mail backend
that takes 0.2 s a message and records each one), queues a batch, SIGKILLs the worker in the
middle, restarts it and lets it finish.
"""

import json
import random
import time

import pytest

from minipolice.lib.tests.processes import drop_site, kill, make_site, wait_until

BATCH = 12

SEED = f"""
import json
import random
import time
from conftest import build_world
from minipolice.consent.emails import queue_email
from minipolice.consent.models import EmailDelivery
from minipolice.people import services as people
world = build_world()
ids = []
for i in range({BATCH}):
    guardian = people.create_guardian(
        acting_user=world.users["coordinator"], force=world.force, name=f"Parent {{i}}",
        email=f"parent{{i}}@example.com",
    )
    delivery = queue_email(
        acting_user=world.users["coordinator"], guardian=guardian,
        kind=EmailDelivery.Kind.PORTAL_LINK, base_url="http://testserver",
    )
    ids.append(delivery.pk)
print(json.dumps(ids))
"""

BACKDATE_SENDING = """
import datetime, json
from django.db.models import F
from django_tasks_db.models import DBTaskResult
from minipolice.consent.models import EmailDelivery
# As if SENDING_TIMEOUT had passed since the stopped worker claimed its email.
hour = datetime.timedelta(hours=1)
count = EmailDelivery.objects.filter(status="sending").update(claimed_at=F("claimed_at") - hour)
DBTaskResult.objects.filter(status="RUNNING").update(started_at=F("started_at") - hour)
print(json.dumps(count))
"""


@pytest.fixture
def site(tmp_path):
    mail = tmp_path / "mail"
    mail.mkdir()
    site = make_site(
        tmp_path,
        EMAIL_BACKEND="minipolice.lib.tests.slow_mail.EmailBackend",
        SLOW_MAIL_DIR=str(mail),
        SLOW_MAIL_SECONDS="0.2",
    )
    site.mail = mail
    yield site
    drop_site(site)


def _sent_to(site) -> dict[str, int]:
    counts: dict[str, int] = {}
    for path in site.mail.glob("*.json"):
        for address in json.loads(path.read_text())["to"]:
            counts[address] = counts.get(address, 0) + 1
    return counts


def _statuses(site, ids) -> dict[int, tuple[str, str]]:
    rows = site.query(
        "SELECT id, status, to_email FROM consent_emaildelivery "
        f"WHERE id IN ({', '.join(str(pk) for pk in ids)})"
    )
    return {pk: (status, to_email) for pk, status, to_email in rows}


def test_a_worker_killed_mid_batch_loses_no_email_and_sends_none_twice(site, tmp_path):
    ids = site.python(SEED)
    assert {status for status, _ in _statuses(site, ids).values()} == {"queued"}

    worker = site.start_worker(tmp_path / "worker.log")
    wait_until(lambda: len(_sent_to(site)) >= BATCH // 3, timeout=60, what="a third of the batch")
    time.sleep(random.uniform(0, 0.2))  # anywhere in the next email: before, in or after sending
    kill(worker)

    statuses = _statuses(site, ids)
    sent_before = _sent_to(site)
    assert 0 < len(sent_before) < BATCH  # killed in the middle of the batch
    assert max(sent_before.values()) == 1
    assert sum(1 for status, _ in statuses.values() if status == "sending") <= 1

    site.python(BACKDATE_SENDING)
    worker = site.start_worker(tmp_path / "worker.log")
    wait_until(
        lambda: (
            "queued" not in {s for s, _ in _statuses(site, ids).values()}
            and "sending" not in {s for s, _ in _statuses(site, ids).values()}
        ),
        timeout=60,
        what="the outbox to drain",
    )
    kill(worker)

    final = _statuses(site, ids)
    sent = _sent_to(site)
    assert max(sent.values()) == 1  # none twice
    for pk, (status, address) in final.items():
        assert status in ("sent", "interrupted"), (pk, status)
        if status == "sent":
            assert sent.get(address) == 1  # each sent email arrived once
    # The one the worker held when it was killed, if any, is interrupted: it may or may not have
    # reached the mail server before the kill, and it was not sent again.
    interrupted = [address for status, address in final.values() if status == "interrupted"]
    assert len(interrupted) <= 1
    assert all(sent.get(address, 0) <= 1 for address in interrupted)
    assert len([s for s, _ in final.values() if s == "sent"]) + len(interrupted) == BATCH
