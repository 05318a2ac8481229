"""The calendar feed: parses with icalendar, right RRULEs and VALARMs, revocable."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from icalendar import Calendar

from fortify.core.security import hash_token
from fortify.reminders.models import CalendarFeed
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
