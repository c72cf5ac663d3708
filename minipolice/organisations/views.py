from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from minipolice.accounts.permissions import Perm
from minipolice.accounts.scoping import get_scope
from minipolice.lib.access import require_permission
from minipolice.lib.forms import apply_service_errors
from minipolice.lib.listing import build_listing, export_listing
from minipolice.organisations import selectors, services
from minipolice.organisations.forms import (
    AreaForm,
    AssignLeaderForm,
    CohortForm,
    SchoolForm,
    UnitForm,
    UnitStatusForm,
)
from minipolice.organisations.models import UnitStatus
from minipolice.people.selectors import cohort_enrolments

# The columns of each list's download: what its table shows. Headings are in the reader's
# language; a list's title (the file name) stays in English.
SCHOOL_COLUMNS = [
    (gettext_lazy("Name"), "name"),
    (gettext_lazy("URN"), "urn"),
    (gettext_lazy("Area"), "area.name"),
    (gettext_lazy("Town"), "town"),
    (gettext_lazy("Units"), "unit_count"),
]
UNIT_COLUMNS = [
    (gettext_lazy("Unit"), "name"),
    (gettext_lazy("Status"), "get_status_display"),
    (gettext_lazy("Since"), "status_since"),
    (gettext_lazy("School"), "school.name"),
    (gettext_lazy("Area"), "school.area.name"),
    (gettext_lazy("Has a leader"), "has_leader"),
]
COHORT_COLUMNS = [
    (gettext_lazy("Cohort"), "name"),
    (gettext_lazy("Unit"), "unit.name"),
    (gettext_lazy("School"), "unit.school.name"),
    (gettext_lazy("Starts"), "start_date"),
    (gettext_lazy("Ends"), "end_date"),
    (gettext_lazy("Children"), "children_count"),
]


# Areas ---------------------------------------------------------------------------------------
@require_permission(Perm.AREA_READ)
def area_list(request):
    listing = build_listing(
        request,
        selectors.visible_areas(request.user),
        search_fields=["name"],
        sort_fields={"name": (_("Name"), "name"), "schools": (_("Schools"), "school_count")},
        default_sort="name",
    )
    if export := export_listing(
        request,
        listing,
        title="Areas",
        columns=[(_("Name"), "name"), (_("Schools"), "school_count")],
    ):
        return export
    can_add = get_scope(request.user).has(Perm.AREA_MANAGE)
    return render(request, "organisations/area_list.html", {"listing": listing, "can_add": can_add})


@require_permission(Perm.AREA_MANAGE)
def area_create(request):
    force = selectors.visible_forces(request.user, Perm.AREA_MANAGE).first()
    form = AreaForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            area = services.create_area(
                acting_user=request.user, force=force, name=form.cleaned_data["name"]
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("%(name)s added.") % {"name": area.name})
            return redirect("organisations:area_detail", pk=area.pk)
    return render(
        request,
        "organisations/form.html",
        {"form": form, "title": _("Add an area"), "cancel_url": "organisations:area_list"},
    )


@require_permission(Perm.AREA_READ)
def area_detail(request, pk):
    area = selectors.get_area_for_user(request.user, pk)
    schools = selectors.visible_schools(request.user).filter(area=area).order_by("name")
    can_manage = get_scope(request.user).can(Perm.AREA_MANAGE, area)
    return render(
        request,
        "organisations/area_detail.html",
        {"area": area, "schools": schools, "can_manage": can_manage},
    )


