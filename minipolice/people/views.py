from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from minipolice.accounts.permissions import Perm
from minipolice.accounts.scoping import get_scope
from minipolice.audit.services import record_list_export
from minipolice.lib.access import require_permission
from minipolice.lib.forms import apply_service_errors
from minipolice.lib.listing import build_listing, export_listing
from minipolice.organisations.selectors import get_cohort_for_user, visible_cohorts, visible_units
from minipolice.people import selectors, services
from minipolice.people.forms import (
    AddGuardianForm,
    ChildForm,
    GuardianForm,
    LeaveForm,
    MoveChildForm,
    NewLeaderForm,
    TrainingForm,
    VettingForm,
)

# The columns of each list's download: what its table shows, never more (no notes).
# Headings are in the reader's language; the list's title (the file name and the audit log's
# record of the download) stays in English.
CHILD_COLUMNS = [
    (gettext_lazy("Last name"), "last_name"),
    (gettext_lazy("First name"), "first_name"),
    (gettext_lazy("Year"), "get_year_group_display"),
    (
        gettext_lazy("Cohort"),
        lambda child: (
            "; ".join(f"{e.cohort.unit.name}: {e.cohort.name}" for e in child.current_enrolments)
            or _("Not in a cohort now")
        ),
    ),
]
GUARDIAN_COLUMNS = [
    (gettext_lazy("Name"), "name"),
    (gettext_lazy("Email"), "email"),
    (gettext_lazy("Phone"), "phone"),
    (
        gettext_lazy("Children"),
        lambda g: ", ".join(link.child.full_name for link in g.visible_links),
    ),
]
LEADER_COLUMNS = [
    (gettext_lazy("Name"), "full_name"),
    (gettext_lazy("Vetting expires"), "vetting_expires"),
    (gettext_lazy("Training expires"), "training_expires"),
    (
        gettext_lazy("Units"),
        lambda leader: ", ".join(a.unit.name for a in leader.leader_assignments),
    ),
]


def _may_see_notes(user, child) -> bool:
    return get_scope(user).can(Perm.CHILD_NOTES, child)


# Children ------------------------------------------------------------------------------------
@require_permission(Perm.CHILDREN_READ)
def child_list(request):
    listing = build_listing(
        request,
        selectors.children_list(request.user),
        search_fields=["first_name", "last_name"],
        sort_fields={
            "name": (_("Name"), ("last_name", "first_name")),
            "year": (_("Year"), "year_group"),
        },
        default_sort="name",
    )
    if export := export_listing(
        request, listing, title="Children", columns=CHILD_COLUMNS, audit=record_list_export
    ):
        return export
    return render(
        request, "people/child_list.html", {"listing": listing, "extra_headers": [_("Cohort")]}
    )


@require_permission(Perm.CHILDREN_MANAGE)
def child_create(request, cohort_pk):
    cohort = get_cohort_for_user(request.user, cohort_pk, Perm.CHILDREN_MANAGE)
    form = ChildForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            child = services.add_child_to_cohort(
                acting_user=request.user, cohort=cohort, **form.cleaned_data
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(child)s added to %(cohort)s.")
                % {"child": child.full_name, "cohort": cohort.name},
            )
            return redirect("people:child_detail", pk=child.pk)
    return render(
        request,
        "people/form.html",
        {
            "form": form,
            "title": _("Add a child to %(cohort)s") % {"cohort": cohort.name},
            "cancel_href": cohort.get_absolute_url(),
        },
    )


@require_permission(Perm.CHILDREN_READ)
def child_detail(request, pk):
    child = selectors.get_child_for_user(request.user, pk)
    context = {
        "child": child,
        "enrolments": selectors.child_enrolments(child),
        "guardianships": selectors.child_guardianships(child),
        "show_notes": _may_see_notes(request.user, child),
        "can_manage": get_scope(request.user).can(Perm.CHILDREN_MANAGE, child),
    }
    return render(request, "people/child_detail.html", context)


