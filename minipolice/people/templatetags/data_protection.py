from django import template

from minipolice.accounts.permissions import Perm
from minipolice.accounts.scoping import get_scope
from minipolice.people.models import Child

register = template.Library()


@register.inclusion_tag("people/partials/data_protection.html", takes_context=True)
def data_protection_links(context, subject):
    """Subject access exports and erasure, for coordinators of the subject's force."""
    user = context["request"].user
    is_child = isinstance(subject, Child)
    allowed = get_scope(user).can(Perm.DATA_PROTECTION, subject)
    return {"allowed": allowed, "subject": subject, "is_child": is_child}
