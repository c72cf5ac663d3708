"""Asking for portal links for someone else's address must not lock the real parent out: only
links actually sent count for an address, with a short cool-down between them; the limit per
IP address stays."""

import datetime

from django.core import mail
from django.utils import timezone

from minipolice.consent import portal


def ask_for_link(client, email, ip):
    return client.post("/portal/link/", {"email": email}, REMOTE_ADDR=ip)


def test_requests_from_many_addresses_do_not_lock_the_parent_out(world, client, monkeypatch):
    mail.outbox.clear()
    for i in range(30):
        response = ask_for_link(client, world.guardian.email, ip=f"198.51.100.{i}")
        assert response.status_code == 302
    # Only one link went out during the cool-down: the parent's inbox is not flooded.
    assert [message.to for message in mail.outbox] == [[world.guardian.email]]

    later = timezone.now() + portal.LINK_COOLDOWN + datetime.timedelta(seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    mail.outbox.clear()
    response = ask_for_link(client, world.guardian.email, ip="203.0.113.200")
    assert response["Location"] == "/portal/link/sent/"
    assert [message.to for message in mail.outbox] == [[world.guardian.email]]


def test_in_the_cool_down_the_answer_is_the_same_as_for_an_unknown_address(world, client):
    ask_for_link(client, world.guardian.email, ip="198.51.100.1")
    mail.outbox.clear()
    known = ask_for_link(client, world.guardian.email, ip="198.51.100.2")
    unknown = ask_for_link(client, "nobody@example.com", ip="198.51.100.3")
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert mail.outbox == []


def test_a_parent_can_get_a_link_every_cool_down_for_an_hour(world, client, monkeypatch):
    start = timezone.now()
    sent = 0
    for step in range(8):
        moment = start + step * (portal.LINK_COOLDOWN + datetime.timedelta(seconds=1))
        monkeypatch.setattr(timezone, "now", lambda moment=moment: moment)
        mail.outbox.clear()
        ask_for_link(client, world.guardian.email, ip=f"203.0.113.{step}")
        sent += len(mail.outbox)
    assert sent == 8


def test_the_limit_per_ip_address_stays(world, client):
    for i in range(portal.LINKS_PER_IP_PER_HOUR):
        assert ask_for_link(client, f"someone{i}@example.com", ip="192.0.2.7").status_code == 302
    mail.outbox.clear()
    assert ask_for_link(client, world.guardian.email, ip="192.0.2.7").status_code == 429
    assert mail.outbox == []
