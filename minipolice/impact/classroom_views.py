"""Running a survey round: the cohort's rounds, classroom mode on a tablet passed round the
class (locked to the round by impact.middleware), its offline upload, and paper tallies."""

import json
import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from minipolice.accounts.permissions import Perm
from minipolice.accounts.scoping import get_scope
from minipolice.impact import selectors, services
from minipolice.impact.forms import LeaveClassroomForm, PaperTalliesForm, answer_choices
from minipolice.impact.middleware import CLASSROOM_ROUND
from minipolice.impact.models import InstrumentKind, Phase, QuestionKind, RoundStatus
from minipolice.lib.access import get_or_404, require_permission

# Wrong passwords on the leave page before the session is signed out: a child holding the
# tablet cannot go on guessing, and the leader signs in again (with their second factor).
LEAVE_TRIES = 5
LEAVE_FAILURES = "classroom_leave_failures"
# What a message says once the round is paused or finished, for each phase.
PAUSED = {
    Phase.PRE: gettext_lazy("The ‘before’ survey is paused."),
    Phase.POST: gettext_lazy("The ‘after’ survey is paused."),
}
FINISHED = {
    Phase.PRE: gettext_lazy("The ‘before’ survey is finished."),
    Phase.POST: gettext_lazy("The ‘after’ survey is finished."),
}


def _posted(request):
    return request.POST if request.method == "POST" else None


def _surveys_url(survey_round) -> str:
    return reverse("impact:cohort_surveys", args=[survey_round.cohort_id])


def _classroom_url(survey_round) -> str:
    return reverse("impact:classroom", args=[survey_round.pk])


def _locked_to(request, survey_round) -> bool:
    return request.session.get(CLASSROOM_ROUND) == survey_round.pk


def _unlock(request) -> None:
    request.session.pop(CLASSROOM_ROUND, None)
    request.session.pop(LEAVE_FAILURES, None)


def _child_questions(survey_round):
    """The questions a child answers on the tablet, each with its answers."""
    questions = [
        question
        for question in services.questions_for(survey_round.version, survey_round.cohort)
        if question.kind != QuestionKind.TEXT
    ]
    for question in questions:
        question.choices = answer_choices(question)
        question.is_face = question.kind == QuestionKind.FACE
    return questions


@require_permission(Perm.SURVEY_RUN)
def cohort_surveys(request, pk):
    cohort = get_or_404(selectors.survey_cohorts(request.user), pk)
    rounds = selectors.cohort_rounds(request.user, cohort)
    upcoming = None
    if None in rounds.values():
        upcoming = services.current_version(cohort.unit.school.area.force, InstrumentKind.CHILD)
    return render(
        request,
        "impact/cohort_surveys.html",
        {
            "cohort": cohort,
            "rows": [(Phase(phase), rounds[phase]) for phase in Phase.values],
            "upcoming": upcoming,
        },
    )


