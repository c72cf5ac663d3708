"""Awards and certificates in the access matrix."""

from tests.access import AREA, COORDINATOR, PUBLIC, ROLES, UNIT_STAFF, row

GUARDIAN_ONLY = row(guardian=200)
COUNTS = row(teacher=200, leader=200, area_lead=200, coordinator=200, funder=200, national=200)
GIVERS = row(leader=200, area_lead=200, coordinator=200)

MATRIX = {
    "awards:award_list": ("get", UNIT_STAFF),
    # Counts only, rounded: the funder's and the national viewer's view of awards.
    "awards:award_totals": ("get", COUNTS),
    "awards:certificate_settings": ("get", COORDINATOR),
    "awards:award_detail": ("get", UNIT_STAFF),
    "awards:certificate_pdf": ("get", UNIT_STAFF),
    "awards:certificate_reissue": ("post", row(area_lead=302, coordinator=302)),
    "awards:certificate_revoke": ("get", AREA),
    "awards:bulk_issue_progress": ("get", AREA),
    "awards:bulk_issue_pdf": ("get", AREA),
    "awards:cohort_awards": ("get", UNIT_STAFF),
    "awards:bulk_issue_start": ("get", AREA),
    "awards:special_award": ("get", GIVERS),
    # The world's event is the force's celebration day: the area lead issues only for their
    # own area's events (404), the others hold no award-issue permission (403).
    "awards:event_bulk_issue_start": ("get", row(area_lead=404, coordinator=200)),
    # The public verification page: a QR code leads anyone there.
    "awards:verify_lookup": ("get", PUBLIC),
    "awards:verify": ("get", PUBLIC),
    "awards:verify_short": ("get", row(**dict.fromkeys(ROLES, 302))),
    # The parent portal: signed-out visitors are sent to ask for a sign-in link.
    "awards:portal_certificates": ("get", GUARDIAN_ONLY),
    "awards:portal_certificate_pdf": ("get", GUARDIAN_ONLY),
}

# The code is the only key to the public page; portal pages answer 403 to staff of any force.
UNSCOPED = {"awards:verify", "awards:verify_short", "awards:portal_certificate_pdf"}


def url_kwargs(world) -> dict:
    from minipolice.awards import services
    from minipolice.awards.tests.helpers import attend, held_sessions
    from minipolice.events.tests.helpers import make_event

    sessions = held_sessions(world.cohort, 4)
    attend(sessions, world.child, 4)
    job = services.start_bulk_issue(
        acting_user=None, cohort=world.cohort, base_url="http://testserver/"
    )
    services.run_bulk_issue(job_id=job.pk)
    award = world.child.awards.get()
    code = award.certificates.get().code
    event = make_event(world, title="Certificates day")
    return {
        "awards:event_bulk_issue_start": {"pk": event.pk},
        "awards:award_detail": {"pk": award.pk},
        "awards:certificate_pdf": {"pk": award.pk},
        "awards:certificate_reissue": {"pk": award.pk},
        "awards:certificate_revoke": {"pk": award.pk},
        "awards:bulk_issue_progress": {"pk": job.pk},
        "awards:bulk_issue_pdf": {"pk": job.pk},
        "awards:verify": {"code": code},
        "awards:verify_short": {"code": code},
        "awards:portal_certificate_pdf": {"pk": award.pk},
    }
