"""The calendar feed: parses with icalendar, right RRULEs and VALARMs, revocable."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st
from icalendar import Calendar
from sqlalchemy import update
from sqlalchemy.orm import Session

from fortify.accounts.models import User
from fortify.core.security import hash_token
from fortify.reminders import ics
from fortify.reminders.models import CalendarFeed, Reminder
from tests.factories import Person, sign_up
from tests.reminders.conftest import Clock, backdate, regimen_item, reminder, with_zone

EARLY = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def feed_path(person: Person) -> tuple[str, str]:
    created = person.post("/api/v1/calendar-feeds", {"name": "Phone calendar"})
    assert created.status_code == 201, created.text
    url = created.json()["url"]
    return created.json()["id"], url[url.index("/api/") :]


def events(client: TestClient, path: str) -> dict[str, dict[str, Any]]:
    response = client.get(path)  # no Authorization: the secret is the credential
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    out = {}
    for event in calendar.walk("VEVENT"):
        alarms = event.walk("VALARM")
        rrule = event["rrule"].to_ical()
        assert isinstance(rrule, bytes)
        out[str(event["summary"])] = {
            "start": event.decoded("dtstart"),
            "rrule": rrule.decode(),
            "alarms": [(str(a["action"]), a.decoded("trigger")) for a in alarms],
            "exdate": event.get("exdate"),
        }
    return out


class TestCalendarFeed:
    def test_the_feed_asks_to_be_refreshed_hourly_in_rfc_5545_durations(
        self, client: TestClient, person: Person
    ) -> None:
        _, path = feed_path(person)
        lines = client.get(path).text.splitlines()
        assert "X-PUBLISHED-TTL:PT1H" in lines
        assert "REFRESH-INTERVAL;VALUE=DURATION:PT1H" in lines

    def test_reminders_are_recurring_events_with_alarms(
        self, app: FastAPI, client: TestClient, person: Person, clock: Clock
    ) -> None:
        with_zone(person, "Europe/London")
        regimen_item(person, name="Anastrozole 1 mg", schedule_times=["08:00"])
        person.post(
            "/api/v1/reminders",
            reminder(title="Strength", kind="workout", times=["18:30"], days_of_week=[0, 3]),
        )
        backdate(app, person, EARLY)
        _, path = feed_path(person)
        found = events(client, path)
        assert set(found) == {"Anastrozole 1 mg", "Strength"}
        dose = found["Anastrozole 1 mg"]
        assert dose["rrule"] == "FREQ=DAILY"
        assert dose["alarms"] == [("DISPLAY", dt.timedelta(0))]
        assert dose["start"].tzinfo is not None and str(dose["start"].tzinfo) == "Europe/London"
        assert (dose["start"].hour, dose["start"].minute) == (8, 0)
        workout = found["Strength"]
        assert workout["rrule"] == "FREQ=WEEKLY;BYDAY=MO,TH"
        assert (workout["start"].hour, workout["start"].minute) == (18, 30)

    def test_the_time_zone_is_defined_in_the_feed(self, client: TestClient, person: Person) -> None:
        with_zone(person, "America/New_York")
        person.post("/api/v1/reminders", reminder())
        _, path = feed_path(person)
        calendar = Calendar.from_ical(client.get(path).content)
        assert [str(tz["tzid"]) for tz in calendar.walk("VTIMEZONE")] == ["America/New_York"]

    def test_a_skipped_day_is_an_exdate(
        self, client: TestClient, person: Person, clock: Clock
    ) -> None:
        rid = person.post("/api/v1/reminders", reminder(title="Calcium")).json()["id"]
        person.post(f"/api/v1/reminders/{rid}/skip-today")
        _, path = feed_path(person)
        exdate = events(client, path)["Calcium"]["exdate"]
        assert exdate is not None and exdate.dts[0].dt.date() == clock().date()

    def test_disabled_reminders_and_satisfied_lab_reminders_are_left_out(
        self, client: TestClient, person: Person, clock: Clock
    ) -> None:
        person.post("/api/v1/reminders", reminder(title="Off", enabled=False))
        person.post(
            "/api/v1/reminders",
            reminder(
                title="Vitamin D test", kind="lab", lab_flag="vitamin_d_lab_due", days_of_week=[0]
            ),
        )
        person.post(
            "/api/v1/reminders",
            reminder(title="Lipids test", kind="lab", lab_flag="lipids_lab_due", days_of_week=[0]),
        )
        measured = (clock() - dt.timedelta(days=30)).isoformat()
        person.post(
            "/api/v1/labs",
            {"measured_at": measured, "kind": "vitamin_d_25oh", "value": 32, "unit": "ng/mL"},
        )
        _, path = feed_path(person)
        assert set(events(client, path)) == {"Lipids test"}

    def test_a_revoked_feed_is_not_found(self, client: TestClient, person: Person) -> None:
        person.post("/api/v1/reminders", reminder())
        feed_id, path = feed_path(person)
        assert client.get(path).status_code == 200
        assert sign_up(client).delete(f"/api/v1/calendar-feeds/{feed_id}").status_code == 404
        assert person.delete(f"/api/v1/calendar-feeds/{feed_id}").status_code == 204
        assert client.get(path).status_code == 404
        assert person.get("/api/v1/calendar-feeds").json() == []

    def test_making_and_revoking_a_link_is_in_the_audit_log(self, person: Person) -> None:
        feed_id, _ = feed_path(person)
        assert person.delete(f"/api/v1/calendar-feeds/{feed_id}").status_code == 204
        logged = [(e["action"], e["detail"]) for e in person.get("/api/v1/audit").json()]
        assert ("calendar_link_created", {"name": "Phone calendar"}) in logged
        assert ("calendar_link_revoked", {"name": "Phone calendar"}) in logged

    def test_only_the_secrets_hash_is_stored(self, app: FastAPI, person: Person) -> None:
        _, path = feed_path(person)
        secret = path.rsplit("/", 1)[1].removesuffix(".ics")
        with app.state.session_factory() as session:
            feed = session.query(CalendarFeed).one()
        assert feed.secret_hash == hash_token(secret) and secret not in feed.secret_hash

    def test_an_unknown_secret_is_not_found(self, client: TestClient) -> None:
        assert client.get("/api/v1/calendar/fcal_not-a-real-secret.ics").status_code == 404


def _unescape(value: str) -> str:
    """An RFC 5545 TEXT value as written, read back (3.3.11)."""
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def _content_lines(body: bytes) -> list[str]:
    """The feed's content lines, unfolded, after checking that CR and LF appear only together,
    as the line ends the writer puts there (a bare one would start a line of the text's own)."""
    assert body.count(b"\r") == body.count(b"\n") == body.count(b"\r\n")
    text = body.decode().replace("\r\n ", "")
    for separator in ("\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"):
        assert separator not in text
    return text.split("\r\n")[:-1]


def _property(lines: list[str], name: str) -> list[str]:
    return [_unescape(line.split(":", 1)[1]) for line in lines if line.split(":")[0] == name]


# Text that once broke the feed (an outside probe, F7): a line feed (500: the writer asserted),
# a bare CR (written raw: a calendar app that ends lines at CR read new properties), and the
# characters TEXT escapes.
HOSTILE = [
    "Eve\nX:1",
    "Eve\rEND:VCALENDAR\rBEGIN:VEVENT\rSUMMARY:Stop taking anastrozole\rX-A:",
    "A;B,C\\D\r\nE\u2028F\x85G\x0bH",
]


class TestHostileText:
    """Every text a person wrote is an escaped TEXT value, whatever it holds: names are one line
    since F6, but a name stored before, or imported, must not break the feed."""

    @given(
        st.text(
            st.sampled_from(["\r", "\n", ";", ",", "\\", ":", "\u2028", "\x85", "\x0b", "a", "é"]),
            max_size=30,
        )
    )
    def test_the_writer_escapes_any_calendar_name(self, name: str) -> None:
        body = ics.calendar([], ZoneInfo("Europe/London"), EARLY, name=name)
        lines = _content_lines(body)
        assert _property(lines, "X-WR-CALNAME") == ["\n".join(f"{name} reminders".splitlines())]
        assert [line for line in lines if line.startswith(("BEGIN:", "END:"))] == [
            "BEGIN:VCALENDAR",
            "END:VCALENDAR",
        ]

    @pytest.mark.parametrize("hostile", HOSTILE)
    def test_a_stored_hostile_name_and_title_make_a_feed_that_parses(
        self, app: FastAPI, client: TestClient, person: Person, hostile: str
    ) -> None:
        with Session(app.state.engine) as session:
            me = User.id == uuid.UUID(person.user_id)
            session.execute(update(User).where(me).values(display_name=hostile))
            session.commit()
        title = "Pill\r" + hostile.replace("\x85", "").replace("\x0b", "").replace("\u2028", "")
        made = person.post("/api/v1/reminders", reminder(title="Pill"))
        assert made.status_code == 201, made.text
        # a title is one line since F7: a hostile one can only have been stored before
        with Session(app.state.engine) as session:
            mine = Reminder.id == uuid.UUID(made.json()["id"])
            session.execute(update(Reminder).where(mine).values(title=title))
            session.commit()
        _, path = feed_path(person)

        response = client.get(path)

        assert response.status_code == 200, response.text
        lines = _content_lines(response.content)
        assert _property(lines, "X-WR-CALNAME") == ["\n".join(f"{hostile} reminders".splitlines())]
        summary = "\n".join(title.splitlines())
        assert _property(lines, "SUMMARY") == [summary]
        assert _property(lines, "DESCRIPTION") == [summary, summary]  # the event's and its alarm's
        assert sum(line == "BEGIN:VEVENT" for line in lines) == 1
        assert sum(line == "END:VCALENDAR" for line in lines) == 1
