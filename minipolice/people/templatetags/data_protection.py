from django import template

from minipolice.accounts.permissions import Perm
from minipolice.accounts.scoping import get_scope
from minipolice.people.models import Child
from minipolice.people.selectors import visible_children, visible_guardians

register = template.Library()


@register.inclusion_tag("people/partials/data_protection.html", takes_context=True)
def data_protection_links(context, subject):
    """Subject access exports and erasure, for coordinators of the subject's force."""
    user = context["request"].user
    is_child = isinstance(subject, Child)
    allowed = get_scope(user).has(Perm.DATA_PROTECTION) and (
        (visible_children if is_child else visible_guardians)(user, Perm.DATA_PROTECTION)
        .filter(pk=subject.pk)
        .exists()
    )
    return {"allowed": allowed, "subject": subject, "is_child": is_child}
