from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from minipolice.accounts.context_processors import manage_sections, visible_navigation


def email_addresses_closed(request):
    raise Http404


@login_required
def manage(request):
    """Admin and reference pages, grouped, for what the signed-in user may open."""
    sections = manage_sections(visible_navigation(request))
    return render(request, "accounts/manage.html", {"sections": sections})
