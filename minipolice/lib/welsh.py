"""Corrections to Django's own Welsh catalogue, which this project's catalogues override.

Django spells July "Gorffenaf"; it is "Gorffennaf". Marked here so that `make messages` keeps
the corrected entries in lib's catalogue (lib comes before Django's own apps in
INSTALLED_APPS, so its translation wins). Celebration days, and so most certificates, are in July.
"""

from django.utils.translation import gettext_noop, pgettext_lazy

CORRECTED = [
    gettext_noop("July"),
    pgettext_lazy("alt. month", "July"),
]
