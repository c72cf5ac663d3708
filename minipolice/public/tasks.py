"""Background tasks of the public app (Django's tasks API, run by `manage.py task_worker`).

The parents' outbox (consent.emails) is for emails to guardians; this notice to staff is a
plain email, one per coordinator so none sees another's address. It carries no text the
writer typed (a story's title could name a child, and a sent email cannot be erased), only
who submitted a story about which unit, and links.
"""

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_noop
from django_tasks import task

from minipolice.public.models import Story
from minipolice.public.selectors import story_reviewers

SUBJECT = gettext_noop("Mini Police: a story is waiting for review")


@task()
def send_story_submitted_email(story_id: int, base_url: str) -> int:
    """Tell the force's coordinators that a story is waiting for review. Nothing is sent if it
    is no longer waiting (withdrawn, sent back or published before the task ran). Returns how
    many emails were sent."""
    story = (
        Story.objects.select_related("unit", "submitted_by", "unit__school__area__force")
        .filter(pk=story_id)
        .first()
    )
    if story is None or not story.is_submitted:
        return 0
    root = base_url.rstrip("/")
    context = {
        "story": story,
        "story_url": root + reverse("public:story_detail", args=[story.pk]),
        "review_url": root + reverse("public:story_review"),
    }
    messages = []
    # Each coordinator reads it in the language they chose; English if none.
    for email, language in story_reviewers(story.unit.school.area.force):
        with translation.override(language or settings.LANGUAGE_CODE):
            subject = translation.gettext(SUBJECT)
            body = render_to_string("public/emails/story_submitted.txt", context)
        messages.append(
            EmailMessage(
                subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[email]
            )
        )
    if not messages:
        return 0
    return get_connection().send_messages(messages) or 0
