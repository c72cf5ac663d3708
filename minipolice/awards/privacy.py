"""The awards app's personal data about a child: their awards and the certificates printed.

Anonymising a child keeps the award rows (counts of awards survive, as aggregates must) but
clears what identifies the child: the names printed on each certificate, the award's citation,
and every combined PDF of a bulk issue that included them (it is dropped, not kept). Their
verification codes then answer only "this certificate was issued". A citation may also name
another child or a parent: erasure redacts the name there.
"""

from django.utils import timezone

from minipolice.awards.models import Award, BulkIssue, Certificate
from minipolice.lib.privacy import Identifiers, Section, mentions, redact_rows, text
from minipolice.people.privacy import child_identifiers, guardian_identifiers, mention_section


def _citations(identifiers: Identifiers):
    return Award.objects.filter(cohort__unit_id__in=identifiers.unit_ids).order_by("pk")


def _mentions_section(identifiers: Identifiers) -> Section:
    return mention_section(
        "award_citation_mentions",
        "Award citations that name them",
        (
            (f"Award #{award.pk}", {"Date": award.awarded_on, "Citation": award.citation})
            for award, _ in mentions(_citations(identifiers), ["citation"], identifiers)
        ),
    )


def child_sections(child) -> list[Section]:
    certificates = Certificate.objects.filter(award__child=child).select_related("award")
    return [
        Section(
            "awards",
            "Awards and certificates",
            [
                {
                    "Award": certificate.award.title,
                    "Citation": certificate.award.citation,
                    "Date": text(certificate.award.awarded_on),
                    "Certificate code": certificate.display_code,
                    "Certificate status": certificate.get_status_display(),
                    "Name printed": f"{certificate.first_name} {certificate.last_name}".strip(),
                    "Unit": certificate.unit_name,
                    "School": certificate.school_name,
                    "Issued": text(certificate.issued_at),
                }
                for certificate in certificates.order_by("issued_at", "pk")
            ],
        ),
        _mentions_section(child_identifiers(child)),
    ]


def guardian_sections(guardian) -> list[Section]:
    return [_mentions_section(guardian_identifiers(guardian))]


def anonymise_child(child) -> None:
    certificates = Certificate.objects.filter(award__child=child)
    BulkIssue.objects.filter(certificates__in=certificates).update(pdf=None)
    certificates.update(first_name="", last_name="", anonymised_at=timezone.now())
    Award.objects.filter(child=child).update(citation="")


def remove_identifiers(identifiers: Identifiers) -> list[str]:
    return redact_rows(
        _citations(identifiers),
        ["citation"],
        identifiers,
        lambda award, _: f"citation of award #{award.pk} on {text(award.awarded_on)}",
    )
