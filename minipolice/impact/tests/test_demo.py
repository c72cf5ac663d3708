"""The demo's survey rounds and feedback (minipolice/impact/demo.py), loaded by `load_demo`."""

import re

from django.core.management import call_command

from minipolice.impact.models import ChildResponse, Feedback, FeedbackAnswer, SurveyRound
from minipolice.people.models import Child


def test_demo_has_before_and_after_rounds_for_past_cohorts_and_feedback(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo")
    pilot = SurveyRound.objects.filter(cohort__unit__school__name="Oasis Connaught School")
    assert sorted(pilot.values_list("phase", flat=True)) == ["post", "pre"]
    assert all(r.status == "closed" for r in pilot)
    assert ChildResponse.objects.filter(round__in=pilot).count() >= 16
    trial_after = SurveyRound.objects.get(
        cohort__unit__school__name="Harpenden Academy", phase="post"
    )
    assert trial_after.paper_children > 20 and trial_after.tallies.exists()
    assert not trial_after.responses.exists()
    # The current cohorts are left for the demo leader to survey.
    assert not SurveyRound.objects.filter(cohort__end_date__gt="2020-01-01").exists()
    formats = set(SurveyRound.objects.values_list("cohort__programme_template__name", flat=True))
    assert formats == {"Standard 8-week programme", "Year-long unit (fortnightly)"}

    assert Feedback.objects.filter(teacher__email="teacher@avon.example.org").count() == 1
    assert Feedback.objects.filter(guardian__isnull=False).count() >= 20
    # A quote never names a child of the demo, whatever the parent wrote.
    names = set()
    for first, last in Child.objects.values_list("first_name", "last_name"):
        names |= {first, last}
    pattern = re.compile(r"\b(" + "|".join(map(re.escape, names)) + r")\b")
    quotes = FeedbackAnswer.objects.exclude(quote="").values_list("quote", flat=True)
    assert quotes and not [q for q in quotes if pattern.search(q)]
    assert (
        FeedbackAnswer.objects.filter(text__contains="Green Cross Code")
        .exclude(quote__contains="[name removed]")
        .count()
        == 0
    )

    rounds = SurveyRound.objects.count()
    call_command("load_demo")
    assert SurveyRound.objects.count() == rounds