@require_permission(Perm.SURVEY_RUN)
@require_POST
def round_start(request, pk):
    """Start or resume the round and lock this session to classroom mode (or, for a round on
    paper, go to its tallies without the lock)."""
    cohort = get_or_404(selectors.survey_cohorts(request.user), pk)
    try:
        survey_round = services.start_round(
            acting_user=request.user, cohort=cohort, phase=request.POST.get("phase", "")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("impact:cohort_surveys", pk=cohort.pk)
    if request.POST.get("mode") == "paper":
        return redirect("impact:paper_tallies", pk=survey_round.pk)
    _unlock(request)
    request.session[CLASSROOM_ROUND] = survey_round.pk
    return redirect("impact:classroom", pk=survey_round.pk)


@require_permission(Perm.SURVEY_RUN)
def classroom(request, pk):
    """One form of every question (one at a time with JavaScript), then the next child."""
    survey_round = selectors.get_round_for_user(request.user, pk)
    if not _locked_to(request, survey_round):
        messages.info(request, _("Start classroom mode from here to hand the tablet round."))
        return redirect(_surveys_url(survey_round))
    context = {"round": survey_round}
    if survey_round.status != RoundStatus.RUNNING:
        return render(request, "impact/classroom/stopped.html", context)
    if request.method == "GET" and "thanks" in request.GET:
        return render(request, "impact/classroom/next_child.html", context)
    questions = _child_questions(survey_round)
    errors = []
    if request.method == "POST":
        answers = {
            question.pk: request.POST[f"q{question.pk}"]
            for question in questions
            if request.POST.get(f"q{question.pk}")
        }
        try:
            services.record_child_response(
                survey_round=survey_round,
                client_key=request.POST.get("client_key", ""),
                answers=answers,
            )
        except ValidationError as error:
            errors = error.messages
        else:
            return redirect(f"{_classroom_url(survey_round)}?thanks=1")
    return render(
        request,
        "impact/classroom/classroom.html",
        context
        | {
            "questions": questions,
            "errors": errors,
            # A new key for each child; a form sent twice (a double tap) counts once.
            "client_key": request.POST.get("client_key") if errors else uuid.uuid4(),
        },
    )


@require_permission(Perm.SURVEY_RUN)
@require_POST
def classroom_answers(request, pk):
    """One child's answers uploaded from the tablet's queue, as JSON
    {"client_key": ..., "answers": {question id: value}}: 201 counted, 200 counted before."""
    survey_round = selectors.get_round_for_user(request.user, pk)
    if survey_round.status == RoundStatus.CLOSED:
        return JsonResponse(
            {"error": "This round has finished: it takes no more answers."}, status=409
        )
    try:
        body = json.loads(request.body)
    except (ValueError, UnicodeDecodeError, RecursionError):  # deep nesting: RecursionError
        return JsonResponse({"error": "The answers are not JSON."}, status=400)
    if not isinstance(body, dict) or not isinstance(body.get("answers"), dict):
        return JsonResponse({"error": "Send client_key and answers."}, status=400)
    try:
        _response, created = services.record_child_response(
            survey_round=survey_round, client_key=body.get("client_key"), answers=body["answers"]
        )
    except ValidationError as error:
        return JsonResponse({"error": " ".join(error.messages)}, status=400)
    return JsonResponse({"counted": True, "new": created}, status=201 if created else 200)


@login_required
def classroom_leave(request, pk):
    """Leave classroom mode: back to the questions, or pause or finish the round with the
    leader's password. LEAVE_TRIES wrong passwords sign the session out."""
    try:
        if not get_scope(request.user).has(Perm.SURVEY_RUN):
            raise PermissionDenied
        survey_round = selectors.get_round_for_user(request.user, pk)
    except (PermissionDenied, Http404):
        if request.session.get(CLASSROOM_ROUND) == pk:
            # The round went out of the leader's reach while locked: nothing left to protect.
            _unlock(request)
            return redirect("home")
        raise
    if not _locked_to(request, survey_round):
        return redirect(_surveys_url(survey_round))
    form = LeaveClassroomForm(_posted(request), user=request.user)
    if request.method == "POST":
        if form.is_valid():
            if form.cleaned_data["action"] == "finish":
                services.close_round(acting_user=request.user, survey_round=survey_round)
                done = FINISHED[survey_round.phase]
            else:
                services.pause_round(acting_user=request.user, survey_round=survey_round)
                done = PAUSED[survey_round.phase]
            _unlock(request)
            left = _("You have left classroom mode.")
            messages.success(request, f"{done} {left}")
            return redirect(_surveys_url(survey_round))
        if form.has_error("password", "wrong"):
            failures = request.session.get(LEAVE_FAILURES, 0) + 1
            if failures >= LEAVE_TRIES:
                logout(request)
                messages.error(
                    request,
                    ngettext(
                        "You were signed out after %(count)s wrong password in classroom mode. "
                        "Sign in again.",
                        "You were signed out after %(count)s wrong passwords in classroom mode. "
                        "Sign in again.",
                        LEAVE_TRIES,
                    )
                    % {"count": LEAVE_TRIES},
                )
                return redirect(settings.LOGIN_URL)
            request.session[LEAVE_FAILURES] = failures
    return render(
        request,
        "impact/classroom/leave.html",
        {
            "round": survey_round,
            "form": form,
            "tries_left": LEAVE_TRIES - request.session.get(LEAVE_FAILURES, 0),
        },
    )


@require_permission(Perm.SURVEY_RUN)
def paper_tallies(request, pk):
    survey_round = selectors.get_round_for_user(request.user, pk)
    questions = services.questions_for(survey_round.version, survey_round.cohort)
    form = PaperTalliesForm(
        _posted(request),
        questions=questions,
        tallies=selectors.round_tallies(survey_round),
        initial={"children": survey_round.paper_children},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.record_paper_tallies(
                acting_user=request.user,
                survey_round=survey_round,
                children=form.cleaned_data["children"],
                tallies=form.tallies(),
            )
        except ValidationError as error:
            form.apply_service_errors(error)
        else:
            messages.success(request, _("The paper answers are saved."))
            return redirect(_surveys_url(survey_round))
    return render(
        request,
        "impact/classroom/paper_tallies.html",
        {"round": survey_round, "form": form, "cohort": survey_round.cohort},
    )


@require_permission(Perm.SURVEY_RUN)
@require_POST
def round_pause(request, pk):
    survey_round = selectors.get_round_for_user(request.user, pk)
    services.pause_round(acting_user=request.user, survey_round=survey_round)
    messages.success(request, PAUSED[survey_round.phase])
    return redirect(_surveys_url(survey_round))


@require_permission(Perm.SURVEY_RUN)
@require_POST
def round_close(request, pk):
    survey_round = selectors.get_round_for_user(request.user, pk)
    services.close_round(acting_user=request.user, survey_round=survey_round)
    messages.success(request, FINISHED[survey_round.phase])
    return redirect(_surveys_url(survey_round))
