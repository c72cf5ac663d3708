"""Scoped reads for consent: a child's consents, a cohort's board, the portal, the outbox.

Whether consent *allows* something is decided in enforcement.py alone; this module only reads
and describes the records for pages.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import OuterRef, Prefetch, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from minipolice.accounts.permissions import Perm
from minipolice.accounts.scoping import get_scope, scope_q
from minipolice.consent import enforcement
from minipolice.consent.models import (
    Consent,
    ConsentKind,
    ConsentRequest,
    ConsentStatus,
    EmailDelivery,
    MediaUse,
)
from minipolice.lib.access import get_or_404
from minipolice.people.models import Child, Enrolment, Guardian, Guardianship
from minipolice.people.selectors import visible_children

# The consents every child needs; trips are asked per outing.
STANDING_KINDS = (ConsentKind.PARTICIPATION, ConsentKind.MEDIA)
PREFIX = {ConsentKind.PARTICIPATION: "participation", ConsentKind.MEDIA: "media"}

TAGS = {
    "granted": "govuk-tag--green",
    "refused": "govuk-tag--red",
    "withdrawn": "govuk-tag--orange",
    "expired": "govuk-tag--yellow",
    "missing": "govuk-tag--grey",
}


@dataclass
class ConsentState:
    """The standing answer for one kind of consent (and trip) of one child, for display."""

    kind: str
    status: str | None
    expires: datetime.date | None = None
    uses: list[str] = field(default_factory=list)
    given_at: datetime.datetime | None = None
    trip_reference: str = ""
    today: datetime.date | None = None

    @property
    def label(self) -> str:
        if self.kind == ConsentKind.TRIP:
            return _("Trip or outing: %(trip)s") % {"trip": self.trip_reference}
        return str(ConsentKind(self.kind).label)

    @property
    def expired(self) -> bool:
        today = self.today or timezone.localdate()
        return self.expires is not None and self.expires < today

    @property
    def state(self) -> str:
        if self.status is None:
            return "missing"
        if self.status == ConsentStatus.GRANTED and self.expired:
            return "expired"
        return self.status

    @property
    def state_label(self) -> str:
        if self.state == "missing":
            return _("Not answered")
        if self.state == "expired":
            return _("Expired")
        return str(ConsentStatus(self.status).label) if self.status else ""

    @property
    def tag_class(self) -> str:
        return TAGS[self.state]

    @property
    def needs_answer(self) -> bool:
        return enforcement.needs_answer(self.status, self.expires, self.today)

    @property
    def is_granted(self) -> bool:
        return self.state == ConsentStatus.GRANTED

    @property
    def use_labels(self) -> list[str]:
        return [str(MediaUse(use).label) for use in MediaUse.values if use in (self.uses or [])]


def with_standing_consents(children):
    """Annotate children with their latest participation and media consents (two subqueries)."""
    for kind in STANDING_KINDS:
        children = enforcement.with_latest_consent(children, kind, prefix=PREFIX[kind])
    return children


def standing_states(child, today=None) -> dict[str, ConsentState]:
    """The ConsentStates of a child annotated by `with_standing_consents`."""
    return {
        kind: ConsentState(
            kind=kind,
            status=getattr(child, f"{PREFIX[kind]}_status"),
            expires=getattr(child, f"{PREFIX[kind]}_expires"),
            uses=getattr(child, f"{PREFIX[kind]}_uses") or [],
            given_at=getattr(child, f"{PREFIX[kind]}_given_at"),
            today=today,
        )
        for kind in STANDING_KINDS
    }


# A child's consents ----------------------------------------------------------------------------
def consent_history(child):
    return child.consents.select_related("given_by", "recorded_by").order_by("-given_at", "-id")


def latest_consent(child, kind: str, trip_reference: str = "") -> Consent | None:
    """The answer that stands for this kind (and trip): the latest given."""
    return child.consents.filter(kind=kind, trip_reference=trip_reference).first()


def trip_references(child) -> list[str]:
    """The trips this child has answers for, as they were recorded."""
    return list(
        child.consents.filter(kind=ConsentKind.TRIP)
        .order_by("trip_reference")
        .values_list("trip_reference", flat=True)
        .distinct()
    )


def current_consents(child, today=None) -> list[ConsentState]:
    """Participation, media, then every trip asked about: each with its latest answer."""
    latest: dict[tuple[str, str], Consent] = {}
    # child_id too: the related manager reads it on every row it returns (without it, one
    # query per answer in the child's history: #15).
    for consent in child.consents.order_by("-given_at", "-id").only(
        "child_id", "kind", "trip_reference", "status", "expires", "media_uses", "given_at"
    ):
        latest.setdefault((consent.kind, consent.trip_reference), consent)
    keys = [(kind.value, "") for kind in STANDING_KINDS]
    keys += sorted(key for key in latest if key[0] == ConsentKind.TRIP)
    states = []
    for kind, trip in keys:
        consent = latest.get((kind, trip))
        states.append(
            ConsentState(
                kind=kind,
                trip_reference=trip,
                status=consent.status if consent else None,
                expires=consent.expires if consent else None,
                uses=consent.media_uses if consent else [],
                given_at=consent.given_at if consent else None,
                today=today,
            )
        )
    return states


# A cohort's consent board ----------------------------------------------------------------------
@dataclass
class BoardRow:
    child: object
    states: dict[str, ConsentState]
    guardians: list
    last_requested: datetime.datetime | None

    @property
    def participation(self) -> ConsentState:
        return self.states[ConsentKind.PARTICIPATION]

    @property
    def media(self) -> ConsentState:
        return self.states[ConsentKind.MEDIA]

    @property
    def missing(self) -> list[str]:
        return [state.label for state in self.states.values() if state.needs_answer]


def cohort_children(user, cohort, perm: Perm = Perm.CHILDREN_READ):
    """The children in `cohort` now (not those who left) whom `user` may see."""
    in_cohort = Enrolment.objects.filter(cohort=cohort, left__isnull=True).values("child_id")
    return visible_children(user, perm).filter(pk__in=in_cohort)


def consent_board(user, cohort, *, perm_manage: bool = False, today=None) -> list[BoardRow]:
    """Every child in the cohort with their standing consents, guardians and the last time
    their guardians were asked: three queries whatever the size of the cohort."""
    perm = Perm.CHILDREN_MANAGE if perm_manage else Perm.CHILDREN_READ
    last_request = ConsentRequest.objects.filter(
        cohort=cohort, guardian__guardianships__child=OuterRef("pk")
    ).order_by("-requested_at")
    links = Guardianship.objects.filter(guardian__anonymised_at__isnull=True).select_related(
        "guardian"
    )
    children = (
        with_standing_consents(cohort_children(user, cohort, perm))
        .annotate(last_requested=Subquery(last_request.values("requested_at")[:1]))
        .prefetch_related(Prefetch("guardianships", queryset=links, to_attr="active_links"))
        .order_by("last_name", "first_name", "pk")
    )
    return [
        BoardRow(
            child=child,
            states=standing_states(child, today),
            guardians=[link.guardian for link in child.active_links],
            last_requested=child.last_requested,
        )
        for child in children
    ]


# Guardians asked about a cohort this recently are not asked again.
REQUEST_AGAIN_AFTER = datetime.timedelta(hours=24)


@dataclass
class RequestPlan:
    """Who one press of "Email the parents" emails, and who it leaves out: each guardian with
    the children of the cohort they have not answered for, ordered by the guardian's name."""

    to_ask: list[tuple[Guardian, list[Child]]]
    asked_recently: list[tuple[Guardian, list[Child]]]
    no_email: list[tuple[Guardian, list[Child]]]


