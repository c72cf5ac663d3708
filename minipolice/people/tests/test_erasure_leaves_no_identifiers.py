"""Erasure leaves no identifier behind: after erasing a child (and with them their only
parent) or a parent alone, no text column of any table of any installed app (ours, allauth's,
django-axes', the task queue's, sessions) still holds their names, email addresses or the IP
address they signed in from. Free text that named them is redacted, and the coordinator is
told where."""

import datetime
import json
import re

from django.apps import apps
from django.contrib.sessions.models import Session as DjangoSession
from django.db import models
from django.utils import timezone

from conftest import PASSWORD
from minipolice.audit.models import AuditEntry
from minipolice.awards import services as awards
from minipolice.community import services as community
from minipolice.consent.services import record_consent
from minipolice.delivery import services as delivery
from minipolice.delivery.tests.helpers import session_on
from minipolice.people import services as people
from minipolice.public import services as public
from minipolice.public.tests.conftest import image_upload, media_root  # noqa: F401 (autouse)

GUARDIAN_IP = "203.0.113.77"
NEW_EMAIL = "ann.new@example.net"
TEXT_FIELDS = (models.CharField, models.TextField, models.JSONField, models.GenericIPAddressField)


def _rendered(value) -> str:
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return "" if value is None else str(value)


def leftovers(*secrets: str) -> list[str]:
    """Every (table.column #pk) whose text holds one of `secrets` as a whole word, in every
    model of every installed app. Sessions are decoded as well, so messages kept there count."""
    pattern = re.compile(
        r"(?<![\w])("
        + "|".join(re.escape(secret) for secret in sorted(secrets, key=len, reverse=True))
        + r")(?![\w])",
        re.IGNORECASE,
    )
    found = []
    for model in apps.get_models(include_auto_created=True):
        columns = [f.name for f in model._meta.concrete_fields if isinstance(f, TEXT_FIELDS)]
        if not columns:
            continue
        for row in model._default_manager.values("pk", *columns):
            for column in columns:
                match = pattern.search(_rendered(row[column]))
                if match:
                    found.append(f"{model._meta.db_table}.{column} #{row['pk']}: {match[0]}")
    for stored in DjangoSession.objects.all():
        match = pattern.search(_rendered(stored.get_decoded()))
        if match:
            found.append(f"decoded session {stored.pk}: {match[0]}")
    return found


def _busy_term(world, client, client_for):
    """A term's ordinary work, leaving the child's and the parent's names in free text, the
    parent's email address in logs and the parent's IP address in the sign-in logs."""
    today = timezone.localdate()
    guardian_user = world.users["guardian"]
    # The parent signs in from home: a wrong password first, with both their addresses.
    for email in (guardian_user.email, world.guardian.email):
        client.post(
            "/accounts/login/",
            {"login": email, "password": "wrong password"},
            REMOTE_ADDR=GUARDIAN_IP,
        )
    client.post(
        "/accounts/login/",
        {"login": guardian_user.email, "password": PASSWORD},
        REMOTE_ADDR=GUARDIAN_IP,
    )
    client.logout()
    # The coordinator types a new address for them, waiting for confirmation from it.
    client_for(world.users["coordinator"]).post(
        f"/guardians/{world.guardian.pk}/edit/",
        {"name": world.guardian.name, "email": NEW_EMAIL, "phone": "07700 900123"},
    )
    client.logout()
    # They answer consent questions (audited with them as the actor).
    for kind in ("participation", "media"):
        record_consent(
            acting_user=guardian_user,
            child=world.child,
            kind=kind,
            status="granted",
            method="portal",
            given_by=world.guardian,
            media_uses=["internal"] if kind == "media" else [],
            note="Ann Lovelace phoned first: Ada is very keen",
        )
    classmate = people.add_child_to_cohort(
        acting_user=None,
        cohort=world.cohort,
        first_name="Grace",
        last_name="Hopper",
        year_group=5,
        leader_notes="Sits next to Ada Lovelace; works well with her.",
    )
    leader = world.users["leader"]
    session = session_on(world.cohort, today)
    delivery.record_attendance(
        acting_user=leader, session=session, child=world.child, status="present"
    )
    delivery.record_session_details(
        acting_user=leader,
        session=session,
        leaders=[leader],
        notes="Ada led the role play. LOVELACE family helped; Ann stayed to watch.",
    )
    later = session_on(world.cohort, today + datetime.timedelta(days=7))
    delivery.cancel_session(acting_user=leader, session=later, reason="Ada's class is on a trip")
    action = community.record_action(
        acting_user=leader,
        unit=world.unit,
        kind="litter_pick",
        date=today,
        place="Lovelace Close, by Ada's house",
        partners="Ann Lovelace (parent volunteer)",
        outcome="Ada Lovelace spoke to residents",
        participants=[world.child],
    )
    community.update_action(
        acting_user=leader,
        action=action,
        kind="litter_pick",
        participants=[world.child],
        editable_ids=[world.child.pk],
        place="The park by the school",
        outcome="Ada Lovelace spoke to residents",
        partners="Ann Lovelace (parent volunteer)",
        date=today,
    )
    story = public.create_story(
        acting_user=leader,
        unit=world.unit,
        title="Ada Lovelace's litter pick",
        body="Ada led the litter pick on Lovelace Close.",
    )
    photo = public.add_story_photo(
        acting_user=leader, story=story, image=image_upload(), caption="Ada with a litter picker"
    )
    # Her completion certificate prints her name; a classmate's award citation names her too.
    job = awards.start_bulk_issue(acting_user=None, cohort=world.cohort, base_url="http://t/")
    awards.run_bulk_issue(job_id=job.pk)
    special = awards.give_special_award(
        acting_user=leader,
        child=classmate,
        cohort=world.cohort,
        title="Community Champion",
        citation="For helping Ada Lovelace and Ann at the litter pick",
    )
    return {
        "award": special,
        "session": session,
        "later": later,
        "action": action,
        "classmate": classmate,
        "story": story,
        "photo": photo,
    }


