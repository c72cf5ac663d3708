from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("Audit entries are append-only.")

    def delete(self):
        raise PermissionError("Audit entries are append-only.")

    REDACTABLE = {"actor_label", "object_label", "fields"}

    def redact(self, **values) -> int:
        """The one change ever made to entries: erasure replacing a person's name or address
        in who made them or in their text (audit.privacy). What was done, to which record and
        when stay as written."""
        if not values or set(values) - self.REDACTABLE:
            raise PermissionError("Only who and the text of an entry can be redacted.")
        return super().update(**values)


class AuditEntry(models.Model):
    """One change to, or export of, personal data. Never edited, never deleted; only redacted
    when the person it names is erased (AuditEntryQuerySet.redact)."""

    class Action(models.TextChoices):
        CREATE = "create", _("Created")
        UPDATE = "update", _("Changed")
        DELETE = "delete", _("Deleted")
        EXPORT = "export", _("Exported")
        IMPORT = "import", _("Imported")

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(max_length=254, blank=True)
    action = models.CharField(max_length=10, choices=Action.choices)
    object_type = models.CharField(max_length=60)
    object_id = models.CharField(max_length=40, blank=True)
    object_label = models.CharField(max_length=200, blank=True)
    fields = models.JSONField(default=dict, blank=True)
    force = models.ForeignKey(
        "organisations.Force", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(db_index=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["force", "-at"]),
            models.Index(fields=["object_type", "object_id"]),
        ]
        verbose_name_plural = _("audit entries")

    def __str__(self):
        return f"{self.actor_label} {self.action} {self.object_type} {self.object_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("Audit entries are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Audit entries are append-only.")