@require_permission(Perm.CHILDREN_MANAGE)
def child_edit(request, pk):
    child = selectors.get_child_for_user(request.user, pk, Perm.CHILDREN_MANAGE)
    form = ChildForm(
        request.POST or None, instance=child, show_notes=_may_see_notes(request.user, child)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_child(acting_user=request.user, child=child, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Child's details saved."))
            return redirect("people:child_detail", pk=child.pk)
    return render(
        request,
        "people/form.html",
        {
            "form": form,
            "title": _("Change %(name)s's details") % {"name": child.full_name},
            "cancel_href": child.get_absolute_url(),
        },
    )


def _current_cohorts(user, child):
    return visible_cohorts(user, Perm.CHILDREN_MANAGE).filter(
        enrolments__child=child, enrolments__left__isnull=True
    )


@require_permission(Perm.CHILDREN_MANAGE)
def child_move(request, pk):
    child = selectors.get_child_for_user(request.user, pk, Perm.CHILDREN_MANAGE)
    current = _current_cohorts(request.user, child)
    targets = (
        visible_cohorts(request.user, Perm.CHILDREN_MANAGE)
        .filter(unit__school__area__force_id=child.force_id, end_date__gte=timezone.localdate())
        .exclude(pk__in=current.values("pk"))
    )
    form = MoveChildForm(request.POST or None, current=current, targets=targets)
    if request.method == "POST" and form.is_valid():
        try:
            services.move_child(acting_user=request.user, child=child, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(child)s moved to %(cohort)s.")
                % {"child": child.full_name, "cohort": form.cleaned_data["to_cohort"].name},
            )
            return redirect("people:child_detail", pk=child.pk)
    return render(
        request,
        "people/form.html",
        {
            "form": form,
            "title": _("Move %(name)s to another cohort") % {"name": child.full_name},
            "submit_label": _("Move"),
            "cancel_href": child.get_absolute_url(),
        },
    )


@require_permission(Perm.CHILDREN_MANAGE)
def child_leave(request, pk):
    child = selectors.get_child_for_user(request.user, pk, Perm.CHILDREN_MANAGE)
    current = _current_cohorts(request.user, child)
    form = LeaveForm(request.POST or None, current=current, initial={"left": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        enrolment = child.enrolments.get(cohort=form.cleaned_data["cohort"], left__isnull=True)
        try:
            services.leave_cohort(
                acting_user=request.user, enrolment=enrolment, left=form.cleaned_data["left"]
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(child)s has left %(cohort)s.")
                % {"child": child.full_name, "cohort": enrolment.cohort.name},
            )
            # A fresh read, not the scope: leaving changed the child's enrolments.
            if selectors.visible_children(request.user).filter(pk=child.pk).exists():
                return redirect("people:child_detail", pk=child.pk)
            # Leaving their last cohort here takes the child out of this user's reach.
            return redirect(enrolment.cohort.get_absolute_url())
    return render(
        request,
        "people/form.html",
        {
            "form": form,
            "title": _("%(name)s leaves a cohort") % {"name": child.full_name},
            "submit_label": _("Record leaving"),
            "cancel_href": child.get_absolute_url(),
        },
    )


@require_permission(Perm.CHILDREN_MANAGE)
def guardian_add(request, child_pk):
    child = selectors.get_child_for_user(request.user, child_pk, Perm.CHILDREN_MANAGE)
    form = AddGuardianForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            guardian = services.create_and_link_guardian(
                acting_user=request.user,
                child=child,
                name=data["name"],
                email=data["email"],
                phone=data["phone"],
                relationship=data["relationship"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(guardian)s added as %(child)s's guardian.")
                % {"guardian": guardian.name, "child": child.first_name},
            )
            return redirect("people:child_detail", pk=child.pk)
    return render(
        request,
        "people/form.html",
        {
            "form": form,
            "title": _("Add a guardian for %(name)s") % {"name": child.full_name},
            "cancel_href": child.get_absolute_url(),
        },
    )


# Guardians -----------------------------------------------------------------------------------
@require_permission(Perm.CHILDREN_READ)
def guardian_list(request):
    listing = build_listing(
        request,
        selectors.guardians_list(request.user),
        search_fields=["name", "email", "phone"],
        sort_fields={"name": (_("Name"), "name"), "email": (_("Email"), "email")},
        default_sort="name",
    )
    if export := export_listing(
        request, listing, title="Guardians", columns=GUARDIAN_COLUMNS, audit=record_list_export
    ):
        return export
    return render(
        request,
        "people/guardian_list.html",
        {"listing": listing, "extra_headers": [_("Phone"), _("Children")]},
    )


@require_permission(Perm.CHILDREN_READ)
def guardian_detail(request, pk):
    guardian = selectors.get_guardian_for_user(request.user, pk)
    can_manage = get_scope(request.user).can(Perm.CHILDREN_MANAGE, guardian)
    return render(
        request, "people/guardian_detail.html", {"guardian": guardian, "can_manage": can_manage}
    )


@require_permission(Perm.CHILDREN_MANAGE)
def guardian_edit(request, pk):
    guardian = selectors.get_guardian_for_user(request.user, pk, Perm.CHILDREN_MANAGE)
    form = GuardianForm(request.POST or None, instance=guardian)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_guardian(
                acting_user=request.user,
                guardian=guardian,
                base_url=request.build_absolute_uri("/"),
                **form.cleaned_data,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            message = _("Guardian's details saved.")
            if guardian.pending_email:
                message += " " + _(
                    "We have emailed %(email)s a link to confirm the new address; until it is "
                    "confirmed, sign-in links still go to the old one."
                ) % {"email": guardian.pending_email}
            messages.success(request, message)
            return redirect("people:guardian_detail", pk=guardian.pk)
    return render(
        request,
        "people/form.html",
        {
            "form": form,
            "title": _("Change %(name)s's details") % {"name": guardian.name},
            "cancel_href": guardian.get_absolute_url(),
        },
    )


# Leaders -------------------------------------------------------------------------------------
@require_permission(Perm.LEADERS_READ)
def leader_list(request):
    listing = build_listing(
        request,
        selectors.leaders_list(request.user),
        search_fields=["full_name", "email"],
        sort_fields={
            "name": (_("Name"), "full_name"),
            "vetting": (_("Vetting expires"), "vetting_expires"),
            "training": (_("Training expires"), "training_expires"),
        },
        default_sort="name",
    )
    if export := export_listing(
        request, listing, title="Leaders", columns=LEADER_COLUMNS, audit=record_list_export
    ):
        return export
    can_add = get_scope(request.user).has(Perm.LEADERS_MANAGE)
    return render(
        request,
        "people/leader_list.html",
        {
            "listing": listing,
            "extra_headers": [_("Units")],
            "today": timezone.localdate(),
            "can_add": can_add,
        },
    )


@require_permission(Perm.LEADERS_MANAGE)
def leader_create(request):
    form = NewLeaderForm(
        request.POST or None, units=visible_units(request.user, Perm.LEADERS_MANAGE)
    )
    if request.method == "POST" and form.is_valid():
        try:
            leader = services.add_leader(acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            send_set_password_email(request, leader.email)
            messages.success(
                request,
                _(
                    "%(name)s added. We have emailed them a link to choose a password; record "
                    "their vetting and safeguarding training before they can see children's "
                    "records."
                )
                % {"name": leader.full_name},
            )
            return redirect("people:leader_detail", pk=leader.pk)
    return render(
        request,
        "people/form.html",
        {
            "form": form,
            "title": _("Add a leader"),
            "submit_label": _("Add leader"),
            "cancel_href": reverse("people:leader_list"),
        },
    )


def send_set_password_email(request, email: str) -> None:
    from allauth.account.forms import ResetPasswordForm

    form = ResetPasswordForm(data={"email": email})
    if form.is_valid():
        form.save(request)


@require_permission(Perm.LEADERS_READ)
def leader_detail(request, pk):
    leader = selectors.get_leader_for_user(request.user, pk)
    can_manage = get_scope(request.user).can(Perm.LEADERS_MANAGE, leader)
    return render(
        request,
        "people/leader_detail.html",
        {
            "leader": leader,
            "vettings": leader.vettings.all(),
            "trainings": leader.safeguarding_trainings.all(),
            "can_manage": can_manage,
            "today": timezone.localdate(),
        },
    )


def _leader_force(leader):
    assignment = next(iter(leader.leader_assignments), None)
    return assignment.unit.school.area.force if assignment else None


@require_permission(Perm.LEADERS_MANAGE)
def leader_vetting_add(request, pk):
    leader = selectors.get_leader_for_user(request.user, pk, Perm.LEADERS_MANAGE)
    form = VettingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_vetting(
                acting_user=request.user,
                leader=leader,
                force=_leader_force(leader),
                **form.cleaned_data,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Vetting recorded."))
            return redirect("people:leader_detail", pk=leader.pk)
    return render(
        request,
        "people/form.html",
        {
            "form": form,
            "title": _("Record vetting for %(name)s") % {"name": leader.full_name},
            "cancel_href": reverse("people:leader_detail", args=[leader.pk]),
        },
    )


@require_permission(Perm.LEADERS_MANAGE)
def leader_training_add(request, pk):
    leader = selectors.get_leader_for_user(request.user, pk, Perm.LEADERS_MANAGE)
    form = TrainingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_safeguarding_training(
                acting_user=request.user,
                leader=leader,
                force=_leader_force(leader),
                **form.cleaned_data,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Safeguarding training recorded."))
            return redirect("people:leader_detail", pk=leader.pk)
    return render(
        request,
        "people/form.html",
        {
            "form": form,
            "title": _("Record safeguarding training for %(name)s") % {"name": leader.full_name},
            "cancel_href": reverse("people:leader_detail", args=[leader.pk]),
        },
    )
