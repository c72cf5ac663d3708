"""Children, guardians and enrolments, read through people.selectors and written through
people.services. Notes for leaders are shown only to those who may read them (else null)."""

import datetime
from typing import Annotated, Literal

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404
from ninja import Field, FilterLookup, FilterSchema, Query, Router, Schema
from ninja.responses import Status
from pydantic import BeforeValidator, model_validator

from minipolice.accounts.permissions import Perm
from minipolice.api.common import (
    WRITE_ERRORS,
    Date,
    Id,
    In,
    Name,
    Page,
    PageQuery,
    Phone,
    Search,
    Text,
    paginate,
    require,
    responses,
)
from minipolice.api.references import resolve
from minipolice.organisations.selectors import visible_cohorts
from minipolice.people import selectors, services

router = Router()

YearGroup = Literal[5, 6]
# In a query string the year group is text: "6" means 6 (a Literal of numbers refuses "6").
YearGroupParam = Annotated[
    YearGroup, BeforeValidator(lambda v: int(v) if isinstance(v, str) and v.isdigit() else v)
]
Relationship = Literal["parent", "carer", "grandparent", "other"]


# Children ----------------------------------------------------------------------------------
class ChildOut(Schema):
    id: int
    force: int
    first_name: str
    last_name: str
    year_group: YearGroup
    leader_notes: str | None = Field(
        description="Notes for leaders; null when your role may not read them"
    )
    current_cohorts: list[int]

    @staticmethod
    def resolve_force(obj):
        return obj.force_id

    @staticmethod
    def resolve_leader_notes(obj, context):
        visible = getattr(context["request"], "notes_visible", set())
        return obj.leader_notes if obj.pk in visible else None

    @staticmethod
    def resolve_current_cohorts(obj):
        return [enrolment.cohort_id for enrolment in obj.current_enrolments]


class ChildFilters(FilterSchema):
    cohort: Id | None = None
    unit: Id | None = None
    year_group: YearGroupParam | None = None
    q: Annotated[Search(), FilterLookup(["first_name__icontains", "last_name__icontains"])] = Field(
        None, description="Part of the first or last name"
    )

    # Children in the cohort (or the unit) now: each of these two is its own condition, so a
    # child in a cohort of another unit as well still matches both.
    def filter_cohort(self, value) -> Q:
        return Q(pk__in=selectors.current_members(cohort_id=value)) if value else Q()

    def filter_unit(self, value) -> Q:
        return Q(pk__in=selectors.current_members(cohort__unit_id=value)) if value else Q()


class ChildIn(In):
    cohort: Id
    first_name: Name(60)
    last_name: Name(60)
    year_group: YearGroup
    leader_notes: Text(2000) = ""
    joined: Date | None = Field(None, description="Defaults to today, within the cohort")


class ChildPatch(In):
    first_name: Name(60) | None = None
    last_name: Name(60) | None = None
    year_group: YearGroup | None = None
    leader_notes: Text(2000) | None = None


def _notes_visible(request, children) -> None:
    """Which of `children` the user may read leaders' notes for, in one query, for the schema."""
    ids = [child.pk for child in children]
    request.notes_visible = set(
        selectors.visible_children(request.user, Perm.CHILD_NOTES)
        .filter(pk__in=ids)
        .values_list("pk", flat=True)
    )


def _child(request, pk):
    child = get_object_or_404(selectors.children_list(request.user), pk=pk)
    _notes_visible(request, [child])
    return child


def _refuse_notes(may_write_notes: bool, leader_notes) -> None:
    if leader_notes and not may_write_notes:
        raise ValidationError(
            {"leader_notes": "Your role may not read or write notes for leaders."}
        )


@router.get("/children", response=responses({200: Page[ChildOut]}), tags=["children"])
def list_children(request, page: Query[PageQuery], filters: Query[ChildFilters]):
    require(request, Perm.CHILDREN_READ)
    children = filters.filter(selectors.children_list(request.user))
    answer = paginate(children, page, "last_name", "first_name")
    _notes_visible(request, answer["items"])
    return answer


