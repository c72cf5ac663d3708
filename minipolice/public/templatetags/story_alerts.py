"""The home page's stories waiting for review, as a tag: `{% load story_alerts %}{% stories_waiting %}`.

A tag so the home view (the accounts app's code) needs no change. Shown only to those who
publish stories (coordinators), with one query for the count.
"""

from django import template

from minipolice.accounts.permissions import Perm
from minipolice.accounts.scoping import get_scope
from minipolice.public.selectors import count_waiting_for_review

register = template.Library()


@register.inclusion_tag("public/partials/home_stories.html", takes_context=True)
def stories_waiting(context):
    user = context["request"].user
    if not get_scope(user).has(Perm.STORY_PUBLISH):
        return {"waiting_count": None}
    return {"waiting_count": count_waiting_for_review(user)}
