"""iCalendar (RFC 5545) feeds of events and the QR codes of check-in tickets."""

from collections.abc import Callable, Iterable
from datetime import UTC, datetime

import icalendar
import segno
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from clusterhub.events.models import Event, EventStatus

PRODID = "-//clusterhub//events//EN"


def calendar_for(
    events: Iterable[Event], *, name: str, url_of: Callable[[Event], str], host: str
) -> bytes:
    """One VCALENDAR with a VEVENT per event; a cancelled event is sent as CANCELLED so that
    calendars that already hold it strike it out."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    stamp = timezone.now().astimezone(UTC)
    for event in events:
        item = icalendar.Event()
        item.add("uid", f"event-{event.pk}@{host}")
        item.add("dtstamp", stamp)
        item.add("last-modified", _utc(event.updated_at))
        item.add("dtstart", _utc(event.starts_at))
        item.add("dtend", _utc(event.ends_at))
        item.add("summary", event.title)
        url = url_of(event)
        description = event.description
        if event.online_url:
            description = f"{description}\n\n{event.online_url}".strip()
        item.add("description", f"{description}\n\n{url}".strip())
        if event.location:
            item.add("location", event.location)
        item.add("url", url)
        cancelled = event.status == EventStatus.CANCELLED
        item.add("status", "CANCELLED" if cancelled else "CONFIRMED")
        calendar.add_component(item)
    return calendar.to_ical()


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


def qr_svg(data: str) -> SafeString:
    """An inline SVG QR code of `data` (our own URL: nothing from users goes unescaped)."""
    code = segno.make(data, error="m")
    return mark_safe(  # noqa: S308  segno writes the markup; `data` is only encoded in paths
        code.svg_inline(scale=5, title="QR", dark="#111", light="#fff")
    )
