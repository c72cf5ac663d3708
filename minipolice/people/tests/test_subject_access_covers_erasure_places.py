"""Subject access lists everything erasure would clear: the audit entries of the child's
register marks, of the actions they took part in and of the photos they are tagged in; the
entries a parent's own account made; and free text (session notes, actions, other children's
notes) that names them."""

import json
from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from minipolice.community import services as community
from minipolice.consent.services import record_consent
from minipolice.delivery import services as delivery
from minipolice.delivery.tests.helpers import grant_participation, session_on
from minipolice.people import services as people
from minipolice.public import services as public


def _photo_upload():
    buffer = BytesIO()
    Image.new("RGB", (64, 48), (29, 63, 115)).save(buffer, "JPEG")
    return SimpleUploadedFile("photo.jpg", buffer.getvalue(), content_type="image/jpeg")


def _export(client_for, world, kind, pk):
    response = client_for(world.users["coordinator"]).get(f"/{kind}/{pk}/export.json")
    return json.loads(response.content)["sections"]


def test_child_export_has_the_audit_entries_of_marks_actions_and_photos(
    world, client_for, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    leader = world.users["leader"]
    grant_participation(world.child)
    record_consent(
        acting_user=None,
        child=world.child,
        kind="media",
        status="granted",
        method="paper",
        media_uses=["internal", "force_website"],
    )
    session = session_on(world.cohort, timezone.localdate())
    mark = delivery.record_attendance(
        acting_user=leader, session=session, child=world.child, status="present"
    )
    action = community.record_action(
        acting_user=leader,
        unit=world.unit,
        kind="litter_pick",
        date=timezone.localdate(),
        place="The park",
        participants=[world.child],
    )
    story = public.create_story(
        acting_user=leader, unit=world.unit, title="Litter pick", body="We tidied the park."
    )
    photo = public.add_story_photo(
        acting_user=leader,
        story=story,
        image=_photo_upload(),
        caption="Picking up litter",
        children=[world.child],
    )

    records = [
        row["Record"]
        for row in _export(client_for, world, "children", world.child.pk)["audit_log"]["data"]
    ]

    assert f"attendance Attendance #{mark.pk}" in records
    assert any(r.startswith("communityaction ") for r in records), records
    assert any(r.startswith("storyphoto ") for r in records), records
    assert action.pk and photo.pk


def test_exports_list_free_text_that_names_the_child_or_parent(world, client_for):
    leader = world.users["leader"]
    session = session_on(world.cohort, timezone.localdate())
    delivery.record_session_details(
        acting_user=leader, session=session, leaders=[leader], notes="Ada and her mum Ann came."
    )
    community.record_action(
        acting_user=leader,
        unit=world.unit,
        kind="litter_pick",
        date=timezone.localdate(),
        place="Near Ann Lovelace's house",
    )
    classmate = people.add_child_to_cohort(
        acting_user=None,
        cohort=world.cohort,
        first_name="Grace",
        last_name="Hopper",
        year_group=5,
        leader_notes="Best friends with Ada.",
    )
    record_consent(
        acting_user=world.users["guardian"],
        child=world.child,
        kind="participation",
        status="granted",
        method="portal",
        given_by=world.guardian,
    )

    child = _export(client_for, world, "children", world.child.pk)
    assert child["session_notes_mentions"]["data"][0]["Notes"] == "Ada and her mum Ann came."
    assert child["community_action_mentions"]["data"][0]["Place"] == "Near Ann Lovelace's house"
    assert child["leader_notes_mentions"]["data"] == [
        {"Record": f"Child #{classmate.pk}", "Notes for leaders": "Best friends with Ada."}
    ]
    guardian = _export(client_for, world, "guardians", world.guardian.pk)
    assert guardian["session_notes_mentions"]["data"][0]["Record"] == f"Session #{session.pk}"
    assert len(guardian["community_action_mentions"]["data"]) == 1
    # The consent they gave in the portal was made by their own account: it is theirs too.
    assert any(
        row["Who"] == world.users["guardian"].email and row["Record"].startswith("consent ")
        for row in guardian["audit_log"]["data"]
    )
