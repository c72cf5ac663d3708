"""Scoped reads of the curriculum. Views use only these.

Every member of staff reads the national library and their own force's copies; only a force's
coordinators change that force's copies; nobody changes the national library in the app.
"""

from django.db.models import Count, Prefetch, Q

from minipolice.accounts.permissions import Perm
from minipolice.accounts.scoping import get_scope, scope_paths, scope_q
from minipolice.lib.access import get_or_404
from minipolice.organisations.selectors import forces_held
from minipolice.programme.models import Module, ModuleResource, ProgrammeTemplate, TemplateItem

READ_PERMS = {Perm.MODULE_READ}
# A force's own modules and templates, for managing them (and `Scope.can`): reading them is
# wider, national rows included (`_library_q`).
LIBRARY_PATHS = scope_paths(Module, force="force_id")
scope_paths(ProgrammeTemplate, **LIBRARY_PATHS)


def _library_q(user, perm: Perm) -> Q:
    """National rows and the user's forces' rows for reading; the force's own rows to manage."""
    if perm in READ_PERMS:
        scope = get_scope(user)
        if not scope.has(perm):
            return Q(pk__in=[])
        return Q(force__isnull=True) | Q(force_id__in=sorted(scope.force_ids))
    return scope_q(user, perm, **LIBRARY_PATHS)


def manageable_forces(user):
    """The forces whose library the user may change (a coordinator's force)."""
    return forces_held(user, Perm.MODULE_MANAGE)


def visible_modules(user, perm: Perm = Perm.MODULE_READ):
    return Module.objects.filter(_library_q(user, perm)).select_related("force")


def get_module_for_user(user, pk, perm: Perm = Perm.MODULE_READ) -> Module:
    return get_or_404(visible_modules(user, perm), pk)


def module_resources(module: Module):
    return module.resources.order_by("title", "id")


def force_copy_of(user, module: Module):
    """The user's force's copy of a national module, if it has one."""
    if not module.is_national:
        return None
    return visible_modules(user).filter(copied_from=module, force__isnull=False).first()


def get_resource_for_user(user, pk, perm: Perm = Perm.MODULE_READ):
    modules = visible_modules(user, perm)
    return get_or_404(
        ModuleResource.objects.filter(module__in=modules).select_related("module"), pk
    )


def visible_templates(user, perm: Perm = Perm.MODULE_READ):
    return (
        ProgrammeTemplate.objects.filter(_library_q(user, perm))
        .select_related("force")
        .annotate(weeks=Count("items"))
    )


def templates_with_modules(user, perm: Perm = Perm.MODULE_READ):
    items = TemplateItem.objects.select_related("module").order_by("position")
    return visible_templates(user, perm).prefetch_related(
        Prefetch("items", queryset=items, to_attr="ordered_items")
    )


def get_template_for_user(user, pk, perm: Perm = Perm.MODULE_READ) -> ProgrammeTemplate:
    return get_or_404(templates_with_modules(user, perm), pk)


def templates_for_planning(user, force_id: int):
    """Templates a cohort of `force_id` may follow: national ones and that force's own."""
    return templates_with_modules(user).filter(Q(force__isnull=True) | Q(force_id=force_id))
