"""The home page's programme-delivery alerts, as a tag: `{% load delivery_alerts %}{% delivery_alerts %}`.

A tag so the home app (minipolice/home) needs no code of this area's; the reads are
delivery.selectors, also for a leader's or a teacher's own sessions ("Your sessions", no query
for someone who neither leads nor teaches).
A register shows once: in "Registers to take" for one's own units (today's and overdue), in
"Registers not taken" for the areas and forces one oversees.
"""

from django import template

from minipolice.accounts.permissions import Perm
from minipolice.accounts.scoping import get_scope
from minipolice.delivery.selectors import (
    oversees_registers,
    own_overview,
    registers_overdue,
    units_without_recent_session,
)
from minipolice.organisations.selectors import visible_units

register = template.Library()
SHOWN = 20


@register.inclusion_tag("delivery/partials/home_alerts.html", takes_context=True)
def delivery_alerts(context):
    user = context["request"].user
    scope = get_scope(user)
    alerts = {"quiet_units": None, "registers": None, "mine": own_overview(user, shown=SHOWN)}
    if scope.has(Perm.SESSION_MANAGE):
        alerts["quiet_units"] = list(
            units_without_recent_session(visible_units(user, Perm.SESSION_MANAGE))[:SHOWN]
        )
    if oversees_registers(user):
        alerts["registers"] = list(registers_overdue(user)[:SHOWN])
    return alerts
