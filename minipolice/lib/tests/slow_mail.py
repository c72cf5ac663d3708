"""An email backend for crash tests: each message takes a while to "send" and is then written
to SLOW_MAIL_DIR, one file per message (written whole, then renamed), so a test can count what
was sent to each address."""

import json
import os
import time
import uuid
from pathlib import Path

from django.core.mail.backends.base import BaseEmailBackend


class EmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        folder = Path(os.environ["SLOW_MAIL_DIR"])
        for message in email_messages:
            time.sleep(float(os.environ.get("SLOW_MAIL_SECONDS", "0.2")))
            name = uuid.uuid4().hex
            partial = folder / f"{name}.tmp"
            partial.write_text(json.dumps({"to": message.to, "subject": message.subject}))
            partial.rename(folder / f"{name}.json")
        return len(email_messages)
