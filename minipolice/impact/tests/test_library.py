"""The questionnaire library: a coordinator copies a national questionnaire, edits the draft,
publishes it, and from then on the force asks its own version; published versions never
change; readers read; another force's questionnaires are not found."""

import pytest
from django.core.exceptions import ValidationError

from minipolice.accounts.models import Role
from minipolice.accounts.services import assign_role
from minipolice.audit.models import AuditEntry
from minipolice.impact import library, services
from minipolice.impact.models import (
    Instrument,
    InstrumentKind,
    InstrumentVersion,
    Question,
    QuestionKind,
)
from minipolice.programme.models import Module


def national(kind=InstrumentKind.CHILD):
    return Instrument.objects.get(force=None, kind=kind)


def force_copy(world, kind=InstrumentKind.CHILD):
    return library.copy_instrument(acting_user=None, instrument=national(kind), force=world.force)


def test_coordinator_copies_the_national_questionnaire_as_a_draft(world, client_for):
    client = client_for(world.users["coordinator"])
    page = client.get(f"/surveys/questionnaires/{national().pk}/").content.decode()
    assert "Copy to my force" in page
    response = client.post(f"/surveys/questionnaires/{national().pk}/copy/")
    copy = Instrument.objects.get(force=world.force, kind=InstrumentKind.CHILD)
    assert response.status_code == 302 and response["Location"] == copy.get_absolute_url()
    assert copy.copied_from == national()
    (draft,) = copy.versions.all()
    assert draft.number == 1 and not draft.is_published
    national_keys = list(
        national().versions.get().questions.order_by("position").values_list("key", flat=True)
    )
    assert list(draft.questions.order_by("position").values_list("key", flat=True)) == (
        national_keys
    )
    # Until the copy is published the force keeps asking the national version.
    assert services.current_version(world.force, InstrumentKind.CHILD).instrument == national()
    # Copying again gives the same copy.
    client.post(f"/surveys/questionnaires/{national().pk}/copy/")
    assert Instrument.objects.filter(force=world.force, kind=InstrumentKind.CHILD).count() == 1
    assert AuditEntry.objects.filter(object_type="instrument", object_id=str(copy.pk)).exists()
    page = client.get(f"/surveys/questionnaires/{national().pk}/").content.decode()
    assert "Copy to my force" not in page


def test_national_library_cannot_be_changed(world, client_for):
    client = client_for(world.users["coordinator"])
    instrument = national()
    assert (
        client.get(f"/surveys/questionnaires/{instrument.pk}/draft/questions/new/").status_code
        == 404
    )
    response = client.post(f"/surveys/questionnaires/{instrument.pk}/draft/", follow=True)
    assert "The national library cannot be changed" in response.content.decode()
    assert instrument.versions.count() == 1
    question = instrument.versions.get().questions.first()
    response = client.post(f"/surveys/questions/{question.pk}/remove/", follow=True)
    assert Question.objects.filter(pk=question.pk).exists()


