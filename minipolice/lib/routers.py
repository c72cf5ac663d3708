"""Which database a query goes to: the optional read-only replica, for the dashboards only.

With DATABASE_REPLICA_URL set (settings: DATABASE_READ_REPLICA = "replica"), the reads made
inside `reading_replica()` go to the replica; the reports selectors that add up a dashboard's
figures (`build_dashboard`, `national_comparison`) run inside it. Everything else reads from
and writes to "default", and so does a read inside it in three cases:

- no replica is configured (the usual case: one database);
- the default connection is inside a transaction: what it wrote is not on the replica yet, and
  a read must see the writes before it (read your own writes);
- the query is a write: `db_for_write` is always "default", so an object read from the replica
  is saved to the primary.

Migrations never run on the replica (`allow_migrate`). A replica lags the primary by however
long its replay takes, usually under a second: a figure on a dashboard may miss the very last
register mark, never a page that changes something.

A context variable, not a thread-local: each request (thread or task) has its own, and it is
reset when the block ends even if the block raises.
"""

import contextlib
import functools
from contextvars import ContextVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"

_replica_reads: ContextVar[bool] = ContextVar("minipolice_replica_reads", default=False)


@contextlib.contextmanager
def reading_replica():
    """Reads inside this block may go to the replica (when there is one)."""
    token = _replica_reads.set(True)
    try:
        yield
    finally:
        _replica_reads.reset(token)


def reads_replica(function):
    """`function`'s reads may go to the replica: a decorator for read-only selectors."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        with reading_replica():
            return function(*args, **kwargs)

    return wrapper


def replica_alias() -> str | None:
    """The alias reads inside `reading_replica()` go to now, or None for "default"."""
    alias = getattr(settings, "DATABASE_READ_REPLICA", "")
    if not alias or not _replica_reads.get():
        return None
    if connections[DEFAULT_DB_ALIAS].in_atomic_block:
        return None
    return alias


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        # Always an answer: Django's fallback would follow an object loaded from the replica
        # (its related objects read there too, outside the block).
        return replica_alias() or DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # The replica holds the same rows as the primary.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        if db == REPLICA:
            return False
        return None
