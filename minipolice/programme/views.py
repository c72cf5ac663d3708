from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from minipolice.accounts.permissions import Perm
from minipolice.accounts.scoping import get_scope
from minipolice.lib.access import require_permission
from minipolice.lib.forms import apply_service_errors
from minipolice.lib.listing import build_listing, export_listing
from minipolice.programme import selectors, services
from minipolice.programme.forms import ModuleForm, ResourceForm, TemplateForm
from minipolice.programme.models import Pillar

MIN_TEMPLATE_ROWS = 12


def _force_to_manage(user):
    force = selectors.manageable_forces(user).first()
    if force is None:
        raise Http404
    return force


# The columns of the module list's download: what its table shows. Headings are in the
# reader's language; the list's title (the file name) stays in English.
MODULE_COLUMNS = [
    (gettext_lazy("Module"), "title"),
    (gettext_lazy("Pillar"), "get_pillar_display"),
    (gettext_lazy("Minutes"), "minutes"),
    (gettext_lazy("Library"), lambda module: module.force.name if module.force else _("National")),
]


# Modules -------------------------------------------------------------------------------------
@require_permission(Perm.MODULE_READ)
def module_list(request):
    modules = selectors.visible_modules(request.user)
    pillar = request.GET.get("pillar", "")
    if pillar in Pillar.values:
        modules = modules.filter(pillar=pillar)
    listing = build_listing(
        request,
        modules,
        search_fields=["title", "aims", "activities"],
        sort_fields={
            "title": (_("Module"), "title"),
            "pillar": (_("Pillar"), "pillar"),
            "minutes": (_("Minutes"), "minutes"),
            "library": (_("Library"), "force__name"),
        },
        default_sort="title",
    )
    if export := export_listing(request, listing, title="Modules", columns=MODULE_COLUMNS):
        return export
    return render(
        request,
        "programme/module_list.html",
        {
            "listing": listing,
            "pillars": Pillar.choices,
            "pillar": pillar,
            "can_manage": get_scope(request.user).has(Perm.MODULE_MANAGE),
        },
    )


@require_permission(Perm.MODULE_MANAGE)
def module_create(request):
    force = _force_to_manage(request.user)
    form = ModuleForm(request.POST or None, force=force)
    if request.method == "POST" and form.is_valid():
        try:
            module = services.create_module(
                acting_user=request.user, force=force, **form.cleaned_data
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request, _("%(title)s added to your force's library.") % {"title": module.title}
            )
            return redirect(module)
    return render(
        request,
        "programme/form.html",
        {"form": form, "title": _("Add a module"), "cancel_href": "/curriculum/"},
    )


@require_permission(Perm.MODULE_READ)
def module_detail(request, pk):
    module = selectors.get_module_for_user(request.user, pk)
    scope = get_scope(request.user)
    can_manage = scope.can(Perm.MODULE_MANAGE, module)
    may_copy = module.is_national and scope.has(Perm.MODULE_MANAGE)
    return render(
        request,
        "programme/module_detail.html",
        {
            "module": module,
            "resources": selectors.module_resources(module),
            "can_manage": can_manage,
            "may_copy": may_copy,
            "force_copy": selectors.force_copy_of(request.user, module) if may_copy else None,
        },
    )


