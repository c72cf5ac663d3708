"""Pages of the questionnaire library: thin views over impact.selectors and impact.library.

Teachers, leaders and area leads read the questionnaires in use (INSTRUMENT_READ); force
coordinators copy the national ones and write new versions of their force's own
(INSTRUMENT_MANAGE). The national library is read-only; another force's questionnaires are
not found.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from minipolice.accounts.permissions import Perm
from minipolice.accounts.scoping import get_scope
from minipolice.impact import library, selectors, services
from minipolice.impact.forms import PublishForm, QuestionForm
from minipolice.impact.models import FACE_WORDS, InstrumentKind
from minipolice.lib.access import require_permission
from minipolice.lib.forms import apply_service_errors
from minipolice.organisations.selectors import forces_held


def _own_force(user):
    """The force whose questionnaires a coordinator writes (their first, when several)."""
    force = forces_held(user, Perm.INSTRUMENT_MANAGE).order_by("pk").first()
    if force is None:
        raise PermissionDenied
    return force


def _posted(request):
    """The posted data for a POST (even an empty one), None for a GET."""
    return request.POST if request.method == "POST" else None


def _manages(user, instrument) -> bool:
    return instrument.force_id in get_scope(user).ids(Perm.INSTRUMENT_MANAGE, "force")


@require_permission(Perm.INSTRUMENT_READ)
def instrument_list(request):
    instruments = list(selectors.visible_instruments(request.user).order_by("kind", "name", "pk"))
    copied = {i.copied_from_id for i in instruments if i.force_id is not None}
    manages = get_scope(request.user).has(Perm.INSTRUMENT_MANAGE)
    rows = [
        {
            "instrument": instrument,
            "can_copy": manages and instrument.is_national and instrument.pk not in copied,
        }
        for instrument in instruments
    ]
    return render(
        request,
        "impact/library/instrument_list.html",
        {
            "national": [row for row in rows if row["instrument"].is_national],
            "own": [row for row in rows if not row["instrument"].is_national],
            "manages": manages,
        },
    )


@require_permission(Perm.INSTRUMENT_READ)
def instrument_detail(request, pk):
    instrument = selectors.get_instrument_for_user(request.user, pk)
    versions = selectors.instrument_versions(instrument)
    wanted = request.GET.get("version", "")
    shown = next((v for v in versions if str(v.number) == wanted), None)
    if wanted and shown is None:
        raise Http404
    if shown is None:
        # The draft, if the force is writing one; else the latest published version.
        shown = next((v for v in versions if not v.is_published), None) or next(
            (v for v in versions if v.is_published), None
        )
    manages = not instrument.is_national and _manages(request.user, instrument)
    force = instrument.force
    in_use = services.current_version(force, instrument.kind) if force else None
    copies = []
    if instrument.is_national and get_scope(request.user).has(Perm.INSTRUMENT_MANAGE):
        copies = [
            i
            for i in selectors.visible_instruments(request.user)
            if i.copied_from_id == instrument.pk
        ]
    return render(
        request,
        "impact/library/instrument_detail.html",
        {
            "instrument": instrument,
            "versions": versions,
            "shown": shown,
            "questions": selectors.version_questions(shown) if shown else [],
            "has_draft": any(not v.is_published for v in versions),
            "manages": manages,
            "editable": manages and shown is not None and not shown.is_published,
            "in_use": in_use,
            "can_copy": instrument.is_national
            and get_scope(request.user).has(Perm.INSTRUMENT_MANAGE)
            and not copies,
            "copies": copies,
            "face_words": FACE_WORDS[instrument.kind],
            "is_child": instrument.kind == InstrumentKind.CHILD,
        },
    )


@require_POST
@require_permission(Perm.INSTRUMENT_MANAGE)
def instrument_copy(request, pk):
    instrument = selectors.get_instrument_for_user(request.user, pk, Perm.INSTRUMENT_MANAGE)
    try:
        copy = library.copy_instrument(
            acting_user=request.user,
            instrument=instrument,
            force=_own_force(request.user),
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect(instrument)
    messages.success(
        request,
        _(
            "Copied to your force as a draft. Your force keeps asking the national version "
            "until you publish “%(name)s”."
        )
        % {"name": copy.name},
    )
    return redirect(copy)


@require_POST
@require_permission(Perm.INSTRUMENT_MANAGE)
def version_draft(request, pk):
    instrument = selectors.get_instrument_for_user(request.user, pk, Perm.INSTRUMENT_MANAGE)
    try:
        draft = library.start_draft(acting_user=request.user, instrument=instrument)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect(instrument)
    messages.success(
        request, _("Version %(number)s started as a draft.") % {"number": draft.number}
    )
    return redirect(instrument)


def _draft_or_404(instrument):
    draft = library.draft_of(instrument)
    if draft is None or instrument.is_national:
        raise Http404
    return draft


def _question_page(request, instrument, draft, form, question=None):
    return render(
        request,
        "impact/library/question_form.html",
        {
            "instrument": instrument,
            "draft": draft,
            "form": form,
            "question": question,
            "is_child": instrument.kind == InstrumentKind.CHILD,
        },
    )


@require_permission(Perm.INSTRUMENT_MANAGE)
def question_add(request, pk):
    instrument = selectors.get_instrument_for_user(request.user, pk, Perm.INSTRUMENT_MANAGE)
    draft = _draft_or_404(instrument)
    form = QuestionForm(
        _posted(request), instrument=instrument, modules=library.modules_for(instrument)
    )
    if request.method == "POST" and form.is_valid():
        try:
            question = library.add_question(
                acting_user=request.user, version=draft, **form.service_fields()
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Question “%(text)s” added.") % {"text": question.text})
            return redirect(instrument)
    return _question_page(request, instrument, draft, form)


@require_permission(Perm.INSTRUMENT_MANAGE)
def question_edit(request, pk):
    question = selectors.get_question_for_user(request.user, pk)
    instrument = question.version.instrument
    form = QuestionForm(
        _posted(request),
        instrument=instrument,
        modules=library.modules_for(instrument),
        initial=QuestionForm.initial_for(question),
    )
    if request.method == "POST" and form.is_valid():
        try:
            library.update_question(
                acting_user=request.user, question=question, **form.service_fields()
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Question changed."))
            return redirect(instrument)
    if question.version.is_published and request.method != "POST":
        form.add_error(None, library.PUBLISHED)
    return _question_page(request, instrument, question.version, form, question)


@require_POST
@require_permission(Perm.INSTRUMENT_MANAGE)
def question_remove(request, pk):
    question = selectors.get_question_for_user(request.user, pk)
    instrument = question.version.instrument
    try:
        library.remove_question(acting_user=request.user, question=question)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("Question “%(text)s” removed.") % {"text": question.text})
    return redirect(instrument)


@require_permission(Perm.INSTRUMENT_MANAGE)
def version_publish(request, pk):
    instrument = selectors.get_instrument_for_user(request.user, pk, Perm.INSTRUMENT_MANAGE)
    draft = _draft_or_404(instrument)
    form = PublishForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            library.publish(acting_user=request.user, version=draft)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Version %(number)s is published: new rounds and feedback use it.")
                % {"number": draft.number},
            )
            return redirect(instrument)
    return render(
        request,
        "impact/library/publish.html",
        {
            "instrument": instrument,
            "draft": draft,
            "questions": selectors.version_questions(draft),
            "form": form,
        },
    )
