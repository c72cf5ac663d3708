"""Finishing the register asks first: a page names the children not yet marked, and only its
"Yes, mark N absent" button marks them."""

import datetime
import re

from django.utils import timezone

from minipolice.delivery.models import Attendance
from minipolice.delivery.tests.helpers import add_children, grant_participation, session_on


def confirm_url(session):
    return f"/sessions/{session.pk}/register/finish/confirm/"


def test_the_register_links_to_a_confirmation_instead_of_marking(world, client_for):
    grant_participation(world.child)
    add_children(world.cohort, 2)
    session = session_on(world.cohort)
    page = client_for(world.users["leader"]).get(f"/sessions/{session.pk}/").content.decode()
    link = re.search(r'<a [^>]*href="([^"]+)"[^>]*>Mark the 3 not yet marked as absent', page)
    assert link and link.group(1) == confirm_url(session)
    assert f'action="/sessions/{session.pk}/register/finish/"' not in page


def test_the_confirmation_names_the_children_and_marks_nobody(world, client_for):
    grant_participation(world.child)
    kids = add_children(world.cohort, 2)
    session = session_on(world.cohort)
    client = client_for(world.users["teacher"])
    client.post(f"/sessions/{session.pk}/register/{kids[0].pk}/", {"status": "present"})
    response = client.get(confirm_url(session))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Mark 2 children absent?" in page
    names = re.findall(r"<li>([^<]+)</li>", page.split("Not yet marked")[1])
    assert names == ["Ada Lovelace", "Kid1 Register"]  # not Kid0, marked present
    button = re.search(r"<button[^>]*>\s*Yes, mark 2 absent\s*</button>", page).group(0)
    assert 'data-prevent-double-click="true"' in button
    form = page[page.rindex("<form", 0, page.index("Yes, mark 2 absent")) :]
    assert form.startswith(f'<form method="post" action="/sessions/{session.pk}/register/finish/"')
    assert f'href="/sessions/{session.pk}/"' in page and "Cancel" in page
    assert Attendance.objects.filter(session=session).count() == 1


def test_yes_on_the_confirmation_marks_them_absent(world, client_for):
    grant_participation(world.child)
    session = session_on(world.cohort)
    client = client_for(world.users["leader"])
    response = client.post(f"/sessions/{session.pk}/register/finish/", follow=True)
    assert "Register finished: 1 child marked absent." in response.content.decode()
    assert Attendance.objects.get(session=session).status == "absent"
    # Nothing left: the confirmation says so and offers no button.
    page = client.get(confirm_url(session)).content.decode()
    assert "Every child is marked" in page and "Yes, mark" not in page


def test_a_register_not_yet_open_cannot_be_finished_from_the_confirmation(world, client_for):
    grant_participation(world.child)
    session = session_on(world.cohort, timezone.localdate() + datetime.timedelta(days=7))
    page = client_for(world.users["leader"]).get(confirm_url(session)).content.decode()
    assert "The register opens on the day of the session" in page and "Yes, mark" not in page


def test_only_register_takers_see_the_confirmation(world, client_for):
    session = session_on(world.cohort)
    assert client_for(world.users["lapsed_leader"]).get(confirm_url(session)).status_code == 403
    assert client_for(world.users["outsider"]).get(confirm_url(session)).status_code == 404
