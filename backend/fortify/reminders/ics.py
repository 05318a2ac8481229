"""The calendar feed: a person's reminders as recurring iCalendar events with alarms.

For phones whose browser cannot receive Web Push (iOS without the app on the home screen), a
calendar subscription does the reminding: each reminder time becomes one VEVENT with a
`TZID` start in the person's zone (so the calendar keeps it at 08:00 local across DST), an
RRULE (daily, or weekly on the chosen days) and a VALARM at the start. A skipped day is an
EXDATE; a lab reminder is listed only while its lab is due. Calendars re-fetch the feed
(`REFRESH-INTERVAL`), so edits reach them within hours, not instantly.

Every value a person wrote (her name in the calendar's name, a reminder's title) is written as
an RFC 5545 TEXT value (`_text`): backslash, semicolon and comma escaped, every line break
(CR, LF, CRLF, and the other characters Python ends a line at) written as `\n`. An X-
property has no declared type, so the library wrote `X-WR-CALNAME` as it was: a bare CR went
out raw (a calendar app that ends lines at CR read the name's remainder as properties of its
choosing) and an LF stopped the writer with an AssertionError, a 500 for every calendar
subscribed to the feed (an outside probe, F7).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from zoneinfo import ZoneInfo

from icalendar import Alarm, Calendar, Event, vDuration, vRecur, vText

from fortify.reminders.service import Effective

_BYDAY = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def calendar(
    reminders: Sequence[Effective], zone: ZoneInfo, now: dt.datetime, *, name: str = "Fortify"
) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//Fortify//Reminders//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", _text(f"{name} reminders"))
    cal.add("x-wr-timezone", zone.key)
    cal.add("refresh-interval", dt.timedelta(hours=1), parameters={"VALUE": "DURATION"})
    # An X- property has no declared type, so icalendar would write a bare timedelta as
    # "1:00:00"; calendar apps read only an RFC 5545 duration.
    cal.add("x-published-ttl", vDuration(dt.timedelta(hours=1)))
    for reminder in reminders:
        for time in reminder.times:
            cal.add_component(_event(reminder, time, zone, now))
    cal.add_missing_timezones()
    body: bytes = cal.to_ical()
    return body


def _event(reminder: Effective, time: str, zone: ZoneInfo, now: dt.datetime) -> Event:
    first_day = reminder.created_at.astimezone(zone).date()
    start = dt.datetime.combine(first_day, dt.time.fromisoformat(time), zone)
    event = Event()
    event.add("uid", f"{reminder.id}-{time.replace(':', '')}@fortify")
    event.add("dtstamp", now.astimezone(dt.UTC))
    event.add("summary", _text(reminder.title))
    event.add("dtstart", start)
    event.add("duration", dt.timedelta(minutes=5))
    event.add("transp", "TRANSPARENT")  # a reminder does not make the person busy
    rule = vRecur(freq="DAILY")
    if reminder.days_of_week is not None and len(reminder.days_of_week) < 7:
        rule = vRecur(freq="WEEKLY", byday=[_BYDAY[d] for d in sorted(reminder.days_of_week)])
    event.add("rrule", rule)
    if reminder.skip_on is not None:
        event.add("exdate", dt.datetime.combine(reminder.skip_on, start.timetz()))
    event.add("description", _text(_description(reminder)))
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", _text(reminder.title))
    alarm.add("trigger", dt.timedelta(0))
    event.add_component(alarm)
    return event


def _text(value: str) -> vText:
    """A TEXT value (RFC 5545 3.3.11): vText escapes backslash, semicolon, comma, CR and LF;
    the rarer line ends (vertical tab, NEL, U+2028…) become LF first, so a calendar app that
    breaks lines at them cannot either."""
    return vText("\n".join(value.splitlines()))


def _description(reminder: Effective) -> str:
    if reminder.kind == "dose":
        return "Time for your dose. Log it in Fortify when you have taken it."
    if reminder.kind == "lab":
        return "A lab test is due: ask your care team, then log the result in Fortify."
    if reminder.kind == "workout":
        return "Time for your workout."
    return reminder.title
