from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from minipolice.accounts.permissions import Perm
from minipolice.accounts.scoping import get_scope
from minipolice.consent import selectors as consent_selectors
from minipolice.consent.views import portal_page
from minipolice.events import selectors, services
from minipolice.events.forms import (
    CancelEventForm,
    ChooseChildrenForm,
    EventForm,
    InviteForm,
    RiskAssessmentForm,
    TripConsentForm,
    guests_text,
    programme_text,
)
from minipolice.events.models import EventStatus, PlaceStatus
from minipolice.lib.access import require_permission
from minipolice.lib.forms import apply_service_errors
from minipolice.lib.listing import build_listing, export_listing
from minipolice.organisations.models import UnitStatus
from minipolice.organisations.selectors import get_unit_for_user, visible_areas, visible_units


def _base_url(request) -> str:
    return request.build_absolute_uri("/")


def _posted(request):
    """The posted data, or None for a GET: an empty post is still a post (and an error)."""
    return request.POST if request.method == "POST" else None


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def _count(name):
    """A count as the list shows it: rounded ones below the threshold are "fewer than 5"."""
    return lambda row: _("fewer than 5") if row[name] is None else row[name]


def _event_columns():
    """The columns of the event list's download, read from selectors.event_counts rows: what
    the table shows, with the counts rounded for those who see them rounded (headings in the
    reader's language)."""
    return [
        (_("Date"), lambda row: row["event"].date),
        (_("Event"), lambda row: row["event"].title),
        (_("Kind"), lambda row: row["event"].get_kind_display()),
        (_("Organiser"), lambda row: str(row["event"].organiser)),
        (_("Status"), lambda row: row["event"].get_status_display()),
        (_("Venue"), lambda row: row["event"].venue),
        (_("Places"), _count("places_count")),
        (_("Capacity"), lambda row: row["event"].capacity),
        (_("Waiting"), _count("waiting_count")),
        (_("Checked in"), _count("checked_in_count")),
    ]


@require_permission(Perm.EVENT_COUNTS)
def event_list(request):
    """Events in the user's scope. Roles without EVENT_READ (funders, national viewers) see
    the same list with counts only, rounded (lib.disclosure)."""
    scope = get_scope(request.user)
    names = scope.has(Perm.EVENT_READ)
    events = selectors.visible_events(request.user, Perm.EVENT_READ if names else Perm.EVENT_COUNTS)
    listing = build_listing(
        request,
        events,
        search_fields=["title", "venue"],
        sort_fields={
            "date": (_("Date"), "date"),
            "title": (_("Event"), "title"),
            "venue": (_("Venue"), "venue"),
        },
        default_sort="-date",
    )
    if export := export_listing(
        request,
        listing,
        title="Events",
        columns=_event_columns(),
        prepare=lambda events: selectors.event_counts(request.user, events),
    ):
        return export
    return render(
        request,
        "events/event_list.html",
        {
            "listing": listing,
            "rows": selectors.event_counts(request.user, listing.rows),
            "extra_headers": [_("Places"), _("Waiting"), _("Checked in")],
            "may_open": names,
            "may_create": bool(selectors.organiser_choices(request.user)),
            "visit_units": visible_units(request.user, Perm.EVENT_MANAGE)
            .filter(status=UnitStatus.ACTIVE)
            .order_by("name")[:50],
            "invitations": selectors.my_invitations(request.user)[:20]
            if scope.has(Perm.EVENT_PLACES)
            else [],
        },
    )


def _leader_options(user, event=None, unit=None):
    units = [unit] if unit is not None else visible_units(user, Perm.EVENT_MANAGE).values("pk")
    seen, leaders = set(), []
    for leader in selectors.unit_leaders_of(units):
        if leader.pk not in seen:
            seen.add(leader.pk)
            leaders.append(leader)
    if event is not None:
        for leader in event.leaders.all():
            if leader.pk not in seen:
                leaders.append(leader)
    return leaders


@require_permission(Perm.EVENT_MANAGE)
def event_create(request):
    choices = selectors.organiser_choices(request.user)
    if not choices:
        raise PermissionDenied
    organiser = request.POST.get("organiser") or request.GET.get("organiser") or choices[0][0]
    chosen = next((c for c in choices if c[0] == organiser), None)
    form = EventForm(_posted(request), reward_visit=False, leaders=_leader_options(request.user))
    if request.method == "POST" and chosen is None:
        form.is_valid()
        form.add_error(None, _("Choose who holds the event"))
    elif request.method == "POST" and form.is_valid():
        try:
            event = services.create_event(
                acting_user=request.user, force=chosen[2], area=chosen[3], **form.service_kwargs()
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request, _("%(title)s is created. Next: invite units.") % {"title": event.title}
            )
            return redirect(event)
    return render(
        request,
        "events/event_form.html",
        {
            "form": form,
            "title": _("Plan a celebration day"),
            "organisers": choices,
            "organiser": organiser,
            "cancel_url": reverse("events:event_list"),
        },
    )


