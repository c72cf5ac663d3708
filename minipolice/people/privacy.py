"""Personal data, app by app: what a subject access export contains and what anonymising
clears.

Every app that holds personal data adds `minipolice/<app>/privacy.py` with any of:

    child_sections(child) -> list[Section]        # for the subject access export
    guardian_sections(guardian) -> list[Section]
    anonymise_child(child) -> None                # clear the app's personal data in place
    anonymise_guardian(guardian) -> None

`hooks(name)` finds them. Anonymising functions run inside the anonymising service's
transaction and must keep rows that aggregates count (attendance, survey answers): overwrite
the personal fields, never delete the row. This module is the people app's own hook.
"""

import importlib
from dataclasses import dataclass

from django.apps import apps
from django.db.models import Q
from django.utils import timezone

from minipolice.audit.models import AuditEntry


@dataclass
class Section:
    """One part of an export: a record (dict) or a list of records, with readable labels."""

    key: str
    title: str
    data: dict | list


def hooks(name: str):
    """The function `name` of every app's privacy module, the people app's first."""
    found = []
    for app in apps.get_app_configs():
        if not app.name.startswith("minipolice."):
            continue
        try:
            module = importlib.import_module(f"{app.name}.privacy")
        except ModuleNotFoundError as error:
            if error.name != f"{app.name}.privacy":
                raise
            continue
        function = getattr(module, name, None)
        if function is not None:
            found.append((app.name != "minipolice.people", app.name, function))
    return [function for _, _, function in sorted(found, key=lambda item: item[:2])]


def text(value) -> str:
    """Values as people read them: dates as 1 September 2026, nothing as an empty string."""
    if value is None:
        return ""
    if hasattr(value, "tzinfo") and hasattr(value, "hour"):
        return f"{timezone.localtime(value):%-d %B %Y %H:%M}"
    if hasattr(value, "year"):
        return f"{value:%-d %B %Y}"
    return str(value)


def audit_section(filters: Q) -> Section:
    entries = AuditEntry.objects.filter(filters).order_by("at", "id")
    return Section(
        "audit_log",
        "Audit log: changes to and exports of these records",
        [
            {
                "When": text(entry.at),
                "Who": entry.actor_label,
                "Action": entry.get_action_display(),
                "Record": f"{entry.object_type} {entry.object_label}",
                "Fields changed": ", ".join(sorted(entry.fields)),
            }
            for entry in entries
        ],
    )


def child_sections(child) -> list[Section]:
    from minipolice.consent.models import Consent

    enrolments = child.enrolments.select_related(
        "cohort", "cohort__unit", "cohort__unit__school"
    ).order_by("joined", "pk")
    links = child.guardianships.select_related("guardian").order_by("guardian__name")
    consent_ids = [
        str(pk) for pk in Consent.objects.filter(child=child).values_list("pk", flat=True)
    ]
    return [
        Section(
            "child",
            "Child",
            {
                "Record number": str(child.pk),
                "First name": child.first_name,
                "Last name": child.last_name,
                "Year group": child.get_year_group_display(),
                "Notes for leaders": child.leader_notes,
                "Police force": child.force.name,
            },
        ),
        Section(
            "cohorts",
            "Mini Police groups (cohorts)",
            [
                {
                    "Cohort": e.cohort.name,
                    "Unit": e.cohort.unit.name,
                    "School": e.cohort.unit.school.name,
                    "Cohort runs": f"{text(e.cohort.start_date)} to {text(e.cohort.end_date)}",
                    "Joined": text(e.joined),
                    "Left": text(e.left),
                }
                for e in enrolments
            ],
        ),
        Section(
            "guardians",
            "Parents and carers",
            [
                {
                    "Name": link.guardian.name,
                    "Relationship": link.get_relationship_display(),
                    "Email": link.guardian.email,
                    "Phone": link.guardian.phone,
                }
                for link in links
            ],
        ),
        audit_section(
            Q(object_type="child", object_id=str(child.pk))
            | Q(object_type="enrolment", object_id__in=[str(e.pk) for e in enrolments])
            | Q(object_type="guardianship", object_id__in=[str(link.pk) for link in links])
            | Q(object_type="consent", object_id__in=consent_ids)
        ),
    ]


def guardian_sections(guardian) -> list[Section]:
    links = guardian.guardianships.select_related("child").order_by("child__first_name")
    return [
        Section(
            "guardian",
            "Parent or carer",
            {
                "Record number": str(guardian.pk),
                "Name": guardian.name,
                "Email": guardian.email,
                "Phone": guardian.phone,
                "Police force": guardian.force.name,
                "Signs in to the parent portal as": guardian.user.email if guardian.user else "",
            },
        ),
        Section(
            "children",
            "Children",
            [
                {
                    "Name": link.child.full_name,
                    "Relationship": link.get_relationship_display(),
                }
                for link in links
            ],
        ),
        audit_section(
            Q(object_type="guardian", object_id=str(guardian.pk))
            | Q(object_type="guardianship", object_id__in=[str(link.pk) for link in links])
        ),
    ]
