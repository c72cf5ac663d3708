from django import template

from minipolice.consent.selectors import current_consents

register = template.Library()


@register.inclusion_tag("consent/partials/consent_section.html", takes_context=True)
def consent_section(context, child):
    """The child's standing consents, with links to the history and the paper form."""
    return {
        "child": child,
        "states": current_consents(child),
        "can_manage": context.get("can_manage", False),
    }
