"""The delivery app's personal data about a child: their register marks.

Marks are counted in attendance figures, so anonymising a child keeps them (the child row is
anonymised by the people app); they only appear in the subject access export.
"""

from minipolice.people.privacy import Section, text


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
        )
    ]
