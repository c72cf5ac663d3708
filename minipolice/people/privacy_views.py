"""Data protection pages for coordinators: subject access exports, erasure, retention."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Max, Min
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from minipolice.accounts.permissions import Perm
from minipolice.lib.access import require_permission
from minipolice.lib.forms import apply_service_errors
from minipolice.lib.listing import paginate
from minipolice.organisations.selectors import visible_forces
from minipolice.people import retention, selectors, services, subject_access, tasks
from minipolice.people.models import Child


def _posted(request):
    """The submitted data, even when empty: an empty POST must still show the form's errors."""
    return request.POST if request.method == "POST" else None


class ErasureForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why are you erasing this data?"),
        help_text=gettext_lazy(
            "For example: request from the parent by email on 3 March. This goes in the audit log."
        ),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": gettext_lazy("Enter the reason for erasing this data")},
    )


# Subject access ------------------------------------------------------------------------------
def _export(request, subject, title, sections, fmt):
    generated_by = request.user.email
    if fmt == "pdf":
        content = subject_access.as_pdf(title, sections, generated_by=generated_by)
        content_type = "application/pdf"
    else:
        content = subject_access.as_json(title, sections, generated_by=generated_by)
        content_type = "application/json"
    kind = "child" if isinstance(subject, Child) else "guardian"
    services.record_subject_access_export(
        acting_user=request.user, subject=subject, fmt=fmt, sections=[s.key for s in sections]
    )
    response = HttpResponse(content, content_type=content_type)
    name = slugify(f"subject-access-{kind}-{subject.pk}-{timezone.localdate()}")
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


def _child_export(request, pk, fmt):
    child = selectors.get_child_for_user(request.user, pk, Perm.DATA_PROTECTION)
    title, sections = subject_access.child_export(child)
    return _export(request, child, title, sections, fmt)


def _guardian_export(request, pk, fmt):
    guardian = selectors.get_guardian_for_user(request.user, pk, Perm.DATA_PROTECTION)
    title, sections = subject_access.guardian_export(guardian)
    return _export(request, guardian, title, sections, fmt)


@require_permission(Perm.DATA_PROTECTION)
def child_export_json(request, pk):
    return _child_export(request, pk, "json")


@require_permission(Perm.DATA_PROTECTION)
def child_export_pdf(request, pk):
    return _child_export(request, pk, "pdf")


@require_permission(Perm.DATA_PROTECTION)
def guardian_export_json(request, pk):
    return _guardian_export(request, pk, "json")


@require_permission(Perm.DATA_PROTECTION)
def guardian_export_pdf(request, pk):
    return _guardian_export(request, pk, "pdf")


# Erasure on request --------------------------------------------------------------------------
def _say_erased(request, record: str, erasure, *, is_child: bool) -> None:
    """The result, without the names just erased (messages may be kept in the session), and
    every place where text naming them was changed."""
    also = ", ".join(
        _("parent or carer #%(number)s") % {"number": guardian.pk} for guardian in erasure.guardians
    )
    if also and is_child:
        erased = _("%(record)s's personal data has been erased, and so has that of %(also)s.") % {
            "record": record,
            "also": also,
        }
    else:
        erased = _("%(record)s's personal data has been erased.") % {"record": record}
    messages.success(request, erased)
    if erasure.text_changed:
        # Where the text was changed comes from each app in English, as the audit log keeps it.
        messages.info(
            request,
            _(
                "Names and email addresses were replaced with “[name removed]” or "
                "“[email removed]” in: %(places)s."
            )
            % {"places": "; ".join(erasure.text_changed)},
        )
    else:
        messages.info(request, _("No other text named them."))


@require_permission(Perm.DATA_PROTECTION)
def child_erase(request, pk):
    child = selectors.get_child_for_user(request.user, pk, Perm.DATA_PROTECTION)
    also = selectors.guardians_erased_with(child)
    form = ErasureForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            erasure = services.erase_child(
                acting_user=request.user, child=child, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            _say_erased(
                request, _("Child #%(number)s") % {"number": child.pk}, erasure, is_child=True
            )
            return redirect("people:child_list")
    return render(
        request,
        "people/erase.html",
        {
            "form": form,
            "name": child.full_name,
            "kind": "child",
            "also": also,
            "cancel_href": child.get_absolute_url(),
        },
    )


@require_permission(Perm.DATA_PROTECTION)
def guardian_erase(request, pk):
    guardian = selectors.get_guardian_for_user(request.user, pk, Perm.DATA_PROTECTION)
    form = ErasureForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            erasure = services.erase_guardian(
                acting_user=request.user, guardian=guardian, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            _say_erased(
                request,
                _("Parent or carer #%(number)s") % {"number": guardian.pk},
                erasure,
                is_child=False,
            )
            return redirect("people:guardian_list")
    return render(
        request,
        "people/erase.html",
        {
            "form": form,
            "name": guardian.name,
            "kind": "guardian",
            "also": [],
            "cancel_href": guardian.get_absolute_url(),
        },
    )


# Retention -----------------------------------------------------------------------------------
@require_permission(Perm.DATA_PROTECTION)
def retention_overview(request):
    """The dry run for the coordinator's force: who the next run would anonymise."""
    today = timezone.localdate()
    # The lists are paged in SQL: a force can have thousands due after a missed run.
    children = selectors.children_due_for_user(request.user, today)
    guardians = retention.guardians_left_without_children(children)
    summary = children.aggregate(oldest=Min("last_cohort_ended"), newest=Max("last_cohort_ended"))
    summary.update(children=children.count(), guardians=guardians.count())
    children_listing = paginate(
        request,
        children.order_by("last_cohort_ended", "last_name", "first_name", "pk"),
        param="children_page",
    )
    guardians_listing = paginate(request, guardians.order_by("name", "pk"), param="guardians_page")
    forces = [
        {"force": force, "keep_from": retention.keep_from(force, today)}
        for force in visible_forces(request.user, Perm.DATA_PROTECTION)
    ]
    return render(
        request,
        "people/retention.html",
        {
            "summary": summary,
            "children_listing": children_listing,
            "guardians_listing": guardians_listing,
            "forces": forces,
            "runs": selectors.recent_retention_runs(request.user),
            "next_run": tasks.scheduled_retention_run(),
        },
    )
