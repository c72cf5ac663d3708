"""Stories go for review: a writer submits a draft, the force's coordinators are emailed (by a
background task) and see it waiting on their home page and the review list; they publish it
(consent checked again) or send it back with a reason the writer reads. A story waiting for
review cannot be changed: the writer withdraws it first."""

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult

from minipolice.accounts.models import Role
from minipolice.accounts.services import assign_role, create_user
from minipolice.audit.models import AuditEntry
from minipolice.consent.services import record_consent
from minipolice.consent.tests.conftest import DATABASE_TASKS, IMMEDIATE_TASKS
from minipolice.public import services
from minipolice.public.models import Story
from minipolice.public.tasks import send_story_submitted_email
from minipolice.public.tests.conftest import image_upload


@pytest.fixture
def story(world):
    return services.create_story(
        acting_user=world.users["leader"],
        unit=world.unit,
        title="Leaflet drop on the estate",
        body="We posted crime prevention leaflets.",
    )


def _submit(client, story):
    return client.post(f"/stories/{story.pk}/submit/")


def _status(story):
    return Story.objects.values_list("status", flat=True).get(pk=story.pk)


# Submitting and withdrawing --------------------------------------------------------------------
def test_leader_submits_a_draft_for_review_and_it_is_audited(world, client_for, story):
    leader = client_for(world.users["leader"])
    page = leader.get(f"/stories/{story.pk}/").content.decode()
    assert "Submit for review" in page
    assert "ask your force" not in page

    response = _submit(leader, story)

    assert response.status_code == 302 and response["Location"] == f"/stories/{story.pk}/"
    story.refresh_from_db()
    assert story.status == "submitted" and story.submitted_by == world.users["leader"]
    entry = AuditEntry.objects.filter(object_type="story", object_id=str(story.pk)).latest("pk")
    assert entry.fields["status"] == ["draft", "submitted"]
    page = leader.get(f"/stories/{story.pk}/").content.decode()
    assert "Waiting for review" in page and "Withdraw from review" in page
    assert "Change the story" not in page and "Submit for review" not in page


def test_a_submitted_story_cannot_be_changed_until_the_writer_withdraws_it(
    world, client_for, story
):
    leader = client_for(world.users["leader"])
    _submit(leader, story)

    response = leader.post(
        f"/stories/{story.pk}/edit/", {"title": "Changed", "body": "Changed.", "happened_on": ""}
    )
    assert response.status_code == 302
    story.refresh_from_db()
    assert story.title == "Leaflet drop on the estate"
    follow = leader.get(f"/stories/{story.pk}/photos/new/", follow=True).content.decode()
    assert "Withdraw the story from review before changing it" in follow
    assert leader.post(f"/stories/{story.pk}/delete/").status_code == 302
    assert Story.objects.filter(pk=story.pk).exists()

    response = leader.post(f"/stories/{story.pk}/withdraw/")

    assert response.status_code == 302
    assert _status(story) == "draft"
    entry = AuditEntry.objects.filter(object_type="story", object_id=str(story.pk)).latest("pk")
    assert entry.fields["status"] == ["submitted", "draft"]
    leader.post(
        f"/stories/{story.pk}/edit/", {"title": "Changed", "body": "Changed.", "happened_on": ""}
    )
    story.refresh_from_db()
    assert story.title == "Changed"


def test_submitting_twice_or_withdrawing_a_draft_says_so_and_changes_nothing(
    world, client_for, story
):
    leader = client_for(world.users["leader"])
    _submit(leader, story)
    page = _submit(leader, story)
    assert page.status_code == 302
    assert "already waiting for review" in leader.get(page["Location"]).content.decode()
    leader.post(f"/stories/{story.pk}/withdraw/")
    again = leader.post(f"/stories/{story.pk}/withdraw/", follow=True).content.decode()
    assert "not waiting for review" in again
    assert _status(story) == "draft"


# The email to the coordinators ---------------------------------------------------------------
def test_submitting_queues_an_email_that_the_task_sends_to_the_forces_coordinators(
    world, client_for, story, settings
):
    settings.TASKS = DATABASE_TASKS
    second = create_user(
        acting_user=None, email="coord2@example.org", full_name="Second Coord", password="x" * 12
    )
    assign_role(acting_user=None, user=second, role=Role.FORCE_COORDINATOR, force=world.force)
    mail.outbox.clear()

    _submit(client_for(world.users["leader"]), story)

    # Queued with the story's change, not sent from the request.
    assert mail.outbox == []
    queued = DBTaskResult.objects.get(
        status="READY", task_path=send_story_submitted_email.module_path
    )
    send_story_submitted_email.call(*queued.args_kwargs["args"], **queued.args_kwargs["kwargs"])

    assert sorted(message.to[0] for message in mail.outbox) == [
        "coord2@example.org",
        "coord@example.org",
    ]
    message = mail.outbox[0]
    assert all(len(m.to) == 1 for m in mail.outbox)  # no coordinator sees another's address
    assert "waiting for review" in message.subject
    assert f"http://testserver/stories/{story.pk}/" in message.body
    assert "http://testserver/stories/review/" in message.body
    assert "PCSO Pat" in message.body and world.unit.name in message.body


def test_the_email_goes_at_once_with_an_immediate_backend_and_never_to_another_force(
    world, client_for, story, settings
):
    settings.TASKS = IMMEDIATE_TASKS
    mail.outbox.clear()
    _submit(client_for(world.users["leader"]), story)
    assert [message.to for message in mail.outbox] == [["coord@example.org"]]


