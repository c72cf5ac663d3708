"""The PDF impact report for a force and period (being built: see issue #13)."""

from django.http import Http404


def report_start(request, pk):
    raise Http404


def report_progress(request, pk):
    raise Http404


def report_pdf(request, pk):
    raise Http404
