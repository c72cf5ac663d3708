"""Pages of the awards app: thin views over awards.selectors and awards.services."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from minipolice.accounts.permissions import Perm
from minipolice.audit.services import record_audit, record_list_export
from minipolice.awards import selectors, services
from minipolice.awards.forms import (
    SPECIAL_TITLES,
    CertificateSettingsForm,
    RevokeForm,
    SpecialAwardForm,
    VerifyForm,
)
from minipolice.awards.models import AwardKind, CertificateStatus, normalise_code
from minipolice.consent.portal import client_ip
from minipolice.consent.views import portal_page
from minipolice.lib.access import require_permission
from minipolice.lib.disclosure import CAPTION
from minipolice.lib.exports import ExportTable, export_response, wants_export
from minipolice.lib.forms import apply_service_errors
from minipolice.lib.listing import build_listing, export_listing
from minipolice.organisations.selectors import get_cohort_for_user, visible_cohorts, visible_forces
from minipolice.people.selectors import visible_children


def _base_url(request) -> str:
    return request.build_absolute_uri("/")


def _pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


# The columns of the award list's download: what its table shows.
AWARD_COLUMNS = [
    (_lazy("Date"), "awarded_on"),
    (_lazy("Child"), "child.full_name"),
    (_lazy("Award"), "title"),
    (_lazy("Unit"), "cohort.unit.name"),
    (
        _lazy("Certificate"),
        lambda award: (
            ", ".join(c.display_code for c in award.valid_certificates) or _("None valid")
        ),
    ),
]


# Lists -----------------------------------------------------------------------------------------
@require_permission(Perm.AWARDS_READ)
def award_list(request):
    awards = selectors.visible_awards(request.user)
    kind = request.GET.get("kind", "")
    if kind in AwardKind.values:
        awards = awards.filter(kind=kind)
    listing = build_listing(
        request,
        awards,
        search_fields=["child__first_name", "child__last_name", "title", "cohort__unit__name"],
        sort_fields={
            "date": (_("Date"), "awarded_on"),
            "child": (_("Child"), ("child__last_name", "child__first_name")),
            "award": (_("Award"), "title"),
            "unit": (_("Unit"), "cohort__unit__name"),
        },
        default_sort="-date",
    )
    if export := export_listing(
        request,
        listing,
        title=_("Awards"),
        columns=AWARD_COLUMNS,
        audit=record_list_export,
    ):
        return export
    return render(
        request,
        "awards/award_list.html",
        {
            "listing": listing,
            "kinds": AwardKind.choices,
            "kind": kind,
            "extra_headers": [_("Certificate")],
        },
    )


@require_permission(Perm.AWARDS_TOTALS)
def award_totals(request):
    rows = selectors.award_totals(request.user)
    if fmt := wants_export(request):
        table = ExportTable(
            _("Award totals"),
            [_("Force"), _("Award"), _("Awards"), _("Children")],
            [[r["force"], r["title"], _shown(r["awards"]), _shown(r["children"])] for r in rows],
        )
        return export_response(filename="award-totals", fmt=fmt, tables=[table])
    return render(
        request,
        "awards/totals.html",
        {"rows": rows, "caption": CAPTION, "querystring": request.GET.urlencode()},
    )


def _shown(count):
    return _("fewer than 5") if count is None else count


@require_permission(Perm.AWARDS_READ)
def cohort_awards(request, pk):
    """The cohort's children with their attendance against the threshold and their awards."""
    cohort = get_cohort_for_user(request.user, pk, Perm.AWARDS_READ)
    force = cohort.unit.school.area.force
    threshold = services.threshold_of(force)
    rows = list(services.completion_standing(cohort))
    awards = {}
    for award in selectors.visible_awards(request.user).filter(cohort=cohort):
        awards.setdefault(award.child_id, []).append(award)
    visible = set(
        visible_children(request.user)
        .filter(pk__in=[r.pk for r in rows])
        .values_list("pk", flat=True)
    )
    children = []
    reached = 0
    for child in rows:
        if child.pk not in visible:
            continue
        percent = child.present * 100 // child.held if child.held else None
        made_it = child.held and child.present * 100 >= child.held * threshold
        reached += bool(made_it)
        children.append(
            {
                "child": child,
                "percent": percent,
                "reached": made_it,
                "awards": awards.get(child.pk, []),
            }
        )
    manages = _manages_cohort(request.user, cohort)
    jobs = selectors.visible_bulk_issues(request.user).filter(cohort=cohort).defer("pdf")[:5]
    return render(
        request,
        "awards/cohort_awards.html",
        {
            "cohort": cohort,
            "threshold": threshold,
            "children": children,
            "reached": reached,
            "held": rows[0].held if rows else 0,
            "can_issue": manages,
            "can_give": _gives_in_cohort(request.user, cohort),
            "jobs": list(jobs) if manages else [],
        },
    )


def _manages_cohort(user, cohort) -> bool:
    return visible_cohorts(user, Perm.AWARDS_MANAGE).filter(pk=cohort.pk).exists()


