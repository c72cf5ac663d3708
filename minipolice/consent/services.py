"""Writes for consent: every decision is a new, audited row; history is never changed."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from minipolice.audit.services import record_audit
from minipolice.consent.models import Consent, ConsentKind, ConsentMethod, MediaUse


@transaction.atomic
def record_consent(
    *,
    acting_user,
    child,
    kind: str,
    status: str,
    method: str,
    given_by=None,
    given_by_name: str = "",
    given_at: datetime.datetime | None = None,
    expires: datetime.date | None = None,
    media_uses: list[str] | tuple[str, ...] = (),
    trip_reference: str = "",
    note: str = "",
) -> Consent:
    if kind == ConsentKind.MEDIA and status == "granted" and not media_uses:
        raise ValidationError(
            {"media_uses": "Choose at least one use of photos, or record a refusal."}
        )
    unknown = set(media_uses) - set(MediaUse.values)
    if unknown:
        raise ValidationError({"media_uses": f"Unknown uses: {', '.join(sorted(unknown))}"})
    if kind != ConsentKind.MEDIA and media_uses:
        raise ValidationError({"media_uses": "Only consent for photos has uses."})
    if given_by is not None and given_by.force_id != child.force_id:
        raise ValidationError("The guardian and child belong to different forces.")
    if given_by is not None and not given_by.guardianships.filter(child=child).exists():
        raise ValidationError({"given_by": "Only a guardian of this child can give consent."})
    if method == ConsentMethod.PORTAL and given_by is None:
        raise ValidationError({"given_by": "Consent through the portal comes from a guardian."})
    consent = Consent(
        child=child,
        kind=kind,
        status=status,
        method=method,
        given_by=given_by,
        given_by_name=given_by_name or (given_by.name if given_by else ""),
        recorded_by=acting_user if getattr(acting_user, "is_authenticated", False) else None,
        given_at=given_at or timezone.now(),
        expires=expires,
        media_uses=sorted(media_uses),
        trip_reference=trip_reference,
        note=note,
    )
    consent.full_clean()
    consent.save()
    record_audit(
        acting_user=acting_user,
        action="create",
        obj=consent,
        force=child.force,
        label=f"{consent.get_kind_display()} consent for {child}",
        fields={
            "kind": kind,
            "status": status,
            "method": method,
            "uses": sorted(media_uses),
            "trip": trip_reference,
        },
    )
    return consent
