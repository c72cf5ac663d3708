from django.conf import settings
from django.db import models

from minipolice.lib.tokens import hash_token

__all__ = ["ApiToken", "hash_token"]


class ApiToken(models.Model):
    """A bearer token for the REST API. It acts as its user, with exactly their scope.

    The token itself is shown once, when it is made; only its hash is kept. The prefix (the
    first characters of the token) lets its owner tell tokens apart in a list.
    """

    PREFIX_LENGTH = 8

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=80, blank=True, help_text="What the token is for")
    prefix = models.CharField(max_length=PREFIX_LENGTH)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "revoked_at"])]

    def __str__(self):
        return f"{self.prefix}… ({self.name or 'API token'})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
