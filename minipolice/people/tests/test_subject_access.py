"""Subject access: a coordinator exports everything held about a child or a guardian, as JSON
and as a PDF, and the export itself is audited."""

import json

from minipolice.audit.models import AuditEntry
from minipolice.consent.services import record_consent
from minipolice.lib.tests.pdf_text import pdf_text


def consent(world):
    return record_consent(
        acting_user=world.users["guardian"],
        child=world.child,
        kind="media",
        status="granted",
        method="portal",
        given_by=world.guardian,
        media_uses=["school_newsletter"],
    )


def test_child_export_as_json_holds_everything_and_is_audited(world, client_for):
    consent(world)
    response = client_for(world.users["coordinator"]).get(f"/children/{world.child.pk}/export.json")
    assert response["Content-Type"] == "application/json"
    assert "attachment" in response["Content-Disposition"]
    document = json.loads(response.content)
    sections = document["sections"]
    assert list(sections)[-1] == "audit_log"
    assert sections["child"]["data"]["Last name"] == "Lovelace"
    assert sections["child"]["data"]["Notes for leaders"] == "Uses a hearing aid."
    assert sections["cohorts"]["data"][0]["Cohort"] == "Year 5"
    assert sections["guardians"]["data"][0]["Email"] == "ann@example.com"
    assert sections["consents"]["data"][0]["Photo uses"] == "School newsletter"
    assert any(row["Record"].startswith("child Child #") for row in sections["audit_log"]["data"])
    entry = AuditEntry.objects.get(action="export", object_type="child")
    assert entry.actor == world.users["coordinator"] and entry.force == world.force
    assert entry.fields["format"] == "json"


def test_child_export_as_pdf_is_a_readable_document(world, client_for):
    consent(world)
    response = client_for(world.users["coordinator"]).get(f"/children/{world.child.pk}/export.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text = pdf_text(response.content)
    assert "Ada" in text and "Lovelace" in text and "Consent" in text
    assert AuditEntry.objects.get(action="export", object_type="child").fields["format"] == "pdf"


def test_guardian_export_holds_consents_given_and_emails_but_no_link(world, client_for, client):
    consent(world)
    client.post("/portal/link/", {"email": world.guardian.email})
    response = client_for(world.users["coordinator"]).get(
        f"/guardians/{world.guardian.pk}/export.json"
    )
    sections = json.loads(response.content)["sections"]
    assert sections["guardian"]["data"]["Name"] == "Ann Lovelace"
    assert sections["children"]["data"] == [{"Name": "Ada Lovelace", "Relationship": "Parent"}]
    assert sections["consents_given"]["data"][0]["Child"] == "Ada Lovelace"
    assert sections["emails"]["data"][0]["To"] == "ann@example.com"
    assert "/portal/sign-in/" not in response.content.decode()
    pdf = client_for(world.users["coordinator"]).get(f"/guardians/{world.guardian.pk}/export.pdf")
    assert pdf.content.startswith(b"%PDF")
    assert AuditEntry.objects.filter(action="export", object_type="guardian").count() == 2


def test_child_page_offers_the_exports_to_coordinators_only(world, client_for):
    url = f"/children/{world.child.pk}/"
    assert "export.pdf" in client_for(world.users["coordinator"]).get(url).content.decode()
    for role in ("teacher", "leader", "area_lead"):
        assert "export.pdf" not in client_for(world.users[role]).get(url).content.decode()
    guardian_page = client_for(world.users["coordinator"]).get(f"/guardians/{world.guardian.pk}/")
    assert "Erase Ann Lovelace" in guardian_page.content.decode()


def test_staff_who_are_not_coordinators_cannot_export(world, client_for):
    for role in ("teacher", "leader", "area_lead"):
        client = client_for(world.users[role])
        assert client.get(f"/children/{world.child.pk}/export.json").status_code == 403
    assert not AuditEntry.objects.filter(action="export").exists()
