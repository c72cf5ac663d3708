"""Sign-in records in erasure: django-axes keeps the address typed at each sign-in and the IP
address it came from (attempts, failures, successful sign-ins); allauth keeps a user's email
addresses and second factors. Erasing a parent deletes the records of their addresses and of
their portal-only accounts. See people/privacy.py for the hooks."""

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.db.models import Q

from minipolice.lib.privacy import Identifiers


def remove_identifiers(identifiers: Identifiers) -> list[str]:
    typed = Q(pk__in=[])
    for email in identifiers.emails:
        typed |= Q(username__iexact=email)
    removed = sum(
        model.objects.filter(typed).delete()[1].get(model._meta.label, 0)
        for model in (AccessAttempt, AccessFailureLog, AccessLog)
    )
    EmailAddress.objects.filter(user_id__in=identifiers.user_ids).delete()
    Authenticator.objects.filter(user_id__in=identifiers.user_ids).delete()
    if not removed:
        return []
    return [f"{removed} sign-in record{'s' if removed != 1 else ''} (deleted)"]
