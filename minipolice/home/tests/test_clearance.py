"""A unit leader's home page warns them, with the date, before their own vetting or
safeguarding training runs out (their coordinator sees the same 30 days ahead)."""

import datetime

from django.utils import timezone

from minipolice.accounts.models import Role
from minipolice.accounts.services import assign_role, create_user
from minipolice.people import services as people


def days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


def leader_with(world, *, vetting_expires, training_expires):
    leader = create_user(acting_user=None, email="soon@example.org", full_name="PCSO Soon")
    assign_role(acting_user=None, user=leader, role=Role.UNIT_LEADER, unit=world.unit)
    people.record_vetting(
        acting_user=None,
        leader=leader,
        level="nppv2",
        granted=days(-300),
        expires=vetting_expires,
    )
    people.record_safeguarding_training(
        acting_user=None, leader=leader, completed=days(-30), expires=training_expires
    )
    return leader


def warnings(html):
    return [
        part.split("</strong>", 1)[0] for part in html.split('class="govuk-warning-text__text"')[1:]
    ]


def test_leader_is_warned_of_vetting_expiring_within_30_days_with_the_date(world, client_for):
    expires = days(12)
    leader = leader_with(world, vetting_expires=expires, training_expires=days(300))

    html = client_for(leader).get("/").content.decode()

    [warning] = warnings(html)
    assert f"Your vetting expires on {expires:%-d %B %Y}" in warning
    assert "training" not in warning


def test_leader_is_warned_of_training_expiring_today(world, client_for):
    leader = leader_with(world, vetting_expires=days(200), training_expires=days(0))

    html = client_for(leader).get("/").content.decode()

    [warning] = warnings(html)
    assert f"Your safeguarding training expires on {days(0):%-d %B %Y}" in warning


def test_both_expiring_are_both_flagged(world, client_for):
    leader = leader_with(world, vetting_expires=days(30), training_expires=days(3))

    found = warnings(client_for(leader).get("/").content.decode())

    assert len(found) == 2
    assert f"vetting expires on {days(30):%-d %B %Y}" in found[0]
    assert f"safeguarding training expires on {days(3):%-d %B %Y}" in found[1]


def test_no_warning_when_both_run_beyond_30_days(world, client_for):
    leader = leader_with(world, vetting_expires=days(31), training_expires=days(300))
    assert warnings(client_for(leader).get("/").content.decode()) == []


def test_the_lapsed_leader_gets_the_not_in_date_warning_only(world, client_for):
    found = warnings(client_for(world.users["lapsed_leader"]).get("/").content.decode())
    assert len(found) == 1 and "is not in date" in found[0]
