"""An event as iCalendar (RFC 5545), with the escaping and folding of delivery/ical.py."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from minipolice.delivery.ical import _utc, escape_text, fold

PRODID = "-//Mini Police Hub//Events//EN"


def event_calendar(event, *, host: str, url: str) -> str:
    """A VCALENDAR holding the one event. No child's name: it may be forwarded."""
    tz = timezone.get_current_timezone()
    starts = datetime.datetime.combine(event.date, event.start_time, tzinfo=tz)
    ends = datetime.datetime.combine(event.date, event.end_time, tzinfo=tz)
    location = ", ".join(part for part in (event.venue, event.address) if part)
    description = [_("Organised by %(organiser)s.") % {"organiser": event.organiser}]
    description += [f"{item.time:%H:%M} {item.title}" for item in event.programme.all()]
    if event.what_to_bring:
        description.append(_("What to bring: %(what)s") % {"what": event.what_to_bring})
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:event-{event.pk}@{host}",
        f"DTSTAMP:{_utc(timezone.now())}",
        f"DTSTART:{_utc(starts)}",
        f"DTEND:{_utc(ends)}",
        f"SUMMARY:{escape_text(_('Mini Police: %(title)s') % {'title': event.title})}",
        f"LOCATION:{escape_text(location)}",
        f"DESCRIPTION:{escape_text(chr(10).join(description))}",
        f"STATUS:{'CANCELLED' if event.status == 'cancelled' else 'CONFIRMED'}",
        f"URL:{url}",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "".join(fold(line) + "\r\n" for line in lines)
