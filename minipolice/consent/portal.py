"""The parent portal's sign-in links: tokens, their hashes, and the rate limit on asking.

Guardians have no password. An email carries a single-use link that expires after
PortalToken.LIFETIME_HOURS; only the SHA-256 hash of its token is stored, so a copy of the
database cannot sign anyone in. Requests for a new link are counted in the database (web
processes are stateless and may be many) by keyed hashes of the email and IP address.

Two limits, for two different abuses. Per IP address, every request counts (someone trying
address after address). Per email address, only links actually sent count, and at most one is
sent per LINK_COOLDOWN: anyone can ask for a link to any address, but the link goes only to
that address, so a stranger's requests cannot lock the parent out; they can at most cause one
email per cool-down, and a link the stranger caused to be sent works for the parent.
"""

import datetime
import hashlib
import secrets

from django.utils import timezone
from django.utils.crypto import salted_hmac

from minipolice.consent.models import PortalLinkRequest

# A session signed in through a link reaches only the portal (see PortalOnlyMiddleware).
PORTAL_SESSION_KEY = "portal_only"
# The address the link was emailed to: consents given in the session record it.
PORTAL_EMAIL_KEY = "portal_email"

LINK_COOLDOWN = datetime.timedelta(minutes=5)
LINKS_PER_IP_PER_HOUR = 5
RATE_WINDOW = datetime.timedelta(hours=1)
KEEP_REQUESTS_FOR = datetime.timedelta(days=1)


def new_token() -> tuple[str, str]:
    """A fresh token for a link, and the hash to store."""
    raw = secrets.token_urlsafe(32)
    return raw, hash_token(raw)


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def email_digest(email: str) -> str:
    return salted_hmac("minipolice.portal.email", email.strip().lower()).hexdigest()


def ip_digest(ip: str) -> str:
    return salted_hmac("minipolice.portal.ip", ip or "unknown").hexdigest()


def client_ip(request) -> str:
    """The address the request came from. Behind TRUSTED_PROXY_COUNT proxies it is the one the
    outermost trusted proxy saw, from X-Forwarded-For; otherwise REMOTE_ADDR. Without this, every
    visitor would share the proxy's address and its rate limit."""
    from django.conf import settings

    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    forwarded = [
        part.strip()
        for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if part.strip()
    ]
    if proxies and len(forwarded) >= proxies:
        return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def is_rate_limited(ip: str, now: datetime.datetime | None = None) -> bool:
    """This IP address has asked too often in the last hour (whatever the addresses)."""
    now = now or timezone.now()
    recent = PortalLinkRequest.objects.filter(at__gt=now - RATE_WINDOW, ip_digest=ip_digest(ip))
    return recent.count() >= LINKS_PER_IP_PER_HOUR


def in_cooldown(email: str, now: datetime.datetime | None = None) -> bool:
    """A link was sent to this address less than LINK_COOLDOWN ago."""
    now = now or timezone.now()
    return PortalLinkRequest.objects.filter(
        email_digest=email_digest(email), link_sent=True, at__gt=now - LINK_COOLDOWN
    ).exists()
