"""The public verification page (#11): what a QR code leads to.

It shows only first name, last initial, unit, award and date; says plainly when a code is
unknown, revoked or replaced; says only "this certificate was issued" once the child has been
anonymised (erasure or retention); and is rate-limited per IP address.
"""

import pytest
from django.urls import reverse

from minipolice.audit.models import AuditEntry
from minipolice.awards import services
from minipolice.awards.models import Award, BulkIssue, Certificate, format_code
from minipolice.awards.tests.helpers import attend, held_sessions
from minipolice.people import services as people


@pytest.fixture
def certificate(world):
    attend(held_sessions(world.cohort, 2), world.child, 2)
    job = services.start_bulk_issue(acting_user=None, cohort=world.cohort, base_url="http://t/")
    services.run_bulk_issue(job_id=job.pk)
    return Certificate.objects.get(award__child=world.child)


def _verify(client, code, ip="192.0.2.1"):
    return client.get(reverse("awards:verify", args=[code]), REMOTE_ADDR=ip)


def test_a_valid_code_shows_first_name_initial_unit_award_and_date(client, world, certificate):
    response = _verify(client, certificate.code)
    text = response.content.decode()
    assert response.status_code == 200
    assert "This certificate is genuine" in text
    assert "Ada L." in text and "Lovelace" not in text
    assert "Hilltop Mini Police" in text and "Mini Police completion" in text
    assert "Hilltop Primary" not in text  # the school is on the paper, not on the page
    assert format_code(certificate.code) in text


def test_the_code_as_printed_with_a_dash_and_in_lower_case_is_found(client, certificate):
    typed = format_code(certificate.code).lower()
    response = _verify(client, typed)
    assert response.status_code == 302
    assert response.url == reverse("awards:verify", args=[certificate.code])
    lookup = client.get(reverse("awards:verify_lookup"), {"code": f" {typed} "})
    assert lookup.url == reverse("awards:verify", args=[certificate.code])


def test_an_unknown_code_says_so_plainly(client, certificate):
    response = _verify(client, "ZZZZZZZZ")
    assert response.status_code == 404
    assert "We have no certificate with this code" in response.content.decode()


def test_the_lookup_form_without_a_code_shows_an_error_summary(client):
    response = client.get(reverse("awards:verify_lookup"), {"code": ""})
    text = response.content.decode()
    assert "There is a problem" in text and "Enter the verification code" in text


def test_a_revoked_certificate_says_revoked_and_the_revoke_is_audited(
    client, client_for, world, certificate
):
    award = certificate.award
    staff = client_for(world.users["area_lead"])
    empty = staff.post(reverse("awards:certificate_revoke", args=[award.pk]), {"reason": ""})
    assert "Enter why the certificate is being revoked" in empty.content.decode()
    response = staff.post(
        reverse("awards:certificate_revoke", args=[award.pk]), {"reason": "Printed in error"}
    )
    assert response.status_code == 302
    certificate.refresh_from_db()
    assert certificate.status == "revoked" and certificate.revoked_by == world.users["area_lead"]
    entry = AuditEntry.objects.get(action="revoke")
    assert entry.object_id == str(certificate.pk)
    assert entry.fields == {
        "award_id": award.pk,
        "child_id": world.child.pk,
        "reason": "(recorded)",
    }
    staff.logout()
    text = _verify(client, certificate.code).content.decode()
    assert "This certificate was revoked" in text and "Ada" not in text


def test_leaders_and_teachers_cannot_revoke(client_for, world, certificate):
    for role in ("leader", "teacher"):
        response = client_for(world.users[role]).post(
            reverse("awards:certificate_revoke", args=[certificate.award_id]), {"reason": "x"}
        )
        assert response.status_code == 403
    certificate.refresh_from_db()
    assert certificate.status == "valid"


@pytest.mark.parametrize("how", ["erasure", "retention"])
def test_an_anonymised_childs_certificate_says_only_that_it_was_issued(
    client, world, certificate, how
):
    if how == "erasure":
        people.erase_child(acting_user=None, child=world.child, reason="Parent asked")
    else:
        people.anonymise_child(acting_user=None, child=world.child, reason="retention")
    response = _verify(client, certificate.code)
    text = response.content.decode()
    assert response.status_code == 200
    assert "This certificate was issued" in text
    for detail in ("Ada", "Lovelace", "Hilltop", "completion"):
        assert detail not in text
    certificate.refresh_from_db()
    assert (certificate.first_name, certificate.last_name) == ("", "")
    assert BulkIssue.objects.get().pdf is None  # the combined PDF named the child
    assert Award.objects.filter(child=world.child).count() == 1  # counts survive


def test_the_page_is_rate_limited_per_ip_address(client, certificate):
    for _ in range(services.VERIFY_LOOKUPS_PER_WINDOW):
        assert _verify(client, certificate.code).status_code == 200
    limited = _verify(client, certificate.code)
    assert limited.status_code == 429
    assert "You have checked too many certificates" in limited.content.decode()
    assert "Ada" not in limited.content.decode()
    # Another address is not held back.
    assert _verify(client, certificate.code, ip="198.51.100.9").status_code == 200
