"""Forces, areas, schools, units (with their status history) and cohorts.

Each operation reads through organisations.selectors with the token's user and writes through
organisations.services, exactly like the pages.
"""

import datetime
from typing import Annotated, Literal

from django.shortcuts import get_object_or_404
from ninja import Field, FilterLookup, FilterSchema, Query, Router, Schema
from ninja.responses import Status

from minipolice.accounts.permissions import Perm
from minipolice.api.common import (
    WRITE_ERRORS,
    Date,
    Id,
    In,
    IsoDate,
    Latitude,
    Longitude,
    Page,
    PageQuery,
    Search,
    Text,
    coordinate,
    paginate,
    require,
    require_any,
    responses,
)
from minipolice.api.references import resolve
from minipolice.api.selectors import api_forces, units_with_history
from minipolice.organisations import selectors, services

router = Router()

StatusName = Literal["proposed", "trial", "active", "paused", "closed"]


# Forces ------------------------------------------------------------------------------------
class ForceOut(Schema):
    id: int
    name: str
    short_name: str
    welsh_language: bool
    brand_colour: str
    chief_constable_name: str
    pcc_name: str


@router.get("/forces", response=responses({200: Page[ForceOut]}), tags=["forces"])
def list_forces(request, query: Query[PageQuery]):
    require_any(request, Perm.UNIT_READ, Perm.AGGREGATES_READ)
    return paginate(api_forces(request.user), query, "name")


@router.get("/forces/{force_id}", response=responses({200: ForceOut}), tags=["forces"])
def get_force(request, force_id: Id):
    require_any(request, Perm.UNIT_READ, Perm.AGGREGATES_READ)
    return get_object_or_404(api_forces(request.user), pk=force_id)


# Areas -------------------------------------------------------------------------------------
class AreaOut(Schema):
    id: int
    force: int
    name: str
    school_count: int

    @staticmethod
    def resolve_force(obj):
        return obj.force_id


class AreaFilters(FilterSchema):
    force: Annotated[Id | None, FilterLookup("force_id")] = None
    q: Annotated[Search(), FilterLookup("name__icontains")] = Field(
        None, description="Part of the name"
    )


class AreaIn(In):
    force: Id
    name: Text(120, 1)


class AreaPatch(In):
    name: Text(120, 1)


@router.get("/areas", response=responses({200: Page[AreaOut]}), tags=["areas"])
def list_areas(request, page: Query[PageQuery], filters: Query[AreaFilters]):
    require(request, Perm.AREA_READ)
    return paginate(filters.filter(selectors.visible_areas(request.user)), page, "name")


@router.post("/areas", response=responses({201: AreaOut}, WRITE_ERRORS), tags=["areas"])
def create_area(request, payload: AreaIn):
    require(request, Perm.AREA_MANAGE)
    force = resolve(
        selectors.visible_forces(request.user, Perm.AREA_MANAGE), payload.force, "force"
    )
    area = services.create_area(acting_user=request.user, force=force, name=payload.name)
    return Status(201, selectors.get_area_for_user(request.user, area.pk))


@router.get("/areas/{area_id}", response=responses({200: AreaOut}), tags=["areas"])
def get_area(request, area_id: Id):
    require(request, Perm.AREA_READ)
    return selectors.get_area_for_user(request.user, area_id)


@router.patch("/areas/{area_id}", response=responses({200: AreaOut}, WRITE_ERRORS), tags=["areas"])
def update_area(request, area_id: Id, payload: AreaPatch):
    require(request, Perm.AREA_MANAGE)
    area = selectors.get_area_for_user(request.user, area_id, Perm.AREA_MANAGE)
    services.update_area(acting_user=request.user, area=area, name=payload.name)
    return selectors.get_area_for_user(request.user, area.pk)


# Schools -----------------------------------------------------------------------------------
class SchoolOut(Schema):
    id: int
    area: int
    force: int
    name: str
    urn: str
    address: str
    town: str
    postcode: str
    latitude: float | None
    longitude: float | None
    unit_count: int

    @staticmethod
    def resolve_area(obj):
        return obj.area_id

    @staticmethod
    def resolve_force(obj):
        return obj.area.force_id


class SchoolFilters(FilterSchema):
    force: Annotated[Id | None, FilterLookup("area__force_id")] = None
    area: Annotated[Id | None, FilterLookup("area_id")] = None
    urn: Search(6) = None
    q: Annotated[
        Search(), FilterLookup(["name__icontains", "town__icontains", "postcode__icontains"])
    ] = Field(None, description="Part of the name, town or postcode")


class SchoolIn(In):
    area: Id
    name: Text(160, 1)
    urn: Text(6) = Field("", description="The 6-digit Unique Reference Number, if known")
    address: Text(255) = ""
    town: Text(120) = ""
    postcode: Text(8) = ""
    latitude: float | None = Latitude
    longitude: float | None = Longitude


