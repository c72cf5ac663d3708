"""PLACEHOLDER: replaced by the helper that builds these pages."""

from django.http import Http404


def cohort_surveys(request, pk=None):
    raise Http404


def round_start(request, pk=None):
    raise Http404


def classroom(request, pk=None):
    raise Http404


def classroom_answers(request, pk=None):
    raise Http404


def classroom_leave(request, pk=None):
    raise Http404


def paper_tallies(request, pk=None):
    raise Http404


def round_pause(request, pk=None):
    raise Http404


def round_close(request, pk=None):
    raise Http404
