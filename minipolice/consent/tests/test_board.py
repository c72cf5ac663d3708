"""A cohort's consent board: who is missing what, and one action to ask everyone who has not
answered."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from minipolice.audit.models import AuditEntry
from minipolice.consent.models import ConsentRequest, EmailDelivery
from minipolice.consent.services import record_consent
from minipolice.people import services as people


def grant(world, child, kind, **extra):
    if kind == "media":
        extra.setdefault("media_uses", ["internal"])
    return record_consent(
        acting_user=None,
        child=child,
        kind=kind,
        status="granted",
        method="paper",
        given_by_name="Paper",
        **extra,
    )


def add_family(world, first, email="", children=1):
    guardian = people.create_guardian(
        acting_user=None, force=world.force, name=f"{first} Parent", email=email
    )
    kids = []
    for i in range(children):
        child = people.add_child_to_cohort(
            acting_user=None,
            cohort=world.cohort,
            first_name=f"{first}{i}",
            last_name="Kid",
            year_group=5,
        )
        people.link_guardian(acting_user=None, child=child, guardian=guardian)
        kids.append(child)
    return guardian, kids


def test_board_shows_who_is_missing_what(world, client_for):
    grant(world, world.child, "participation")
    page = client_for(world.users["teacher"]).get(f"/consent/cohorts/{world.cohort.pk}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Ada Lovelace" in html and "Photos and stories" in html
    assert page.context["missing_media"] == 1 and page.context["missing_participation"] == 0


def test_expired_answers_count_as_missing(world, client_for):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    grant(world, world.child, "participation", expires=yesterday)
    grant(world, world.child, "media")
    page = client_for(world.users["teacher"]).get(f"/consent/cohorts/{world.cohort.pk}/")
    assert page.context["missing_participation"] == 1
    assert "Expired" in page.content.decode()


def test_filter_shows_only_children_missing_an_answer(world, client_for):
    _, (done,) = add_family(world, "Done", "done@example.com")
    grant(world, done, "participation")
    grant(world, done, "media")
    page = client_for(world.users["teacher"]).get(
        f"/consent/cohorts/{world.cohort.pk}/?show=missing"
    )
    names = [row.child.first_name for row in page.context["rows"]]
    assert names == ["Ada"]


def test_one_press_emails_each_guardian_who_has_not_answered_once(world, client_for):
    _, kids = add_family(world, "Twin", "twins@example.com", children=2)
    done_guardian, (done,) = add_family(world, "Done", "done@example.com")
    grant(world, done, "participation")
    grant(world, done, "media")
    add_family(world, "Paper")  # no email address
    mail.outbox.clear()
    client = client_for(world.users["teacher"])
    response = client.post(f"/consent/cohorts/{world.cohort.pk}/requests/", follow=True)
    recipients = sorted(message.to[0] for message in mail.outbox)
    assert recipients == ["ann@example.com", "twins@example.com"]
    assert "Twin0 and Twin1" in next(m for m in mail.outbox if m.to == ["twins@example.com"]).body
    assert "/portal/sign-in/" in mail.outbox[0].body
    assert "2 emails asking for consent will be sent now" in response.content.decode()
    assert "1 parent or carer has no email address" in response.content.decode()
    assert EmailDelivery.objects.filter(status="sent").count() == 2
    assert ConsentRequest.objects.filter(cohort=world.cohort).count() == 2
    entry = AuditEntry.objects.filter(object_label__startswith="Consent requests emailed").get()
    assert entry.fields == {"sent": 2, "asked_recently": 0, "no_email": 1}

    # Pressing again the same day asks nobody twice.
    mail.outbox.clear()
    response = client.post(f"/consent/cohorts/{world.cohort.pk}/requests/", follow=True)
    assert mail.outbox == []
    assert "asked in the last 24 hours were not asked again" in response.content.decode()
    assert done_guardian.pk not in ConsentRequest.objects.values_list("guardian_id", flat=True)


def test_board_shows_when_guardians_were_last_asked(world, client_for):
    client = client_for(world.users["teacher"])
    assert client.get(f"/consent/cohorts/{world.cohort.pk}/").context["to_ask"] == 1
    client.post(f"/consent/cohorts/{world.cohort.pk}/requests/")
    page = client.get(f"/consent/cohorts/{world.cohort.pk}/")
    assert page.context["rows"][0].last_requested is not None
    assert (page.context["to_ask"], page.context["asked_recently"]) == (0, 1)
    assert "was asked in the last 24 hours" in page.content.decode()


def test_children_who_left_are_not_on_the_board(world, client_for):
    _, (leaver,) = add_family(world, "Gone", "gone@example.com")
    people.leave_cohort(
        acting_user=None, enrolment=leaver.enrolments.get(), left=timezone.localdate()
    )
    page = client_for(world.users["teacher"]).get(f"/consent/cohorts/{world.cohort.pk}/")
    assert [row.child.first_name for row in page.context["rows"]] == ["Ada"]


def test_only_staff_who_may_manage_children_can_send_requests(world, client_for):
    response = client_for(world.users["lapsed_leader"]).post(
        f"/consent/cohorts/{world.cohort.pk}/requests/"
    )
    assert response.status_code == 403
    assert not EmailDelivery.objects.exists()


@pytest.mark.parametrize("families", [0, 20])
def test_board_query_count_does_not_grow_with_the_cohort(
    world, client_for, django_assert_num_queries, families
):
    for i in range(families):
        guardian, (child,) = add_family(world, f"F{i}", f"f{i}@example.com")
        grant(world, child, "media")
    client = client_for(world.users["coordinator"])
    client.get("/")  # warm the session
    # session, user, role assignments, cohort, board (children), guardians prefetch; whether
    # the viewer may manage these children comes from the scope (it was a 7th query).
    with django_assert_num_queries(6):
        response = client.get(f"/consent/cohorts/{world.cohort.pk}/")
    assert len(response.context["rows"]) == families + 1
