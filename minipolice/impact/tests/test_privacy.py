"""Feedback is personal data: a guardian's subject access export lists it as they gave it,
erasure clears their written answers and keeps the scores, erasing a child removes their name
from others' written answers, and retention clears the written answers of old cohorts."""

import datetime
import json

from django.utils import timezone

from minipolice.audit.models import AuditEntry
from minipolice.impact import services
from minipolice.impact.models import Feedback, FeedbackAnswer, Instrument, InstrumentKind
from minipolice.impact.privacy import clear_expired_feedback
from minipolice.impact.tasks import housekeeping
from minipolice.lib.privacy import NAME_PLACEHOLDER
from minipolice.organisations import services as org
from minipolice.organisations.models import Cohort
from minipolice.people import services as people


def questions(kind):
    version = Instrument.objects.get(force=None, kind=kind).versions.get()
    return {q.key: q for q in version.questions.all()}


def guardian_feedback(world, written="She explains road safety to her little brother."):
    q = questions(InstrumentKind.GUARDIAN)
    return services.give_guardian_feedback(
        acting_user=world.users["guardian"],
        guardian=world.guardian,
        cohort=world.cohort,
        answers={
            q["talked_at_home"].pk: 1,
            q["more_confident"].pk: 4,
            q["changes_noticed"].pk: written,
        },
        may_quote=True,
        today=world.cohort.end_date,
    )


def teacher_feedback(world, cohort=None, written="Ada Lovelace and her mum Ann ran the stall."):
    q = questions(InstrumentKind.TEACHER)
    cohort = cohort or world.cohort
    return services.give_teacher_feedback(
        acting_user=world.users["teacher"],
        cohort=cohort,
        answers={q["behaviour_improved"].pk: 5, q["what_worked"].pk: written},
        may_quote=True,
        today=cohort.end_date,
    )


def test_subject_access_export_holds_the_guardians_feedback(world, client_for):
    guardian_feedback(world)
    response = client_for(world.users["coordinator"]).get(
        f"/guardians/{world.guardian.pk}/export.json"
    )
    (row,) = json.loads(response.content)["sections"]["survey_feedback"]["data"]
    assert row["Group"] == "Hilltop Mini Police: Year 5"
    assert row["What changes, if any, have you noticed in your child?"] == (
        "She explains road safety to her little brother."
    )
    assert row["My child seems more confident."] == "4: Agree"
    assert row["Has your child talked about Mini Police at home?"] == "Sometimes"
    assert row["May be quoted without their name"] == "Yes"


def test_erasing_a_guardian_clears_their_written_answers_and_keeps_scores(world, client_for):
    feedback = guardian_feedback(world)
    response = client_for(world.users["coordinator"]).post(
        f"/guardians/{world.guardian.pk}/erase/", {"reason": "Asked to be removed"}
    )
    assert response.status_code == 302
    feedback.refresh_from_db()
    assert feedback.guardian is None and feedback.anonymised_at is not None
    answers = {a.question.key: a for a in feedback.answers.select_related("question")}
    assert answers["changes_noticed"].text == "" and answers["changes_noticed"].quote == ""
    assert answers["more_confident"].value == 4 and answers["talked_at_home"].value == 1
    assert not FeedbackAnswer.objects.filter(text__icontains="road safety").exists()


def test_erasing_a_child_removes_their_name_from_teachers_written_answers(world, client_for):
    feedback = teacher_feedback(world)
    client_for(world.users["coordinator"]).post(
        f"/children/{world.child.pk}/erase/", {"reason": "Family moved away"}
    )
    written = feedback.answers.get(question__key="what_worked")
    assert "Ada" not in written.text and "Lovelace" not in written.text
    assert "Ada" not in written.quote
    assert written.text.startswith(NAME_PLACEHOLDER)
    # The teacher's own feedback stays theirs, scores and all.
    feedback.refresh_from_db()
    assert feedback.teacher == world.users["teacher"]
    assert feedback.answers.get(question__key="behaviour_improved").value == 5


def test_retention_clears_written_answers_of_old_cohorts_only(world):
    today = timezone.localdate()
    old = org.create_cohort(
        acting_user=None,
        unit=world.unit,
        name="Year 5 (two years ago)",
        start_date=today - datetime.timedelta(days=900),
        end_date=today - datetime.timedelta(days=800),
    )
    people.add_child_to_cohort(
        acting_user=None, cohort=old, first_name="Old", last_name="Pupil", year_group=5
    )
    old_feedback = teacher_feedback(world, cohort=old, written="The old class loved it.")
    Cohort.objects.filter(pk=world.cohort.pk).update(end_date=today + datetime.timedelta(days=5))
    world.cohort.refresh_from_db()
    current = teacher_feedback(world, written="This class loved it.")
    current_guardian = guardian_feedback(world)

    housekeeping()

    old_feedback.refresh_from_db()
    assert old_feedback.anonymised_at is not None
    assert old_feedback.teacher == world.users["teacher"]  # a staff account: only text goes
    written = old_feedback.answers.get(question__key="what_worked")
    assert (written.text, written.quote) == ("", "")
    assert old_feedback.answers.get(question__key="behaviour_improved").value == 5
    for kept in (current, current_guardian):
        kept.refresh_from_db()
        assert kept.anonymised_at is None
    assert FeedbackAnswer.objects.filter(text="This class loved it.").exists()
    entry = AuditEntry.objects.get(fields__retention="survey feedback")
    assert entry.fields["feedback_cleared"] == 1 and entry.force == world.force
    # Nothing more is due: a second run clears nothing.
    assert clear_expired_feedback() == 0


def test_retention_follows_the_forces_retention_period(world):
    today = timezone.localdate()
    Cohort.objects.filter(pk=world.cohort.pk).update(
        start_date=today - datetime.timedelta(days=200),
        end_date=today - datetime.timedelta(days=100),
    )
    world.cohort.refresh_from_db()
    feedback = teacher_feedback(world)
    assert clear_expired_feedback(today) == 0  # 12 months by default
    world.force.retention_months = 3
    world.force.save(update_fields=["retention_months"])
    assert clear_expired_feedback(today) == 1
    feedback.refresh_from_db()
    assert feedback.anonymised_at is not None
    assert not Feedback.objects.filter(anonymised_at__isnull=True).exists()


def test_exports_list_written_feedback_that_names_the_child(world, client_for):
    teacher_feedback(world)
    response = client_for(world.users["coordinator"]).get(f"/children/{world.child.pk}/export.json")
    (row,) = json.loads(response.content)["sections"]["survey_feedback_mentions"]["data"]
    assert row["What worked well?"] == "Ada Lovelace and her mum Ann ran the stall."
