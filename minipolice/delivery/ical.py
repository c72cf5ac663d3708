"""iCalendar (RFC 5545) text for session feeds, written by hand: a handful of properties do
not earn a dependency.

Times are written in UTC (the "Z" form), so no VTIMEZONE is needed. Lines end in CRLF and are
folded at 75 octets without splitting a UTF-8 character; text values are escaped. Feeds carry
no child's data and no leaders' notes: the address works without signing in.
"""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

PRODID = "-//Mini Police Hub//Sessions//EN"


def escape_text(value: str) -> str:
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold(line: str) -> str:
    """Split a content line into 75-octet pieces, each continuation starting with a space."""
    encoded = line.encode("utf-8")
    if len(encoded) <= 75:
        return line
    pieces, current, size, limit = [], [], 0, 75
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            pieces.append("".join(current))
            current, size, limit = [], 0, 74  # the leading space counts
        current.append(char)
        size += width
    pieces.append("".join(current))
    return "\r\n ".join(pieces)


def _utc(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def calendar(*, name: str, sessions, host: str, url_for) -> str:
    """A VCALENDAR with one VEVENT per session. `url_for(session)` gives its page's address."""
    now = _utc(timezone.now())
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
    ]
    for session in sessions:
        unit = session.cohort.unit
        summary = _("Mini Police: %(title)s") % {"title": session.title}
        description = f"{unit.name}, {session.cohort.name}."
        if session.is_cancelled:
            summary = _("Cancelled: %(summary)s") % {"summary": summary}
            # The reason is free text and could name a child: a feed needs no sign-in.
            description += " " + _("This session is cancelled.")
        lines += [
            "BEGIN:VEVENT",
            f"UID:session-{session.pk}@{host}",
            f"DTSTAMP:{now}",
            f"DTSTART:{_utc(session.starts_at())}",
            f"DTEND:{_utc(session.ends_at())}",
            f"SUMMARY:{escape_text(summary)}",
            f"LOCATION:{escape_text(session.place or unit.school.name)}",
            f"DESCRIPTION:{escape_text(description)}",
            f"STATUS:{'CANCELLED' if session.is_cancelled else 'CONFIRMED'}",
            f"URL:{url_for(session)}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
