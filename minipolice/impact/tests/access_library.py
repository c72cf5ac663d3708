"""The questionnaire library and feedback in the access matrix.

Teachers, leaders and area leads read the questionnaires; coordinators change their force's
own. The instrument pages point at the world force's copy of the children's questionnaire
(with a draft), so the other force's coordinator gets 404; copying points at the national one,
which belongs to no force (UNSCOPED). Teachers give feedback on their school's cohorts; other
staff are refused (another force's cohort is not found). Parents answer in the portal: the
world's cohort ends in 200 days, so its page says feedback is not open yet (200).
"""

from tests.access import row

READERS = row(teacher=200, leader=200, area_lead=200, coordinator=200)
MANAGE_GET = row(coordinator=200)
MANAGE_POST = row(coordinator=302)
GUARDIAN_ONLY = row(guardian=200)

MATRIX = {
    "impact:instrument_list": ("get", READERS),
    "impact:instrument_detail": ("get", READERS),
    "impact:instrument_copy": ("post", MANAGE_POST),
    "impact:version_draft": ("post", MANAGE_POST),
    "impact:question_add": ("get", MANAGE_GET),
    "impact:question_edit": ("get", MANAGE_GET),
    "impact:question_remove": ("post", MANAGE_POST),
    "impact:version_publish": ("get", MANAGE_GET),
    "impact:teacher_feedback": ("get", row(teacher=200)),
    "impact:portal_feedback_list": ("get", GUARDIAN_ONLY),
    "impact:portal_feedback": ("get", GUARDIAN_ONLY),
}

# The national library is every force's; portal pages are about the parent's own children.
UNSCOPED = {"impact:instrument_copy", "impact:portal_feedback"}


def url_kwargs(world) -> dict:
    from minipolice.impact import library
    from minipolice.impact.models import Instrument, InstrumentKind

    national = Instrument.objects.get(force=None, kind=InstrumentKind.CHILD)
    copy = library.copy_instrument(acting_user=None, instrument=national, force=world.force)
    draft = library.start_draft(acting_user=None, instrument=copy)
    question = draft.questions.order_by("position").first()
    return {
        "impact:instrument_detail": {"pk": copy.pk},
        "impact:instrument_copy": {"pk": national.pk},
        "impact:version_draft": {"pk": copy.pk},
        "impact:question_add": {"pk": copy.pk},
        "impact:version_publish": {"pk": copy.pk},
        "impact:question_edit": {"pk": question.pk},
        "impact:question_remove": {"pk": question.pk},
        "impact:portal_feedback": {"pk": world.cohort.pk},
    }
