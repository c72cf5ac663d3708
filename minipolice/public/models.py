from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class StoryStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Waiting for review")
    PUBLISHED = "published", _("Published")


class Story(models.Model):
    """A news item about a unit, written by its leaders and published by a coordinator.

    A writer submits a draft for review (`submitted_*`); a coordinator publishes it or sends it
    back to draft with a reason the writer reads (`returned_*`, cleared when it is submitted
    again). Only a draft changes (services._require_draft)."""

    unit = models.ForeignKey("organisations.Unit", on_delete=models.PROTECT, related_name="stories")
    title = models.CharField(max_length=160)
    body = models.TextField(
        _("Story"),
        help_text=_(
            "Blank lines start new paragraphs. Do not name children here: tag them in photos."
        ),
    )
    happened_on = models.DateField(_("Date of the activity"), null=True, blank=True)
    status = models.CharField(max_length=10, choices=StoryStatus.choices, default=StoryStatus.DRAFT)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    returned_at = models.DateTimeField(null=True, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    returned_reason = models.TextField(_("Why it was sent back"), blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-published_at", "-created_at", "-id"]
        verbose_name_plural = "stories"
        indexes = [models.Index(fields=["unit", "status", "-published_at"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("public:story_detail", args=[self.pk])

    @property
    def is_published(self) -> bool:
        return self.status == StoryStatus.PUBLISHED

    @property
    def is_submitted(self) -> bool:
        return self.status == StoryStatus.SUBMITTED

    @property
    def is_draft(self) -> bool:
        return self.status == StoryStatus.DRAFT

    def paragraphs(self) -> list[str]:
        return [
            part.strip() for part in self.body.replace("\r\n", "\n").split("\n\n") if part.strip()
        ]


class StoryPhoto(models.Model):
    """A photo in a story. The file is served only through views that check consent again.

    `published` is set when the story is published and every child tagged in the photo may
    appear on the force's website; it is cleared at once when one of them no longer may.

    `withheld_at` is set when a child tagged in the photo is erased or anonymised (their tag
    goes, their face does not): the photo is then never published, whatever the remaining tags
    say, until someone tags the children in it again (services.retag_story_photo).
    """

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(upload_to="stories/", width_field="width", height_field="height")
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    caption = models.CharField(
        max_length=200,
        help_text=_("Describe the photo for people who cannot see it. Do not name children."),
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField()
    published = models.BooleanField(default=False)
    held_back_reason = models.CharField(max_length=255, blank=True)
    withheld_at = models.DateTimeField(null=True, blank=True)
    withheld_reason = models.CharField(max_length=255, blank=True)
    children = models.ManyToManyField(
        "people.Child", through="PhotoTag", related_name="story_photos", blank=True
    )

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self):
        return self.caption


class PhotoTag(models.Model):
    """A child who appears in a photo. Only children whose media consent covers the force's
    website can be tagged; a photo with an untagged child in it must not be uploaded."""

    photo = models.ForeignKey(StoryPhoto, on_delete=models.CASCADE, related_name="tags")
    child = models.ForeignKey("people.Child", on_delete=models.CASCADE, related_name="photo_tags")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["photo", "child"], name="photo_tag_unique")]

    def __str__(self):
        return f"{self.child_id} in photo {self.photo_id}"
