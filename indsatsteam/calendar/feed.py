"""The calendar feed as iCalendar (RFC 5545) text, built with the `icalendar` package.

Times are written in UTC (…Z), which every calendar converts to its own zone; all-day
events (due dates, phase ends) are plain dates, as Danish dates are meant.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from urllib.parse import urlsplit

from icalendar import Calendar, Event

from ..models import User
from .services import CalendarEvent

PRODID = "-//Socialstyrelsen//Indsatsteamet//DA"
REFRESH = timedelta(hours=1)


def build_feed(user: User, events: list[CalendarEvent], now: datetime, base_url: str) -> bytes:
    base_url = base_url.rstrip("/")
    domain = urlsplit(base_url).hostname or "indsatsteam"
    calendar = Calendar.new(prodid=PRODID, name=f"Indsatsteamet – {user.name}",
                            description="Frister, møder og faser fra Indsatsteamet",
                            method="PUBLISH", calscale="GREGORIAN",
                            uid=f"calendar-{user.id}@{domain}")
    # How often to fetch again: RFC 7986's property, and the one Outlook reads.
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT1H")
    for item in events:
        event = Event.new(uid=f"{item.uid}@{domain}", summary=item.summary, start=item.start,
                          end=item.end, stamp=now, description=item.description or None,
                          location=item.location or None, url=base_url + item.url)
        calendar.add_component(event)
    return calendar.to_ical()
