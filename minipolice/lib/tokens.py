"""Secret tokens that stand in for a password (API tokens, calendar addresses): only a hash is
stored, so a copy of the database does not give anyone a working token."""

import hashlib
import secrets


def new_token() -> str:
    return secrets.token_urlsafe(32)


def hash_token(raw: str) -> str:
    """The only form in which a token is stored: its SHA-256, in hex."""
    return hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()
