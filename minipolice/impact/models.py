"""Evidence of change: survey instruments, children's anonymous answers, and feedback.

An **instrument** is a questionnaire of one kind (the child's, the teacher's, the guardian's).
Its questions live in **versions**: a published version is never edited; changing it makes a
new draft version, and every answer points at the version it was given to. An instrument with
no force belongs to the national library, which forces copy (as programme templates).

A **survey round** is one sitting of the child's questionnaire by a cohort, at the start (pre)
or the end (post). The children's **responses** carry no child id, name or device: only the
round (so cohort and phase), the version and the minute it arrived. A round taken on paper adds
**tallies** (how many children chose each face) instead of responses.

Teacher and guardian **feedback** is personal data (it is linked to who gave it and may be
quoted): the people app's subject access, retention and erasure cover it (impact.privacy).
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from minipolice.lib.models import UniqueErrorsOnFieldMixin


class InstrumentKind(models.TextChoices):
    CHILD = "child", _("Children's questionnaire (before and after)")
    TEACHER = "teacher", _("Teacher feedback")
    GUARDIAN = "guardian", _("Parent and carer feedback")


class QuestionKind(models.TextChoices):
    FACE = "face", _("Five faces")
    CHOICE = "choice", _("Choose one answer")
    TEXT = "text", _("Written answer")


# The words under the five faces, from the saddest (1) to the happiest (5). Children of this
# age bunch at the top face of a plain smiley scale: words under each face spread the answers.
FACE_WORDS = {
    InstrumentKind.CHILD: [
        _("No, not at all"),
        _("Not really"),
        _("Not sure"),
        _("Yes, a bit"),
        _("Yes, a lot"),
    ],
    InstrumentKind.TEACHER: [
        _("Strongly disagree"),
        _("Disagree"),
        _("Neither agree nor disagree"),
        _("Agree"),
        _("Strongly agree"),
    ],
    InstrumentKind.GUARDIAN: [
        _("Strongly disagree"),
        _("Disagree"),
        _("Neither agree nor disagree"),
        _("Agree"),
        _("Strongly agree"),
    ],
}
FACES = [1, 2, 3, 4, 5]
TOP_TWO = (4, 5)
# The key of the trust statement: results show the national benchmark beside it.
TRUST_KEY = "trust_police"


class Instrument(UniqueErrorsOnFieldMixin, models.Model):
    force = models.ForeignKey(
        "organisations.Force",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="instruments",
        help_text="Empty for the national library.",
    )
    kind = models.CharField(max_length=10, choices=InstrumentKind.choices)
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    copied_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="copies"
    )

    class Meta:
        ordering = ["kind", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["force", "name"],
                name="instrument_name_unique_in_force",
                violation_error_code="unique",
                violation_error_message=_("Your force already has a questionnaire with this name."),
            ),
            models.UniqueConstraint(
                fields=["name"],
                condition=Q(force__isnull=True),
                name="instrument_name_unique_national",
                violation_error_code="unique",
                violation_error_message=_(
                    "The national library already has a questionnaire with this name."
                ),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("impact:instrument_detail", args=[self.pk])

    @property
    def is_national(self) -> bool:
        return self.force_id is None


class InstrumentVersion(models.Model):
    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField()
    # Empty while the version is a draft; once set, the version and its questions are frozen.
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["instrument", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["instrument", "number"], name="instrument_version_number_unique"
            ),
            # At most one draft per instrument: the next version being written.
            models.UniqueConstraint(
                fields=["instrument"],
                condition=Q(published_at__isnull=True),
                name="instrument_one_draft",
            ),
        ]

    def __str__(self):
        return gettext("%(name)s, version %(number)s") % {
            "name": self.instrument.name,
            "number": self.number,
        }

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class Question(models.Model):
    version = models.ForeignKey(
        InstrumentVersion, on_delete=models.CASCADE, related_name="questions"
    )
    position = models.PositiveSmallIntegerField()
    # Stable across versions, so results compare a pre round on version 1 with a post round on
    # version 2 statement by statement.
    key = models.SlugField(max_length=40)
    kind = models.CharField(max_length=10, choices=QuestionKind.choices)
    text = models.CharField(max_length=200)
    # Knowledge questions are drawn from the modules a cohort is taught: asked only when the
    # cohort's sessions or template include this module (or a force's copy of it).
    module = models.ForeignKey(
        "programme.Module", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # For a choice question: its answers, in order; `correct` is the index of the right one
    # (empty for an opinion, such as how often a child talked about it at home).
    options = models.JSONField(default=list, blank=True)
    correct = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "position"], name="question_position_unique"
            ),
            models.UniqueConstraint(fields=["version", "key"], name="question_key_unique"),
        ]

    def __str__(self):
        return self.text

    @property
    def is_knowledge(self) -> bool:
        return self.kind == QuestionKind.CHOICE and self.correct is not None


class Phase(models.TextChoices):
    PRE = "pre", _("Before (start of the programme)")
    POST = "post", _("After (end of the programme)")


class RoundStatus(models.TextChoices):
    RUNNING = "running", _("Running")
    PAUSED = "paused", _("Paused")
    CLOSED = "closed", _("Finished")


class SurveyRound(models.Model):
    cohort = models.ForeignKey(
        "organisations.Cohort", on_delete=models.PROTECT, related_name="survey_rounds"
    )
    version = models.ForeignKey(InstrumentVersion, on_delete=models.PROTECT, related_name="rounds")
    phase = models.CharField(max_length=4, choices=Phase.choices)
    status = models.CharField(
        max_length=10, choices=RoundStatus.choices, default=RoundStatus.RUNNING
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    # Children who answered on paper: their answers are the round's tallies.
    paper_children = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["cohort", "phase"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "phase"], name="survey_round_once_per_phase")
        ]

    def __str__(self):
        return f"{self.cohort}: {self.get_phase_display()}"


class ChildResponse(models.Model):
    """One child's answers, anonymous: no child, no name, no device; the minute it arrived.

    Its id (and its answers' ids) are random, not counted up: a sequence would keep the order
    the children took the tablet in, which whoever passed it round could match to names."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(SurveyRound, on_delete=models.CASCADE, related_name="responses")
    # Made by the tablet for each child's answers, so an upload repeated after a lost
    # connection is recognised and counted once. Random: it identifies nobody.
    client_key = models.UUIDField(default=uuid.uuid4)
    received_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["round", "client_key"], name="child_response_counted_once"
            )
        ]

    def __str__(self):
        return f"Response #{self.pk} in {self.round}"


