"""Seed the national library of survey instruments: one published version of each.

The text is frozen here (a migration must not change when app code does). A published version
is never edited: to change the national library later, add a migration that adds a version.
"""

from django.db import migrations
from django.utils import timezone

CHILD_STATEMENTS = [
    ("trust_police", "I trust the police."),
    ("know_pcso", "I know who my PCSO is."),
    ("feel_safe", "I feel safe in my area."),
    ("know_what_to_do", "I know what to do if I see something wrong."),
    ("help_community", "I help in my community."),
    ("police_friendly", "Police officers are friendly."),
    ("could_be_officer", "I could be a police officer one day."),
    ("tell_adult", "I would tell a grown-up I trust if something worried me."),
]
# (key, module title, question, answers, index of the right answer)
CHILD_KNOWLEDGE = [
    (
        "non_emergency_number",
        "Police procedures and the law",
        "Which number do you call the police on when it is not an emergency?",
        ["999", "101", "111"],
        1,
    ),
    (
        "seen_in_the_dark",
        "Road safety",
        "What helps drivers see you when you walk near a road in the dark?",
        ["Dark clothes", "Bright or reflective clothes", "Walking quickly"],
        1,
    ),
    (
        "smoke_alarm",
        "Fire safety",
        "Your smoke alarm goes off at night. What do you do?",
        ["Hide under the bed", "Get out, stay out and call 999", "Go back in for your things"],
        1,
    ),
    (
        "someone_in_water",
        "Water safety",
        "You see someone in trouble in the water. What should you do?",
        ["Jump in after them", "Call 999 and throw them something that floats", "Walk away"],
        1,
    ),
    (
        "photo_request_online",
        "Internet safety",
        "Someone you only know online asks for a photo of you. What should you do?",
        ["Send it if they seem nice", "Say no and tell a grown-up you trust", "Send a friend's"],
        1,
    ),
    (
        "knife_law",
        "Knife crime",
        "May a shop sell a knife to someone under 18?",
        ["Yes", "No", "Only at weekends"],
        1,
    ),
]
TEACHER_QUESTIONS = [
    ("behaviour_improved", "face", "The children's behaviour has improved during the programme."),
    ("confidence_grown", "face", "The children have grown in confidence."),
    ("police_relationship", "face", "The children's relationship with the police is stronger."),
    ("community_links", "face", "The programme strengthened the school's links with its community."),
    ("what_worked", "text", "What worked well?"),
    ("what_to_change", "text", "What would you change?"),
]
GUARDIAN_QUESTIONS = [
    ("talked_at_home", "choice", "Has your child talked about Mini Police at home?"),
    ("more_confident", "face", "My child seems more confident."),
    ("safety_aware", "face", "My child knows more about keeping safe."),
    ("view_of_police", "face", "My child thinks better of the police."),
    ("changes_noticed", "text", "What changes, if any, have you noticed in your child?"),
]
TALKED_OPTIONS = ["Often", "Sometimes", "Once or twice", "Not at all"]

INSTRUMENTS = [
    (
        "child",
        "Mini Police children's questionnaire",
        "Taken by the whole class at the start and at the end of the programme, on a tablet "
        "passed round or on paper. Anonymous: no name is asked or kept.",
    ),
    (
        "teacher",
        "Mini Police teacher feedback",
        "The class teacher's view of the cohort at the end of the programme.",
    ),
    (
        "guardian",
        "Mini Police parent and carer feedback",
        "Offered to parents and carers in the parent portal at the end of the programme.",
    ),
]


def seed(apps, schema_editor):
    Instrument = apps.get_model("impact", "Instrument")
    InstrumentVersion = apps.get_model("impact", "InstrumentVersion")
    Question = apps.get_model("impact", "Question")
    Module = apps.get_model("programme", "Module")
    modules = dict(Module.objects.filter(force=None).values_list("title", "pk"))
    now = timezone.now()
    for kind, name, description in INSTRUMENTS:
        instrument, created = Instrument.objects.get_or_create(
            force=None, name=name, defaults={"kind": kind, "description": description}
        )
        if not created:
            continue
        version = InstrumentVersion.objects.create(
            instrument=instrument, number=1, published_at=now
        )
        questions = []
        if kind == "child":
            questions += [
                Question(key=key, kind="face", text=text) for key, text in CHILD_STATEMENTS
            ]
            questions += [
                Question(
                    key=key,
                    kind="choice",
                    text=text,
                    module_id=modules.get(title),
                    options=options,
                    correct=correct,
                )
                for key, title, text, options, correct in CHILD_KNOWLEDGE
            ]
        else:
            for key, question_kind, text in (
                TEACHER_QUESTIONS if kind == "teacher" else GUARDIAN_QUESTIONS
            ):
                questions.append(
                    Question(
                        key=key,
                        kind=question_kind,
                        text=text,
                        options=TALKED_OPTIONS if question_kind == "choice" else [],
                    )
                )
        for position, question in enumerate(questions, start=1):
            question.version = version
            question.position = position
        Question.objects.bulk_create(questions)


class Migration(migrations.Migration):
    dependencies = [("impact", "0001_initial"), ("programme", "0002_national_library")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
