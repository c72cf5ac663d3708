import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from minipolice.accounts.permissions import Perm
from minipolice.accounts.scoping import get_scope
from minipolice.community.selectors import unit_actions
from minipolice.delivery import ical, selectors, services
from minipolice.delivery.forms import (
    CancelForm,
    HolidayForm,
    PlanForm,
    SessionDetailsForm,
    SessionForm,
    default_start_time,
)
from minipolice.delivery.models import calendar_feed_path
from minipolice.lib.access import require_permission
from minipolice.lib.forms import apply_service_errors
from minipolice.organisations.selectors import (
    forces_held,
    get_cohort_for_user,
    get_unit_for_user,
    visible_areas,
)
from minipolice.programme.national_library import DEFAULT_TEMPLATE
from minipolice.programme.selectors import templates_for_planning, visible_modules


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def _force_modules(user, force_id):
    """Modules a session of `force_id` may cover: national ones and that force's own."""
    return visible_modules(user).filter(Q(force__isnull=True) | Q(force_id=force_id))


# Planning ------------------------------------------------------------------------------------
def _default_template(templates, force_id):
    ordered = sorted(
        templates,
        key=lambda t: (
            t.name != DEFAULT_TEMPLATE and getattr(t.copied_from, "name", "") != DEFAULT_TEMPLATE,
            t.force_id != force_id,
            t.name,
        ),
    )
    return ordered[0] if ordered else None


