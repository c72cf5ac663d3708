"""The curriculum and programme templates in Welsh when the browser asks for Welsh (the
modules' own titles and aims are content, in the language they were written in)."""

from minipolice.programme.models import Module, ProgrammeTemplate

WELSH = {"HTTP_ACCEPT_LANGUAGE": "cy"}


def _page(client, url):
    response = client.get(url, **WELSH)
    assert response.status_code == 200
    return response.content.decode()


def test_curriculum_pages_are_in_welsh(world, client_for):
    client = client_for(world.users["coordinator"])
    modules = _page(client, "/curriculum/")
    assert "Cwricwlwm" in modules and "Copïo'r llyfrgell genedlaethol i'ch heddlu" in modules
    assert "Modules on the three pillars" not in modules
    module = Module.objects.filter(force__isnull=True).first()
    detail = _page(client, module.get_absolute_url())
    assert "Llyfrgell genedlaethol" in detail and "Gweithgareddau a awgrymir" in detail
    assert "Suggested activities" not in detail and "Back to the curriculum" not in detail
    template = ProgrammeTemplate.objects.get(force=None, name="Standard 8-week programme")
    weeks = _page(client, template.get_absolute_url())
    assert "8 wythnos" in weeks and "Wythnos" in weeks
    assert "Templedi rhaglen" in _page(client, "/programme-templates/")


def test_copying_the_library_says_so_in_welsh(world, client_for):
    client = client_for(world.users["coordinator"])
    response = client.post("/curriculum/copy-library/", follow=True, **WELSH)
    assert "Copïwyd " in response.content.decode()
