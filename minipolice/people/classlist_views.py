"""The class-list import pages of a cohort (CSV or XLSX): preview, then all-or-nothing. The rules
that read, check and plan a class list are people.classlist; the writes are people.services.

1. The upload page checks the whole file (people.classlist) and shows every problem at once.
2. A clean file is kept as a ClassListImport (see its docstring for why a table) and the user is
   sent to its preview, `?preview=<id>` on the same URL: what will be added, what is already on
   record.
3. Confirm (a POST naming the import) queues it (services.start_class_list_import) and sends
   the user to its progress page, `<id>/`, which refreshes itself (htmx every second, a meta
   refresh without JavaScript) while the background task (people.tasks) checks the rows and
   applies them in one transaction, matching against the database again; it ends on the
   result, or on what went wrong (nothing saved). Cancel deletes the preview.
"""

import csv

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods

from minipolice.accounts.permissions import Perm
from minipolice.lib.access import require_permission
from minipolice.organisations.selectors import get_cohort_for_user
from minipolice.people import classlist, selectors, services


class ClassListForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Upload a class list"),
        error_messages={
            "required": gettext_lazy("Select a CSV or XLSX file"),
            "empty": gettext_lazy("The file is empty."),
            "invalid": gettext_lazy("Select a CSV or XLSX file"),
        },
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".csv,.xlsx,text/csv,"
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )

    row_errors: list = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "A CSV or XLSX file smaller than %(size)s MB, with up to %(rows)s children."
        ) % {"size": classlist.MAX_FILE_BYTES // (1024 * 1024), "rows": f"{classlist.MAX_ROWS:,}"}

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > classlist.MAX_FILE_BYTES:
            raise forms.ValidationError(
                _("The file must be smaller than %(size)s MB.")
                % {"size": classlist.MAX_FILE_BYTES // (1024 * 1024)}
            )
        try:
            parsed = classlist.parse_class_list(
                upload.name, upload.read(classlist.MAX_FILE_BYTES + 1)
            )
        except classlist.ClassListError as error:
            raise forms.ValidationError(str(error)) from None
        self.row_errors = parsed.errors
        if parsed.errors:
            count = len(parsed.errors)
            raise forms.ValidationError(
                ngettext(
                    "The file has %(count)s problem. "
                    "Fix it and upload the file again. Nothing has been imported.",
                    "The file has %(count)s problems. "
                    "Fix them and upload the file again. Nothing has been imported.",
                    count,
                )
                % {"count": count}
            )
        return parsed


@require_permission(Perm.CHILDREN_MANAGE)
@require_http_methods(["GET", "POST"])
def cohort_import(request, pk):
    """One URL for the whole journey: upload, `?preview=<id>`, and confirm or cancel by POST."""
    cohort = get_cohort_for_user(request.user, pk, Perm.CHILDREN_MANAGE)
    import_id = request.POST.get("import") or request.GET.get("preview")
    if import_id:
        return _preview(request, cohort, import_id)
    form = ClassListForm(request.POST, request.FILES) if request.method == "POST" else None
    if form is not None and form.is_valid():
        pending = services.preview_class_list_import(
            acting_user=request.user,
            cohort=cohort,
            file_name=request.FILES["file"].name,
            rows=form.cleaned_data["file"].rows,
        )
        return redirect(_preview_url(cohort, pending))
    form = form or ClassListForm()
    return render(
        request,
        "people/import_upload.html",
        {
            "cohort": cohort,
            "form": form,
            "row_errors": form.row_errors,
            "columns": classlist.template_headings(),
        },
    )


def _preview(request, cohort, import_id):
    # 404 unless it is this user's own import for this cohort: never someone else's.
    pending = selectors.get_class_list_import_for_user(request.user, cohort, import_id)
    if pending.is_started:  # confirmed already (perhaps in another tab): its progress
        return redirect(_progress_url(cohort, pending))
    if pending.is_expired(timezone.now()):
        services.cancel_class_list_import(acting_user=request.user, class_list_import=pending)
        messages.info(request, _("That preview has expired. Upload the file again."))
        return redirect("people:cohort_import", pk=cohort.pk)
    errors = []
    if request.method == "POST":
        if request.POST.get("action") == "cancel":
            services.cancel_class_list_import(acting_user=request.user, class_list_import=pending)
            messages.info(request, _("Import cancelled. Nothing was saved."))
            return redirect(cohort)
        try:
            started = services.start_class_list_import(
                acting_user=request.user, class_list_import=pending
            )
        except services.ClassListAlreadyImported:
            messages.info(request, GONE)
            return redirect(cohort)
        except ValidationError as error:
            errors = error.messages
        else:
            return redirect(_progress_url(cohort, started))
    return render(
        request,
        "people/import_preview.html",
        {
            "cohort": cohort,
            "pending": pending,
            "plan": classlist.plan_import(cohort, pending.rows),
            "errors": errors,
        },
    )


@require_permission(Perm.CHILDREN_MANAGE)
@require_GET
def cohort_import_progress(request, pk, import_pk):
    """How far a confirmed import has got; the fragment alone for htmx's polling."""
    cohort = get_cohort_for_user(request.user, pk, Perm.CHILDREN_MANAGE)
    job = selectors.get_class_list_import_for_user(request.user, cohort, import_pk)
    if not job.is_started:
        return redirect(_preview_url(cohort, job))
    context = {
        "cohort": cohort,
        "job": job,
        "progress_url": _progress_url(cohort, job),
        "result": _result(job) if job.status == job.Status.APPLIED else "",
        "errors": job.error.splitlines(),
        "added_anything": _added_anything(job.summary),
    }
    if request.headers.get("HX-Request") == "true":
        return render(request, "people/partials/import_progress.html", context)
    return render(request, "people/import_progress.html", context)


def _preview_url(cohort, pending) -> str:
    return f"{reverse('people:cohort_import', args=[cohort.pk])}?preview={pending.pk}"


def _progress_url(cohort, job) -> str:
    return reverse("people:cohort_import_progress", args=[cohort.pk, job.pk])


@require_permission(Perm.CHILDREN_MANAGE)
def cohort_import_template(request, pk):
    get_cohort_for_user(request.user, pk, Perm.CHILDREN_MANAGE)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="class-list-template.csv"'
    csv.writer(response).writerow(classlist.template_headings())
    return response


GONE = gettext_lazy("That class list is no longer waiting to be imported. Nothing was added.")
NOTHING_TO_ADD = gettext_lazy(
    "Everyone on this class list is already in the cohort with these guardians. Nothing was added."
)


def _added_anything(counts: dict) -> bool:
    return any(counts.get(key) for key in ("children_added", "guardians_added", "links_added"))


def _result(job) -> str:
    counts = job.summary
    if not _added_anything(counts):
        return str(NOTHING_TO_ADD)
    children, guardians = counts["children_added"], counts["guardians_added"]
    return _(
        "%(children_added)s, %(children_skipped)s already in the cohort, "
        "%(guardians_added)s, %(guardians_reused)s already on record."
    ) % {
        "children_added": ngettext("%(count)s child added", "%(count)s children added", children)
        % {"count": f"{children:,}"},
        "children_skipped": f"{counts['children_skipped']:,}",
        "guardians_added": ngettext(
            "%(count)s guardian added", "%(count)s guardians added", guardians
        )
        % {"count": f"{guardians:,}"},
        "guardians_reused": f"{counts['guardians_reused']:,}",
    }