@require_permission(Perm.SESSION_MANAGE)
def cohort_plan(request, cohort_pk):
    cohort = get_cohort_for_user(request.user, cohort_pk, Perm.SESSION_MANAGE)
    force_id = cohort.unit.school.area.force_id
    templates = templates_for_planning(request.user, force_id).select_related("copied_from")
    first = min(max(cohort.start_date, timezone.localdate()), cohort.end_date)
    default = _default_template(list(templates), force_id)
    form = PlanForm(
        request.POST or None,
        templates=templates,
        initial={
            "template": default.pk if default else None,
            "first_date": first,
            "weekday": min(first.weekday(), 4),
            "start_time": default_start_time(),
            "minutes": 60,
            "place": cohort.unit.school.name,
        },
    )
    context = {"form": form, "cohort": cohort, "existing": cohort.sessions.count()}
    if request.method == "POST" and form.is_valid() and "change" not in request.POST:
        data = form.cleaned_data
        if "confirm" in request.POST:
            try:
                sessions = services.plan_sessions(acting_user=request.user, cohort=cohort, **data)
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(
                    request,
                    ngettext(
                        "%(count)s session planned for %(cohort)s, %(first)s to %(last)s.",
                        "%(count)s sessions planned for %(cohort)s, %(first)s to %(last)s.",
                        len(sessions),
                    )
                    % {
                        "count": len(sessions),
                        "cohort": cohort.name,
                        "first": format_date(sessions[0].date, "j F"),
                        "last": format_date(sessions[-1].date, "j F Y"),
                    },
                )
                return redirect("delivery:cohort_sessions", cohort_pk=cohort.pk)
        else:
            try:
                context["plan"] = services.plan_dates(
                    cohort=cohort,
                    template=data["template"],
                    first_date=data["first_date"],
                    weekday=data["weekday"],
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                context["data"] = data
                return render(request, "delivery/plan_preview.html", context)
    return render(request, "delivery/plan_form.html", context)


@require_permission(Perm.SESSION_READ)
def cohort_sessions(request, cohort_pk):
    cohort = get_cohort_for_user(request.user, cohort_pk, Perm.SESSION_READ)
    can_manage = get_scope(request.user).can(Perm.SESSION_MANAGE, cohort)
    return render(
        request,
        "delivery/cohort_sessions.html",
        {
            "cohort": cohort,
            "sessions": selectors.cohort_sessions(request.user, cohort),
            "can_manage": can_manage,
            "today": timezone.localdate(),
        },
    )


@require_permission(Perm.SESSION_MANAGE)
def session_create(request, cohort_pk):
    cohort = get_cohort_for_user(request.user, cohort_pk, Perm.SESSION_MANAGE)
    modules = _force_modules(request.user, cohort.unit.school.area.force_id).order_by("title")
    today = timezone.localdate()
    form = SessionForm(
        request.POST or None,
        modules=modules,
        initial={
            "date": min(max(cohort.start_date, today), cohort.end_date),
            "start_time": default_start_time(),
            "minutes": 60,
            "place": cohort.unit.school.name,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            session = services.add_session(
                acting_user=request.user, cohort=cohort, **form.cleaned_data
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Session added on %(date)s.") % {"date": format_date(session.date, "j F Y")},
            )
            return redirect(session)
    return render(
        request,
        "delivery/form.html",
        {
            "form": form,
            "title": _("Add a session to %(cohort)s") % {"cohort": cohort.name},
            "caption": cohort.unit.name,
            "cancel_href": reverse("delivery:cohort_sessions", args=[cohort.pk]),
        },
    )


# A session and its register ------------------------------------------------------------------
def _session_context(request, session):
    user = request.user
    scope = get_scope(user)
    today = timezone.localdate()
    may_register = scope.can(Perm.REGISTER_TAKE, session)
    rows = selectors.register_rows(session) if may_register else None
    return {
        "session": session,
        "today": today,
        "can_manage": scope.can(Perm.SESSION_MANAGE, session),
        "may_register": may_register,
        "register_open": not session.is_cancelled and session.date <= today,
        "late": session.is_late_edit(today),
        "rows": rows,
        "summary": selectors.register_summary(session, rows) if rows is not None else None,
        "leaders": selectors.session_leaders(session),
        "may_see_notes": selectors.may_see_session_notes(user, session),
    }


@require_permission(Perm.SESSION_READ)
def session_detail(request, pk):
    session = selectors.get_session_for_user(request.user, pk)
    return render(request, "delivery/session_detail.html", _session_context(request, session))


@require_POST
@require_permission(Perm.REGISTER_TAKE)
def register_mark(request, pk, child_pk):
    session = selectors.get_session_for_user(request.user, pk, Perm.REGISTER_TAKE)
    status = request.POST.get("status", "")
    error = ""
    try:
        saved = services.record_register(
            acting_user=request.user, session=session, marks=[(child_pk, status)]
        )
    except ValidationError as exc:
        error = " ".join(exc.messages)
        child = selectors.get_register_child(session, child_pk)  # not on the register: 404
    else:
        [(child, attendance)] = saved.marks
        child.register_status = attendance.status
    if _is_htmx(request):
        today = timezone.localdate()
        return render(
            request,
            "delivery/partials/register_mark_response.html",
            {
                "session": session,
                "row": selectors.register_rows(session, [child])[0],
                "error": error,
                "register_open": not session.is_cancelled and session.date <= today,
                "summary": selectors.register_summary(session),
            },
        )
    if error:
        messages.error(request, error)
    return redirect(f"{session.get_absolute_url()}#child-{child.pk}")


@require_permission(Perm.REGISTER_TAKE)
def register_finish_confirm(request, pk):
    """Before anyone is marked absent: the children not yet marked, by name. Its button posts
    to register_finish."""
    session = selectors.get_session_for_user(request.user, pk, Perm.REGISTER_TAKE)
    today = timezone.localdate()
    unmarked = selectors.register_children(session).filter(register_status__isnull=True)
    return render(
        request,
        "delivery/register_finish_confirm.html",
        {
            "session": session,
            "unmarked": list(unmarked),
            "register_open": not session.is_cancelled and session.date <= today,
        },
    )


@require_POST
@require_permission(Perm.REGISTER_TAKE)
def register_finish(request, pk):
    session = selectors.get_session_for_user(request.user, pk, Perm.REGISTER_TAKE)
    try:
        count = services.record_register(
            acting_user=request.user, session=session, finish=True
        ).marked_absent
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            ngettext(
                "Register finished: %(count)s child marked absent.",
                "Register finished: %(count)s children marked absent.",
                count,
            )
            % {"count": count}
            if count
            else _("Register finished: every child was already marked."),
        )
    return redirect(session)


@require_permission(Perm.SESSION_MANAGE)
def session_edit(request, pk):
    session = selectors.get_session_for_user(request.user, pk, Perm.SESSION_MANAGE)
    modules = _force_modules(request.user, session.cohort.unit.school.area.force_id)
    modules = modules.order_by("title")
    form = SessionForm(request.POST or None, instance=session, modules=modules)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_session(acting_user=request.user, session=session, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Session saved."))
            return redirect(session)
    return render(
        request,
        "delivery/form.html",
        {
            "form": form,
            "title": _("Move or change the session"),
            "caption": f"{session.cohort.unit.name}: {session.cohort.name}",
            "cancel_href": session.get_absolute_url(),
        },
    )


@require_permission(Perm.SESSION_MANAGE)
def session_cancel(request, pk):
    session = selectors.get_session_for_user(request.user, pk, Perm.SESSION_MANAGE)
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.cancel_session(
                acting_user=request.user, session=session, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The session on %(date)s is cancelled.")
                % {"date": format_date(session.date, "j F Y")},
            )
            return redirect(session)
    return render(
        request,
        "delivery/form.html",
        {
            "form": form,
            "title": _("Cancel the session on %(date)s")
            % {"date": format_date(session.date, "j F Y")},
            "caption": f"{session.cohort.unit.name}: {session.cohort.name}",
            "cancel_href": session.get_absolute_url(),
            "submit_label": _("Cancel the session"),
            "cancel_label": _("Keep the session"),
        },
    )


@require_POST
@require_permission(Perm.SESSION_MANAGE)
def session_reinstate(request, pk):
    session = selectors.get_session_for_user(request.user, pk, Perm.SESSION_MANAGE)
    services.reinstate_session(acting_user=request.user, session=session)
    messages.success(request, _("The session is back on."))
    return redirect(session)


@require_permission(Perm.SESSION_MANAGE)
def session_details(request, pk):
    session = selectors.get_session_for_user(request.user, pk, Perm.SESSION_MANAGE)
    with_notes = selectors.may_see_session_notes(request.user, session)
    form = SessionDetailsForm(
        request.POST or None,
        candidates=selectors.leader_candidates(session, request.user),
        with_notes=with_notes,
        initial={
            "leaders_present": list(session.leaders_present.all()),
            "notes": session.notes if with_notes else "",
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.record_session_details(
                acting_user=request.user,
                session=session,
                leaders=form.cleaned_data["leaders_present"],
                notes=form.cleaned_data.get("notes"),
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request, _("Leaders and notes saved.") if with_notes else _("Leaders saved.")
            )
            return redirect(session)
    return render(
        request,
        "delivery/form.html",
        {
            "form": form,
            "title": _("Leaders present and notes") if with_notes else _("Leaders present"),
            "caption": f"{session.cohort.name}, {format_date(session.date, 'j F Y')}",
            "cancel_href": session.get_absolute_url(),
        },
    )


# A unit's timeline ---------------------------------------------------------------------------
@require_permission(Perm.SESSION_READ)
def unit_timeline(request, unit_pk):
    unit = get_unit_for_user(request.user, unit_pk, Perm.SESSION_READ)
    timeline = selectors.unit_timeline(request.user, unit)
    return render(
        request,
        "delivery/unit_timeline.html",
        {
            "unit": unit,
            "timeline": timeline,
            "hours": round((timeline["hours"] or 0) / 60, 1),
            "actions": unit_actions(request.user, unit)[:20],
        },
    )


# My sessions and volunteer hours -------------------------------------------------------------
def _academic_year_start(today: datetime.date) -> datetime.date:
    year = today.year if today.month >= 9 else today.year - 1
    return datetime.date(year, 9, 1)


@require_permission(Perm.SESSION_READ)
def my_sessions(request):
    today = timezone.localdate()
    since = _academic_year_start(today)
    has_units = selectors.own_sessions_q(request.user) is not None
    return render(
        request,
        "delivery/my_sessions.html",
        {
            "sessions": selectors.my_sessions(request.user, today)[:50],
            "registers_to_take": selectors.registers_to_take(request.user, today)[:50]
            if has_units
            else [],
            "has_units": has_units,
            "today": today,
            "hours_this_year": round(selectors.volunteer_minutes(request.user, since) / 60, 1),
            "hours_all": round(selectors.volunteer_minutes(request.user) / 60, 1),
            "since": since,
        },
    )


# Calendar feeds ------------------------------------------------------------------------------
# The raw token is stored nowhere; the page shows it once, after it is made, from the session.
NEW_FEED_KEY = "new_calendar_feed"


def _calendar_page(request, *, unit, back_href, title):
    unit_key = unit.pk if unit else None
    if request.method == "POST":
        if request.POST.get("action") == "delete":
            services.delete_calendar_feed(acting_user=request.user, unit=unit)
            request.session.pop(NEW_FEED_KEY, None)
            messages.success(request, _("The calendar address no longer works."))
        else:
            had = selectors.feed_of(request.user, unit) is not None
            _feed, raw = services.renew_calendar_feed(acting_user=request.user, unit=unit)
            request.session[NEW_FEED_KEY] = {"unit": unit_key, "token": raw}
            messages.success(
                request,
                _("New calendar address made: the old one no longer works.")
                if had
                else _("Calendar address made."),
            )
        return redirect(request.path)
    feed = selectors.feed_of(request.user, unit)
    shown = request.session.pop(NEW_FEED_KEY, None)
    feed_url = ""
    if feed and shown and shown.get("unit") == unit_key:
        feed_url = request.build_absolute_uri(calendar_feed_path(shown["token"]))
    return render(
        request,
        "delivery/calendar.html",
        {
            "feed": feed,
            "feed_url": feed_url,
            "unit": unit,
            "title": title,
            "back_href": back_href,
        },
    )


@require_permission(Perm.SESSION_READ)
def unit_calendar(request, unit_pk):
    unit = get_unit_for_user(request.user, unit_pk, Perm.SESSION_READ)
    return _calendar_page(
        request,
        unit=unit,
        back_href=reverse("delivery:unit_timeline", args=[unit.pk]),
        title=_("Calendar of %(unit)s") % {"unit": unit.name},
    )


@require_permission(Perm.SESSION_READ)
def my_calendar(request):
    return _calendar_page(
        request, unit=None, back_href=reverse("delivery:my_sessions"), title=_("Your calendar")
    )


def calendar_feed(request, token):
    """The feed itself: no sign-in, only the secret token, and only what its owner may see."""
    feed = selectors.feed_by_token(token)
    sessions = selectors.feed_sessions(feed)
    name = (
        _("Mini Police: %(unit)s") % {"unit": feed.unit.name}
        if feed.unit_id
        else _("Mini Police: my sessions")
    )
    body = ical.calendar(
        name=name,
        sessions=sessions,
        host=request.get_host().split(":")[0] or "minipolice",
        url_for=lambda s: request.build_absolute_uri(s.get_absolute_url()),
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="mini-police.ics"'
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


# School holidays -----------------------------------------------------------------------------
def _holiday_form(request, instance=None):
    """Coordinators may set dates for the whole force or one area; area leads for their areas."""
    force_wide = bool(get_scope(request.user).ids(Perm.HOLIDAYS_MANAGE, "force"))
    return HolidayForm(
        request.POST or None,
        instance=instance,
        areas=visible_areas(request.user, Perm.HOLIDAYS_MANAGE).order_by("name"),
        area_required=not force_wide,
    )


@require_permission(Perm.HOLIDAYS_MANAGE)
def holiday_list(request):
    return render(
        request,
        "delivery/holiday_list.html",
        {"holidays": selectors.visible_holidays(request.user).order_by("-start_date", "name")},
    )


def _managed_force(request, area):
    if area is not None:
        return area.force
    force = forces_held(request.user, Perm.HOLIDAYS_MANAGE).first()
    if force is None:
        raise Http404
    return force


@require_permission(Perm.HOLIDAYS_MANAGE)
def holiday_create(request):
    form = _holiday_form(request)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            holiday = services.create_holiday(
                acting_user=request.user, force=_managed_force(request, data["area"]), **data
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(holiday)s added. Session planning skips these dates.")
                % {"holiday": holiday.name},
            )
            return redirect("delivery:holiday_list")
    return render(
        request,
        "delivery/form.html",
        {
            "form": form,
            "title": _("Add school holiday dates"),
            "cancel_href": reverse("delivery:holiday_list"),
        },
    )


@require_permission(Perm.HOLIDAYS_MANAGE)
def holiday_edit(request, pk):
    holiday = selectors.get_holiday_for_user(request.user, pk)
    form = _holiday_form(request, instance=holiday)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_holiday(acting_user=request.user, holiday=holiday, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Holiday dates saved."))
            return redirect("delivery:holiday_list")
    return render(
        request,
        "delivery/form.html",
        {
            "form": form,
            "title": _("Change %(holiday)s") % {"holiday": holiday.name},
            "cancel_href": reverse("delivery:holiday_list"),
        },
    )


@require_POST
@require_permission(Perm.HOLIDAYS_MANAGE)
def holiday_delete(request, pk):
    holiday = selectors.get_holiday_for_user(request.user, pk)
    services.delete_holiday(acting_user=request.user, holiday=holiday)
    messages.success(request, _("%(holiday)s removed.") % {"holiday": holiday.name})
    return redirect("delivery:holiday_list")