def test_coordinator_adds_changes_removes_and_publishes(world, client_for):
    client = client_for(world.users["coordinator"])
    copy = force_copy(world)
    draft = copy.versions.get()
    count = draft.questions.count()
    module = Module.objects.filter(force=None).first()
    response = client.post(
        f"/surveys/questionnaires/{copy.pk}/draft/questions/new/",
        {
            "text": "Which number do you call in an emergency?",
            "key": "emergency_number",
            "kind": "choice",
            "options": "999\n101\n\n111\n",
            "correct": "1",
            "module": module.pk,
        },
    )
    assert response.status_code == 302
    added = draft.questions.get(key="emergency_number")
    assert added.position == count + 1
    assert added.options == ["999", "101", "111"] and added.correct == 0
    assert added.module == module and added.is_knowledge

    response = client.post(
        f"/surveys/questions/{added.pk}/edit/",
        {"text": "I know the emergency number.", "key": "emergency_number", "kind": "face"},
    )
    assert response.status_code == 302
    added.refresh_from_db()
    assert (added.kind, added.options, added.correct) == ("face", [], None)

    first = draft.questions.get(position=1)
    client.post(f"/surveys/questions/{first.pk}/remove/")
    assert list(draft.questions.order_by("position").values_list("position", flat=True)) == list(
        range(1, count + 1)
    )

    page = client.get(f"/surveys/questionnaires/{copy.pk}/publish/")
    assert "can never change" in page.content.decode()
    response = client.post(f"/surveys/questionnaires/{copy.pk}/publish/", {})
    assert "Confirm that you have checked the questions" in response.content.decode()
    response = client.post(f"/surveys/questionnaires/{copy.pk}/publish/", {"confirm": "on"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.is_published
    assert services.current_version(world.force, InstrumentKind.CHILD) == draft
    # The other force still asks the national version.
    assert services.current_version(world.other_force, InstrumentKind.CHILD).instrument == (
        national()
    )


def test_a_published_version_is_never_edited_a_new_version_starts_from_it(world, client_for):
    client = client_for(world.users["coordinator"])
    copy = force_copy(world)
    first = copy.versions.get()
    library.publish(acting_user=None, version=first)
    question = first.questions.get(position=1)
    response = client.post(
        f"/surveys/questions/{question.pk}/edit/",
        {"text": "Changed", "key": question.key, "kind": "face"},
    )
    assert "This version is published and cannot change. Start a new version." in (
        response.content.decode()
    )
    question.refresh_from_db()
    assert question.text != "Changed"
    with pytest.raises(ValidationError, match="published and cannot change"):
        library.remove_question(acting_user=None, question=question)

    response = client.post(f"/surveys/questionnaires/{copy.pk}/draft/")
    second = copy.versions.get(number=2)
    assert not second.is_published
    assert second.questions.count() == first.questions.count()
    # One draft at a time: starting again gives the same draft.
    client.post(f"/surveys/questionnaires/{copy.pk}/draft/")
    assert copy.versions.count() == 2
    # Until version 2 is published, version 1 is asked.
    assert services.current_version(world.force, InstrumentKind.CHILD) == first
    page = client.get(f"/surveys/questionnaires/{copy.pk}/?version=1").content.decode()
    assert "This version is published and cannot change" in page
    assert client.get(f"/surveys/questionnaires/{copy.pk}/?version=9").status_code == 404


@pytest.mark.parametrize(
    ("instrument_kind", "post", "field", "message"),
    [
        (
            "child",
            {"text": "What do you think?", "key": "think", "kind": "text"},
            "kind",
            "Select a valid choice",
        ),
        (
            "child",
            {"text": "Pick", "key": "pick", "kind": "choice", "options": "Only one"},
            "options",
            "Enter between 2 and 6 answers, one on each line",
        ),
        (
            "child",
            {"text": "Pick", "key": "pick", "kind": "choice", "options": "a\nb\nc\nd\ne\nf\ng"},
            "options",
            "Enter between 2 and 6 answers, one on each line",
        ),
        (
            "child",
            {"text": "Faces", "key": "faces", "kind": "face", "options": "a\nb"},
            "options",
            "Leave the answers empty",
        ),
        (
            "child",
            {"text": "Pick", "key": "pick", "kind": "choice", "options": "a\nb", "correct": "3"},
            "correct",
            "The right answer must be one of the answers listed",
        ),
        (
            "child",
            {"text": "Again", "key": "trust_police", "kind": "face"},
            "key",
            "Another question in this version has this key",
        ),
        (
            "child",
            {"text": "Bad key", "key": "not a slug!", "kind": "face"},
            "key",
            "slug",
        ),
        ("child", {"text": "", "key": "empty", "kind": "face"}, "text", "Enter the question"),
    ],
)
def test_bad_questions_are_shown_in_the_error_summary(
    world, client_for, instrument_kind, post, field, message
):
    copy = force_copy(world, instrument_kind)
    draft = copy.versions.get()
    before = draft.questions.count()
    response = client_for(world.users["coordinator"]).post(
        f"/surveys/questionnaires/{copy.pk}/draft/questions/new/", post
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page and f'href="#id_{field}"' in page
    assert message in page
    assert draft.questions.count() == before


def test_service_rules_for_feedback_questionnaires(world):
    teacher = force_copy(world, InstrumentKind.TEACHER).versions.get()
    guardian = force_copy(world, InstrumentKind.GUARDIAN).versions.get()
    child = force_copy(world, InstrumentKind.CHILD).versions.get()
    written = library.add_question(
        acting_user=None, version=teacher, key="anything_else", kind="text", text="Anything else?"
    )
    assert written.kind == QuestionKind.TEXT
    with pytest.raises(ValidationError) as refused:
        library.add_question(acting_user=None, version=child, key="say", kind="text", text="Say")
    assert "Children never write" in str(refused.value)
    with pytest.raises(ValidationError) as refused:
        library.add_question(
            acting_user=None,
            version=guardian,
            key="quiz",
            kind="choice",
            text="Quiz",
            options=["a", "b"],
            correct=0,
        )
    assert "Only the children's questionnaire has knowledge questions" in str(refused.value)
    other_module = Module.objects.create(
        force=world.other_force,
        pillar=Module.objects.first().pillar,
        title="Theirs",
        aims="a",
        activities="b",
    )
    with pytest.raises(ValidationError) as refused:
        library.add_question(
            acting_user=None,
            version=child,
            key="theirs",
            kind="face",
            text="T",
            module=other_module,
        )
    assert "national module or one of your force's own" in str(refused.value)


def test_an_empty_version_cannot_be_published(world, client_for):
    copy = force_copy(world, InstrumentKind.GUARDIAN)
    draft = copy.versions.get()
    for question in list(draft.questions.all()):
        library.remove_question(acting_user=None, question=question)
    response = client_for(world.users["coordinator"]).post(
        f"/surveys/questionnaires/{copy.pk}/publish/", {"confirm": "on"}
    )
    assert "Add at least one question before publishing" in response.content.decode()
    draft.refresh_from_db()
    assert not draft.is_published


def test_readers_read_but_do_not_change(world, client_for):
    copy = force_copy(world)
    for role in ("teacher", "leader", "area_lead"):
        client = client_for(world.users[role])
        page = client.get(f"/surveys/questionnaires/{copy.pk}/").content.decode()
        assert "I trust the police." in page
        assert "Add a question" not in page and "Copy to my force" not in page
        assert client.post(f"/surveys/questionnaires/{copy.pk}/draft/").status_code == 403
        listing = client.get("/surveys/questionnaires/").content.decode()
        assert (
            f"/surveys/questionnaires/{copy.pk}/" in listing and "Copy to my force" not in listing
        )


def test_another_forces_questionnaire_is_not_found(world, client_for):
    copy = force_copy(world)
    client = client_for(world.users["outsider"])
    assert client.get(f"/surveys/questionnaires/{copy.pk}/").status_code == 404
    assert client.post(f"/surveys/questionnaires/{copy.pk}/draft/").status_code == 404
    question = copy.versions.get().questions.first()
    assert client.get(f"/surveys/questions/{question.pk}/edit/").status_code == 404
    listing = client.get("/surveys/questionnaires/").content.decode()
    assert f"/surveys/questionnaires/{national().pk}/" in listing  # the national one
    assert "Your force asks the national questionnaires" in listing


def test_instrument_detail_query_count_does_not_grow_with_questions(
    world, client_for, django_assert_max_num_queries
):
    copy = force_copy(world)
    draft = copy.versions.get()
    client = client_for(world.users["coordinator"])
    url = f"/surveys/questionnaires/{copy.pk}/"
    client.get(url)
    with django_assert_max_num_queries(8) as few:
        client.get(url)
    for n in range(30):
        library.add_question(
            acting_user=None, version=draft, key=f"extra_{n}", kind="face", text=f"Extra {n}"
        )
    library.publish(acting_user=None, version=draft)
    library.start_draft(acting_user=None, instrument=copy)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert "Extra 29" in response.content.decode()
    assert InstrumentVersion.objects.filter(instrument=copy).count() == 2


def test_a_coordinator_who_teaches_in_another_force_cannot_change_its_questionnaires(
    world, client_for
):
    """The outsider coordinates their own force and also teaches at a school of this one: they
    may read this force's questionnaires (a teacher does), never write them."""
    assign_role(
        acting_user=None, user=world.users["outsider"], role=Role.TEACHER, school=world.school
    )
    copy = force_copy(world)
    draft = copy.versions.get()
    question = draft.questions.order_by("position").first()
    client = client_for(world.users["outsider"])
    assert client.get(f"/surveys/questionnaires/{copy.pk}/").status_code == 200
    new = {"text": "Smuggled in", "key": "smuggled", "kind": "face"}
    attempts = [
        client.post(f"/surveys/questionnaires/{copy.pk}/draft/questions/new/", new),
        client.post(f"/surveys/questions/{question.pk}/edit/", new),
        client.post(f"/surveys/questions/{question.pk}/remove/"),
        client.post(f"/surveys/questionnaires/{copy.pk}/publish/", {"confirm": "on"}),
        client.post(f"/surveys/questionnaires/{copy.pk}/draft/"),
    ]
    assert [response.status_code for response in attempts] == [404] * 5
    draft.refresh_from_db()
    assert draft.published_at is None
    assert not draft.questions.filter(key="smuggled").exists()
    assert draft.questions.filter(pk=question.pk).exists()
