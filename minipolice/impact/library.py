"""Every write to the questionnaire library: a force's own copies of the national
questionnaires, their versions and their questions.

The national library is never changed here: forces copy it (as programme templates). A copy
starts as a draft version 1 with the national questions, so the force can edit it; until the
force publishes its copy, it keeps asking the national version (services.current_version). A
published version is never edited: changing it means starting a new draft version, which
starts with the questions of the latest published one. Questionnaires are not personal data,
so their audit entries carry a label.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from minipolice.audit.services import record_audit
from minipolice.impact.models import (
    Instrument,
    InstrumentKind,
    InstrumentVersion,
    Question,
    QuestionKind,
)
from minipolice.programme.models import Module

MIN_OPTIONS = 2
MAX_OPTIONS = 6
MAX_OPTION_LENGTH = 100
PUBLISHED = gettext_lazy("This version is published and cannot change. Start a new version.")


def _refuse_national(instrument: Instrument) -> None:
    if instrument.force_id is None:
        raise ValidationError(
            _("The national library cannot be changed. Copy the questionnaire to your force first.")
        )


def _refuse_published(version: InstrumentVersion) -> None:
    if version.published_at is not None:
        raise ValidationError(PUBLISHED)


def _audit(acting_user, instrument: Instrument, action: str, fields: dict) -> None:
    record_audit(
        acting_user=acting_user,
        action=action,
        obj=instrument,
        fields=fields,
        force=instrument.force,
        label=str(instrument),
    )


def latest_published(instrument: Instrument) -> InstrumentVersion | None:
    return instrument.versions.filter(published_at__isnull=False).order_by("-number", "-pk").first()


def draft_of(instrument: Instrument) -> InstrumentVersion | None:
    return instrument.versions.filter(published_at__isnull=True).first()


def _copy_questions(source: InstrumentVersion | None, target: InstrumentVersion) -> None:
    if source is None:
        return
    Question.objects.bulk_create(
        Question(
            version=target,
            position=question.position,
            key=question.key,
            kind=question.kind,
            text=question.text,
            module_id=question.module_id,
            options=list(question.options),
            correct=question.correct,
        )
        for question in source.questions.order_by("position")
    )


@transaction.atomic
def copy_instrument(*, acting_user, instrument: Instrument, force) -> Instrument:
    """The force's own copy of a national questionnaire (made once): a draft version 1 with
    the national questions. The force asks the national version until it publishes its copy."""
    if instrument.force_id is not None:
        raise ValidationError(_("Only questionnaires of the national library are copied."))
    existing = Instrument.objects.filter(force=force, copied_from=instrument).first()
    if existing is not None:
        return existing
    name = instrument.name
    if Instrument.objects.filter(force=force, name=name).exists():
        name = (_("%(name)s (copy)") % {"name": instrument.name})[:120]
    copy = Instrument(
        force=force,
        kind=instrument.kind,
        name=name,
        description=instrument.description,
        copied_from=instrument,
    )
    copy.full_clean()
    copy.save()
    source = latest_published(instrument)
    draft = InstrumentVersion.objects.create(instrument=copy, number=1)
    _copy_questions(source, draft)
    _audit(
        acting_user,
        copy,
        "create",
        {"copied_from": instrument.pk, "from_version": source.number if source else None},
    )
    return copy


@transaction.atomic
def start_draft(*, acting_user, instrument: Instrument) -> InstrumentVersion:
    """The instrument's draft: the one being written, or a new version starting with the
    questions of the latest published version (one draft at a time)."""
    _refuse_national(instrument)
    instrument = Instrument.objects.select_for_update().get(pk=instrument.pk)
    existing = draft_of(instrument)
    if existing is not None:
        return existing
    number = (instrument.versions.aggregate(top=Max("number"))["top"] or 0) + 1
    draft = InstrumentVersion.objects.create(instrument=instrument, number=number)
    _copy_questions(latest_published(instrument), draft)
    _audit(acting_user, instrument, "update", {"version_started": number})
    return draft


def _editable(version: InstrumentVersion) -> InstrumentVersion:
    """The version, locked, once it is known to be a force's draft."""
    version = (
        # Only the version's row is locked (the force is on the nullable side of a join).
        InstrumentVersion.objects.select_for_update(of=("self",))
        .select_related("instrument", "instrument__force")
        .get(pk=version.pk)
    )
    _refuse_national(version.instrument)
    _refuse_published(version)
    return version


def parse_options(typed: str) -> list[str]:
    """Answers typed one a line, blank lines dropped."""
    return [" ".join(line.split()) for line in (typed or "").splitlines() if line.strip()]