def test_erasing_a_child_leaves_no_name_email_or_ip_in_any_table(world, client, client_for):
    work = _busy_term(world, client, client_for)
    secrets = ("Ada", "Lovelace", "Ann", world.guardian.email, world.users["guardian"].email)
    before = " ".join(leftovers(*secrets, NEW_EMAIL, GUARDIAN_IP))
    for secret in (*secrets, NEW_EMAIL, GUARDIAN_IP):  # the scan sees each before erasure
        assert secret.lower() in before.lower(), secret
    assert "axes_accesslog" in before or "axes_accessattempt" in before

    coordinator = client_for(world.users["coordinator"])
    response = coordinator.post(
        f"/children/{world.child.pk}/erase/",
        {"reason": "Ann Lovelace (ann@example.com) asked on 3 March for Ada's data to go"},
        follow=True,
    )
    page = response.content.decode()

    assert leftovers(*secrets, NEW_EMAIL, GUARDIAN_IP) == []
    # The coordinator is told where text was changed, by record number and date, no names.
    notes = f"notes of the session on {work['session'].date:%-d %B %Y} (#{work['session'].pk})"
    assert notes in page
    assert f"(#{work['later'].pk})" in page and f"(#{work['action'].pk})" in page
    assert f"child #{work['classmate'].pk}" in page
    assert f"story #{work['story'].pk}" in page and f"photo #{work['photo'].pk}" in page
    assert f"citation of award #{work['award'].pk}" in page
    assert "audit log" in page
    # Free text keeps its meaning around the placeholder.
    work["session"].refresh_from_db()
    assert work["session"].notes == (
        "[name removed] led the role play. [name removed] family helped; "
        "[name removed] stayed to watch."
    )
    work["classmate"].refresh_from_db()
    assert work["classmate"].leader_notes.startswith("Sits next to [name removed];")
    entry = AuditEntry.objects.get(object_type="child", fields__anonymised="erasure")
    assert entry.fields["reason"] == (
        "[name removed] ([email removed]) asked on 3 March for [name removed]'s data to go"
    )
    notes = f"notes of the session on {work['session'].date:%-d %B %Y} (#{work['session'].pk})"
    assert notes in entry.fields["text_changed"]
    # The audit page no longer finds the parent by their address.
    body = coordinator.get("/audit/?q=guardian%40example.org").content.decode()
    assert "No entries found" in body


def test_erasing_a_parent_leaves_no_name_email_or_ip_in_any_table(world, client, client_for):
    work = _busy_term(world, client, client_for)
    secrets = ("Ann", "Ann Lovelace", world.guardian.email, world.users["guardian"].email)
    assert leftovers(*secrets, NEW_EMAIL, "07700 900123", GUARDIAN_IP)

    coordinator = client_for(world.users["coordinator"])
    response = coordinator.post(
        f"/guardians/{world.guardian.pk}/erase/",
        {"reason": "Ann asked by phone to be removed"},
        follow=True,
    )

    assert leftovers(*secrets, NEW_EMAIL, "07700 900123", GUARDIAN_IP) == []
    page = response.content.decode()
    assert f"(#{work['session'].pk})" in page and f"(#{work['action'].pk})" in page
    # The child stays, and so does their surname where it named them (the family name is
    # still the child's, so it is not what erasing the parent removes).
    world.child.refresh_from_db()
    assert world.child.anonymised_at is None
    work["session"].refresh_from_db()
    assert work["session"].notes == (
        "Ada led the role play. LOVELACE family helped; [name removed] stayed to watch."
    )
    entry = AuditEntry.objects.get(object_type="guardian", fields__anonymised="erasure")
    assert entry.fields["reason"] == "[name removed] asked by phone to be removed"


def test_the_retention_run_redacts_the_same_places(world, client, client_for):
    work = _busy_term(world, client, client_for)
    end = world.cohort.end_date
    people.apply_retention(today=end + datetime.timedelta(days=800))
    assert (
        leftovers("Ada", "Lovelace", "Ann", world.guardian.email, world.users["guardian"].email)
        == []
    )
    entry = AuditEntry.objects.get(
        object_type="child", object_id=str(world.child.pk), fields__anonymised="retention"
    )
    assert f"community action on {work['action'].date:%-d %B %Y}" in " ".join(
        entry.fields["text_changed"]
    )
