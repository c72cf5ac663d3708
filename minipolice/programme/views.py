from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
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


# The columns of the module list's download: what its table shows.
MODULE_COLUMNS = [
    ("Module", "title"),
    ("Pillar", "get_pillar_display"),
    ("Minutes", "minutes"),
    ("Library", lambda module: module.force.name if module.force else "National"),
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
            "title": ("Module", "title"),
            "pillar": ("Pillar", "pillar"),
            "minutes": ("Minutes", "minutes"),
            "library": ("Library", "force__name"),
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
            messages.success(request, f"{module.title} added to your force's library.")
            return redirect(module)
    return render(
        request,
        "programme/form.html",
        {"form": form, "title": "Add a module", "cancel_href": "/curriculum/"},
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
            messages.success(request, "Module saved.")
            return redirect(module)
    return render(
        request,
        "programme/form.html",
        {"form": form, "title": f"Change {module.title}", "cancel_href": module.get_absolute_url()},
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
    messages.success(request, f"Your force now has its own copy of {module.title} to change.")
    return redirect(copy)


@require_POST
@require_permission(Perm.MODULE_MANAGE)
def library_copy(request):
    force = _force_to_manage(request.user)
    counts = services.copy_national_library(acting_user=request.user, force=force)
    messages.success(
        request,
        f"Copied {counts['modules']} module{'s' if counts['modules'] != 1 else ''} and "
        f"{counts['templates']} template{'s' if counts['templates'] != 1 else ''} to {force.name}. "
        "The national library is unchanged.",
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
            messages.success(request, f"{resource.title} added.")
            return redirect(module)
    return render(
        request,
        "programme/form.html",
        {
            "form": form,
            "title": f"Add a resource to {module.title}",
            "cancel_href": module.get_absolute_url(),
            "multipart": True,
            "submit_label": "Upload",
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
    messages.success(request, f"{resource.title} removed.")
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
            messages.success(request, f"Template {template.name} added.")
            return redirect(template)
    return render(
        request,
        "programme/template_form.html",
        {"form": form, "title": "Add a programme template", "cancel_href": "/programme-templates/"},
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
            messages.success(request, "Template saved.")
            return redirect(template)
    return render(
        request,
        "programme/template_form.html",
        {
            "form": form,
            "title": f"Change {template.name}",
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
    messages.success(request, f"Your force now has its own copy of {template.name} to change.")
    return redirect(copy)