@require_permission(Perm.MODULE_MANAGE)
def module_edit(request, pk):
    module = selectors.get_module_for_user(request.user, pk, Perm.MODULE_MANAGE)
    form = ModuleForm(request.POST or None, instance=module)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_module(acting_user=request.user, module=module, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Module saved."))
            return redirect(module)
    return render(
        request,
        "programme/form.html",
        {
            "form": form,
            "title": _("Change %(name)s") % {"name": module.title},
            "cancel_href": module.get_absolute_url(),
        },
    )


@require_POST
@require_permission(Perm.MODULE_MANAGE)
def module_copy(request, pk):
    module = selectors.get_module_for_user(request.user, pk)
    force = _force_to_manage(request.user)
    try:
        copy = services.copy_module(acting_user=request.user, module=module, force=force)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(module)
    messages.success(
        request,
        _("Your force now has its own copy of %(name)s to change.") % {"name": module.title},
    )
    return redirect(copy)


@require_POST
@require_permission(Perm.MODULE_MANAGE)
def library_copy(request):
    force = _force_to_manage(request.user)
    counts = services.copy_national_library(acting_user=request.user, force=force)
    messages.success(
        request,
        _("Copied %(modules)s and %(templates)s to %(force)s. The national library is unchanged.")
        % {
            "modules": ngettext("%(count)s module", "%(count)s modules", counts["modules"])
            % {"count": counts["modules"]},
            "templates": ngettext("%(count)s template", "%(count)s templates", counts["templates"])
            % {"count": counts["templates"]},
            "force": force.name,
        },
    )
    return redirect("programme:module_list")


# Resources -----------------------------------------------------------------------------------
@require_permission(Perm.MODULE_MANAGE)
def resource_add(request, pk):
    module = selectors.get_module_for_user(request.user, pk, Perm.MODULE_MANAGE)
    form = ResourceForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            resource = services.add_resource(
                acting_user=request.user,
                module=module,
                title=form.cleaned_data["title"],
                upload=form.cleaned_data["file"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("%(title)s added.") % {"title": resource.title})
            return redirect(module)
    return render(
        request,
        "programme/form.html",
        {
            "form": form,
            "title": _("Add a resource to %(name)s") % {"name": module.title},
            "cancel_href": module.get_absolute_url(),
            "multipart": True,
            "submit_label": _("Upload"),
        },
    )


@require_permission(Perm.MODULE_READ)
def resource_download(request, pk):
    resource = selectors.get_resource_for_user(request.user, pk)
    try:
        handle = resource.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    return FileResponse(
        handle,
        as_attachment=True,
        filename=resource.file_name,
        content_type=resource.content_type,
    )


@require_POST
@require_permission(Perm.MODULE_MANAGE)
def resource_remove(request, pk):
    resource = selectors.get_resource_for_user(request.user, pk, Perm.MODULE_MANAGE)
    services.remove_resource(acting_user=request.user, resource=resource)
    messages.success(request, _("%(title)s removed.") % {"title": resource.title})
    return redirect(resource.module)


# Templates -----------------------------------------------------------------------------------
@require_permission(Perm.MODULE_READ)
def template_list(request):
    templates = selectors.templates_with_modules(request.user).order_by("force__name", "name")
    return render(
        request,
        "programme/template_list.html",
        {
            "templates": templates,
            "can_manage": get_scope(request.user).has(Perm.MODULE_MANAGE),
        },
    )


def _template_form(request, *, weeks: int, initial=None):
    modules = selectors.visible_modules(request.user).order_by("title")
    if request.method == "POST":
        posted = [key for key in request.POST if key.startswith("week_")]
        weeks = max(weeks, len(posted))
    return TemplateForm(request.POST or None, modules=modules, weeks=weeks, initial=initial)


@require_permission(Perm.MODULE_MANAGE)
def template_create(request):
    force = _force_to_manage(request.user)
    form = _template_form(request, weeks=MIN_TEMPLATE_ROWS)
    if request.method == "POST" and form.is_valid():
        try:
            template = services.create_template(
                acting_user=request.user,
                force=force,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                modules=form.cleaned_data["modules"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Template %(name)s added.") % {"name": template.name})
            return redirect(template)
    return render(
        request,
        "programme/template_form.html",
        {
            "form": form,
            "title": _("Add a programme template"),
            "cancel_href": "/programme-templates/",
        },
    )


@require_permission(Perm.MODULE_READ)
def template_detail(request, pk):
    template = selectors.get_template_for_user(request.user, pk)
    scope = get_scope(request.user)
    return render(
        request,
        "programme/template_detail.html",
        {
            "template": template,
            "can_manage": scope.can(Perm.MODULE_MANAGE, template),
            "may_copy": template.is_national and scope.has(Perm.MODULE_MANAGE),
        },
    )


@require_permission(Perm.MODULE_MANAGE)
def template_edit(request, pk):
    template = selectors.get_template_for_user(request.user, pk, Perm.MODULE_MANAGE)
    initial = {"name": template.name, "description": template.description}
    initial.update({f"week_{item.position}": item.module_id for item in template.ordered_items})
    weeks = max(MIN_TEMPLATE_ROWS, len(template.ordered_items) + 4)
    form = _template_form(request, weeks=weeks, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_template(
                acting_user=request.user,
                template=template,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                modules=form.cleaned_data["modules"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Template saved."))
            return redirect(template)
    return render(
        request,
        "programme/template_form.html",
        {
            "form": form,
            "title": _("Change %(name)s") % {"name": template.name},
            "cancel_href": template.get_absolute_url(),
        },
    )


@require_POST
@require_permission(Perm.MODULE_MANAGE)
def template_copy(request, pk):
    template = selectors.get_template_for_user(request.user, pk)
    force = _force_to_manage(request.user)
    try:
        copy = services.copy_template(acting_user=request.user, template=template, force=force)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(template)
    messages.success(
        request,
        _("Your force now has its own copy of %(name)s to change.") % {"name": template.name},
    )
    return redirect(copy)
