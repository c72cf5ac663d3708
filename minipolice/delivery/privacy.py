"""The delivery app's personal data about a child: their register marks, and session notes
that name them.

Marks are counted in attendance figures, so anonymising a child keeps them (the child row is
anonymised by the people app); they only appear in the subject access export. Session notes,
places and cancellation reasons are free text a leader may have written a child's or a
parent's name into: erasure replaces the name, the export lists them.
"""

from minipolice.delivery.models import Session
from minipolice.lib.privacy import Identifiers, Section, mentions, redact_rows, text
from minipolice.people.privacy import (
    child_identifiers,
    guardian_identifiers,
    mention_section,
    words,
)

SESSION_TEXT = ["notes", "cancelled_reason", "place"]
LABELS = {"cancelled_reason": "reason for cancelling"}


def _sessions(identifiers: Identifiers):
    return Session.objects.filter(cohort__unit_id__in=identifiers.unit_ids).order_by("date", "pk")


def _mentions_section(identifiers: Identifiers) -> Section:
    return mention_section(
        "session_notes_mentions",
        "Session notes, places and cancellation reasons that name them",
        (
            (
                f"Session #{session.pk}",
                {
                    "Date": session.date,
                    **{LABELS.get(n, n).capitalize(): getattr(session, n) for n in named},
                },
            )
            for session, named in mentions(_sessions(identifiers), SESSION_TEXT, identifiers)
        ),
    )


def child_sections(child) -> list[Section]:
    marks = child.attendances.select_related("session", "session__cohort__unit").order_by(
        "session__date", "pk"
    )
    return [
        Section(
            "attendance",
            "Register marks",
            [
                {
                    "Date": text(mark.session.date),
                    "Unit": mark.session.cohort.unit.name,
                    "Mark": mark.get_status_display(),
                    "Recorded": text(mark.recorded_at),
                }
                for mark in marks
            ],
        ),
        _mentions_section(child_identifiers(child)),
    ]


def guardian_sections(guardian) -> list[Section]:
    return [_mentions_section(guardian_identifiers(guardian))]


def remove_identifiers(identifiers: Identifiers) -> list[str]:
    return redact_rows(
        _sessions(identifiers),
        SESSION_TEXT,
        identifiers,
        lambda session, named: (
            f"{words(named, LABELS)} of the session on {text(session.date)} (#{session.pk})"
        ),
    )