class SchoolPatch(In):
    area: Id | None = None
    name: Text(160, 1) | None = None
    urn: Text(6) | None = None
    address: Text(255) | None = None
    town: Text(120) | None = None
    postcode: Text(8) | None = None
    latitude: float | None = Latitude
    longitude: float | None = Longitude


@router.get("/schools", response=responses({200: Page[SchoolOut]}), tags=["schools"])
def list_schools(request, page: Query[PageQuery], filters: Query[SchoolFilters]):
    require(request, Perm.SCHOOL_READ)
    return paginate(filters.filter(selectors.visible_schools(request.user)), page, "name")


@router.post("/schools", response=responses({201: SchoolOut}, WRITE_ERRORS), tags=["schools"])
def create_school(request, payload: SchoolIn):
    require(request, Perm.SCHOOL_MANAGE)
    data = payload.dict()
    area = resolve(
        selectors.visible_areas(request.user, Perm.SCHOOL_MANAGE), data.pop("area"), "area"
    )
    data["latitude"], data["longitude"] = (
        coordinate(payload.latitude),
        coordinate(payload.longitude),
    )
    school = services.create_school(acting_user=request.user, area=area, **data)
    return Status(201, selectors.get_school_for_user(request.user, school.pk))


@router.get("/schools/{school_id}", response=responses({200: SchoolOut}), tags=["schools"])
def get_school(request, school_id: Id):
    require(request, Perm.SCHOOL_READ)
    return selectors.get_school_for_user(request.user, school_id)


@router.patch(
    "/schools/{school_id}", response=responses({200: SchoolOut}, WRITE_ERRORS), tags=["schools"]
)
def update_school(request, school_id: Id, payload: SchoolPatch):
    """Change the fields given; a field left out keeps its value."""
    require(request, Perm.SCHOOL_MANAGE)
    school = selectors.get_school_for_user(request.user, school_id, Perm.SCHOOL_MANAGE)
    changes = payload.dict(exclude_unset=True)
    for key in ("name", "urn", "address", "town", "postcode", "area"):
        if key in changes and changes[key] is None:
            changes.pop(key)
    if "area" in changes:
        changes["area"] = resolve(
            selectors.visible_areas(request.user, Perm.SCHOOL_MANAGE), changes["area"], "area"
        )
    for key in ("latitude", "longitude"):
        if key in changes:
            changes[key] = coordinate(changes[key])
    services.update_school(acting_user=request.user, school=school, **changes)
    return selectors.get_school_for_user(request.user, school.pk)


# Units -------------------------------------------------------------------------------------
class StatusChangeOut(Schema):
    from_status: str
    to_status: str
    changed_on: datetime.date
    note: str


class UnitOut(Schema):
    id: int
    school: int
    area: int
    force: int
    name: str
    status: StatusName
    status_since: datetime.date
    funding_source: str
    has_leader: bool
    status_history: list[StatusChangeOut]

    @staticmethod
    def resolve_school(obj):
        return obj.school_id

    @staticmethod
    def resolve_area(obj):
        return obj.school.area_id

    @staticmethod
    def resolve_force(obj):
        return obj.school.area.force_id

    @staticmethod
    def resolve_status_history(obj):
        return list(obj.status_changes.all())


class UnitFilters(FilterSchema):
    force: Annotated[Id | None, FilterLookup("school__area__force_id")] = None
    area: Annotated[Id | None, FilterLookup("school__area_id")] = None
    school: Annotated[Id | None, FilterLookup("school_id")] = None
    status: StatusName | None = None
    q: Annotated[Search(), FilterLookup(["name__icontains", "school__name__icontains"])] = Field(
        None, description="Part of the unit's or school's name"
    )


class UnitIn(In):
    school: Id
    name: Text(160, 1)
    status: StatusName = "proposed"
    status_since: Date | None = Field(None, description="Defaults to today")
    funding_source: Text(160) = ""


class UnitPatch(In):
    name: Text(160, 1) | None = None
    funding_source: Text(160) | None = None


class StatusChangeIn(In):
    to_status: StatusName
    changed_on: Date | None = Field(None, description="Defaults to today")
    note: Text(255) = ""


@router.get("/units", response=responses({200: Page[UnitOut]}), tags=["units"])
def list_units(request, page: Query[PageQuery], filters: Query[UnitFilters]):
    require(request, Perm.UNIT_READ)
    return paginate(filters.filter(units_with_history(request.user)), page, "name")