def consent_request_plan(user, cohort, *, now=None) -> RequestPlan:
    """The guardians of children in `cohort` missing an answer (taking part or photos): those
    with an email address not asked about this cohort in the last REQUEST_AGAIN_AFTER are to be
    asked. Four queries whatever the size of the cohort."""
    now = now or timezone.now()
    with_email: dict[int, tuple[Guardian, list[Child]]] = {}
    without_email: dict[int, tuple[Guardian, list[Child]]] = {}
    for row in consent_board(user, cohort, perm_manage=True):
        if not row.missing:
            continue
        for guardian in row.guardians:
            families = with_email if guardian.email else without_email
            families.setdefault(guardian.pk, (guardian, []))[1].append(row.child)
    recently = set(
        ConsentRequest.objects.filter(
            cohort=cohort,
            guardian_id__in=list(with_email),
            requested_at__gt=now - REQUEST_AGAIN_AFTER,
        ).values_list("guardian_id", flat=True)
    )

    def by_name(families):
        return sorted(families, key=lambda family: (family[0].name.casefold(), family[0].pk))

    return RequestPlan(
        to_ask=by_name(f for pk, f in with_email.items() if pk not in recently),
        asked_recently=by_name(f for pk, f in with_email.items() if pk in recently),
        no_email=by_name(without_email.values()),
    )


