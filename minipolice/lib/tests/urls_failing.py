"""The site's URLs, with one view that fails, for the error page tests."""

from django.urls import path

from minipolice.urls import *  # noqa: F403 - the whole site, its error handlers included
from minipolice.urls import urlpatterns as site_urlpatterns


def broken(request):
    raise RuntimeError("a bug that must not reach the page: SECRET-DETAIL")


urlpatterns = [path("broken/", broken), *site_urlpatterns]
