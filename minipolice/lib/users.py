"""Who did it: the one rule for the user a write records (the `recorded_by`, `created_by` and
audit actor columns)."""


def signed_in_or_none(user):
    """`user` when they are signed in, else None: an anonymous request, a task or the shell
    (which pass None) record nobody, never Django's AnonymousUser."""
    return user if getattr(user, "is_authenticated", False) else None
