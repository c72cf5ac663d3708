"""The home page, the menu, the Manage page, the audit log and API tokens in Welsh."""

from django.urls import reverse

WELSH = {"HTTP_ACCEPT_LANGUAGE": "cy"}


def test_coordinator_home_and_menu_are_in_welsh(world, client_for):
    page = client_for(world.users["coordinator"]).get("/", **WELSH).content.decode()

    assert '<html lang="cy"' in page
    assert "Helo, " in page
    for welsh in ("Hafan", "Unedau", "Carfanau", "Plant", "Rheoli", "Allgofnodi", "Dewislen"):
        assert welsh in page, welsh
    for english in ("Skip to main content", "Signed in as", "Sign out", ">Units<", ">Manage<"):
        assert english not in page, english
    assert "Cydlynydd heddlu" in page  # the role, under the greeting


def test_manage_audit_and_tokens_pages_are_in_welsh(world, client_for):
    client = client_for(world.users["coordinator"])

    manage = client.get("/manage/", **WELSH).content.decode()
    assert "Rhestrau cyfeirio" in manage and "Cofnod archwilio" in manage
    audit = client.get("/audit/", **WELSH).content.decode()
    assert "Cofnod archwilio" in audit and "Lawrlwytho fel CSV" in audit and "Pryd" in audit
    assert "Every change to" not in audit and "Download as CSV" not in audit
    tokens = client.get(reverse("api:api_token_list"), **WELSH).content.decode()
    assert "Mae tocyn API yn gadael i system arall" in tokens and "Dim tocynnau API." in tokens


def test_the_audit_entry_of_a_welsh_download_names_the_list_in_english(world, client_for):
    from minipolice.audit.models import AuditEntry

    client = client_for(world.users["coordinator"])
    assert client.get("/audit/?format=csv", **WELSH).status_code == 200

    entry = AuditEntry.objects.filter(action="export").latest("at")
    assert entry.fields["list"] == "Audit log"
