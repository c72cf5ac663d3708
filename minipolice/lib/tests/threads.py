"""Shared pieces of the race tests: real threads, each on its own database connection."""

import threading

from django.db import connections
from django.test import Client


def signed_in_client(user) -> Client:
    """A fresh client (one per thread) signed in as `user`, second factor counted as done."""
    client = Client()
    client.force_login(user)
    session = client.session
    session["mfa_enrolled"] = True
    session.save()
    return client


def at_once(*calls, join_timeout: float = 60):
    """Run each call in its own thread (so on its own connection), all released together; the
    results in order, an exception in place of a result when a call raised."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=10)
            results[index] = call()
        except Exception as error:  # reported by the test, not lost in the thread
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=item) for item in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=join_timeout)
    return results
