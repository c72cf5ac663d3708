"""Consent pages for staff (history, paper forms, the cohort board, the media export, the
outbox) and the parent portal (sign-in links, answers, contact details)."""

import csv
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext, pgettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from minipolice.accounts.middleware import LAST_SEEN_AT, SIGNED_IN_AT
from minipolice.accounts.permissions import Perm
from minipolice.accounts.scoping import get_scope
from minipolice.audit.services import record_list_export
from minipolice.consent import portal, selectors, services
from minipolice.consent.forms import (
    ContactDetailsForm,
    LinkRequestForm,
    MediaExportForm,
    PaperConsentForm,
    PortalConsentForm,
)
from minipolice.consent.models import ConsentKind, ConsentMethod, EmailDelivery, MediaUse
from minipolice.lib.access import require_permission
from minipolice.lib.forms import apply_service_errors
from minipolice.lib.listing import build_listing, export_listing
from minipolice.organisations.selectors import get_cohort_for_user
from minipolice.people.selectors import child_guardians, get_child_for_user

SIGN_IN_BACKEND = "allauth.account.auth_backends.AuthenticationBackend"


def _posted(request):
    """The submitted data, even when empty: an empty POST must still show the form's errors."""
    return request.POST if request.method == "POST" else None


def _base_url(request) -> str:
    return request.build_absolute_uri("/")


# A child's consents ----------------------------------------------------------------------------
@require_permission(Perm.CHILDREN_READ)
def child_consents(request, pk):
    child = get_child_for_user(request.user, pk)
    can_manage = get_scope(request.user).can(Perm.CHILDREN_MANAGE, child)
    return render(
        request,
        "consent/child_consents.html",
        {
            "child": child,
            "states": selectors.current_consents(child),
            "history": selectors.consent_history(child),
            "can_manage": can_manage,
        },
    )