def media_export(user, cohort, use: str, today=None):
    """The children of the cohort who may appear in photos for `use`, as enforcement decides,
    and how many may not."""
    children = list(cohort_children(user, cohort).order_by("first_name", "last_name", "pk"))
    decisions = enforcement.media_decisions([child.pk for child in children], use=use, today=today)
    allowed = [child for child in children if decisions.get(child.pk)]
    return allowed, len(children) - len(allowed)


# The parent portal -----------------------------------------------------------------------------
def portal_guardians(user):
    """The guardian records the signed-in parent or carer speaks for."""
    ids = get_scope(user).ids(Perm.OWN_CHILDREN, "guardian")
    return Guardian.objects.filter(pk__in=sorted(ids), anonymised_at__isnull=True).order_by("pk")


def portal_children(user):
    """The parent's own children with their standing consents and their cohorts' dates."""
    enrolments = Enrolment.objects.filter(left__isnull=True).select_related(
        "cohort", "cohort__unit", "cohort__unit__school"
    )
    return (
        with_standing_consents(visible_children(user, Perm.OWN_CHILDREN))
        .prefetch_related(Prefetch("enrolments", queryset=enrolments, to_attr="current_enrolments"))
        .order_by("first_name", "last_name", "pk")
    )


def get_own_child(user, pk):
    """One of the parent's own children, or 404 (also for anyone else's child)."""
    return get_or_404(visible_children(user, Perm.OWN_CHILDREN), pk)


def guardian_for_child(user, child):
    """Which of the parent's guardian records is linked to `child`."""
    return portal_guardians(user).filter(guardianships__child=child).first()


# The outbox ------------------------------------------------------------------------------------
def visible_email_deliveries(user):
    return EmailDelivery.objects.filter(
        scope_q(user, Perm.DATA_PROTECTION, force="force_id")
    ).select_related("guardian", "cohort")


def with_outbox_status(deliveries, status: str):
    """Filter by the status the outbox shows: "sending" past the timeout counts as interrupted."""
    stale = Q(
        status=EmailDelivery.Status.SENDING,
        claimed_at__lt=timezone.now() - EmailDelivery.SENDING_TIMEOUT,
    )
    if status == EmailDelivery.Status.INTERRUPTED:
        return deliveries.filter(Q(status=status) | stale)
    if status == EmailDelivery.Status.SENDING:
        return deliveries.filter(status=status).exclude(stale)
    return deliveries.filter(status=status)


def get_email_delivery_for_user(user, pk) -> EmailDelivery:
    return get_or_404(visible_email_deliveries(user), pk)


def visible_consents(user, perm: Perm = Perm.CHILDREN_READ):
    """Every consent record (the whole history) of the children the user may see."""
    return Consent.objects.filter(child__in=visible_children(user, perm))
