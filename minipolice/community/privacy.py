"""The community app's personal data about a child: the actions they took part in.

Participation counts towards reach totals, so anonymising a child keeps it; it appears in the
subject access export.
"""

from minipolice.people.privacy import Section, text


def child_sections(child) -> list[Section]:
    taking_part = child.participations.select_related("action", "action__unit").order_by(
        "action__date", "pk"
    )
    return [
        Section(
            "community_actions",
            "Community actions",
            [
                {
                    "Date": text(part.action.date),
                    "Unit": part.action.unit.name,
                    "Action": part.action.get_kind_display(),
                    "Place": part.action.place,
                }
                for part in taking_part
            ],
        )
    ]
