"""The curriculum: modules on the three pillars, their resources, and programme templates.

A module or template with no force is part of the national library: every force reads it and
none may change it. A force copies what it wants to change (`copied_from` remembers where a
copy came from, so copying twice does not duplicate).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from minipolice.lib.models import UniqueErrorsOnFieldMixin


class Pillar(models.TextChoices):
    EDUCATION = "education", _("Education")
    COMMUNITY = "community", _("Community")
    REWARD = "reward", _("Reward")


class Module(UniqueErrorsOnFieldMixin, models.Model):
    force = models.ForeignKey(
        "organisations.Force",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="modules",
        help_text=_("Empty for the national library."),
    )
    pillar = models.CharField(max_length=10, choices=Pillar.choices)
    title = models.CharField(max_length=120)
    aims = models.TextField(help_text=_("What the children should know or be able to do after it."))
    activities = models.TextField(_("Suggested activities"))
    minutes = models.PositiveSmallIntegerField(
        default=60, help_text=_("How long it usually takes.")
    )
    copied_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="copies"
    )

    class Meta:
        ordering = ["title", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["force", "title"],
                name="module_title_unique_in_force",
                violation_error_code="unique",
                violation_error_message=_("Your force already has a module with this title."),
            ),
            models.UniqueConstraint(
                fields=["title"],
                condition=Q(force__isnull=True),
                name="module_title_unique_national",
                violation_error_code="unique",
                violation_error_message=_(
                    "The national library already has a module with this title."
                ),
            ),
            models.CheckConstraint(
                condition=Q(minutes__gte=5, minutes__lte=600), name="module_minutes_sensible"
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("programme:module_detail", args=[self.pk])

    @property
    def is_national(self) -> bool:
        return self.force_id is None


class ModuleResource(models.Model):
    """A file for leaders to download: a worksheet, slides, a leaflet template."""

    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="resources")
    title = models.CharField(max_length=120)
    file = models.FileField(upload_to="curriculum/%Y/")
    file_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField()

    class Meta:
        ordering = ["title", "id"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("programme:resource_download", args=[self.pk])


class ProgrammeTemplate(UniqueErrorsOnFieldMixin, models.Model):
    """An ordered list of modules: week 1, week 2, ..."""

    force = models.ForeignKey(
        "organisations.Force",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="programme_templates",
        help_text=_("Empty for the national library."),
    )
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    copied_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="copies"
    )

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["force", "name"],
                name="template_name_unique_in_force",
                violation_error_code="unique",
                violation_error_message=_(
                    "Your force already has a programme template with this name."
                ),
            ),
            models.UniqueConstraint(
                fields=["name"],
                condition=Q(force__isnull=True),
                name="template_name_unique_national",
                violation_error_code="unique",
                violation_error_message=_(
                    "The national library already has a programme template with this name."
                ),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("programme:template_detail", args=[self.pk])

    @property
    def is_national(self) -> bool:
        return self.force_id is None


class TemplateItem(models.Model):
    template = models.ForeignKey(ProgrammeTemplate, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField()
    module = models.ForeignKey(Module, on_delete=models.PROTECT, related_name="template_items")

    class Meta:
        ordering = ["template", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["template", "position"], name="template_item_position_unique"
            )
        ]

    def __str__(self):
        return f"Week {self.position}: {self.module}"
