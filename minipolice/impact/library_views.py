"""PLACEHOLDER: replaced by the helper that builds these pages."""

from django.http import Http404


def instrument_list(request, pk=None):
    raise Http404


def instrument_detail(request, pk=None):
    raise Http404


def instrument_copy(request, pk=None):
    raise Http404


def version_draft(request, pk=None):
    raise Http404


def question_add(request, pk=None):
    raise Http404


def version_publish(request, pk=None):
    raise Http404


def question_edit(request, pk=None):
    raise Http404


def question_remove(request, pk=None):
    raise Http404