@require_permission(Perm.EVENT_MANAGE)
def visit_create(request, unit_pk):
    unit = get_unit_for_user(request.user, unit_pk, Perm.EVENT_MANAGE)
    form = EventForm(
        _posted(request),
        reward_visit=True,
        leaders=_leader_options(request.user, unit=unit),
    )
    if request.method == "POST" and form.is_valid():
        try:
            event = services.create_event(
                acting_user=request.user, force=None, unit=unit, **form.service_kwargs()
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("%(title)s is created.") % {"title": event.title})
            return redirect(event)
    return render(
        request,
        "events/event_form.html",
        {
            "form": form,
            "title": _("Plan a reward visit for %(unit)s") % {"unit": unit.name},
            "cancel_url": reverse("organisations:unit_detail", args=[unit.pk]),
        },
    )


@require_permission(Perm.EVENT_MANAGE)
def event_edit(request, pk):
    event = selectors.get_event_for_user(request.user, pk, Perm.EVENT_MANAGE)
    initial = {name: getattr(event, name) for name in [*services.DETAIL_FIELDS, "kind"]} | {
        "programme": programme_text(event),
        "guests": guests_text(event),
        "leaders": list(event.leaders.values_list("pk", flat=True)),
    }
    form = EventForm(
        _posted(request),
        initial=initial,
        reward_visit=event.is_reward_visit,
        leaders=_leader_options(request.user, event=event, unit=event.unit),
    )
    if request.method == "POST" and form.is_valid():
        data = form.service_kwargs()
        data.pop("kind")
        try:
            services.update_event(
                acting_user=request.user, event=event, base_url=_base_url(request), **data
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The event is saved."))
            return redirect(event)
    return render(
        request,
        "events/event_form.html",
        {
            "form": form,
            "title": _("Change %(title)s") % {"title": event.title},
            "cancel_url": event.get_absolute_url(),
        },
    )


@require_permission(Perm.EVENT_READ)
def event_detail(request, pk):
    event = selectors.get_event_for_user(request.user, pk)
    scope = get_scope(request.user)
    may_manage = selectors.may(request.user, event, Perm.EVENT_MANAGE)
    problems = selectors.event_problems(event)  # on the exact figures, before any rounding
    invitations = list(selectors.event_invitations(request.user, event))
    checked_in = event.checked_in_count  # before rounding: whether anyone is there to award
    counts_exact = selectors.round_counts_beyond_reach(request.user, event, invitations)
    return render(
        request,
        "events/event_detail.html",
        {
            "event": event,
            "problems": problems,
            "programme": selectors.event_programme(event),
            "guests": selectors.event_guests(event),
            "leaders": selectors.event_leaders(event),
            "invitations": invitations,
            "counts_exact": counts_exact,
            "my_invitation_ids": set(
                selectors.visible_invitations(request.user)
                .filter(event=event)
                .values_list("pk", flat=True)
            ),
            "assessment": getattr(event, "risk_assessment", None),
            "may_manage": may_manage,
            # The awards app's event scope is the event managers' (awards.selectors.event_scope).
            "may_issue_certificates": may_manage
            and scope.has(Perm.AWARDS_MANAGE)
            and event.status != EventStatus.CANCELLED
            and checked_in > 0,
            "may_sign_off": selectors.may(request.user, event, Perm.EVENT_SIGN_OFF),
            "may_check_in": scope.has(Perm.EVENT_PLACES),
            "per_adult": event.force.event_children_per_adult,
        },
    )


@require_permission(Perm.EVENT_MANAGE)
def risk_assessment(request, pk):
    event = selectors.get_event_for_user(request.user, pk, Perm.EVENT_MANAGE)
    assessment = getattr(event, "risk_assessment", None)
    initial = (
        {n: getattr(assessment, n) for n in ("hazards", "controls", "first_aider", "adults")}
        if assessment
        else {}
    )
    form = RiskAssessmentForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_risk_assessment(
                acting_user=request.user, event=event, **form.cleaned_data
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The risk assessment is saved."))
            return redirect(event)
    return render(
        request,
        "events/risk_assessment_form.html",
        {
            "form": form,
            "event": event,
            "assessment": assessment,
            "per_adult": event.force.event_children_per_adult,
        },
    )


@require_POST
@require_permission(Perm.EVENT_SIGN_OFF)
def sign_off(request, pk):
    event = selectors.get_event_for_user(request.user, pk, Perm.EVENT_SIGN_OFF)
    try:
        services.sign_off_risk_assessment(acting_user=request.user, event=event)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The risk assessment is signed off."))
    return redirect(event)


@require_permission(Perm.EVENT_SIGN_OFF)
def confirm(request, pk):
    event = selectors.get_event_for_user(request.user, pk, Perm.EVENT_SIGN_OFF)
    errors = []
    if request.method == "POST":
        try:
            services.confirm_event(acting_user=request.user, event=event)
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(request, _("%(title)s is confirmed.") % {"title": event.title})
            return redirect(event)
    return render(
        request,
        "events/confirm.html",
        {
            "event": event,
            "problems": errors or selectors.event_problems(event),
            "posted": request.method == "POST",
        },
    )


@require_permission(Perm.EVENT_MANAGE)
def event_cancel(request, pk):
    """GET: what cancelling does, and a reason to give. POST: cancel, release every place and
    tell the parents of the children who had one."""
    event = selectors.get_event_for_user(request.user, pk, Perm.EVENT_MANAGE)
    if event.status == EventStatus.CANCELLED:
        messages.info(request, _("%(title)s is already cancelled.") % {"title": event.title})
        return redirect(event)
    form = CancelEventForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.cancel_event(
                acting_user=request.user,
                event=event,
                reason=form.cleaned_data["reason"],
                base_url=_base_url(request),
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(title)s is cancelled. Parents are being told.") % {"title": event.title},
            )
            return redirect(event)
    return render(request, "events/cancel.html", {"event": event, "form": form})


@require_permission(Perm.EVENT_MANAGE)
def invite(request, pk):
    event = selectors.get_event_for_user(request.user, pk, Perm.EVENT_MANAGE)
    if event.is_reward_visit:
        raise Http404
    already = event.invitations.values("unit_id")
    units = (
        visible_units(request.user, Perm.EVENT_MANAGE)
        .filter(school__area__force=event.force, status=UnitStatus.ACTIVE)
        .exclude(pk__in=already)
    )
    if event.area_id:
        units = units.filter(school__area_id=event.area_id)
    units = list(units.order_by("name"))
    areas = list(
        visible_areas(request.user, Perm.EVENT_MANAGE).filter(force=event.force).order_by("name")
    )
    if event.area_id:
        areas = [a for a in areas if a.pk == event.area_id]
    force_wide = not event.area_id and get_scope(request.user).ids(Perm.EVENT_MANAGE, "force")
    form = InviteForm(_posted(request), units=units, areas=areas)
    if request.method == "POST" and form.is_valid():
        chosen = [u for u in units if u.pk in set(form.cleaned_data["units"])]
        everyone = form.cleaned_data["everyone"]
        if everyone == "force":
            chosen = units
        elif everyone.startswith("area-"):
            chosen = [u for u in units if f"area-{u.school.area_id}" == everyone]
        try:
            created = services.invite_units(acting_user=request.user, event=event, units=chosen)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                ngettext("%(count)s unit invited.", "%(count)s units invited.", len(created))
                % {"count": len(created)},
            )
            return redirect(event)
    return render(
        request,
        "events/invite.html",
        {"form": form, "event": event, "units": units, "areas": areas, "force_wide": force_wide},
    )


@require_permission(Perm.EVENT_PLACES)
def invitation_detail(request, pk):
    """A leader accepts for their unit and chooses children; those without trip consent are
    shown with the reason and cannot be chosen."""
    invitation = selectors.get_invitation_for_user(request.user, pk)
    event = selectors.get_event_for_user(request.user, invitation.event_id)
    candidates = selectors.place_candidates(request.user, invitation)
    form = ChooseChildrenForm(_posted(request), candidates=candidates)
    if request.method == "POST" and form.is_valid():
        by_pk = {c.child.pk: c.child for c in candidates}
        try:
            result = services.choose_children(
                acting_user=request.user,
                invitation=invitation,
                children=[by_pk[pk] for pk in form.cleaned_data["children"]],
                editable_ids=list(by_pk),
                base_url=_base_url(request),
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "Saved: %(places)s new place(s), %(waiting)s on the waiting list, "
                    "%(released)s given up."
                )
                % {
                    "places": len(result["places"]),
                    "waiting": len(result["waiting"]),
                    "released": len(result["released"]),
                },
            )
            return redirect(invitation)
    return render(
        request,
        "events/invitation_detail.html",
        {
            "invitation": invitation,
            "event": event,
            "form": form,
            "chosen": form.chosen_ids(),
            "open": event.status != EventStatus.CANCELLED,
        },
    )


