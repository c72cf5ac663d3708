from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from minipolice.programme import services
from minipolice.programme.models import Module, ProgrammeTemplate

PDF = b"%PDF-1.4\n%%EOF\n"
TOPICS = [
    "Police procedures and the law",
    "Road safety",
    "Fire safety",
    "Water safety",
    "Internet safety",
    "Knife crime",
    "Anti-social behaviour",
    "Hate crime awareness",
    "Personal safety",
    "Designing a crime-prevention leaflet",
    "Community action planning",
    "Visit to police headquarters",
    "Meet the dog unit",
    "Meet the police horses",
    "Visit to the control room",
    "Visit to the fire station",
    "Closing ceremony",
]


def national(title):
    return Module.objects.get(force=None, title=title)


def test_every_database_has_the_national_library(db):
    assert set(Module.objects.filter(force=None).values_list("title", flat=True)) == set(TOPICS)
    assert set(Module.objects.values_list("pillar", flat=True)) == {
        "education",
        "community",
        "reward",
    }
    default = ProgrammeTemplate.objects.get(force=None, name="Standard 8-week programme")
    assert default.items.count() == 8
    assert default.items.get(position=8).module.title == "Closing ceremony"


def test_leader_reads_the_library_but_cannot_change_it(world, client_for):
    client = client_for(world.users["leader"])
    module = national("Road safety")
    assert "Road safety" in client.get("/curriculum/").content.decode()
    page = client.get(f"/curriculum/{module.pk}/").content.decode()
    assert "Green Cross Code" in page
    assert "Copy to your force" not in page
    assert client.get(f"/curriculum/{module.pk}/edit/").status_code == 403


def test_the_national_library_cannot_be_edited_even_by_a_coordinator(world, client_for):
    client = client_for(world.users["coordinator"])
    module = national("Road safety")
    assert client.get(f"/curriculum/{module.pk}/edit/").status_code == 404
    assert client.get(f"/curriculum/{module.pk}/resources/new/").status_code == 404


def test_coordinator_copies_the_library_and_edits_the_copy_leaving_the_original(world, client_for):
    client = client_for(world.users["coordinator"])

    client.post("/curriculum/copy-library/")
    client.post("/curriculum/copy-library/")  # a second press copies nothing more

    copies = Module.objects.filter(force=world.force)
    assert copies.count() == len(TOPICS)
    copy = copies.get(title="Road safety")
    response = client.post(
        f"/curriculum/{copy.pk}/edit/",
        {
            "title": "Road safety (Testshire)",
            "pillar": "education",
            "aims": "Our own aims.",
            "activities": "Visit the speed camera van.",
            "minutes": "45",
        },
    )
    assert response.status_code == 302
    copy.refresh_from_db()
    assert copy.title == "Road safety (Testshire)" and copy.minutes == 45
    assert national("Road safety").minutes == 60
    template = ProgrammeTemplate.objects.get(force=world.force, name="Standard 8-week programme")
    assert template.items.get(position=2).module == copy
    national_template = ProgrammeTemplate.objects.get(force=None, name="Standard 8-week programme")
    assert national_template.items.get(position=2).module == national("Road safety")


def test_another_forces_copy_is_not_found(world, client_for):
    copy = services.copy_module(acting_user=None, module=national("Fire safety"), force=world.force)
    outsider = client_for(world.users["outsider"])
    assert outsider.get(f"/curriculum/{copy.pk}/").status_code == 404
    assert "Testshire" not in outsider.get("/curriculum/?q=fire").content.decode()


def test_coordinator_reorders_and_removes_weeks_of_a_template(world, client_for):
    template = services.copy_template(
        acting_user=None,
        template=ProgrammeTemplate.objects.get(force=None, name="Standard 8-week programme"),
        force=world.force,
    )
    client = client_for(world.users["coordinator"])
    assert "Week 12" in client.get(f"/programme-templates/{template.pk}/edit/").content.decode()

    response = client.post(
        f"/programme-templates/{template.pk}/edit/",
        {
            "name": "Short course",
            "description": "",
            "week_1": national("Internet safety").pk,
            "week_2": "",
            "week_3": national("Police procedures and the law").pk,
            "week_4": national("Closing ceremony").pk,
        },
    )

    assert response.status_code == 302
    template.refresh_from_db()
    assert template.name == "Short course"
    assert [i.module.title for i in template.items.order_by("position")] == [
        "Internet safety",
        "Police procedures and the law",
        "Closing ceremony",
    ]


def test_a_template_needs_at_least_one_week(world, client_for):
    response = client_for(world.users["coordinator"]).post(
        "/programme-templates/new/", {"name": "Empty"}
    )
    assert "Choose a module for at least one week." in response.content.decode()


def upload(client, module, name, content):
    return client.post(
        f"/curriculum/{module.pk}/resources/new/",
        {"title": "", "file": SimpleUploadedFile(name, content)},
    )


def test_coordinator_uploads_a_resource_that_leaders_download(world, client_for):
    copy = services.copy_module(acting_user=None, module=national("Road safety"), force=world.force)
    response = upload(client_for(world.users["coordinator"]), copy, "crossing.pdf", PDF)
    assert response.status_code == 302
    resource = copy.resources.get()
    assert (resource.title, resource.content_type, resource.size) == (
        "crossing.pdf",
        "application/pdf",
        len(PDF),
    )

    download = client_for(world.users["leader"]).get(f"/curriculum/resources/{resource.pk}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert 'attachment; filename="crossing.pdf"' in download["Content-Disposition"]


def test_a_resource_of_the_wrong_type_or_size_is_refused(world, client_for, settings):
    copy = services.copy_module(acting_user=None, module=national("Road safety"), force=world.force)
    client = client_for(world.users["coordinator"])

    wrong_type = upload(client, copy, "run-me.exe", b"MZ\x90\x00")
    assert "The file must be a PDF" in wrong_type.content.decode()
    disguised = upload(client, copy, "notes.pdf", b"<html>not a pdf</html>")
    assert "is not a real PDF file" in disguised.content.decode()
    from minipolice.programme import services as programme_services

    too_big = b"%PDF-" + b"0" * programme_services.MAX_RESOURCE_BYTES
    assert "smaller than 10 MB" in upload(client, copy, "big.pdf", too_big).content.decode()
    assert not copy.resources.exists()


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_library_pages_cost_the_same_for_few_and_many_modules(world, client_for):
    client = client_for(world.users["coordinator"])
    client.get("/")
    before = {url: _count(client, url) for url in ("/curriculum/", "/programme-templates/")}
    services.copy_national_library(acting_user=None, force=world.force)
    for i in range(30):
        services.create_module(
            acting_user=None,
            force=world.force,
            pillar="education",
            title=f"Extra {i}",
            aims="Aims",
            activities="Things",
            minutes=30,
        )
    after = {url: _count(client, url) for url in before}
    assert before == after == {"/curriculum/": 5, "/programme-templates/": 5}
