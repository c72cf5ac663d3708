from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from minipolice.accounts.context_processors import manage_sections, visible_navigation
from minipolice.accounts.middleware import SESSION_LANGUAGE


def email_addresses_closed(request):
    raise Http404


@login_required
def manage(request):
    """Admin and reference pages, grouped, for what the signed-in user may open."""
    sections = manage_sections(visible_navigation(request))
    return render(request, "accounts/manage.html", {"sections": sections})


@require_POST
def switch_language(request):
    """The language switch on every page. Django's set_language checks the language and the
    page to go back to and sets the cookie; a signed-in user's choice is also kept on their
    account, so it follows them to another browser."""
    response = set_language(request)
    language = request.POST.get("language", "")
    if language not in dict(settings.LANGUAGES):
        # set_language accepts any language Django has a catalogue for ("fr"): only ours
        # are kept. The safe redirect back stays.
        response.cookies.pop(settings.LANGUAGE_COOKIE_NAME, None)
        return response
    if request.user.is_authenticated:
        request.session[SESSION_LANGUAGE] = language
        if request.user.language != language:
            get_user_model().objects.filter(pk=request.user.pk).update(language=language)
    return response