@router.post("/children", response=responses({201: ChildOut}, WRITE_ERRORS), tags=["children"])
def create_child(request, payload: ChildIn):
    """Add a new child to a cohort (the child record and its enrolment, in one step)."""
    require(request, Perm.CHILDREN_MANAGE)
    cohort = resolve(visible_cohorts(request.user, Perm.CHILDREN_MANAGE), payload.cohort, "cohort")
    may_write_notes = visible_cohorts(request.user, Perm.CHILD_NOTES).filter(pk=cohort.pk).exists()
    _refuse_notes(may_write_notes, payload.leader_notes)
    child = services.add_child_to_cohort(
        acting_user=request.user,
        cohort=cohort,
        first_name=payload.first_name,
        last_name=payload.last_name,
        year_group=payload.year_group,
        leader_notes=payload.leader_notes,
        joined=payload.joined,
    )
    return Status(201, _child(request, child.pk))


@router.get("/children/{child_id}", response=responses({200: ChildOut}), tags=["children"])
def get_child(request, child_id: Id):
    require(request, Perm.CHILDREN_READ)
    return _child(request, child_id)


@router.patch(
    "/children/{child_id}", response=responses({200: ChildOut}, WRITE_ERRORS), tags=["children"]
)
def update_child(request, child_id: Id, payload: ChildPatch):
    require(request, Perm.CHILDREN_MANAGE)
    child = selectors.get_child_for_user(request.user, child_id, Perm.CHILDREN_MANAGE)
    changes = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None}
    if "leader_notes" in changes:
        may = selectors.visible_children(request.user, Perm.CHILD_NOTES).filter(pk=child.pk)
        _refuse_notes(may.exists(), True)
    services.update_child(acting_user=request.user, child=child, **changes)
    return _child(request, child.pk)


# Guardians ---------------------------------------------------------------------------------
class GuardianLinkOut(Schema):
    child: int
    relationship: Relationship

    @staticmethod
    def resolve_child(obj):
        return obj.child_id


class GuardianOut(Schema):
    id: int
    force: int
    name: str
    email: str
    pending_email: str = Field(
        description="A new address waiting to be confirmed from a link emailed to it; until "
        "then sign-in links go to `email`"
    )
    phone: str
    children: list[GuardianLinkOut]

    @staticmethod
    def resolve_force(obj):
        return obj.force_id

    @staticmethod
    def resolve_children(obj):
        return obj.visible_links


class GuardianFilters(FilterSchema):
    child: Annotated[Id | None, FilterLookup("guardianships__child_id")] = None
    q: Annotated[Search(), FilterLookup(["name__icontains", "email__icontains"])] = Field(
        None, description="Part of the name or email address"
    )


class GuardianIn(In):
    child: Id = Field(description="The child this guardian looks after")
    relationship: Relationship = "parent"
    name: Name(120)
    email: Text(254) = ""
    phone: Phone = ""

    @model_validator(mode="after")
    def reachable(self):
        if not self.email.strip() and not self.phone.strip():
            raise ValueError("Give an email address or a phone number, so we can ask for consent.")
        return self


class GuardianPatch(In):
    name: Name(120) | None = None
    email: Text(254) | None = None
    phone: Phone | None = None


class GuardianLinkIn(In):
    child: Id
    relationship: Relationship = "parent"


def _guardian(request, pk):
    return get_object_or_404(selectors.guardians_list(request.user), pk=pk)


@router.get("/guardians", response=responses({200: Page[GuardianOut]}), tags=["guardians"])
def list_guardians(request, page: Query[PageQuery], filters: Query[GuardianFilters]):
    require(request, Perm.CHILDREN_READ)
    return paginate(filters.filter(selectors.guardians_list(request.user)), page, "name")


@router.post("/guardians", response=responses({201: GuardianOut}, WRITE_ERRORS), tags=["guardians"])
def create_guardian(request, payload: GuardianIn):
    """Add a guardian of a child: the guardian and the link to the child, together."""
    require(request, Perm.CHILDREN_MANAGE)
    child = resolve(
        selectors.visible_children(request.user, Perm.CHILDREN_MANAGE), payload.child, "child"
    )
    guardian = services.create_and_link_guardian(
        acting_user=request.user,
        child=child,
        name=payload.name,
        email=payload.email,
        phone=payload.phone,
        relationship=payload.relationship,
    )
    return Status(201, _guardian(request, guardian.pk))


@router.get("/guardians/{guardian_id}", response=responses({200: GuardianOut}), tags=["guardians"])
def get_guardian(request, guardian_id: Id):
    require(request, Perm.CHILDREN_READ)
    return _guardian(request, guardian_id)