def _checked(
    version: InstrumentVersion,
    *,
    key: str,
    kind: str,
    text: str,
    module: Module | None,
    options: list[str],
    correct: int | None,
    question: Question | None = None,
) -> dict:
    """The question's fields once they pass the library's rules, else a ValidationError with
    a message for each field that does not."""
    instrument = version.instrument
    key, text = (key or "").strip().lower(), " ".join((text or "").split())
    options = [" ".join(str(option).split()) for option in options or [] if str(option).strip()]
    errors = {}
    if not text:
        errors["text"] = _("Enter the question")
    elif len(text) > 200:
        errors["text"] = _("The question must be 200 characters or fewer")
    if kind not in QuestionKind.values:
        errors["kind"] = _("Select the kind of answer")
    elif kind == QuestionKind.TEXT and instrument.kind == InstrumentKind.CHILD:
        errors["kind"] = _("Children never write answers: choose five faces or one answer")
    if not key:
        errors["key"] = _("Enter a short key, for example feel_safe")
    else:
        clashes = version.questions.filter(key=key)
        if question is not None:
            clashes = clashes.exclude(pk=question.pk)
        if clashes.exists():
            errors["key"] = _("Another question in this version has this key")
    if kind == QuestionKind.CHOICE:
        if not MIN_OPTIONS <= len(options) <= MAX_OPTIONS:
            errors["options"] = _("Enter between %(min)s and %(max)s answers, one on each line") % {
                "min": MIN_OPTIONS,
                "max": MAX_OPTIONS,
            }
        elif any(len(option) > MAX_OPTION_LENGTH for option in options):
            errors["options"] = _("Each answer must be %(count)s characters or fewer") % {
                "count": MAX_OPTION_LENGTH
            }
        elif len(set(options)) != len(options):
            errors["options"] = _("Each answer must be different")
        if correct is not None:
            if instrument.kind != InstrumentKind.CHILD:
                errors["correct"] = _(
                    "Only the children's questionnaire has knowledge questions with a right answer"
                )
            elif not 0 <= correct < len(options):
                errors["correct"] = _("The right answer must be one of the answers listed")
    elif kind in QuestionKind.values:
        if options:
            errors["options"] = _(
                "Leave the answers empty: only a “choose one answer” question has them"
            )
        if correct is not None:
            errors["correct"] = _("Only a “choose one answer” question has a right answer")
    if module is not None:
        if instrument.kind != InstrumentKind.CHILD:
            errors["module"] = _("Only the children's questions are linked to a module")
        elif module.force_id not in (None, instrument.force_id):
            errors["module"] = _("Choose a national module or one of your force's own")
    if errors:
        raise ValidationError(errors)
    row = Question(
        version=version,
        position=question.position if question else 1,
        key=key,
        kind=kind,
        text=text,
        module=module,
        options=options if kind == QuestionKind.CHOICE else [],
        correct=correct if kind == QuestionKind.CHOICE else None,
    )
    row.full_clean(exclude=["version", "position"], validate_unique=False)
    return {
        "key": row.key,
        "kind": row.kind,
        "text": row.text,
        "module": row.module,
        "options": row.options,
        "correct": row.correct,
    }


@transaction.atomic
def add_question(
    *,
    acting_user,
    version: InstrumentVersion,
    key: str,
    kind: str,
    text: str,
    module: Module | None = None,
    options: list[str] | None = None,
    correct: int | None = None,
) -> Question:
    """Add a question at the end of a draft version."""
    version = _editable(version)
    fields = _checked(
        version,
        key=key,
        kind=kind,
        text=text,
        module=module,
        options=options or [],
        correct=correct,
    )
    position = (version.questions.aggregate(top=Max("position"))["top"] or 0) + 1
    question = Question.objects.create(version=version, position=position, **fields)
    _audit(
        acting_user,
        version.instrument,
        "update",
        {"version": version.number, "question_added": question.key},
    )
    return question


@transaction.atomic
def update_question(
    *,
    acting_user,
    question: Question,
    key: str,
    kind: str,
    text: str,
    module: Module | None = None,
    options: list[str] | None = None,
    correct: int | None = None,
) -> Question:
    version = _editable(question.version)
    question = Question.objects.get(pk=question.pk)
    fields = _checked(
        version,
        key=key,
        kind=kind,
        text=text,
        module=module,
        options=options or [],
        correct=correct,
        question=question,
    )
    for name, value in fields.items():
        setattr(question, name, value)
    question.save(update_fields=list(fields))
    _audit(
        acting_user,
        version.instrument,
        "update",
        {"version": version.number, "question_changed": question.key},
    )
    return question


@transaction.atomic
def remove_question(*, acting_user, question: Question) -> None:
    """Remove a question from a draft; the ones after it move up."""
    version = _editable(question.version)
    question = Question.objects.get(pk=question.pk)
    key, position = question.key, question.position
    Question.objects.filter(pk=question.pk).delete()
    # One at a time, upwards: each moves into the place just freed, so the unique
    # (version, position) constraint holds after every row.
    for later in version.questions.filter(position__gt=position).order_by("position"):
        later.position -= 1
        later.save(update_fields=["position"])
    _audit(
        acting_user,
        version.instrument,
        "update",
        {"version": version.number, "question_removed": key},
    )


@transaction.atomic
def publish(*, acting_user, version: InstrumentVersion) -> InstrumentVersion:
    """Freeze a draft: from now on it is asked (it is the force's latest published version)
    and never changes."""
    version = _editable(version)
    if not version.questions.exists():
        raise ValidationError(_("Add at least one question before publishing this version."))
    version.published_at = timezone.now()
    version.save(update_fields=["published_at"])
    _audit(acting_user, version.instrument, "update", {"version_published": version.number})
    return version


def modules_for(instrument: Instrument):
    """The modules a knowledge question may belong to: national ones and the force's own."""
    return Module.objects.filter(Q(force__isnull=True) | Q(force_id=instrument.force_id)).order_by(
        "title", "pk"
    )
