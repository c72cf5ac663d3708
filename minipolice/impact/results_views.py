"""PLACEHOLDER: replaced by the helper that builds these pages."""

from django.http import Http404


def results_home(request, pk=None):
    raise Http404


def cohort_results(request, pk=None):
    raise Http404


def unit_results(request, pk=None):
    raise Http404


def area_results(request, pk=None):
    raise Http404


def force_results(request, pk=None):
    raise Http404


def format_comparison(request, pk=None):
    raise Http404
