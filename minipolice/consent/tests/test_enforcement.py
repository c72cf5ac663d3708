import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from minipolice.consent import enforcement
from minipolice.consent.services import record_consent
from minipolice.people import services as people


def consent(world, kind="participation", status="granted", **extra):
    extra.setdefault("method", "paper")
    return record_consent(
        acting_user=world.users["teacher"], child=world.child, kind=kind, status=status, **extra
    )


def test_no_consent_means_no_attendance(world):
    decision = enforcement.may_attend(world.child)
    assert not decision and decision.reason == "No consent recorded for taking part"


def test_latest_decision_wins_and_history_is_kept(world):
    now = timezone.now()
    consent(world, given_at=now - datetime.timedelta(days=10))
    assert enforcement.may_attend(world.child)
    consent(world, status="withdrawn", given_at=now - datetime.timedelta(days=1))
    decision = enforcement.may_attend(world.child)
    assert not decision and "withdrawn" in decision.reason
    assert world.child.consents.count() == 2


def test_expired_consent_does_not_count(world):
    today = timezone.localdate()
    consent(world, expires=today - datetime.timedelta(days=1))
    assert "expired" in enforcement.may_attend(world.child).reason
    assert enforcement.may_attend(world.child, today=today - datetime.timedelta(days=2))


def test_media_consent_covers_only_the_uses_granted(world):
    consent(world, kind="media", media_uses=["internal", "school_newsletter"])
    assert enforcement.may_use_media(world.child, "school_newsletter")
    decision = enforcement.may_use_media(world.child, "force_website")
    assert not decision and "force website" in decision.reason


def test_media_consent_without_uses_is_refused(world):
    with pytest.raises(ValidationError):
        consent(world, kind="media", media_uses=[])


def test_trip_consent_is_per_trip(world):
    consent(world, kind="trip", trip_reference="event:1")
    assert enforcement.may_go_on_trip(world.child, "event:1")
    assert not enforcement.may_go_on_trip(world.child, "event:2")


def test_only_a_guardian_of_the_child_can_give_consent(world):
    stranger = people.create_guardian(
        acting_user=None, force=world.force, name="Not A Parent", email="n@example.com"
    )
    with pytest.raises(ValidationError):
        consent(world, method="portal", given_by=stranger)
    recorded = consent(world, method="portal", given_by=world.guardian)
    assert recorded.given_by_name == "Ann Lovelace"


def test_register_decisions_cost_one_query_for_any_number_of_children(world):
    for i in range(30):
        people.add_child_to_cohort(
            acting_user=None,
            cohort=world.cohort,
            first_name=f"K{i}",
            last_name="Many",
            year_group=5,
        )
    children = world.cohort.enrolments.values("child")
    from minipolice.people.models import Child

    with CaptureQueriesContext(connection) as queries:
        decisions = enforcement.attendance_decisions(Child.objects.filter(pk__in=children))
    assert len(queries) == 1 and len(decisions) == 31


def test_an_anonymised_child_is_allowed_nothing(world):
    consent(world)
    consent(world, kind="media", media_uses=["press"])
    people.erase_child(acting_user=world.users["coordinator"], child=world.child, reason="Asked")
    assert not enforcement.may_attend(world.child)
    decision = enforcement.may_use_media(world.child, "press")
    assert not decision and decision.reason == "This child's personal data has been erased"
