"""The community app's personal data about a child: the actions they took part in, and
actions whose description names them.

Participation counts towards reach totals, so anonymising a child keeps it; it appears in the
subject access export. An action's place, partners and outcome are free text that may name a
child or a parent: erasure replaces the name, the export lists them.
"""

from minipolice.community.models import CommunityAction
from minipolice.lib.privacy import Identifiers, Section, mentions, redact_rows, text
from minipolice.people.privacy import (
    child_identifiers,
    guardian_identifiers,
    mention_section,
    words,
)

ACTION_TEXT = ["place", "partners", "outcome"]


def _actions(identifiers: Identifiers):
    return CommunityAction.objects.filter(unit_id__in=identifiers.unit_ids).order_by("date", "pk")


def _mentions_section(identifiers: Identifiers) -> Section:
    return mention_section(
        "community_action_mentions",
        "Community actions whose place, partners or outcome name them",
        (
            (
                f"Community action #{action.pk}",
                {
                    "Date": action.date,
                    **{name.capitalize(): getattr(action, name) for name in named},
                },
            )
            for action, named in mentions(_actions(identifiers), ACTION_TEXT, identifiers)
        ),
    )


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
        ),
        _mentions_section(child_identifiers(child)),
    ]


def guardian_sections(guardian) -> list[Section]:
    return [_mentions_section(guardian_identifiers(guardian))]


def remove_identifiers(identifiers: Identifiers) -> list[str]:
    return redact_rows(
        _actions(identifiers),
        ACTION_TEXT,
        identifiers,
        lambda action, named: (
            f"{words(named, {})} of the community action on {text(action.date)} (#{action.pk})"
        ),
    )