@router.patch(
    "/guardians/{guardian_id}",
    response=responses({200: GuardianOut}, WRITE_ERRORS),
    tags=["guardians"],
)
def update_guardian(request, guardian_id: Id, payload: GuardianPatch):
    require(request, Perm.CHILDREN_MANAGE)
    guardian = selectors.get_guardian_for_user(request.user, guardian_id, Perm.CHILDREN_MANAGE)
    changes = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None}
    # A change of email address by someone who cannot see all of the parent's children is
    # refused with code "forbidden": a 403 (minipolice/api/errors.py).
    services.update_guardian(
        acting_user=request.user,
        guardian=guardian,
        base_url=request.build_absolute_uri("/"),
        **changes,
    )
    return _guardian(request, guardian.pk)


@router.post(
    "/guardians/{guardian_id}/children",
    response=responses({200: GuardianOut}, WRITE_ERRORS),
    tags=["guardians"],
)
def link_guardian(request, guardian_id: Id, payload: GuardianLinkIn):
    """Record that this guardian also looks after another child (a brother or sister)."""
    require(request, Perm.CHILDREN_MANAGE)
    guardian = selectors.get_guardian_for_user(request.user, guardian_id, Perm.CHILDREN_MANAGE)
    child = resolve(
        selectors.visible_children(request.user, Perm.CHILDREN_MANAGE), payload.child, "child"
    )
    services.link_guardian(
        acting_user=request.user, child=child, guardian=guardian, relationship=payload.relationship
    )
    return _guardian(request, guardian.pk)


# Enrolments --------------------------------------------------------------------------------
class EnrolmentOut(Schema):
    id: int
    child: int
    cohort: int
    joined: datetime.date
    left: datetime.date | None

    @staticmethod
    def resolve_child(obj):
        return obj.child_id

    @staticmethod
    def resolve_cohort(obj):
        return obj.cohort_id


class EnrolmentFilters(FilterSchema):
    child: Annotated[Id | None, FilterLookup("child_id")] = None
    cohort: Annotated[Id | None, FilterLookup("cohort_id")] = None
    current: Annotated[bool | None, FilterLookup("left__isnull")] = Field(
        None, description="true: only children still in the cohort"
    )


class EnrolmentIn(In):
    child: Id
    cohort: Id
    joined: Date | None = Field(None, description="Defaults to today, within the cohort")


class LeaveIn(In):
    left: Date | None = Field(None, description="Defaults to today")


@router.get("/enrolments", response=responses({200: Page[EnrolmentOut]}), tags=["enrolments"])
def list_enrolments(request, page: Query[PageQuery], filters: Query[EnrolmentFilters]):
    require(request, Perm.CHILDREN_READ)
    return paginate(filters.filter(selectors.visible_enrolments(request.user)), page, "joined")


@router.post(
    "/enrolments", response=responses({201: EnrolmentOut}, WRITE_ERRORS), tags=["enrolments"]
)
def create_enrolment(request, payload: EnrolmentIn):
    """Enrol a child already known in another cohort (for example their Year 6 cohort)."""
    require(request, Perm.CHILDREN_MANAGE)
    child = resolve(
        selectors.visible_children(request.user, Perm.CHILDREN_MANAGE), payload.child, "child"
    )
    cohort = resolve(visible_cohorts(request.user, Perm.CHILDREN_MANAGE), payload.cohort, "cohort")
    enrolment = services.enrol_child(
        acting_user=request.user, child=child, cohort=cohort, joined=payload.joined
    )
    return Status(201, enrolment)


@router.get(
    "/enrolments/{enrolment_id}", response=responses({200: EnrolmentOut}), tags=["enrolments"]
)
def get_enrolment(request, enrolment_id: Id):
    require(request, Perm.CHILDREN_READ)
    return get_object_or_404(selectors.visible_enrolments(request.user), pk=enrolment_id)


@router.post(
    "/enrolments/{enrolment_id}/leave",
    response=responses({200: EnrolmentOut}, WRITE_ERRORS),
    tags=["enrolments"],
)
def leave_cohort(request, enrolment_id: Id, payload: LeaveIn):
    """Record that the child left the cohort. Leaving twice is a 400."""
    require(request, Perm.CHILDREN_MANAGE)
    enrolment = get_object_or_404(
        selectors.visible_enrolments(request.user, Perm.CHILDREN_MANAGE).select_related(
            "child__force", "cohort"
        ),
        pk=enrolment_id,
    )
    return services.leave_cohort(acting_user=request.user, enrolment=enrolment, left=payload.left)