@require_permission(Perm.CHILDREN_MANAGE)
def record_paper_consent(request, pk):
    child = get_child_for_user(request.user, pk, Perm.CHILDREN_MANAGE)
    guardians = child_guardians(child)
    initial = {"given_on": timezone.localdate()}
    first_two = list(guardians[:2])
    if len(first_two) == 1:  # the only guardian is most likely the one who signed
        initial["given_by"] = first_two[0].pk
    form = PaperConsentForm(
        _posted(request),
        guardians=guardians,
        trips=selectors.trip_references(child),
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            consent = services.record_consent(
                acting_user=request.user,
                child=child,
                kind=data["kind"],
                status=data["status"],
                method=ConsentMethod.PAPER,
                given_by=data["given_by"],
                given_by_name=data["given_by_name"].strip(),
                given_at=form.given_at(),
                expires=data["expires"],
                media_uses=data["media_uses"],
                trip_reference=data["trip"],
                note=data["note"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            if selectors.latest_consent(child, consent.kind, consent.trip_reference) == consent:
                messages.success(
                    request, _("Consent recorded for %(name)s.") % {"name": child.full_name}
                )
            else:
                messages.warning(
                    request,
                    _(
                        "Consent recorded, but an answer given after the date on this form still "
                        "stands: the latest answer always wins."
                    ),
                )
            return redirect("consent:child_consents", pk=child.pk)
    return render(
        request,
        "consent/paper_consent.html",
        {"form": form, "child": child},
    )


# A cohort's consent board ----------------------------------------------------------------------
@require_permission(Perm.CHILDREN_READ)
def cohort_board(request, pk):
    cohort = get_cohort_for_user(request.user, pk, Perm.CHILDREN_READ)
    rows = selectors.consent_board(request.user, cohort)
    show_missing = request.GET.get("show") == "missing"
    missing_rows = [row for row in rows if row.missing]
    recently = timezone.now() - services.REQUEST_AGAIN_AFTER
    with_email = {g.pk for row in missing_rows for g in row.guardians if g.email}
    asked_recently = {
        g.pk
        for row in missing_rows
        if row.last_requested and row.last_requested > recently
        for g in row.guardians
        if g.email
    }
    to_ask = with_email - asked_recently
    no_email = {g.pk for row in missing_rows for g in row.guardians if not g.email}
    # The same rule as the page the button opens (cohort_send_requests_confirm).
    can_manage = get_scope(request.user).can(Perm.CHILDREN_MANAGE, cohort)
    return render(
        request,
        "consent/cohort_board.html",
        {
            "cohort": cohort,
            "rows": missing_rows if show_missing else rows,
            "show_missing": show_missing,
            "total": len(rows),
            "complete": len(rows) - len(missing_rows),
            "missing_participation": sum(1 for r in rows if r.participation.needs_answer),
            "missing_media": sum(1 for r in rows if r.media.needs_answer),
            "without_guardian": sum(1 for r in missing_rows if not r.guardians),
            "to_ask": len(to_ask),
            "asked_recently": len(asked_recently),
            "no_email": len(no_email - with_email),
            "can_manage": can_manage,
        },
    )


@require_permission(Perm.CHILDREN_MANAGE)
def cohort_send_requests_confirm(request, pk):
    """Before any email goes: how many, and to whom. Its button posts to cohort_send_requests."""
    cohort = get_cohort_for_user(request.user, pk, Perm.CHILDREN_MANAGE)
    plan = selectors.consent_request_plan(request.user, cohort)
    return render(request, "consent/send_requests_confirm.html", {"cohort": cohort, "plan": plan})


@require_POST
@require_permission(Perm.CHILDREN_MANAGE)
def cohort_send_requests(request, pk):
    cohort = get_cohort_for_user(request.user, pk, Perm.CHILDREN_MANAGE)
    counts = services.request_consents_for_cohort(
        acting_user=request.user, cohort=cohort, base_url=_base_url(request)
    )
    messages.success(request, _requests_message(counts))
    return redirect("consent:cohort_board", pk=cohort.pk)


def _requests_message(counts: dict) -> str:
    sent, recent, no_email = counts["sent"], counts["asked_recently"], counts["no_email"]
    text = ngettext(
        "%(count)s email asking for consent will be sent now.",
        "%(count)s emails asking for consent will be sent now.",
        sent,
    ) % {"count": sent}
    if recent:
        text += " " + ngettext(
            "%(count)s parent or carer asked in the last 24 hours was not asked again.",
            "%(count)s parents and carers asked in the last 24 hours were not asked again.",
            recent,
        ) % {"count": recent}
    if no_email:
        text += " " + ngettext(
            "%(count)s parent or carer has no email address: ask them on a paper form.",
            "%(count)s parents and carers have no email address: ask them on a paper form.",
            no_email,
        ) % {"count": no_email}
    return text


@require_permission(Perm.CHILDREN_READ)
def media_export(request, pk):
    """A CSV of the children who may appear in photos for one use: first name and initial."""
    cohort = get_cohort_for_user(request.user, pk, Perm.CHILDREN_READ)
    form = MediaExportForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        use = form.cleaned_data["use"]
        allowed = services.export_media_list(acting_user=request.user, cohort=cohort, use=use)
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        name = slugify(f"photo-consent-{cohort.unit.name}-{cohort.name}-{use}")
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        writer = csv.writer(response)
        writer.writerow([_("Name"), _("Photos may be used for")])
        for child in allowed:
            initial = child.last_name[:1].upper()
            writer.writerow([_csv_safe(f"{child.first_name} {initial}."), str(MediaUse(use).label)])
        return response
    return render(request, "consent/media_export.html", {"form": form, "cohort": cohort})


def _csv_safe(value: str) -> str:
    """A spreadsheet must not read a name as a formula."""
    return f"'{value}" if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


# The columns of the outbox's download: what its table shows.
EMAIL_COLUMNS = [
    (gettext_lazy("Queued"), "created_at"),
    (
        gettext_lazy("Guardian"),
        lambda d: d.guardian.name if d.guardian and not d.guardian.anonymised_at else "",
    ),
    (pgettext_lazy("email recipient", "To"), "to_email"),
    (gettext_lazy("Status"), "outbox_status_label"),
    (gettext_lazy("Sent"), "sent_at"),
    (gettext_lazy("Next try"), "next_attempt_at"),
    (gettext_lazy("Email"), "get_kind_display"),
    (gettext_lazy("Cohort"), "cohort.name"),
    (gettext_lazy("Attempts"), "attempts"),
    (gettext_lazy("Last error"), "last_error"),
]


# The outbox ------------------------------------------------------------------------------------
@require_permission(Perm.DATA_PROTECTION)
def email_list(request):
    deliveries = selectors.visible_email_deliveries(request.user)
    status = request.GET.get("status", "")
    if status in EmailDelivery.Status.values:
        deliveries = selectors.with_outbox_status(deliveries, status)
    listing = build_listing(
        request,
        deliveries,
        search_fields=["to_email", "guardian__name"],
        sort_fields={
            "created": (_("Queued"), "created_at"),
            "to": (pgettext("email recipient", "To"), "to_email"),
            "status": (_("Status"), "status"),
        },
        default_sort="-created",
        per_page=50,
    )
    if export := export_listing(
        request,
        listing,
        title="Email outbox",
        # The headings in the language of the page (a spreadsheet wants plain strings).
        columns=[(str(heading), value) for heading, value in EMAIL_COLUMNS],
        audit=record_list_export,
    ):
        return export
    return render(
        request,
        "consent/email_list.html",
        {
            "listing": listing,
            "statuses": EmailDelivery.Status.choices,
            "status": status,
            "extra_headers": [_("Email"), _("Attempts"), _("Last error"), _("Action")],
            "max_attempts": EmailDelivery.MAX_ATTEMPTS,
        },
    )


@require_POST
@require_permission(Perm.DATA_PROTECTION)
def email_retry(request, pk):
    delivery = selectors.get_email_delivery_for_user(request.user, pk)
    try:
        services.retry_email_delivery(acting_user=request.user, delivery=delivery)
    except ValidationError as error:
        messages.warning(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("The email to %(address)s is being sent again.") % {"address": delivery.to_email},
        )
    return redirect("consent:email_list")


# The parent portal -----------------------------------------------------------------------------
def portal_page(view):
    """Portal pages: signed-out visitors are sent to ask for a link; others need OWN_CHILDREN."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect("consent:portal_link_request")
        if not get_scope(request.user).has(Perm.OWN_CHILDREN):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


@portal_page
def portal_home(request):
    children = []
    for child in selectors.portal_children(request.user):
        states = selectors.standing_states(child)
        children.append(
            {
                "child": child,
                "participation": states[ConsentKind.PARTICIPATION],
                "media": states[ConsentKind.MEDIA],
                "answered": not any(state.needs_answer for state in states.values()),
            }
        )
    guardians = list(selectors.portal_guardians(request.user))
    return render(
        request,
        "consent/portal/home.html",
        {
            "children": children,
            "guardian": guardians[0] if guardians else None,
        },
    )


@portal_page
def portal_child(request, pk):
    child = selectors.get_own_child(request.user, pk)
    guardian = selectors.guardian_for_child(request.user, child)
    if guardian is None:  # the parent's record was anonymised during the session
        raise PermissionDenied
    states = selectors.current_consents(child)
    standing = {state.kind: state for state in states if state.kind != ConsentKind.TRIP}
    trips = [state for state in states if state.kind == ConsentKind.TRIP]
    initial = {}
    for name in ("participation", "media"):
        state = standing[name]
        if state.status is not None and not state.needs_answer:
            initial[name] = "yes" if state.is_granted else "no"
    initial["media_uses"] = standing["media"].uses if standing["media"].is_granted else []
    for index, trip in enumerate(trips):
        if trip.status is not None and not trip.needs_answer:
            initial[f"trip_{index}"] = "yes" if trip.is_granted else "no"
    form = PortalConsentForm(
        _posted(request),
        child=child,
        trips=[trip.trip_reference for trip in trips],
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        answers = [
            services.Answer(kind=ConsentKind.PARTICIPATION, agree=data["participation"] == "yes"),
            services.Answer(
                kind=ConsentKind.MEDIA,
                agree=data["media"] == "yes",
                media_uses=tuple(data["media_uses"]),
            ),
        ]
        for index, trip in enumerate(trips):
            if data.get(f"trip_{index}"):
                answers.append(
                    services.Answer(
                        kind=ConsentKind.TRIP,
                        agree=data[f"trip_{index}"] == "yes",
                        trip_reference=trip.trip_reference,
                    )
                )
        try:
            services.answer_consents(
                acting_user=request.user,
                guardian=guardian,
                child=child,
                answers=answers,
                # The address whose link signed this session in; staff accounts that are also
                # a parent's sign in with their own (confirmed) address.
                given_by_email=request.session.get(portal.PORTAL_EMAIL_KEY) or request.user.email,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Thank you. Your answers for %(name)s are saved.") % {"name": child.first_name},
            )
            return redirect("consent:portal_home")
    return render(
        request,
        "consent/portal/child.html",
        {"form": form, "child": child, "standing": standing, "trips": trips},
    )


@portal_page
def portal_details(request):
    guardians = list(selectors.portal_guardians(request.user))
    if not guardians:
        raise PermissionDenied
    first = guardians[0]
    form = ContactDetailsForm(
        _posted(request),
        initial={"name": first.name, "phone": first.phone},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_own_contact_details(
                acting_user=request.user, guardians=guardians, **form.cleaned_data
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Your contact details are saved."))
            return redirect("consent:portal_home")
    return render(request, "consent/portal/details.html", {"form": form, "email": first.email})


LINK_PROBLEMS = {
    "invalid": gettext_lazy("This link does not work"),
    "used": gettext_lazy("This link has already been used"),
    "expired": gettext_lazy("This link has expired"),
}


def link_language(view):
    """Links in the Welsh version of an email end in ?lang=cy (consent.emails): the page opens
    in Welsh whatever the browser asks for, and the choice is kept in the language cookie, as
    the language switch keeps it, for the pages that follow."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        language = request.GET.get("lang", "")
        if language not in dict(settings.LANGUAGES):
            return view(request, *args, **kwargs)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = view(request, *args, **kwargs)
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
        return response

    return wrapped


@never_cache
@link_language
def portal_sign_in(request, token):
    """GET shows a button and does not use the link up (mail scanners open links); the POST
    from that button uses it and signs the parent in, for this browser session only."""
    try:
        link = services.check_portal_token(token)
    except services.PortalLinkError as problem:
        return _link_problem(request, problem.reason)
    if request.method != "POST":
        return render(request, "consent/portal/sign_in.html")
    address = services.portal_link_address(link)
    try:
        user, may_sign_in = services.use_portal_token(raw_token=token)
    except services.PortalLinkError as problem:
        return _link_problem(request, problem.reason)
    if not may_sign_in:
        return render(request, "consent/portal/staff_account.html")
    login(request, user, backend=SIGN_IN_BACKEND)
    now = timezone.now().timestamp()
    request.session[SIGNED_IN_AT] = now
    request.session[LAST_SEEN_AT] = now
    request.session[portal.PORTAL_SESSION_KEY] = True
    request.session[portal.PORTAL_EMAIL_KEY] = address
    request.session.set_expiry(0)  # ends when the browser closes
    return redirect("consent:portal_home")


def _link_problem(request, reason: str, *, confirmation: bool = False):
    return render(
        request,
        "consent/portal/link_problem.html",
        {"title": LINK_PROBLEMS[reason], "reason": reason, "confirmation": confirmation},
    )


@never_cache
@link_language
def portal_confirm_email(request, token):
    """The link emailed to a parent's new address. As for sign-in links, GET only shows a
    button (mail scanners open links); the POST confirms the address."""
    try:
        services.check_email_confirmation(token)
    except services.PortalLinkError as problem:
        return _link_problem(request, problem.reason, confirmation=True)
    if request.method != "POST":
        return render(request, "consent/portal/confirm_email.html")
    try:
        guardian = services.confirm_guardian_email(raw_token=token)
    except services.PortalLinkError as problem:
        return _link_problem(request, problem.reason, confirmation=True)
    return render(request, "consent/portal/email_confirmed.html", {"email": guardian.email})


@never_cache
@link_language
def portal_link_request(request):
    form = LinkRequestForm(_posted(request))
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.request_portal_link(
                email=form.cleaned_data["email"],
                ip=portal.client_ip(request),
                base_url=_base_url(request),
            )
        except ValidationError as error:
            apply_service_errors(form, error)
            status = 429
        else:
            return redirect("consent:portal_link_sent")
    return render(request, "consent/portal/link_request.html", {"form": form}, status=status)


def portal_link_sent(request):
    return render(request, "consent/portal/link_sent.html")


@require_POST
def portal_sign_out(request):
    logout(request)
    return redirect("consent:portal_signed_out")


def portal_signed_out(request):
    return render(request, "consent/portal/signed_out.html")
