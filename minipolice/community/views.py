import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from minipolice.accounts.permissions import Perm
from minipolice.accounts.scoping import get_scope
from minipolice.community import selectors, services
from minipolice.community.forms import ActionForm, KindForm, TotalsForm
from minipolice.community.models import ActionKind
from minipolice.lib.access import require_permission
from minipolice.lib.exports import export_response, wants_export
from minipolice.lib.forms import apply_service_errors, posted_date
from minipolice.lib.listing import build_listing, export_listing
from minipolice.organisations.selectors import get_unit_for_user, visible_units


def _action_columns():
    """The columns of the action list's download: what its table shows (headings in the
    reader's language)."""
    return [
        (_("Date"), "date"),
        (_("Kind"), "get_kind_display"),
        (_("Unit"), "unit.name"),
        (_("Place"), "place"),
        (
            _("Reach"),
            lambda action: ", ".join(f"{number} {words}" for words, number in action.reach()),
        ),
        (_("Children"), "children_count"),
    ]


@require_permission(Perm.COMMUNITY_READ)
def action_list(request):
    actions = selectors.visible_actions(request.user)
    unit = None
    if request.GET.get("unit", "").isdigit():
        unit = (
            visible_units(request.user, Perm.COMMUNITY_READ).filter(pk=request.GET["unit"]).first()
        )
        if unit is not None:
            actions = actions.filter(unit=unit)
    kind = request.GET.get("kind", "")
    if kind in ActionKind.values:
        actions = actions.filter(kind=kind)
    listing = build_listing(
        request,
        actions,
        search_fields=["place", "partners", "unit__name", "outcome"],
        sort_fields={
            "date": (_("Date"), "date"),
            "kind": (_("Kind"), "kind"),
            "unit": (_("Unit"), "unit__name"),
            "place": (_("Place"), "place"),
        },
        default_sort="-date",
    )
    if export := export_listing(
        request, listing, title="Community actions", columns=_action_columns()
    ):
        return export
    return render(
        request,
        "community/action_list.html",
        {
            "listing": listing,
            "unit": unit,
            "kinds": ActionKind.choices,
            "kind": kind,
            "extra_headers": [_("Reach")],
            "add_units": visible_units(request.user, Perm.COMMUNITY_MANAGE).order_by("name")[:50],
        },
    )


def _action_date(request, default: datetime.date) -> datetime.date:
    """The date the participant list is for: the one typed in, once it is a real date."""
    return posted_date(request.POST, "date") or default


@require_permission(Perm.COMMUNITY_MANAGE)
def action_create(request, unit_pk):
    unit = get_unit_for_user(request.user, unit_pk, Perm.COMMUNITY_MANAGE)
    kind = request.GET.get("kind", "")
    if kind not in ActionKind.values:
        # Continue with no kind chosen sends only `step` (browsers leave an unticked radio out):
        # the form is bound then too, so the error summary says what is missing.
        submitted = "kind" in request.GET or "step" in request.GET
        form = KindForm(request.GET if submitted else None)
        form.is_valid()
        return render(request, "community/kind_form.html", {"form": form, "unit": unit})
    on = _action_date(request, timezone.localdate())
    candidates = selectors.participant_candidates(request.user, unit, on)
    form = ActionForm(request.POST or None, kind=kind, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            action = services.record_action(acting_user=request.user, unit=unit, kind=kind, **data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(action)s recorded for %(unit)s.") % {"action": action, "unit": unit.name},
            )
            return redirect(action)
    return render(
        request,
        "community/action_form.html",
        {
            "form": form,
            "unit": unit,
            "kind_label": ActionKind(kind).label,
            "title": _("Record a %(kind)s") % {"kind": ActionKind(kind).label.lower()},
            "change_kind_href": f"{reverse('community:action_create', args=[unit.pk])}?kind=",
            "cancel_href": reverse("organisations:unit_detail", args=[unit.pk]),
        },
    )


@require_permission(Perm.COMMUNITY_READ)
def action_detail(request, pk):
    action = selectors.get_action_for_user(request.user, pk)
    return render(
        request,
        "community/action_detail.html",
        {
            "action": action,
            "participants": selectors.action_participants(request.user, action),
            "can_manage": get_scope(request.user).can(Perm.COMMUNITY_MANAGE, action),
        },
    )


@require_permission(Perm.COMMUNITY_MANAGE)
def action_edit(request, pk):
    action = selectors.get_action_for_user(request.user, pk, Perm.COMMUNITY_MANAGE)
    kind = request.GET.get("kind", action.kind)
    if kind not in ActionKind.values:
        kind = action.kind
    current = list(action.participations.values_list("child_id", flat=True))
    on = _action_date(request, action.date)
    candidates = selectors.participant_candidates(request.user, action.unit, on, extra_ids=current)
    form = ActionForm(
        request.POST or None,
        instance=action,
        kind=kind,
        candidates=candidates,
        initial={"participants": current},
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.update_action(
                acting_user=request.user,
                action=action,
                kind=kind,
                editable_ids=[c.child.pk for c in candidates],
                **data,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Community action saved."))
            return redirect(action)
    return render(
        request,
        "community/action_form.html",
        {
            "form": form,
            "unit": action.unit,
            "kind_label": ActionKind(kind).label,
            "title": _("Change the %(kind)s") % {"kind": ActionKind(kind).label.lower()},
            "change_kind_href": f"{reverse('community:action_edit', args=[action.pk])}?kind=",
            "cancel_href": action.get_absolute_url(),
        },
    )


def _academic_year_start(today: datetime.date) -> datetime.date:
    return datetime.date(today.year if today.month >= 9 else today.year - 1, 9, 1)


@require_permission(Perm.COMMUNITY_TOTALS)
def totals(request):
    today = timezone.localdate()
    defaults = {"start": _academic_year_start(today), "end": today, "level": "unit"}
    asked = "start" in request.GET or "start_0" in request.GET  # one ISO value, or day/month/year
    form = TotalsForm(request.GET if asked else None, initial=defaults)
    params = defaults
    if form.is_bound and form.is_valid():
        params = form.cleaned_data
    result = (
        selectors.reach_totals(request.user, **params)
        if not form.is_bound or form.is_valid()
        else None
    )
    if result is not None and (fmt := wants_export(request)):
        return export_response(
            filename=f"action-totals-{params['level']}-{params['start']}-{params['end']}",
            fmt=fmt,
            tables=[selectors.totals_table(result)],
        )
    return render(
        request,
        "community/totals.html",
        {
            "form": form,
            "result": result,
            "params": params,
            "querystring": request.GET.urlencode(),
        },
    )
