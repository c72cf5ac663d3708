"""A teacher's feedback sent twice at the same moment (a double click, two tabs), with real
threads on PostgreSQL: one feedback is saved; the other post is told it was given already.

The unique constraint (cohort, teacher) decides; the service turns the loser's IntegrityError
into a message. SQLite takes one writer at a time, so the posts cannot overlap there.
"""

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from conftest import build_world
from minipolice.impact.models import (
    Feedback,
    FeedbackAnswer,
    Instrument,
    InstrumentKind,
    InstrumentVersion,
    Question,
)
from minipolice.lib.tests.threads import at_once, signed_in_client
from minipolice.organisations.models import Cohort

NEEDS_POSTGRESQL = (
    "Needs PostgreSQL: SQLite takes one writer at a time, so two posts cannot overlap there. "
    "Run with DATABASE_URL=postgres://..."
)


def _teacher_questionnaire(force):
    """The force's own published teacher questionnaire (a transactional test cannot count on
    the national library: an earlier one's flush removed what the migrations seeded)."""
    instrument = Instrument.objects.create(
        force=force, kind=InstrumentKind.TEACHER, name="Race teacher feedback"
    )
    version = InstrumentVersion.objects.create(
        instrument=instrument, number=1, published_at=timezone.now()
    )
    face = Question.objects.create(
        version=version, position=1, key="confidence", kind="face", text="Confidence grew."
    )
    written = Question.objects.create(
        version=version, position=2, key="what_worked", kind="text", text="What worked?"
    )
    return face, written


@pytest.mark.django_db(transaction=True)
def test_two_posts_of_the_same_feedback_at_once_save_one():
    if connection.vendor != "postgresql":
        pytest.skip(NEEDS_POSTGRESQL)
    world = build_world()
    Cohort.objects.filter(pk=world.cohort.pk).update(
        end_date=timezone.localdate() + datetime.timedelta(days=7)
    )
    face, written = _teacher_questionnaire(world.force)
    clients = [signed_in_client(world.users["teacher"]) for _ in range(2)]
    url = f"/cohorts/{world.cohort.pk}/feedback/"
    data = {f"q{face.pk}": "5", f"q{written.pk}": "Ada Lovelace led the litter pick."}
    responses = at_once(*(lambda client=client: client.post(url, data) for client in clients))
    codes = sorted(getattr(r, "status_code", repr(r)) for r in responses)
    assert codes == [200, 302], responses
    loser = next(r for r in responses if r.status_code == 200)
    # Told it was given already (the race lost at the constraint), or shown the feedback given
    # (the other post had finished before this one looked).
    page = loser.content.decode()
    assert "You have already given feedback on this cohort" in page or "You gave feedback" in page
    assert Feedback.objects.filter(cohort=world.cohort).count() == 1
    assert FeedbackAnswer.objects.count() == 2
