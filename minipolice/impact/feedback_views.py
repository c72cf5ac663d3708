"""PLACEHOLDER: replaced by the helper that builds these pages."""

from django.http import Http404


def teacher_feedback(request, pk=None):
    raise Http404


def portal_feedback_list(request, pk=None):
    raise Http404


def portal_feedback(request, pk=None):
    raise Http404
