"""Running a survey round: who may reach each page (leaders, area leads and coordinators)."""

from minipolice.impact import services
from minipolice.impact.models import Phase, SurveyRound
from tests.access import row

RUNNERS = row(leader=200, area_lead=200, coordinator=200)
# POSTs answered with a redirect (start, pause, finish) and pages that send a session that is
# not locked to the round back to the cohort's surveys (the classroom and its leave page).
RUNNERS_REDIRECTED = row(leader=302, area_lead=302, coordinator=302)

MATRIX = {
    "impact:cohort_surveys": ("get", RUNNERS),
    "impact:round_start": ("post", RUNNERS_REDIRECTED),
    "impact:classroom": ("get", RUNNERS_REDIRECTED),
    # An empty body is not a child's answers.
    "impact:classroom_answers": ("post", row(leader=400, area_lead=400, coordinator=400)),
    "impact:classroom_leave": ("get", RUNNERS_REDIRECTED),
    "impact:paper_tallies": ("get", RUNNERS),
    "impact:round_pause": ("post", RUNNERS_REDIRECTED),
    "impact:round_close": ("post", RUNNERS_REDIRECTED),
}


def url_kwargs(world) -> dict:
    """The world's cohort's pre round (started here the first time it is asked for)."""
    survey_round = SurveyRound.objects.filter(cohort=world.cohort, phase=Phase.PRE).first()
    if survey_round is None:
        survey_round = services.start_round(acting_user=None, cohort=world.cohort, phase="pre")
    pk = {"pk": survey_round.pk}
    return {
        name: pk
        for name in (
            "impact:classroom",
            "impact:classroom_answers",
            "impact:classroom_leave",
            "impact:paper_tallies",
            "impact:round_pause",
            "impact:round_close",
        )
    }