@router.post("/units", response=responses({201: UnitOut}, WRITE_ERRORS), tags=["units"])
def create_unit(request, payload: UnitIn):
    require(request, Perm.UNIT_MANAGE)
    school = resolve(
        selectors.visible_schools(request.user, Perm.UNIT_MANAGE), payload.school, "school"
    )
    unit = services.create_unit(
        acting_user=request.user,
        school=school,
        name=payload.name,
        status=payload.status,
        status_since=payload.status_since,
        funding_source=payload.funding_source,
    )
    return Status(201, units_with_history(request.user).get(pk=unit.pk))


@router.get("/units/{unit_id}", response=responses({200: UnitOut}), tags=["units"])
def get_unit(request, unit_id: Id):
    require(request, Perm.UNIT_READ)
    return get_object_or_404(units_with_history(request.user), pk=unit_id)


@router.patch("/units/{unit_id}", response=responses({200: UnitOut}, WRITE_ERRORS), tags=["units"])
def update_unit(request, unit_id: Id, payload: UnitPatch):
    """Change the name or funding source. The status changes through /units/{id}/status."""
    require(request, Perm.UNIT_MANAGE)
    unit = selectors.get_unit_for_user(request.user, unit_id, Perm.UNIT_MANAGE)
    changes = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None}
    services.update_unit(acting_user=request.user, unit=unit, **changes)
    return units_with_history(request.user).get(pk=unit.pk)


@router.post(
    "/units/{unit_id}/status", response=responses({200: UnitOut}, WRITE_ERRORS), tags=["units"]
)
def change_unit_status(request, unit_id: Id, payload: StatusChangeIn):
    """Move the unit along proposed → trial → active ⇄ paused → closed.

    A change the current status does not allow is a 409 (the request is well formed but
    conflicts with the unit's state), with the reason under `errors.to_status`.
    """
    require(request, Perm.UNIT_MANAGE)
    unit = selectors.get_unit_for_user(request.user, unit_id, Perm.UNIT_MANAGE)
    services.change_unit_status(
        acting_user=request.user,
        unit=unit,
        to_status=payload.to_status,
        changed_on=payload.changed_on,
        note=payload.note,
    )
    return units_with_history(request.user).get(pk=unit.pk)


# Cohorts -----------------------------------------------------------------------------------
class CohortOut(Schema):
    id: int
    unit: int
    name: str
    start_date: datetime.date
    end_date: datetime.date
    children_count: int

    @staticmethod
    def resolve_unit(obj):
        return obj.unit_id


class CohortFilters(FilterSchema):
    force: Annotated[Id | None, FilterLookup("unit__school__area__force_id")] = None
    school: Annotated[Id | None, FilterLookup("unit__school_id")] = None
    unit: Annotated[Id | None, FilterLookup("unit_id")] = None
    running_on: Annotated[
        IsoDate | None,
        FilterLookup(["start_date__lte", "end_date__gte"], expression_connector="AND"),
    ] = Field(None, description="Cohorts running on this date")


class CohortIn(In):
    unit: Id
    name: Text(120, 1)
    start_date: Date
    end_date: Date


class CohortPatch(In):
    name: Text(120, 1) | None = None
    start_date: Date | None = None
    end_date: Date | None = None


@router.get("/cohorts", response=responses({200: Page[CohortOut]}), tags=["cohorts"])
def list_cohorts(request, page: Query[PageQuery], filters: Query[CohortFilters]):
    require(request, Perm.COHORT_READ)
    cohorts = filters.filter(selectors.visible_cohorts(request.user))
    return paginate(cohorts, page, "-start_date", "name")


@router.post("/cohorts", response=responses({201: CohortOut}, WRITE_ERRORS), tags=["cohorts"])
def create_cohort(request, payload: CohortIn):
    require(request, Perm.COHORT_MANAGE)
    unit = resolve(selectors.visible_units(request.user, Perm.COHORT_MANAGE), payload.unit, "unit")
    cohort = services.create_cohort(
        acting_user=request.user,
        unit=unit,
        name=payload.name,
        start_date=payload.start_date,
        end_date=payload.end_date,
    )
    return Status(201, selectors.get_cohort_for_user(request.user, cohort.pk))


@router.get("/cohorts/{cohort_id}", response=responses({200: CohortOut}), tags=["cohorts"])
def get_cohort(request, cohort_id: Id):
    require(request, Perm.COHORT_READ)
    return selectors.get_cohort_for_user(request.user, cohort_id)


@router.patch(
    "/cohorts/{cohort_id}", response=responses({200: CohortOut}, WRITE_ERRORS), tags=["cohorts"]
)
def update_cohort(request, cohort_id: Id, payload: CohortPatch):
    require(request, Perm.COHORT_MANAGE)
    cohort = selectors.get_cohort_for_user(request.user, cohort_id, Perm.COHORT_MANAGE)
    changes = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None}
    services.update_cohort(acting_user=request.user, cohort=cohort, **changes)
    return selectors.get_cohort_for_user(request.user, cohort.pk)