def test_a_story_withdrawn_before_the_task_runs_sends_no_email(world, client_for, story, settings):
    settings.TASKS = DATABASE_TASKS
    leader = client_for(world.users["leader"])
    _submit(leader, story)
    leader.post(f"/stories/{story.pk}/withdraw/")
    mail.outbox.clear()
    queued = DBTaskResult.objects.get(task_path=send_story_submitted_email.module_path)
    assert send_story_submitted_email.call(*queued.args_kwargs["args"]) == 0
    assert mail.outbox == []


# The coordinator's list and home page ---------------------------------------------------------
def test_the_coordinator_sees_stories_waiting_on_home_and_the_review_list(world, client_for, story):
    draft = services.create_story(
        acting_user=None, unit=world.unit, title="Still a draft", body="Text."
    )
    elsewhere = services.create_story(
        acting_user=None, unit=world.other_unit, title="Other force story", body="Text."
    )
    services.submit_story(acting_user=None, story=elsewhere, base_url="http://testserver/")
    _submit(client_for(world.users["leader"]), story)

    coordinator = client_for(world.users["coordinator"])
    home = coordinator.get("/").content.decode()
    assert "1 story waiting for review" in home and 'href="/stories/review/"' in home
    listing = coordinator.get("/stories/review/").content.decode()
    assert story.title in listing and "PCSO Pat" in listing
    assert draft.title not in listing and elsewhere.title not in listing
    assert "1 story waiting for review" in coordinator.get("/stories/").content.decode()


def test_writers_see_no_review_count_and_cannot_open_the_review_list(world, client_for, story):
    leader = client_for(world.users["leader"])
    _submit(leader, story)
    assert "waiting for review" not in leader.get("/").content.decode()
    assert leader.get("/stories/review/").status_code == 403
    assert leader.post(f"/stories/{story.pk}/send-back/", {"reason": "No"}).status_code == 403
    assert _status(story) == "submitted"


def test_review_list_query_count_is_the_same_for_1_and_50_stories(world, client_for):
    def grow(n):
        for index in range(n):
            story = services.create_story(
                acting_user=world.users["leader"], unit=world.unit, title=f"S{index}", body="x"
            )
            services.submit_story(
                acting_user=world.users["leader"], story=story, base_url="http://testserver/"
            )

    def count(client):
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/stories/review/").status_code == 200
        return len(queries)

    coordinator = client_for(world.users["coordinator"])
    grow(1)
    coordinator.get("/stories/review/")
    one = count(coordinator)
    grow(49)
    assert count(coordinator) == one


# Publishing or sending back ---------------------------------------------------------------
def test_coordinator_sends_a_story_back_with_a_reason_the_writer_reads(world, client_for, story):
    _submit(client_for(world.users["leader"]), story)
    coordinator = client_for(world.users["coordinator"])
    assert coordinator.get(f"/stories/{story.pk}/send-back/").status_code == 200

    empty = coordinator.post(f"/stories/{story.pk}/send-back/", {"reason": "  "})
    assert empty.status_code == 200
    assert "Enter why the story is sent back" in empty.content.decode()
    assert _status(story) == "submitted"

    response = coordinator.post(
        f"/stories/{story.pk}/send-back/", {"reason": "Say which estate, and add a photo."}
    )

    assert response.status_code == 302
    story.refresh_from_db()
    assert story.status == "draft" and story.returned_by == world.users["coordinator"]
    entry = AuditEntry.objects.filter(object_type="story", object_id=str(story.pk)).latest("pk")
    assert entry.fields["status"] == ["submitted", "draft"]
    assert entry.fields["reason"] == "Say which estate, and add a photo."
    leader = client_for(world.users["leader"])
    page = leader.get(f"/stories/{story.pk}/").content.decode()
    assert "Sent back by Cora Coordinator" in page
    assert "Say which estate, and add a photo." in page
    assert "waiting for review" not in coordinator.get("/stories/review/").content.decode()
    # Submitting again clears the reason: it was about the old version.
    _submit(leader, story)
    story.refresh_from_db()
    assert story.returned_reason == "" and story.status == "submitted"


def test_only_a_story_waiting_for_review_can_be_sent_back(world, client_for, story):
    coordinator = client_for(world.users["coordinator"])
    response = coordinator.post(f"/stories/{story.pk}/send-back/", {"reason": "No"}, follow=True)
    assert "not waiting for review" in response.content.decode()
    story.refresh_from_db()
    assert story.returned_reason == ""


def test_publishing_a_submitted_story_checks_consent_again(world, client_for, story, media_consent):
    media_consent(world.child)
    services.add_story_photo(
        acting_user=world.users["leader"],
        story=story,
        image=image_upload(),
        caption="Posting a leaflet",
        children=[world.child],
    )
    _submit(client_for(world.users["leader"]), story)
    record_consent(
        acting_user=None,
        child=world.child,
        kind="media",
        status="withdrawn",
        method="paper",
    )
    coordinator = client_for(world.users["coordinator"])
    assert "Publish" in coordinator.get(f"/stories/{story.pk}/").content.decode()

    coordinator.post(f"/stories/{story.pk}/publish/")

    story.refresh_from_db()
    assert story.status == "published"
    assert not story.photos.get().published
    entry = AuditEntry.objects.filter(object_type="story", object_id=str(story.pk)).latest("pk")
    assert entry.fields["status"] == ["submitted", "published"]
    assert "Leaflet drop" not in coordinator.get("/stories/review/").content.decode()