def _gives_in_cohort(user, cohort) -> bool:
    return visible_cohorts(user, Perm.AWARDS_GIVE).filter(pk=cohort.pk).exists()


# Bulk issue ------------------------------------------------------------------------------------
@require_permission(Perm.AWARDS_MANAGE)
def bulk_issue_start(request, pk):
    """GET: how many certificates would be issued. POST: queue the job and show its progress."""
    cohort = get_cohort_for_user(request.user, pk, Perm.AWARDS_MANAGE)
    if request.method == "POST":
        job = services.start_bulk_issue(
            acting_user=request.user, cohort=cohort, base_url=_base_url(request)
        )
        return redirect(job)
    threshold = services.threshold_of(cohort.unit.school.area.force)
    eligible = services.eligible_for_completion(cohort, threshold)
    already = selectors.visible_awards(request.user).filter(
        cohort=cohort, kind=AwardKind.COMPLETION, certificates__status=CertificateStatus.VALID
    )
    return render(
        request,
        "awards/bulk_issue_confirm.html",
        {
            "cohort": cohort,
            "threshold": threshold,
            "eligible": eligible.count(),
            "already": already.count(),
        },
    )


@require_permission(Perm.AWARDS_MANAGE)
def event_bulk_issue_start(request, pk):
    """For an event: GET counts the children checked in who reached the threshold in their
    cohort; POST queues the job and shows its progress (the same page as a cohort's)."""
    event = selectors.get_issuable_event(request.user, pk)
    if request.method == "POST":
        job = services.start_event_bulk_issue(
            acting_user=request.user, event=event, base_url=_base_url(request)
        )
        return redirect(job)
    threshold = services.threshold_of(event.force)
    pairs = services.event_completion_pairs(event, threshold)
    already = selectors.visible_awards(request.user).filter(
        kind=AwardKind.COMPLETION,
        certificates__status=CertificateStatus.VALID,
        child_id__in=[child.pk for child, _ in pairs],
    )
    wanted = {(child.pk, cohort.pk) for child, cohort in pairs}
    return render(
        request,
        "awards/event_bulk_issue_confirm.html",
        {
            "event": event,
            "threshold": threshold,
            "eligible": len(pairs),
            "already": sum(
                1 for pair in already.values_list("child_id", "cohort_id") if pair in wanted
            ),
        },
    )


@require_permission(Perm.AWARDS_MANAGE)
@require_GET
def bulk_issue_progress(request, pk):
    """How far a bulk issue has got; the fragment alone for htmx's polling."""
    job = selectors.get_bulk_issue_for_user(request.user, pk)
    certificates = (
        list(selectors.bulk_issue_certificates(job)) if job.status == job.Status.DONE else []
    )
    context = {
        "job": job,
        "cohort": job.cohort,
        "event": job.event,
        "certificates": certificates,
        "has_pdf": job.status == job.Status.DONE and selectors.bulk_issue_pdf(job) is not None,
    }
    if request.headers.get("HX-Request") == "true":
        return render(request, "awards/partials/bulk_issue_progress.html", context)
    return render(request, "awards/bulk_issue_progress.html", context)


@require_permission(Perm.AWARDS_MANAGE)
@require_GET
def bulk_issue_pdf(request, pk):
    """The job's combined, print-ready PDF (one page per child). Its download is audited."""
    job = selectors.get_bulk_issue_for_user(request.user, pk)
    content = selectors.bulk_issue_pdf(job)
    if job.status != job.Status.DONE or content is None:
        raise Http404
    record_audit(
        acting_user=request.user,
        action="export",
        obj=job,
        force=job.force,
        label=f"Completion certificates of bulk issue #{job.pk}",
        fields={
            "cohort_id": job.cohort_id,
            "event_id": job.event_id,
            "certificates": job.certificates.count(),
        },
    )
    source = f"event-{job.event_id}" if job.event_id else str(job.cohort_id)
    return _pdf_response(bytes(content), f"certificates-{source}-{job.pk}.pdf")


