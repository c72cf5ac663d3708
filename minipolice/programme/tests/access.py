"""The curriculum's URLs in the access matrix (tests/test_access_matrix.py)."""

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.access import COORDINATOR, UNIT_STAFF, row

MATRIX = {
    "programme:module_list": ("get", UNIT_STAFF),
    "programme:module_create": ("get", COORDINATOR),
    "programme:library_copy": ("post", row(coordinator=302)),
    "programme:module_detail": ("get", UNIT_STAFF),
    "programme:module_edit": ("get", COORDINATOR),
    "programme:module_copy": ("post", row(coordinator=302)),
    "programme:resource_add": ("get", COORDINATOR),
    "programme:resource_download": ("get", UNIT_STAFF),
    "programme:resource_remove": ("post", row(coordinator=302)),
    "programme:template_list": ("get", UNIT_STAFF),
    "programme:template_create": ("get", COORDINATOR),
    "programme:template_detail": ("get", UNIT_STAFF),
    "programme:template_edit": ("get", COORDINATOR),
    "programme:template_copy": ("post", row(coordinator=302)),
}

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def url_kwargs(world) -> dict:
    """The world's force gets its own copies (the national library is readable by every force,
    so only a force's copies can show that another force is refused)."""
    from minipolice.programme import services
    from minipolice.programme.models import Module, ProgrammeTemplate

    module = services.copy_module(
        acting_user=None,
        module=Module.objects.get(force=None, title="Road safety"),
        force=world.force,
    )
    resource = module.resources.first() or services.add_resource(
        acting_user=None,
        module=module,
        title="Worksheet",
        upload=SimpleUploadedFile("worksheet.pdf", PDF, content_type="application/pdf"),
    )
    template = services.copy_template(
        acting_user=None,
        template=ProgrammeTemplate.objects.get(force=None, name="Standard 8-week programme"),
        force=world.force,
    )
    return {
        "programme:module_detail": {"pk": module.pk},
        "programme:module_edit": {"pk": module.pk},
        "programme:module_copy": {"pk": module.pk},
        "programme:resource_add": {"pk": module.pk},
        "programme:resource_download": {"pk": resource.pk},
        "programme:resource_remove": {"pk": resource.pk},
        "programme:template_detail": {"pk": template.pk},
        "programme:template_edit": {"pk": template.pk},
        "programme:template_copy": {"pk": template.pk},
    }
