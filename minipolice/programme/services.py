"""Every write to the curriculum. The national library is never changed here: forces copy it."""

from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from minipolice.lib.users import signed_in_or_none
from minipolice.programme.models import Module, ModuleResource, ProgrammeTemplate, TemplateItem

MODULE_FIELDS = ["pillar", "title", "aims", "activities", "minutes"]
MAX_RESOURCE_BYTES = 10 * 1024 * 1024
# Extension: (content type, how the file must begin). Office files are zip containers.
RESOURCE_TYPES = {
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        (b"PK\x03\x04",),
    ),
    ".pptx": (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        (b"PK\x03\x04",),
    ),
    ".xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        (b"PK\x03\x04",),
    ),
    ".odt": ("application/vnd.oasis.opendocument.text", (b"PK\x03\x04",)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
}
ALLOWED_KINDS_TEXT = gettext_lazy(
    "PDF, Word (.docx), PowerPoint (.pptx), Excel (.xlsx), OpenDocument text (.odt), PNG or JPEG"
)


def _refuse_national(obj) -> None:
    if obj.force_id is None:
        raise ValidationError(
            _("The national library cannot be changed. Copy it to your force first.")
        )


@transaction.atomic
def create_module(*, acting_user, force, **fields) -> Module:
    module = Module(force=force, **fields)
    module.full_clean()
    module.save()
    return module


@transaction.atomic
def update_module(*, acting_user, module: Module, **changes) -> Module:
    _refuse_national(module)
    for name, value in changes.items():
        if name in MODULE_FIELDS:
            setattr(module, name, value)
    module.full_clean()
    module.save(update_fields=[name for name in MODULE_FIELDS if name in changes])
    return module


@transaction.atomic
def copy_module(*, acting_user, module: Module, force) -> Module:
    """The force's own editable copy of a national module, with its resources (made once)."""
    if module.force_id is not None:
        raise ValidationError(_("Only modules of the national library are copied."))
    existing = Module.objects.filter(force=force, copied_from=module).first()
    if existing is not None:
        return existing
    title = module.title
    if Module.objects.filter(force=force, title=title).exists():
        title = (_("%(title)s (copy)") % {"title": module.title})[:120]
    copy = Module(
        force=force,
        pillar=module.pillar,
        title=title,
        aims=module.aims,
        activities=module.activities,
        minutes=module.minutes,
        copied_from=module,
    )
    copy.full_clean()
    copy.save()
    # The copy points at the same stored files: deleting a row never deletes a file.
    ModuleResource.objects.bulk_create(
        ModuleResource(
            module=copy,
            title=resource.title,
            file=resource.file.name,
            file_name=resource.file_name,
            content_type=resource.content_type,
            size=resource.size,
            uploaded_by=resource.uploaded_by,
            uploaded_at=resource.uploaded_at,
        )
        for resource in module.resources.all()
    )
    return copy


def check_resource_file(upload) -> tuple[str, str]:
    """(safe file name, content type) of an acceptable upload, else a ValidationError."""
    name = PurePath(upload.name or "").name
    extension = PurePath(name).suffix.lower()
    if extension not in RESOURCE_TYPES:
        raise ValidationError(
            {"file": _("The file must be a %(kinds)s file.") % {"kinds": ALLOWED_KINDS_TEXT}}
        )
    if upload.size > MAX_RESOURCE_BYTES:
        raise ValidationError({"file": _("The file must be smaller than 10 MB.")})
    if upload.size == 0:
        raise ValidationError({"file": _("The file is empty.")})
    content_type, signatures = RESOURCE_TYPES[extension]
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not head.startswith(signatures):
        raise ValidationError(
            {
                "file": _("The file is not a real %(kind)s file. Save it again and upload it.")
                % {"kind": extension[1:].upper()}
            }
        )
    return name[:255], content_type


@transaction.atomic
def add_resource(*, acting_user, module: Module, title: str, upload) -> ModuleResource:
    _refuse_national(module)
    file_name, content_type = check_resource_file(upload)
    resource = ModuleResource(
        module=module,
        title=title.strip() or file_name,
        file_name=file_name,
        content_type=content_type,
        size=upload.size,
        uploaded_by=signed_in_or_none(acting_user),
        uploaded_at=timezone.now(),
    )
    resource.file.save(file_name, upload, save=False)
    resource.full_clean()
    resource.save()
    return resource


@transaction.atomic
def remove_resource(*, acting_user, resource: ModuleResource) -> None:
    _refuse_national(resource.module)
    resource.delete()


def _check_modules(force_id, modules: list[Module]) -> None:
    if not modules:
        raise ValidationError(_("Choose at least one module."))
    for module in modules:
        if module.force_id not in (None, force_id):
            raise ValidationError(
                _("A template can only use national modules and its force's own.")
            )


@transaction.atomic
def create_template(
    *, acting_user, force, name: str, description: str = "", modules: list[Module]
) -> ProgrammeTemplate:
    _check_modules(force.pk if force else None, modules)
    template = ProgrammeTemplate(force=force, name=name, description=description)
    template.full_clean()
    template.save()
    _set_items(template, modules)
    return template


@transaction.atomic
def update_template(
    *, acting_user, template: ProgrammeTemplate, name: str, description: str, modules: list[Module]
) -> ProgrammeTemplate:
    _refuse_national(template)
    _check_modules(template.force_id, modules)
    template.name, template.description = name, description
    template.full_clean()
    template.save(update_fields=["name", "description"])
    template.items.all().delete()
    _set_items(template, modules)
    return template


def _set_items(template, modules):
    TemplateItem.objects.bulk_create(
        TemplateItem(template=template, position=week, module=module)
        for week, module in enumerate(modules, start=1)
    )


@transaction.atomic
def copy_template(*, acting_user, template: ProgrammeTemplate, force) -> ProgrammeTemplate:
    """The force's own copy of a national template. Weeks use the force's copies of modules
    where it has them, else the national modules (which it may read but not change)."""
    if template.force_id is not None:
        raise ValidationError(_("Only templates of the national library are copied."))
    existing = ProgrammeTemplate.objects.filter(force=force, copied_from=template).first()
    if existing is not None:
        return existing
    copies = dict(
        Module.objects.filter(force=force, copied_from__isnull=False).values_list(
            "copied_from_id", "pk"
        )
    )
    name = template.name
    if ProgrammeTemplate.objects.filter(force=force, name=name).exists():
        name = (_("%(name)s (copy)") % {"name": template.name})[:120]
    copy = ProgrammeTemplate(
        force=force, name=name, description=template.description, copied_from=template
    )
    copy.full_clean()
    copy.save()
    TemplateItem.objects.bulk_create(
        TemplateItem(
            template=copy,
            position=item.position,
            module_id=copies.get(item.module_id, item.module_id),
        )
        for item in template.items.order_by("position")
    )
    return copy


@transaction.atomic
def copy_national_library(*, acting_user, force) -> dict:
    """Copy every national module and template the force has not copied yet."""
    before_modules = Module.objects.filter(force=force).count()
    before_templates = ProgrammeTemplate.objects.filter(force=force).count()
    for module in Module.objects.filter(force__isnull=True).prefetch_related("resources"):
        copy_module(acting_user=acting_user, module=module, force=force)
    for template in ProgrammeTemplate.objects.filter(force__isnull=True):
        copy_template(acting_user=acting_user, template=template, force=force)
    return {
        "modules": Module.objects.filter(force=force).count() - before_modules,
        "templates": ProgrammeTemplate.objects.filter(force=force).count() - before_templates,
    }