@require_POST
@require_permission(Perm.EVENT_PLACES)
def invitation_decline(request, pk):
    invitation = selectors.get_invitation_for_user(request.user, pk)
    services.decline_invitation(
        acting_user=request.user, invitation=invitation, base_url=_base_url(request)
    )
    messages.success(
        request,
        _("%(unit)s will not go to %(title)s.")
        % {"unit": invitation.unit.name, "title": invitation.event.title},
    )
    return redirect(invitation.event)


@require_permission(Perm.EVENT_READ)
def place_list(request, pk):
    """Everyone with a place, and the waiting list in order, by unit."""
    event = selectors.get_event_for_user(request.user, pk)
    manageable = set(
        selectors.visible_invitations(request.user).filter(event=event).values_list("pk", flat=True)
    )
    return render(
        request,
        "events/place_list.html",
        {
            "event": event,
            "places": selectors.visible_places(request.user, event, statuses=("place",)),
            "waiting": selectors.waiting_list(request.user, event),
            "manageable": manageable,
        },
    )


@require_POST
@require_permission(Perm.EVENT_PLACES)
def place_release(request, pk, place_pk):
    event = selectors.get_event_for_user(request.user, pk)
    place = (
        selectors.visible_places(request.user, event, statuses=list(PlaceStatus))
        .filter(pk=place_pk, invitation__in=selectors.visible_invitations(request.user))
        .first()
    )
    if place is None:
        raise Http404
    promoted = services.release_place(
        acting_user=request.user, place=place, base_url=_base_url(request)
    )
    messages.success(
        request,
        _("The place is given up.")
        + (
            " "
            + _("%(count)s child(ren) moved up from the waiting list.") % {"count": len(promoted)}
            if promoted
            else ""
        ),
    )
    return redirect("events:place_list", pk=event.pk)


