"""The parent portal's home page asks here whether any feedback is waiting for the parent: the
consent app's template loads this tag, so the consent app does not import the impact app."""

from django import template
from django.utils.translation import gettext as _

from minipolice.impact.selectors import portal_feedback_cohorts

register = template.Library()


@register.inclusion_tag("impact/portal/home_link.html", takes_context=True)
def portal_feedback_link(context):
    rows = portal_feedback_cohorts(context["request"].user)
    waiting = [row for row in rows if not row["done"]]
    # "Ana, Ben and Cai": each cohort's children, the cohorts joined by "and".
    between = " " + _("and") + " "
    children = between.join(", ".join(row["children"]) for row in waiting)
    return {"waiting": waiting, "children_waiting": children}
