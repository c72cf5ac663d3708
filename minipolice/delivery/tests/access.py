"""Sessions, registers, holidays and calendar feeds in the access matrix."""

from tests.access import AREA, PUBLIC, UNIT_STAFF, row

SESSION_MANAGERS = row(leader=200, area_lead=200, coordinator=200)
REGISTER_TAKERS_POST = row(teacher=302, leader=302, area_lead=302, coordinator=302)

MATRIX = {
    "delivery:cohort_sessions": ("get", UNIT_STAFF),
    "delivery:cohort_plan": ("get", SESSION_MANAGERS),
    "delivery:session_create": ("get", SESSION_MANAGERS),
    "delivery:session_detail": ("get", UNIT_STAFF),
    "delivery:session_edit": ("get", SESSION_MANAGERS),
    "delivery:session_cancel": ("get", SESSION_MANAGERS),
    "delivery:session_reinstate": ("post", row(leader=302, area_lead=302, coordinator=302)),
    "delivery:session_details": ("get", SESSION_MANAGERS),
    "delivery:register_mark": ("post", REGISTER_TAKERS_POST),
    "delivery:register_finish": ("post", REGISTER_TAKERS_POST),
    # The page naming the children to be marked absent, before anyone is.
    "delivery:register_finish_confirm": ("get", UNIT_STAFF),
    "delivery:unit_timeline": ("get", UNIT_STAFF),
    "delivery:unit_calendar": ("get", UNIT_STAFF),
    "delivery:my_sessions": ("get", UNIT_STAFF),
    "delivery:my_calendar": ("get", UNIT_STAFF),
    # The secret address works for anyone who has it, signed in or not.
    "delivery:calendar_feed": ("get", PUBLIC),
    "delivery:holiday_list": ("get", AREA),
    "delivery:holiday_create": ("get", AREA),
    "delivery:holiday_edit": ("get", AREA),
    # The area lead's request deletes the dates, so the coordinator's then finds nothing.
    "delivery:holiday_delete": ("post", row(area_lead=302, coordinator=404)),
}

# Not one force's object: the token is the only key.
UNSCOPED = {"delivery:calendar_feed"}


def url_kwargs(world) -> dict:
    import datetime

    from django.utils import timezone

    from minipolice.delivery import services

    today = timezone.localdate()
    session = services.add_session(
        acting_user=None,
        cohort=world.cohort,
        date=today,
        start_time=datetime.time(14, 0),
        minutes=60,
        place="School hall",
    )
    holiday = services.create_holiday(
        acting_user=None,
        force=world.force,
        area=world.area,
        name="Half term",
        start_date=today + datetime.timedelta(days=30),
        end_date=today + datetime.timedelta(days=34),
    )
    _, raw_token = services.renew_calendar_feed(acting_user=world.users["leader"])
    return {
        "delivery:session_detail": {"pk": session.pk},
        "delivery:session_edit": {"pk": session.pk},
        "delivery:session_cancel": {"pk": session.pk},
        "delivery:session_reinstate": {"pk": session.pk},
        "delivery:session_details": {"pk": session.pk},
        "delivery:register_mark": {"pk": session.pk, "child_pk": world.child.pk},
        "delivery:register_finish": {"pk": session.pk},
        "delivery:register_finish_confirm": {"pk": session.pk},
        "delivery:calendar_feed": {"token": raw_token},
        "delivery:holiday_edit": {"pk": holiday.pk},
        "delivery:holiday_delete": {"pk": holiday.pk},
    }