# One award -------------------------------------------------------------------------------------
@require_permission(Perm.AWARDS_GIVE)
def special_award_create(request, pk):
    cohort = get_cohort_for_user(request.user, pk, Perm.AWARDS_GIVE)
    children = list(
        visible_children(request.user)
        .filter(enrolments__cohort=cohort, enrolments__left__isnull=True)
        .order_by("last_name", "first_name")
    )
    form = SpecialAwardForm(request.POST or None, children=children)
    if request.method == "POST" and form.is_valid():
        child = next(c for c in children if c.pk == form.cleaned_data["child"])
        try:
            award = services.give_special_award(
                acting_user=request.user,
                child=child,
                cohort=cohort,
                title=form.cleaned_data["title"],
                citation=form.cleaned_data["citation"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, f"{award.title} given to {child.full_name}.")
            return redirect(award)
    return render(
        request,
        "awards/special_award_form.html",
        {"cohort": cohort, "form": form, "titles": SPECIAL_TITLES},
    )


@require_permission(Perm.AWARDS_READ)
def award_detail(request, pk):
    award = selectors.get_award_for_user(request.user, pk)
    return render(
        request,
        "awards/award_detail.html",
        {
            "award": award,
            "certificates": list(selectors.award_certificates(award)),
            "can_manage": selectors.visible_awards(request.user, Perm.AWARDS_MANAGE)
            .filter(pk=award.pk)
            .exists(),
        },
    )


def _valid_certificate(award):
    certificate = next(iter(award.valid_certificates), None)
    if certificate is None:
        raise Http404
    certificate.award = award
    return certificate


def _certificate_download(request, award, certificate):
    record_audit(
        acting_user=request.user,
        action="export",
        obj=certificate,
        force=award.cohort.unit.school.area.force,
        label=f"Certificate #{certificate.pk}",
        fields={"award_id": award.pk, "child_id": award.child_id},
    )
    content = services.render_certificates(
        [certificate], _base_url(request), title=f"Certificate {certificate.display_code}"
    )
    return _pdf_response(content, f"certificate-{certificate.code}.pdf")


@require_permission(Perm.AWARDS_READ)
@require_GET
def certificate_pdf(request, pk):
    """The award's valid certificate as a PDF (one child): drawn now, audited."""
    award = selectors.get_award_for_user(request.user, pk)
    return _certificate_download(request, award, _valid_certificate(award))


@require_permission(Perm.AWARDS_MANAGE)
@require_POST
def certificate_reissue(request, pk):
    award = selectors.get_award_for_user(request.user, pk, Perm.AWARDS_MANAGE)
    try:
        certificate = services.reissue_certificate(acting_user=request.user, award=award)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Certificate issued again with code %(code)s.") % {"code": certificate.display_code},
        )
    return redirect(award)


@require_permission(Perm.AWARDS_MANAGE)
def certificate_revoke(request, pk):
    award = selectors.get_award_for_user(request.user, pk, Perm.AWARDS_MANAGE)
    certificate = _valid_certificate(award)
    form = RevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.revoke_certificate(
                acting_user=request.user,
                certificate=certificate,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request, _("Certificate %(code)s revoked.") % {"code": certificate.display_code}
            )
            return redirect(award)
    return render(
        request,
        "awards/revoke.html",
        {"award": award, "certificate": certificate, "form": form},
    )


# Settings --------------------------------------------------------------------------------------
@require_permission(Perm.AWARDS_SETTINGS)
def certificate_settings(request):
    force = visible_forces(request.user, Perm.AWARDS_SETTINGS).order_by("pk").first()
    if force is None:
        raise PermissionDenied
    initial = {
        "chief_constable_name": force.chief_constable_name,
        "brand_colour": force.brand_colour,
        "completion_threshold": services.threshold_of(force),
        "event_children_per_adult": force.event_children_per_adult,
    }
    form = CertificateSettingsForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_certificate_settings(
                acting_user=request.user,
                force=force,
                chief_constable_name=data["chief_constable_name"],
                brand_colour=data["brand_colour"],
                completion_threshold=data["completion_threshold"],
                signature=data["signature"],
                remove_signature=data["remove_signature"],
                event_children_per_adult=data["event_children_per_adult"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Certificate and event settings saved."))
            return redirect("awards:certificate_settings")
    return render(request, "awards/settings.html", {"force": force, "form": form})


# The public verification page ------------------------------------------------------------------
@never_cache
def verify_lookup(request):
    """A form to type a code in; it leads to the code's own page."""
    form = VerifyForm(request.GET or None)
    if request.GET and form.is_valid():
        code = normalise_code(form.cleaned_data["code"])
        if code:
            return redirect("awards:verify", code=code)
        form.add_error("code", _("Enter the code printed on the certificate"))
    return render(request, "awards/verify_lookup.html", {"form": form})


def verify_short(request, code):
    return redirect("awards:verify", code=normalise_code(code) or code)


@never_cache
def verify(request, code):
    """What a QR code leads to: whether the certificate is real, with as little as needed."""
    if services.record_verification_lookup(ip=client_ip(request)):
        return render(request, "awards/verify_limited.html", status=429)
    wanted = normalise_code(code)
    certificate = selectors.certificate_by_code(wanted)
    if certificate is not None and wanted != code:
        return redirect("awards:verify", code=wanted)
    state = "unknown"
    if certificate is not None:
        anonymised = certificate.anonymised_at or certificate.award.child.anonymised_at
        state = "issued_only" if anonymised else certificate.status
    return render(
        request,
        "awards/verify.html",
        {"certificate": certificate, "state": state, "code": code},
        status=404 if state == "unknown" else 200,
    )


# The parent portal -----------------------------------------------------------------------------
@portal_page
def portal_certificates(request):
    return render(
        request,
        "awards/portal_certificates.html",
        {"awards": list(selectors.guardian_awards(request.user))},
    )


@portal_page
@require_GET
def portal_certificate_pdf(request, pk):
    award = selectors.get_guardian_award(request.user, pk)
    return _certificate_download(request, award, _valid_certificate(award))
