"""Community actions and their totals in the access matrix."""

from tests.access import UNIT_STAFF, row

MANAGERS = row(leader=200, area_lead=200, coordinator=200)

MATRIX = {
    "community:action_list": ("get", UNIT_STAFF),
    "community:totals": (
        "get",
        row(teacher=200, leader=200, area_lead=200, coordinator=200, funder=200, national=200),
    ),
    "community:action_detail": ("get", UNIT_STAFF),
    "community:action_edit": ("get", MANAGERS),
    "community:action_create": ("get", MANAGERS),
}


def url_kwargs(world) -> dict:
    from django.utils import timezone

    from minipolice.community import services

    action = services.record_action(
        acting_user=None,
        unit=world.unit,
        kind="leaflet_drop",
        date=timezone.localdate(),
        place="Hilltop estate",
        homes_reached=40,
    )
    return {
        "community:action_detail": {"pk": action.pk},
        "community:action_edit": {"pk": action.pk},
    }
