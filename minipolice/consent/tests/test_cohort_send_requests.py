"""Emailing the parents who have not answered asks first: a page says how many emails and
to whom, and only its "Yes, send" button sends them."""

import re

from django.core import mail

from minipolice.consent.models import EmailDelivery
from minipolice.consent.tests.test_board import add_family, grant


def confirm_url(world):
    return f"/consent/cohorts/{world.cohort.pk}/requests/confirm/"


def test_the_board_links_to_a_confirmation_instead_of_sending(world, client_for):
    client = client_for(world.users["teacher"])
    page = client.get(f"/consent/cohorts/{world.cohort.pk}/").content.decode()
    link = re.search(r'<a [^>]*href="([^"]+)"[^>]*>Email the 1 parent and carer', page)
    assert link and link.group(1) == confirm_url(world)
    assert f'action="/consent/cohorts/{world.cohort.pk}/requests/"' not in page


def test_the_confirmation_names_each_parent_and_their_children_and_sends_nothing(world, client_for):
    add_family(world, "Twin", "twins@example.com", children=2)
    add_family(world, "Paper")  # no email address
    done_guardian, (done,) = add_family(world, "Done", "done@example.com")
    grant(world, done, "participation")
    grant(world, done, "media")
    mail.outbox.clear()
    response = client_for(world.users["teacher"]).get(confirm_url(world))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Email 2 parents and carers?" in page
    assert "Ann Lovelace" in page and "Ada Lovelace" in page
    assert "Twin Parent" in page and "Twin0 Kid" in page and "Twin1 Kid" in page
    assert "Done Parent" not in page
    assert "Paper Parent" in page and "no email address" in page
    button = re.search(r"<button[^>]*>\s*Yes, send 2 emails\s*</button>", page).group(0)
    assert 'data-prevent-double-click="true"' in button
    form = page[page.rindex("<form", 0, page.index("Yes, send 2 emails")) :]
    assert form.startswith(
        f'<form method="post" action="/consent/cohorts/{world.cohort.pk}/requests/"'
    )
    assert f'href="/consent/cohorts/{world.cohort.pk}/"' in page  # cancel, back to the board
    assert "Cancel" in page
    assert mail.outbox == [] and not EmailDelivery.objects.exists()


def test_yes_on_the_confirmation_sends_the_emails(world, client_for):
    client = client_for(world.users["teacher"])
    mail.outbox.clear()
    response = client.post(f"/consent/cohorts/{world.cohort.pk}/requests/", follow=True)
    assert [message.to for message in mail.outbox] == [[world.guardian.email]]
    assert "1 email asking for consent will be sent now" in response.content.decode()
    # Asked today, nobody is left to ask: the confirmation says so and offers no button.
    page = client.get(confirm_url(world)).content.decode()
    assert "Nobody to email" in page and "Yes, send" not in page
    assert "Ann Lovelace" in page and "asked in the last 24 hours" in page


def test_only_staff_who_may_manage_children_see_the_confirmation(world, client_for):
    assert client_for(world.users["lapsed_leader"]).get(confirm_url(world)).status_code == 403
    assert client_for(world.users["outsider"]).get(confirm_url(world)).status_code == 404
