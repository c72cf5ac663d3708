"""Scoped reads of awards and certificates. Views and the API use only these.

An award is seen through its cohort's unit (force, area, school or unit, by role) and only
while its child is one the user may see (people.selectors.visible_children): a leader or
teacher loses a child's awards with the child's record, and nobody lists the awards of an
anonymised child by name. Funders and national viewers get counts (award_totals), never rows.
"""

from django.db.models import Count, Prefetch, Q
from django.http import Http404

from minipolice.accounts.permissions import Perm
from minipolice.accounts.scoping import get_scope, scope_q
from minipolice.awards.models import Award, BulkIssue, Certificate, CertificateStatus
from minipolice.events.models import Event, EventStatus
from minipolice.lib.disclosure import rounded_children
from minipolice.people.selectors import visible_children


def _get_or_404(queryset, pk):
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def _cohort_scope(user, perm: Perm, prefix: str = "cohort__") -> Q:
    return scope_q(
        user,
        perm,
        force=f"{prefix}unit__school__area__force_id",
        area=f"{prefix}unit__school__area_id",
        school=f"{prefix}unit__school_id",
        unit=f"{prefix}unit_id",
    )


def visible_awards(user, perm: Perm = Perm.AWARDS_READ):
    """Awards with their child, cohort, unit, school and current certificate, for list pages."""
    valid = Certificate.objects.filter(status=CertificateStatus.VALID)
    return (
        Award.objects.filter(_cohort_scope(user, perm))
        .filter(child__in=visible_children(user))
        .select_related("child", "cohort", "cohort__unit", "cohort__unit__school")
        .prefetch_related(Prefetch("certificates", queryset=valid, to_attr="valid_certificates"))
    )


def get_award_for_user(user, pk, perm: Perm = Perm.AWARDS_READ) -> Award:
    return _get_or_404(
        visible_awards(user, perm).select_related("cohort__unit__school__area__force"), pk
    )


def award_certificates(award: Award):
    """Every certificate printed for `award`, newest first."""
    return award.certificates.select_related("issued_by", "revoked_by", "replaced_by")


def get_certificate_for_user(user, award: Award, pk, perm: Perm = Perm.AWARDS_READ):
    return _get_or_404(
        Certificate.objects.filter(award=award).select_related(
            "award", "award__cohort__unit__school__area__force"
        ),
        pk,
    )


def event_scope(user, perm: Perm = Perm.AWARDS_MANAGE, prefix: str = "") -> Q:
    """Events whose certificates `user` may issue: a force's events for its coordinator; an
    area's celebration day and its units' reward visits for the area lead (never the whole
    force's celebration day, which has children of other areas)."""
    return scope_q(user, perm, force=f"{prefix}force_id", area=f"{prefix}area_id") | scope_q(
        user, perm, area=f"{prefix}unit__school__area_id"
    )


def issuable_events(user):
    """Events (not cancelled) for which `user` may bulk-issue completion certificates."""
    return (
        Event.objects.filter(event_scope(user))
        .exclude(status=EventStatus.CANCELLED)
        .select_related("force")
    )


def get_issuable_event(user, pk):
    return _get_or_404(issuable_events(user), pk)


def visible_bulk_issues(user, perm: Perm = Perm.AWARDS_MANAGE):
    return BulkIssue.objects.filter(
        _cohort_scope(user, perm) | event_scope(user, perm, "event__")
    ).select_related("cohort", "cohort__unit", "cohort__unit__school", "event")


def get_bulk_issue_for_user(user, pk, perm: Perm = Perm.AWARDS_MANAGE) -> BulkIssue:
    return _get_or_404(visible_bulk_issues(user, perm).defer("pdf"), pk)


def bulk_issue_pdf(job: BulkIssue) -> bytes | None:
    """The job's combined PDF, read only when asked for (the job's row is read without it)."""
    content = BulkIssue.objects.filter(pk=job.pk).values_list("pdf", flat=True).first()
    return bytes(content) if content else None


def bulk_issue_certificates(job: BulkIssue):
    """The certificates a finished job printed, as the per-child downloads list them."""
    return job.certificates.select_related("award").order_by("last_name", "first_name", "pk")


def guardian_awards(user):
    """A parent's own children's awards with a valid certificate (the portal's list)."""
    scope = get_scope(user)
    guardian_ids = sorted(scope.ids(Perm.OWN_CHILDREN, "guardian"))
    valid = Certificate.objects.filter(status=CertificateStatus.VALID)
    return (
        Award.objects.filter(
            child__guardianships__guardian_id__in=guardian_ids,
            child__anonymised_at__isnull=True,
            certificates__status=CertificateStatus.VALID,
        )
        .select_related("child", "cohort__unit__school__area__force")
        .prefetch_related(Prefetch("certificates", queryset=valid, to_attr="valid_certificates"))
        .distinct()
        .order_by("-awarded_on", "-pk")
    )


def get_guardian_award(user, pk) -> Award:
    return _get_or_404(guardian_awards(user), pk)


def award_totals(user) -> list[dict]:
    """Awards by force and title, counted in SQL: the figures aggregate-only roles see.

    Each award is one child's, so counts are rounded as counts of children (lib.disclosure).
    """
    scope = get_scope(user)
    awards = Award.objects.all()
    if not scope.is_national:
        awards = awards.filter(
            cohort__unit__school__area__force_id__in=sorted(scope.ids(Perm.AWARDS_TOTALS, "force"))
            or sorted(scope.force_ids)
        )
    rows = (
        awards.values("cohort__unit__school__area__force__name", "kind", "title")
        .annotate(awards=Count("pk"), children=Count("child", distinct=True))
        .order_by("cohort__unit__school__area__force__name", "kind", "title")
    )
    return [
        {
            "force": row["cohort__unit__school__area__force__name"],
            "kind": row["kind"],
            "title": row["title"],
            "awards": rounded_children(row["awards"]),
            "children": rounded_children(row["children"]),
        }
        for row in rows
    ]


def certificate_by_code(code: str) -> Certificate | None:
    """The certificate a verification code names, for the public page (no scoping: the code
    is the key, and the page shows only what the certificate itself shows)."""
    return (
        Certificate.objects.filter(code=code)
        .select_related("award", "award__child")
        .only(
            "code",
            "status",
            "first_name",
            "last_name",
            "unit_name",
            "anonymised_at",
            "award__title",
            "award__awarded_on",
            "award__child__anonymised_at",
        )
        .first()
    )
