"""Teacher feedback on a cohort, and parents' and carers' feedback in the parent portal: thin
views over impact.selectors and impact.services.

Feedback is open from three weeks before a cohort ends to four months after
(services.feedback_open); each teacher and each guardian gives it once.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from minipolice.accounts.permissions import Perm
from minipolice.accounts.scoping import get_scope
from minipolice.consent.views import portal_page
from minipolice.impact import selectors, services
from minipolice.impact.forms import FeedbackForm
from minipolice.impact.models import InstrumentKind
from minipolice.lib.forms import apply_service_errors
from minipolice.organisations.selectors import get_cohort_for_user


def _opens_on(cohort):
    return cohort.end_date - services.FEEDBACK_OPENS_BEFORE_END


def _closes_on(cohort):
    return cohort.end_date + services.FEEDBACK_CLOSES_AFTER_END


def _feedback_page(request, *, template, cohort, kind, given, give, extra):
    """The form of the current `kind` questionnaire, or what was given, or when it opens.
    `give(answers, may_quote)` saves the answers through the service."""
    force = cohort.unit.school.area.force
    is_open = services.feedback_open(cohort)
    version = services.current_version(force, kind)
    form = None
    if given is None and is_open and version is not None:
        form = FeedbackForm(
            request.POST if request.method == "POST" else None,
            questions=services.questions_for(version),
            kind=kind,
        )
        if request.method == "POST" and form.is_valid():
            try:
                give(form.answers(), form.cleaned_data["may_quote"])
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("Thank you: your feedback is saved."))
                return redirect(request.path)
    return render(
        request,
        template,
        {
            "cohort": cohort,
            "form": form,
            "given": given,
            "given_rows": selectors.feedback_rows(given) if given else [],
            "is_open": is_open,
            "opens_on": _opens_on(cohort),
            "closes_on": _closes_on(cohort),
            "closed": timezone.localdate() > _closes_on(cohort),
            "version": version,
            "max_text": services.MAX_TEXT,
            **extra,
        },
    )


@login_required
def teacher_feedback(request, pk):
    scope = get_scope(request.user)
    if not scope.has(Perm.FEEDBACK_GIVE):
        # Staff who see cohorts but do not teach: another force's cohort is not found, as on
        # every cohort page; their own is forbidden.
        if scope.has(Perm.COHORT_READ):
            get_cohort_for_user(request.user, pk)
        raise PermissionDenied
    cohort = get_cohort_for_user(request.user, pk, Perm.FEEDBACK_GIVE)

    def give(answers, may_quote):
        services.give_teacher_feedback(
            acting_user=request.user, cohort=cohort, answers=answers, may_quote=may_quote
        )

    return _feedback_page(
        request,
        template="impact/feedback/teacher.html",
        cohort=cohort,
        kind=InstrumentKind.TEACHER,
        given=selectors.teacher_feedback_given(request.user, cohort),
        give=give,
        extra={},
    )


@portal_page
def portal_feedback_list(request):
    return render(
        request,
        "impact/portal/feedback_list.html",
        {"rows": selectors.portal_feedback_cohorts(request.user)},
    )


@portal_page
def portal_feedback(request, pk):
    cohort = selectors.get_portal_feedback_cohort(request.user, pk)
    guardian = selectors.portal_guardian_for_cohort(request.user, cohort)
    if guardian is None:
        raise PermissionDenied

    def give(answers, may_quote):
        services.give_guardian_feedback(
            acting_user=request.user,
            guardian=guardian,
            cohort=cohort,
            answers=answers,
            may_quote=may_quote,
        )

    return _feedback_page(
        request,
        template="impact/portal/feedback.html",
        cohort=cohort,
        kind=InstrumentKind.GUARDIAN,
        given=selectors.guardian_feedback_given(guardian, cohort),
        give=give,
        extra={"guardian": guardian},
    )
