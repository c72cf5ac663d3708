"""Email backends for tests: a mail server that is down, and one that fails a few times."""

import smtplib

from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend


class DownEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise smtplib.SMTPConnectError(421, "mail.example.org is not answering")


class FlakyEmailBackend(LocmemBackend):
    """Fails `failures_left` times, then delivers to mail.outbox."""

    failures_left = 0

    def send_messages(self, email_messages):
        if FlakyEmailBackend.failures_left > 0:
            FlakyEmailBackend.failures_left -= 1
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(email_messages)


class WorkerKilled(BaseException):
    """Stands for the worker process being killed: nothing after the send runs."""


class KilledWhileSendingBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise WorkerKilled


class SlowEmailBackend(LocmemBackend):
    """Takes a moment to send, as a real mail server does: two senders overlap."""

    def send_messages(self, email_messages):
        import time

        time.sleep(0.3)
        return super().send_messages(email_messages)
