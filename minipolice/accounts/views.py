from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from minipolice.accounts import selectors
from minipolice.accounts.context_processors import manage_sections, visible_navigation
from minipolice.accounts.models import Role
from minipolice.accounts.permissions import Perm
from minipolice.accounts.scoping import get_scope
from minipolice.people.selectors import visible_children


def email_addresses_closed(request):
    raise Http404


@login_required
def home(request):
    user = request.user
    scope = get_scope(user)
    context = {"roles": sorted(role.label for role in scope.roles)}
    if scope.has(Perm.UNIT_MANAGE):
        context["units_without_leader"] = selectors.units_without_leader(user)[:20]
    if scope.has(Perm.LEADERS_MANAGE):
        context["leaders_expiring"] = selectors.leaders_expiring(user)[:20]
    if scope.has(Perm.COHORT_READ):
        context["cohorts_starting"] = selectors.cohorts_starting_soon(user)[:20]
    if Role.UNIT_LEADER in scope.roles:
        context["clearance"] = selectors.my_clearance(user)
    if scope.has(Perm.AGGREGATES_READ) and not scope.has(Perm.CHILDREN_READ):
        context["figures"] = selectors.headline_figures(user)
    if scope.has(Perm.OWN_CHILDREN):
        context["own_children"] = visible_children(user, Perm.OWN_CHILDREN)
    return render(request, "accounts/home.html", context)


@login_required
def manage(request):
    """Admin and reference pages, grouped, for what the signed-in user may open."""
    sections = manage_sections(visible_navigation(request))
    return render(request, "accounts/manage.html", {"sections": sections})
