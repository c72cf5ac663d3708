"""The home page's programme-delivery alerts, as a tag: `{% load delivery_alerts %}{% delivery_alerts %}`.

A tag so the home view (another area's code) needs no change; the reads are selectors in
accounts.selectors like the page's other alerts, and delivery.selectors for a leader's or a
teacher's own sessions ("Your sessions", no query for someone who neither leads nor teaches).
A register shows once: in "Registers to take" for one's own units (today's and overdue), in
"Registers not taken" for the areas and forces one oversees.
"""

from django import template

from minipolice.accounts import selectors
from minipolice.accounts.permissions import Perm
from minipolice.accounts.scoping import get_scope
from minipolice.delivery.selectors import oversees_registers, own_overview

register = template.Library()
SHOWN = 20


@register.inclusion_tag("delivery/partials/home_alerts.html", takes_context=True)
def delivery_alerts(context):
    user = context["request"].user
    scope = get_scope(user)
    alerts = {"quiet_units": None, "registers": None, "mine": own_overview(user, shown=SHOWN)}
    if scope.has(Perm.SESSION_MANAGE):
        alerts["quiet_units"] = list(selectors.units_without_recent_session(user)[:SHOWN])
    if oversees_registers(user):
        alerts["registers"] = list(selectors.registers_not_taken(user)[:SHOWN])
    return alerts
