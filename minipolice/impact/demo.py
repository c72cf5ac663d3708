"""Demo survey results (called by `manage.py load_demo`; loading twice changes nothing).

- The first cohorts of Avon and Somerset's units (the 2017/18 pilot at Oasis Connaught School
  and the 2018/19 cohorts of the 2018 units) and Hertfordshire's 2018 trial at Harpenden
  Academy took the children's questionnaire before and after the programme: in classroom mode,
  except the trial's "after" round, which was typed in from paper. The answers are invented by a
  seeded generator, shaped like what forces report (more children trust the police, know their
  PCSO and know what to do at the end); they are not real results.
- Formats: the pilot, the trial and half of the 2018 units followed the national 8-week
  programme; the other 2018 units a year-long unit the force wrote (fortnightly sessions).
- The demo teacher gave feedback on the pilot cohort; a few parents of each 2018/19 cohort gave
  feedback in the portal, some agreeing to be quoted (a child's name in a quote is removed).
- The current cohorts have no round yet: the demo leader runs the "before" round in classroom
  mode, and the "after" round later.
"""

import datetime
import random
import uuid

from django.utils import timezone

from minipolice.accounts.models import User
from minipolice.impact import services
from minipolice.impact.models import Phase, QuestionKind, SurveyRound
from minipolice.organisations import services as org
from minipolice.organisations.models import Cohort
from minipolice.people.models import Guardian
from minipolice.programme import services as programme
from minipolice.programme.models import Module, ProgrammeTemplate
from minipolice.programme.national_library import DEFAULT_TEMPLATE

FORCES = ["avon-and-somerset", "hertfordshire"]
YEAR_LONG = "Year-long unit (fortnightly)"
YEAR_LONG_MODULES = [
    "Police procedures and the law",
    "Road safety",
    "Fire safety",
    "Water safety",
    "Internet safety",
    "Knife crime",
    "Anti-social behaviour",
    "Hate crime awareness",
    "Personal safety",
    "Designing a crime-prevention leaflet",
    "Community action planning",
    "Visit to police headquarters",
    "Meet the dog unit",
    "Closing ceremony",
]
# Weights of the five faces (saddest first) before and after, by statement.
FACE_WEIGHTS = {
    "know_pcso": ([34, 24, 16, 14, 12], [3, 5, 9, 30, 53]),
    "trust_police": ([6, 10, 24, 30, 30], [2, 4, 10, 34, 50]),
    "police_friendly": ([5, 8, 22, 33, 32], [1, 3, 9, 32, 55]),
    "could_be_officer": ([16, 15, 29, 20, 20], [10, 12, 24, 26, 28]),
}
USUAL_WEIGHTS = ([8, 12, 26, 28, 26], [3, 6, 15, 34, 42])
KNOWS_ANSWER = (0.5, 0.86)  # chance of the right answer to a knowledge question, before/after
TEACHER_ANSWERS = {
    "behaviour_improved": 4,
    "confidence_grown": 5,
    "police_relationship": 5,
    "community_links": 4,
    "what_worked": "The leaflet drop: the children planned it themselves and talked to "
    "neighbours with real confidence. Meeting the dog unit made the quieter ones speak up.",
    "what_to_change": "Start earlier in the year so the visits do not clash with tests.",
}
PARENT_WORDS = [
    "{first} explained the Green Cross Code to her little brother on the way to school.",
    "More confident talking to adults, and proud of the badge.",
    "Now reminds us to lock the car and keep valuables out of sight.",
    "Talks about the PCSO by name and waved to her in town.",
    "Has been telling everyone about staying safe online.",
    "",
]


def load_demo_data() -> str | None:
    if SurveyRound.objects.filter(
        cohort__unit__school__area__force__short_name__in=FORCES
    ).exists():
        return None
    rng = random.Random(2017)  # a fixed seed, for demo data the same on every run # nosec B311
    added = 0
    for cohort, template in first_cohort_formats():
        if cohort.programme_template_id != template.pk:
            org.update_cohort(acting_user=None, cohort=cohort, programme_template=template)
        on_paper = cohort.unit.school.name == "Harpenden Academy"
        _rounds(cohort, rng, on_paper=on_paper)
        _feedback(cohort, rng)
        added += 1
    return f"Survey rounds before and after for {added} past cohorts." if added else None


def first_cohort_formats() -> list[tuple[Cohort, ProgrammeTemplate]]:
    """Each unit's first cohort that ended before 2019/20, with the format it followed (the
    sessions of delivery/demo.py follow it too)."""
    found = []
    for short_name in FORCES:
        first_cohorts = _first_cohorts(short_name)
        if not first_cohorts:
            continue
        formats = _formats(first_cohorts[0].unit.school.area.force)
        for index, cohort in enumerate(first_cohorts):
            template = formats[index % 2] if cohort.start_date.year == 2018 else formats[0]
            found.append((cohort, template))
    return found


