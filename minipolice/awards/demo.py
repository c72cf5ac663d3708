"""Demo registers for two finished cohorts, so the coordinators can issue completion
certificates (called by `manage.py load_demo`; loading twice changes nothing).

- Avon and Somerset: the pilot cohort at Oasis Connaught School (2017/18), 8 weekly sessions
  from its start; 8 of its 10 children came to at least 6 (75 %), two to fewer.
- Hertfordshire: the Harpenden Academy trial (April to June 2018, 28 pupils, 8 weeks).
- The celebration day (events/demo.py): the current cohorts of the units whose children are
  checked in there get weekly registers from their start to yesterday (at most 8), in the same
  pattern, so the coordinator can issue their certificates for the day. A cohort that already
  has sessions (the demo leader's, with registers left to take) is left as it is.

Each force also gets an invented signature image for its (fictional) Chief Constable.

The past cohorts' certificates were issued in their day (the sessions and registers are in
delivery/demo.py): the 2018/19 cohorts of Avon and Somerset's 2018 units at the 2019 celebration
day (events/demo.py), the Harpenden trial's at its ceremony on 20 June 2018, the East Herts
cohorts' after their last session. The pilot cohort's are not issued: issuing them is what the
demo shows.
"""

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw

from minipolice.awards import services
from minipolice.awards.models import Award, AwardKind, Certificate
from minipolice.consent.models import Consent
from minipolice.consent.services import record_consent
from minipolice.delivery import services as delivery
from minipolice.delivery.demo import SESSIONS, history_registers
from minipolice.events.demo import TITLE as CELEBRATION_TITLE
from minipolice.events.models import Event
from minipolice.organisations.models import Cohort, Force
from minipolice.people.models import Child

COHORTS = [("Oasis Connaught School", "avon-and-somerset"), ("Harpenden Academy", "hertfordshire")]
PILOT = "Oasis Connaught School"


def load_demo_data() -> str | None:
    for force in Force.objects.filter(short_name__in=[f for _, f in COHORTS]):
        if not force.chief_constable_signature:
            services.update_certificate_settings(
                acting_user=None,
                force=force,
                chief_constable_name=force.chief_constable_name,
                brand_colour=force.brand_colour,
                completion_threshold=services.threshold_of(force),
                signature=_signature(),
            )
    for school, force in COHORTS:
        cohort = (
            Cohort.objects.filter(
                unit__school__name=school, unit__school__area__force__short_name=force
            )
            .order_by("start_date", "pk")
            .first()
        )
        if cohort is not None and not cohort.sessions.exists():
            _registers(cohort)
    _celebration_day_registers()
    _history_certificates()
    return None


def _history_certificates() -> None:
    """Completion certificates of the past cohorts that reached the threshold, issued on the
    day they were handed over (no bulk issue: nobody asked the system for them then)."""
    from minipolice.events.demo import HISTORY
    from minipolice.impact.demo import first_cohort_formats

    handed_over = {force: day for force, _, day, *_ in HISTORY}
    for cohort, _ in first_cohort_formats():
        if cohort.unit.school.name == PILOT or Award.objects.filter(cohort=cohort).exists():
            continue
        force = cohort.unit.school.area.force
        last = cohort.sessions.order_by("-date").values_list("date", flat=True).first()
        if last is None:
            continue
        day = handed_over[force.short_name]
        if not cohort.start_date <= day <= cohort.end_date or day < last:
            day = last + datetime.timedelta(days=7)
        at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(14, 15)))
        threshold = services.threshold_of(force)
        children = list(services.eligible_for_completion(cohort, threshold, today=day))
        awards = Award.objects.bulk_create(
            Award(
                child=child,
                cohort=cohort,
                kind=AwardKind.COMPLETION,
                title=services.COMPLETION_TITLE,
                awarded_on=day,
                created_at=at,
            )
            for child in children
        )
        by_pk = {child.pk: child for child in children}
        Certificate.objects.bulk_create(
            services._new_certificate(award, by_pk[award.child_id], cohort, None, at)
            for award in awards
        )


def _celebration_day_registers() -> None:
    event = Event.objects.filter(
        force__short_name="avon-and-somerset", title=CELEBRATION_TITLE
    ).first()
    if event is None:
        return
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    for cohort in services.event_cohorts(event):
        weeks = min(SESSIONS, (yesterday - cohort.start_date).days // 7 + 1)
        if weeks > 0 and not cohort.sessions.exists():
            _registers(cohort, weeks)


def _registers(cohort: Cohort, weeks: int = SESSIONS) -> None:
    children = list(Child.objects.filter(enrolments__cohort=cohort).order_by("pk"))
    consented = set(
        Consent.objects.filter(
            child__in=children, kind="participation", status="granted"
        ).values_list("child_id", flat=True)
    )
    for child in children:
        if child.pk in consented:
            continue
        record_consent(
            acting_user=None,
            child=child,
            kind="participation",
            status="granted",
            method="paper",
            given_by_name="Parent (paper form)",
        )
    sessions = [
        delivery.add_session(
            acting_user=None,
            cohort=cohort,
            date=cohort.start_date + datetime.timedelta(weeks=week),
            start_time=datetime.time(14, 0),
            minutes=60,
            place="School hall",
        )
        for week in range(weeks)
    ]
    history_registers(sessions, children)


def _signature() -> SimpleUploadedFile:
    """An invented scrawl, clearly nobody's real signature."""
    image = Image.new("RGBA", (900, 300), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    points = [(30, 220), (120, 60), (200, 230), (290, 80), (380, 210), (470, 90), (560, 200)]
    draw.line(points, fill=(11, 12, 12, 255), width=10, joint="curve")
    draw.line([(520, 240), (870, 150)], fill=(11, 12, 12, 255), width=8)
    out = io.BytesIO()
    image.save(out, "PNG")
    return SimpleUploadedFile("signature.png", out.getvalue(), content_type="image/png")
