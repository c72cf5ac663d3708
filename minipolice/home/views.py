from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from minipolice.accounts.models import Role
from minipolice.accounts.permissions import Perm
from minipolice.accounts.scoping import get_scope
from minipolice.home import selectors
from minipolice.impact.selectors import headline_figures
from minipolice.people.selectors import visible_children


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
        context["figures"] = headline_figures(user)
    if scope.has(Perm.OWN_CHILDREN):
        context["own_children"] = visible_children(user, Perm.OWN_CHILDREN)
    return render(request, "home/home.html", context)
