"""The home page's survey reminders, as a tag: `{% load impact_alerts %}{% survey_alerts %}`.

A tag so the home app needs no code of this one; the reads are impact.selectors (surveys_due
for those who run rounds, feedback_due for teachers). No query for anyone else."""

from django import template

from minipolice.accounts.permissions import Perm
from minipolice.accounts.scoping import get_scope
from minipolice.impact.selectors import due_phase, feedback_due, surveys_due

register = template.Library()
SHOWN = 20


@register.inclusion_tag("impact/partials/home_alerts.html", takes_context=True)
def survey_alerts(context):
    user = context["request"].user
    scope = get_scope(user)
    surveys = None
    if scope.has(Perm.SURVEY_RUN):
        surveys = [(cohort, due_phase(cohort)) for cohort in surveys_due(user)[:SHOWN]]
    return {
        "surveys": surveys,
        "feedback": list(feedback_due(user)[:SHOWN]) if scope.has(Perm.FEEDBACK_GIVE) else None,
    }
