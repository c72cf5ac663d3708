from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ImpactReport(models.Model):
    """One PDF impact report of a force over a period, for the Police and Crime Commissioner:
    asked for on the force's dashboard, drawn by the task worker, then downloaded.

    The report holds aggregates only (rounded as for a funder) and a few story photos that
    were on the force's public pages when it was drawn; `photo_ids` lets a download check
    that each may still be shown, and the PDF is dropped when one may not.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Drawing")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    force = models.ForeignKey(
        "organisations.Force", on_delete=models.CASCADE, related_name="impact_reports"
    )
    start = models.DateField()
    end = models.DateField()
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The language of the page it was asked for on: the worker draws the PDF in it. Empty for
    # reports asked for before languages: the force's (Welsh for a Welsh-language force).
    language = models.CharField(max_length=8, blank=True, default="")
    created_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    # Progress: the parts of the report drawn so far, of `total`.
    total = models.PositiveSmallIntegerField(default=0)
    done = models.PositiveSmallIntegerField(default=0)
    task_id = models.CharField(max_length=64, blank=True)
    error = models.TextField(blank=True)
    photo_ids = models.JSONField(default=list, blank=True)
    pdf = models.BinaryField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # A second click (another tab, a colleague) finds the report already being drawn.
            models.UniqueConstraint(
                fields=["force", "start", "end"],
                condition=Q(status__in=["queued", "running"]),
                name="impact_report_one_active_per_period",
            ),
        ]

    def __str__(self):
        return f"Impact report #{self.pk}"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def percent_done(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0