@require_permission(Perm.AREA_MANAGE)
def area_edit(request, pk):
    area = selectors.get_area_for_user(request.user, pk, Perm.AREA_MANAGE)
    form = AreaForm(request.POST or None, instance=area)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_area(
                acting_user=request.user, area=area, name=form.cleaned_data["name"]
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Area saved."))
            return redirect("organisations:area_detail", pk=area.pk)
    return render(
        request,
        "organisations/form.html",
        {
            "form": form,
            "title": _("Change %(name)s") % {"name": area.name},
            "cancel_url": "organisations:area_list",
        },
    )


# Schools -------------------------------------------------------------------------------------
@require_permission(Perm.SCHOOL_READ)
def school_list(request):
    listing = build_listing(
        request,
        selectors.visible_schools(request.user),
        search_fields=["name", "urn", "town", "postcode", "area__name"],
        sort_fields={
            "name": (_("Name"), "name"),
            "urn": (_("URN"), "urn"),
            "area": (_("Area"), "area__name"),
            "town": (_("Town"), "town"),
            "units": (_("Units"), "unit_count"),
        },
        default_sort="name",
    )
    if export := export_listing(request, listing, title="Schools", columns=SCHOOL_COLUMNS):
        return export
    can_add = selectors.visible_areas(request.user, Perm.SCHOOL_MANAGE).exists()
    return render(
        request, "organisations/school_list.html", {"listing": listing, "can_add": can_add}
    )


@require_permission(Perm.SCHOOL_MANAGE)
def school_create(request):
    form = SchoolForm(
        request.POST or None, areas=selectors.visible_areas(request.user, Perm.SCHOOL_MANAGE)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            school = services.create_school(acting_user=request.user, **data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("%(name)s added.") % {"name": school.name})
            return redirect("organisations:school_detail", pk=school.pk)
    return render(
        request,
        "organisations/form.html",
        {"form": form, "title": _("Add a school"), "cancel_url": "organisations:school_list"},
    )


@require_permission(Perm.SCHOOL_READ)
def school_detail(request, pk):
    school = selectors.get_school_for_user(request.user, pk)
    units = selectors.visible_units(request.user).filter(school=school)
    can_manage = get_scope(request.user).can(Perm.SCHOOL_MANAGE, school)
    return render(
        request,
        "organisations/school_detail.html",
        {"school": school, "units": units, "can_manage": can_manage},
    )


@require_permission(Perm.SCHOOL_MANAGE)
def school_edit(request, pk):
    school = selectors.get_school_for_user(request.user, pk, Perm.SCHOOL_MANAGE)
    form = SchoolForm(
        request.POST or None,
        instance=school,
        areas=selectors.visible_areas(request.user, Perm.SCHOOL_MANAGE),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_school(acting_user=request.user, school=school, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("School saved."))
            return redirect("organisations:school_detail", pk=school.pk)
    return render(
        request,
        "organisations/form.html",
        {
            "form": form,
            "title": _("Change %(name)s") % {"name": school.name},
            "cancel_url": "organisations:school_list",
        },
    )


# Units ---------------------------------------------------------------------------------------
@require_permission(Perm.UNIT_READ)
def unit_list(request):
    units = selectors.visible_units(request.user)
    status = request.GET.get("status", "")
    if status in UnitStatus.values:
        units = units.filter(status=status)
    listing = build_listing(
        request,
        units,
        search_fields=["name", "school__name", "school__area__name"],
        sort_fields={
            # Status first after the name: on a phone it is what a reader looks for.
            "name": (_("Unit"), "name"),
            "status": (_("Status"), "status"),
            "since": (_("Since"), "status_since"),
            "school": (_("School"), "school__name"),
            "area": (_("Area"), "school__area__name"),
        },
        default_sort="name",
    )
    if export := export_listing(request, listing, title="Units", columns=UNIT_COLUMNS):
        return export
    can_add = selectors.visible_schools(request.user, Perm.UNIT_MANAGE).exists()
    return render(
        request,
        "organisations/unit_list.html",
        {"listing": listing, "can_add": can_add, "statuses": UnitStatus.choices, "status": status},
    )


@require_permission(Perm.UNIT_MANAGE)
def unit_create(request):
    schools = selectors.visible_schools(request.user, Perm.UNIT_MANAGE)
    initial = {"school": request.GET.get("school")} if request.GET.get("school") else None
    form = UnitForm(request.POST or None, schools=schools, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            unit = services.create_unit(acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("%(name)s added as a proposed unit.") % {"name": unit.name})
            return redirect("organisations:unit_detail", pk=unit.pk)
    return render(
        request,
        "organisations/form.html",
        {"form": form, "title": _("Add a unit"), "cancel_url": "organisations:unit_list"},
    )


@require_permission(Perm.UNIT_READ)
def unit_detail(request, pk):
    unit = selectors.get_unit_for_user(request.user, pk)
    scope = get_scope(request.user)
    context = {
        "unit": unit,
        "history": unit.status_changes.select_related("changed_by"),
        "leaders": selectors.unit_leaders(unit),
        "cohorts": selectors.visible_cohorts(request.user).filter(unit=unit),
        "can_manage": scope.can(Perm.UNIT_MANAGE, unit),
        "can_add_cohort": scope.can(Perm.COHORT_MANAGE, unit),
    }
    return render(request, "organisations/unit_detail.html", context)


@require_permission(Perm.UNIT_MANAGE)
def unit_edit(request, pk):
    unit = selectors.get_unit_for_user(request.user, pk, Perm.UNIT_MANAGE)
    form = UnitForm(request.POST or None, instance=unit)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_unit(acting_user=request.user, unit=unit, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Unit saved."))
            return redirect("organisations:unit_detail", pk=unit.pk)
    return render(
        request,
        "organisations/form.html",
        {
            "form": form,
            "title": _("Change %(name)s") % {"name": unit.name},
            "cancel_url": "organisations:unit_list",
        },
    )


@require_permission(Perm.UNIT_MANAGE)
def unit_status(request, pk):
    unit = selectors.get_unit_for_user(request.user, pk, Perm.UNIT_MANAGE)
    form = UnitStatusForm(
        request.POST or None, unit=unit, initial={"changed_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.change_unit_status(acting_user=request.user, unit=unit, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(name)s is now %(status)s.")
                % {
                    "name": unit.name,
                    "status": UnitStatus(form.cleaned_data["to_status"]).label.lower(),
                },
            )
            return redirect("organisations:unit_detail", pk=unit.pk)
    return render(request, "organisations/unit_status.html", {"form": form, "unit": unit})


@require_permission(Perm.UNIT_MANAGE)
def unit_leaders(request, pk):
    unit = selectors.get_unit_for_user(request.user, pk, Perm.UNIT_MANAGE)
    form = AssignLeaderForm(request.POST or None, candidates=selectors.unit_leader_candidates(unit))
    if request.method == "POST" and form.is_valid():
        leader = form.cleaned_data["leader"]
        try:
            services.assign_unit_leader(acting_user=request.user, unit=unit, leader=leader)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request, _("%(leader)s now leads %(unit)s.") % {"leader": leader, "unit": unit.name}
            )
            return redirect("organisations:unit_detail", pk=unit.pk)
    return render(
        request,
        "organisations/unit_leaders.html",
        {"form": form, "unit": unit, "leaders": selectors.unit_leaders(unit)},
    )


@require_POST
@require_permission(Perm.UNIT_MANAGE)
def unit_leader_remove(request, pk, user_pk):
    unit = selectors.get_unit_for_user(request.user, pk, Perm.UNIT_MANAGE)
    assignment = selectors.unit_leaders(unit).filter(user_id=user_pk).first()
    if assignment is not None:
        services.remove_unit_leader(acting_user=request.user, unit=unit, leader=assignment.user)
        messages.success(
            request,
            _("%(leader)s no longer leads %(unit)s.")
            % {"leader": assignment.user, "unit": unit.name},
        )
    return redirect("organisations:unit_leaders", pk=unit.pk)


# Cohorts -------------------------------------------------------------------------------------
@require_permission(Perm.COHORT_READ)
def cohort_list(request):
    listing = build_listing(
        request,
        selectors.visible_cohorts(request.user),
        search_fields=["name", "unit__name", "unit__school__name"],
        sort_fields={
            "name": (_("Cohort"), "name"),
            "unit": (_("Unit"), "unit__name"),
            "start": (_("Starts"), "start_date"),
            "end": (_("Ends"), "end_date"),
            "children": (_("Children"), "children_count"),
        },
        default_sort="-start",
    )
    if export := export_listing(request, listing, title="Cohorts", columns=COHORT_COLUMNS):
        return export
    return render(request, "organisations/cohort_list.html", {"listing": listing})


@require_permission(Perm.COHORT_MANAGE)
def cohort_create(request, unit_pk):
    unit = selectors.get_unit_for_user(request.user, unit_pk, Perm.COHORT_MANAGE)
    form = CohortForm(request.POST or None, unit=unit)
    if request.method == "POST" and form.is_valid():
        try:
            cohort = services.create_cohort(
                acting_user=request.user, unit=unit, **form.cleaned_data
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Cohort %(name)s added.") % {"name": cohort.name})
            return redirect("organisations:cohort_detail", pk=cohort.pk)
    return render(
        request,
        "organisations/form.html",
        {
            "form": form,
            "title": _("Add a cohort to %(name)s") % {"name": unit.name},
            "cancel_url": "organisations:unit_list",
        },
    )


@require_permission(Perm.COHORT_READ)
def cohort_detail(request, pk):
    cohort = selectors.get_cohort_for_user(request.user, pk)
    scope = get_scope(request.user)
    return render(
        request,
        "organisations/cohort_detail.html",
        {
            "cohort": cohort,
            "enrolments": cohort_enrolments(request.user, cohort),
            "can_manage": scope.can(Perm.COHORT_MANAGE, cohort),
            "can_add_children": scope.can(Perm.CHILDREN_MANAGE, cohort),
            "can_survey": scope.can(Perm.SURVEY_RUN, cohort),
            "can_give_feedback": scope.can(Perm.FEEDBACK_GIVE, cohort),
            "can_read_results": scope.can(Perm.SURVEY_RESULTS, cohort),
        },
    )


@require_permission(Perm.COHORT_MANAGE)
def cohort_edit(request, pk):
    cohort = selectors.get_cohort_for_user(request.user, pk, Perm.COHORT_MANAGE)
    form = CohortForm(request.POST or None, instance=cohort)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_cohort(acting_user=request.user, cohort=cohort, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Cohort saved."))
            return redirect("organisations:cohort_detail", pk=cohort.pk)
    return render(
        request,
        "organisations/form.html",
        {
            "form": form,
            "title": _("Change %(name)s") % {"name": cohort.name},
            "cancel_url": "organisations:cohort_list",
        },
    )