def _checkin_context(request, event):
    places = list(selectors.checkin_places(request.user, event))
    return {
        "event": event,
        "places": places,
        "headcount": selectors.event_invitations(request.user, event).filter(
            pk__in=selectors.visible_invitations(request.user).filter(event=event).values("pk")
        ),
    }


@require_permission(Perm.EVENT_PLACES)
def checkin(request, pk):
    """The list on the day, on a phone: one tap per child; works without JavaScript."""
    event = selectors.get_event_for_user(request.user, pk)
    return render(request, "events/checkin.html", _checkin_context(request, event))


@require_POST
@require_permission(Perm.EVENT_PLACES)
def checkin_mark(request, pk, place_pk):
    event = selectors.get_event_for_user(request.user, pk)
    place = selectors.get_checkin_place(request.user, event, place_pk)
    error = ""
    try:
        place = services.record_checkin(
            acting_user=request.user, place=place, action=request.POST.get("action", "")
        )
    except ValidationError as exc:
        error = " ".join(exc.messages)
    if _is_htmx(request):
        place = selectors.get_checkin_place(request.user, event, place_pk)
        return render(
            request,
            "events/partials/checkin_response.html",
            {"event": event, "place": place, "error": error, **_checkin_context(request, event)},
        )
    if error:
        messages.error(request, error)
    return redirect(f"{reverse('events:checkin', args=[event.pk])}#place-{place.pk}")


# The parent portal ---------------------------------------------------------------------------
@portal_page
def portal_event_list(request):
    return render(
        request,
        "events/portal/event_list.html",
        {"events": selectors.portal_events(request.user)},
    )


@portal_page
def portal_event(request, pk):
    event = selectors.get_portal_event(request.user, pk)
    rows = selectors.portal_event_children(request.user, event)
    form = TripConsentForm(_posted(request))
    errors_for = None
    if request.method == "POST":
        row = next((r for r in rows if str(r["child"].pk) == request.POST.get("child")), None)
        if row is None:
            raise Http404
        guardian = consent_selectors.guardian_for_child(request.user, row["child"])
        if guardian is None:
            raise PermissionDenied
        if form.is_valid():
            agree = form.cleaned_data["answer"] == "yes"
            services.answer_trip_consent(
                acting_user=request.user,
                guardian=guardian,
                child=row["child"],
                event=event,
                agree=agree,
                base_url=_base_url(request),
            )
            messages.success(
                request,
                (
                    _("Thank you: %(name)s may go.")
                    if agree
                    else _("Thank you: %(name)s will not go.")
                )
                % {"name": row["child"].first_name},
            )
            return redirect("events:portal_event", pk=event.pk)
        errors_for = row["child"].pk
    return render(
        request,
        "events/portal/event_detail.html",
        {
            "event": event,
            "rows": rows,
            "form": form,
            "errors_for": errors_for,
            "programme": selectors.event_programme(event),
        },
    )
