"""The site's error pages. They say what happened and what to do, and reveal nothing else: no
path, no reason from the code, no trace. Each prints the request's reference (its request id,
minipolice.lib.observability) for the user to quote to their coordinator or support desk."""

import logging

from django.http import HttpResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _

logger = logging.getLogger("minipolice")


def bad_request(request, exception=None):
    # A request refused this early (a forged Host header, a malformed cookie) has not been
    # through the middleware that the site's layout needs.
    return _standalone(request, "errors/400.html", 400, _("Sorry, this request could not be read."))


def forbidden(request, exception=None):
    return render(request, "errors/403.html", status=403)


def not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)


def csrf_failure(request, reason=""):
    # Django's reason ("CSRF token missing", "Referer checking failed") helps an attacker more
    # than a user; it is in the log line of django.security.csrf, not on the page.
    return render(request, "errors/csrf.html", status=403)


def server_error(request):
    # Without context processors or the base layout: the error may be the database, which the
    # menu and the signed-in user's name need. The words are still in the visitor's language:
    # LanguageMiddleware chose it before the view ran, and {% translate %} needs no context.
    return _standalone(
        request,
        "errors/500.html",
        500,
        _("Sorry, there is a problem with the service. Try again later."),
    )


def _standalone(request, template_name: str, status: int, words: str) -> HttpResponse:
    context = {"request_id": getattr(request, "request_id", "")}
    try:
        page = loader.get_template(template_name).render(context)
    except Exception:  # a missing static manifest, a broken template: the words still go out
        logger.exception("The error page could not be rendered")
        return HttpResponse(words, status=status, content_type="text/plain; charset=utf-8")
    return HttpResponse(page, status=status)