class ChildAnswer(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    response = models.ForeignKey(ChildResponse, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    # A face (1 to 5) or the index of a chosen answer.
    value = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="child_answer_once")
        ]
        indexes = [models.Index(fields=["question", "value"])]

    def __str__(self):
        return f"{self.question_id}: {self.value}"


class PaperTally(models.Model):
    """How many children on paper gave `value` (a face or an answer's index) to a question."""

    round = models.ForeignKey(SurveyRound, on_delete=models.CASCADE, related_name="tallies")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    value = models.PositiveSmallIntegerField()
    count = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "question", "value"], name="paper_tally_once")
        ]

    def __str__(self):
        return f"{self.question_id}: {self.value} × {self.count}"


class Feedback(models.Model):
    """A teacher's feedback on a cohort, or a guardian's on their child's time in it."""

    cohort = models.ForeignKey(
        "organisations.Cohort", on_delete=models.PROTECT, related_name="feedback"
    )
    version = models.ForeignKey(InstrumentVersion, on_delete=models.PROTECT, related_name="+")
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="survey_feedback",
    )
    guardian = models.ForeignKey(
        "people.Guardian",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="survey_feedback",
    )
    # The respondent agreed that their written answers may be quoted, without their name.
    may_quote = models.BooleanField(default=False)
    submitted_at = models.DateTimeField()
    # Set when the written answers were cleared (retention or erasure); the scores stay.
    anonymised_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-submitted_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "teacher"],
                condition=Q(teacher__isnull=False),
                name="feedback_once_per_teacher",
            ),
            models.UniqueConstraint(
                fields=["cohort", "guardian"],
                condition=Q(guardian__isnull=False),
                name="feedback_once_per_guardian",
            ),
        ]

    def __str__(self):
        return f"Feedback #{self.pk} on {self.cohort}"


class FeedbackAnswer(models.Model):
    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    value = models.PositiveSmallIntegerField(null=True, blank=True)
    # What they wrote, as typed (subject access shows it) ...
    text = models.TextField(blank=True)
    # ... and as it may be quoted: any child's or parent's name in it replaced by "[name]".
    quote = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["feedback", "question"], name="feedback_answer_once")
        ]

    def __str__(self):
        return f"Answer to {self.question_id} in feedback #{self.feedback_id}"
