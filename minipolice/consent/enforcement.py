"""The one place that says whether consent allows something. Every feature asks here.

Registers ask `attendance_decisions`, photos and stories ask `media_decisions`, exports for
media use ask `media_decisions`, and event places will ask `trip_decisions`. Each takes many
children and answers in one query, so a register of 30 costs the same as a register of 1.
"""

import datetime
from dataclasses import dataclass

from django.db.models import JSONField, OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from minipolice.consent.models import Consent, ConsentKind, ConsentStatus, MediaUse
from minipolice.people.models import Child


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str = ""

    def __bool__(self):
        return self.allowed


ALLOWED = Decision(True)


def erased() -> Decision:
    """An anonymised child (retention or erasure) takes part in nothing new, whatever was
    consented. (A function, so the reason is in the language of the page asking.)"""
    return Decision(False, _("This child's personal data has been erased"))


def with_latest_consent(
    children: QuerySet, kind: str, trip_reference: str = "", prefix: str = "consent"
) -> QuerySet:
    """Annotate each child with its latest consent of `kind`: status, expiry, media uses, date.

    The annotations are `<prefix>_status`, `<prefix>_expires`, `<prefix>_uses` and
    `<prefix>_given_at`; pass a prefix per kind to annotate several kinds at once.
    """
    latest = Consent.objects.filter(
        child=OuterRef("pk"), kind=kind, trip_reference=trip_reference
    ).order_by("-given_at", "-id")
    return children.annotate(
        **{
            f"{prefix}_status": Subquery(latest.values("status")[:1]),
            f"{prefix}_expires": Subquery(latest.values("expires")[:1]),
            f"{prefix}_uses": Subquery(latest.values("media_uses")[:1], output_field=JSONField()),
            f"{prefix}_given_at": Subquery(latest.values("given_at")[:1]),
        }
    )


def needs_answer(status, expires, today=None) -> bool:
    """Nobody has answered, or the answer has expired: the guardians should be asked."""
    today = today or timezone.localdate()
    return status is None or (
        status == ConsentStatus.GRANTED and expires is not None and expires < today
    )


def decide(
    kind: str, status, expires, given_at, uses=None, use: str | None = None, today=None
) -> Decision:
    """The rule itself, on plain values: granted, not expired and (for media) covering the use."""
    today = today or timezone.localdate()
    label = ConsentKind(kind).label.lower()
    if status is None:
        return Decision(False, _("No consent recorded for %(kind)s") % {"kind": label})
    if status == ConsentStatus.REFUSED:
        return Decision(False, _("Consent for %(kind)s was refused") % {"kind": label})
    if status == ConsentStatus.WITHDRAWN:
        if given_at:
            on = date_format(timezone.localtime(given_at), "j F Y")
            reason = _("Consent for %(kind)s was withdrawn on %(date)s")
            return Decision(False, reason % {"kind": label, "date": on})
        return Decision(False, _("Consent for %(kind)s was withdrawn") % {"kind": label})
    if expires is not None and expires < today:
        on = date_format(expires, "j F Y")
        return Decision(
            False, _("Consent for %(kind)s expired on %(date)s") % {"kind": label, "date": on}
        )
    if use is not None and use not in (uses or []):
        reason = _("Consent for photos does not cover %(use)s")
        return Decision(False, reason % {"use": MediaUse(use).label.lower()})
    return ALLOWED


def _decisions(children, kind, trip_reference="", use=None, today=None) -> dict[int, Decision]:
    if not isinstance(children, QuerySet):
        children = Child.objects.filter(pk__in=[getattr(c, "pk", c) for c in children])
    rows = with_latest_consent(children.order_by(), kind, trip_reference).values_list(
        "pk",
        "consent_status",
        "consent_expires",
        "consent_uses",
        "consent_given_at",
        "anonymised_at",
    )
    return {
        pk: erased()
        if anonymised_at is not None
        else decide(kind, status, expires, given_at, uses=uses, use=use, today=today)
        for pk, status, expires, uses, given_at, anonymised_at in rows
    }


def attendance_decisions(children, today: datetime.date | None = None) -> dict[int, Decision]:
    """May each child be marked present? Needs in-date participation consent."""
    return _decisions(children, ConsentKind.PARTICIPATION, today=today)


def may_attend(child, today=None) -> Decision:
    return attendance_decisions([child], today).get(child.pk, Decision(False, _("Unknown child")))


def media_decisions(children, use: str, today=None) -> dict[int, Decision]:
    """May each child appear in a photo or story used for `use` (a MediaUse)?"""
    return _decisions(children, ConsentKind.MEDIA, use=use, today=today)


def may_use_media(child, use: str, today=None) -> Decision:
    return media_decisions([child], use, today).get(child.pk, Decision(False, _("Unknown child")))


def trip_decisions(children, trip_reference: str, today=None) -> dict[int, Decision]:
    """May each child be given a place on the trip `trip_reference` (e.g. "event:12")?"""
    return _decisions(children, ConsentKind.TRIP, trip_reference=trip_reference, today=today)


def may_go_on_trip(child, trip_reference: str, today=None) -> Decision:
    return trip_decisions([child], trip_reference, today).get(
        child.pk, Decision(False, _("Unknown child"))
    )