def _first_cohorts(short_name: str) -> list[Cohort]:
    """Each unit's first cohort, where it has children and ended before 2019/20."""
    cohorts = (
        Cohort.objects.filter(
            unit__school__area__force__short_name=short_name,
            end_date__lt=datetime.date(2019, 9, 1),
            enrolments__isnull=False,
        )
        .distinct()
        .select_related("unit__school__area__force")
        .order_by("start_date", "unit__school__name")
    )
    return list(cohorts)


def _formats(force) -> tuple[ProgrammeTemplate, ProgrammeTemplate]:
    standard = ProgrammeTemplate.objects.get(force=None, name=DEFAULT_TEMPLATE)
    year_long = ProgrammeTemplate.objects.filter(force=force, name=YEAR_LONG).first()
    if year_long is None:
        modules = {m.title: m for m in Module.objects.filter(force=None)}
        year_long = programme.create_template(
            acting_user=None,
            force=force,
            name=YEAR_LONG,
            description="A session every other week through the school year, with more "
            "safety topics and three visits.",
            modules=[modules[title] for title in YEAR_LONG_MODULES],
        )
    return standard, year_long


def _moment(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def _answers(questions, phase: int, rng: random.Random) -> dict[int, int]:
    answers = {}
    for question in questions:
        if question.kind == QuestionKind.FACE:
            weights = FACE_WEIGHTS.get(question.key, USUAL_WEIGHTS)[phase]
            answers[question.pk] = rng.choices([1, 2, 3, 4, 5], weights=weights)[0]
        elif question.is_knowledge:
            if rng.random() < KNOWS_ANSWER[phase]:
                answers[question.pk] = question.correct
            else:
                wrong = [i for i in range(len(question.options)) if i != question.correct]
                answers[question.pk] = rng.choice(wrong)
    return answers


def _rounds(cohort: Cohort, rng: random.Random, *, on_paper: bool) -> None:
    children = cohort.enrolments.count()
    dates = [
        cohort.start_date + datetime.timedelta(days=3),
        cohort.end_date - datetime.timedelta(days=10),
    ]
    for phase_index, (phase, day) in enumerate(zip([Phase.PRE, Phase.POST], dates, strict=True)):
        survey_round = services.start_round(
            acting_user=None, cohort=cohort, phase=phase, started_at=_moment(day, 9)
        )
        questions = services.questions_for(survey_round.version, cohort)
        answered = max(children - rng.randint(0, 2), 0)
        if on_paper and phase == Phase.POST:
            tallies: dict[tuple[int, int], int] = {}
            for _ in range(answered):
                for question_id, value in _answers(questions, phase_index, rng).items():
                    tallies[(question_id, value)] = tallies.get((question_id, value), 0) + 1
            services.record_paper_tallies(
                acting_user=None, survey_round=survey_round, children=answered, tallies=tallies
            )
        else:
            for _ in range(answered):
                services.record_child_response(
                    survey_round=survey_round,
                    client_key=uuid.UUID(int=rng.getrandbits(128), version=4),
                    answers=_answers(questions, phase_index, rng),
                    received_at=_moment(day, 10),
                )
        services.close_round(
            acting_user=None, survey_round=survey_round, closed_at=_moment(day, 11)
        )


def _feedback(cohort: Cohort, rng: random.Random) -> None:
    last_day = cohort.end_date - datetime.timedelta(days=5)
    teacher = User.objects.filter(
        role_assignments__role="teacher", role_assignments__school=cohort.unit.school
    ).first()
    if teacher is not None:
        version = services.current_version(cohort.unit.school.area.force, "teacher")
        keys = {q.key: q.pk for q in version.questions.all()}
        services.give_teacher_feedback(
            acting_user=teacher,
            cohort=cohort,
            answers={keys[key]: value for key, value in TEACHER_ANSWERS.items() if key in keys},
            may_quote=True,
            today=last_day,
        )
    if cohort.start_date.year != 2018 or cohort.unit.school.name == "Harpenden Academy":
        return
    version = services.current_version(cohort.unit.school.area.force, "guardian")
    questions = {q.key: q for q in version.questions.all()}
    guardians = (
        Guardian.objects.filter(guardianships__child__enrolments__cohort=cohort)
        .distinct()
        .order_by("pk")[:4]
    )
    for guardian in guardians:
        child = guardian.guardianships.select_related("child").first().child
        words = rng.choice(PARENT_WORDS).format(first=child.first_name)
        answers = {
            questions["talked_at_home"].pk: rng.choices([0, 1, 2, 3], weights=[5, 4, 2, 1])[0],
            questions["more_confident"].pk: rng.choices([3, 4, 5], weights=[2, 5, 4])[0],
            questions["safety_aware"].pk: rng.choices([3, 4, 5], weights=[1, 5, 5])[0],
            questions["view_of_police"].pk: rng.choices([2, 3, 4, 5], weights=[1, 2, 5, 4])[0],
        }
        if words:
            answers[questions["changes_noticed"].pk] = words
        services.give_guardian_feedback(
            acting_user=None,
            guardian=guardian,
            cohort=cohort,
            answers=answers,
            may_quote=rng.random() < 0.7,
            today=last_day,
        )
