"""The planner: occurrences keyed by person, and planning that follows changes, not head count."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import Counter
from collections.abc import Callable
from zoneinfo import ZoneInfo

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from fortify.reminders import service
from fortify.reminders.models import ReminderOccurrence, ReminderPlan
from fortify.reminders.worker import Worker
from tests.conftest import BACKEND
from tests.factories import Person, lab, meal, sign_up
from tests.reminders.conftest import (
    Clock,
    FakeSender,
    add_subscription,
    backdate,
    regimen_item,
    reminder,
    with_zone,
)

EARLY = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
LONDON = ZoneInfo("Europe/London")


def occurrences(app: FastAPI, person: Person) -> list[ReminderOccurrence]:
    with app.state.session_factory() as session:
        return list(
            session.scalars(
                select(ReminderOccurrence)
                .where(ReminderOccurrence.user_id == uuid.UUID(person.user_id))
                .order_by(ReminderOccurrence.due_at)
            )
        )


def plan_of(app: FastAPI, person: Person) -> ReminderPlan:
    with app.state.session_factory() as session:
        plan: ReminderPlan | None = session.get(ReminderPlan, uuid.UUID(person.user_id))
        assert plan is not None
        return plan


class TestOccurrencesAreKeyedByPerson:
    def test_two_people_whose_regimen_items_share_an_id_both_get_their_reminders(
        self,
        app: FastAPI,
        client: TestClient,
        clock: Clock,
        sender: FakeSender,
        make_worker: Callable[..., Worker],
    ) -> None:
        # Client ids are unique per person only; an export imported into a second account
        # keeps them. The implicit reminder's id derives from the item id alone.
        shared = str(uuid.uuid4())
        people = [sign_up(client), sign_up(client)]
        for person in people:
            with_zone(person, "Europe/London")
            assert regimen_item(person, id=shared) == shared
            add_subscription(app, person)
            backdate(app, person, EARLY)
        clock.set(dt.datetime(2026, 11, 25, 8, 0, tzinfo=LONDON))
        make_worker(sender).run_once()
        assert sorted(s.subscription["endpoint"] for s in sender.sent) == sorted(
            _endpoints(app, people)
        )
        for person in people:
            assert len(occurrences(app, person)) >= 2  # today's 08:00 and tomorrow's

    def test_two_people_with_the_same_reminder_id_both_get_it(
        self,
        app: FastAPI,
        client: TestClient,
        clock: Clock,
        sender: FakeSender,
        make_worker: Callable[..., Worker],
    ) -> None:
        shared = str(uuid.uuid4())
        people = [sign_up(client), sign_up(client)]
        for person in people:
            with_zone(person, "Europe/London")
            created = person.post("/api/v1/reminders", reminder(id=shared))
            assert created.status_code == 201, created.text
            add_subscription(app, person)
            backdate(app, person, EARLY)
        clock.set(dt.datetime(2026, 11, 25, 8, 0, tzinfo=LONDON))
        make_worker(sender).run_once()
        assert len(sender.sent) == 2


def _endpoints(app: FastAPI, people: list[Person]) -> list[str]:
    from fortify.reminders.models import PushSubscription

    ids = [uuid.UUID(p.user_id) for p in people]
    with app.state.session_factory() as session:
        return list(
            session.scalars(
                select(PushSubscription.endpoint).where(PushSubscription.user_id.in_(ids))
            )
        )


class TestIncrementalPlanning:
    @pytest.fixture
    def people(self, client: TestClient, app: FastAPI, clock: Clock) -> list[Person]:
        clock.set(dt.datetime(2026, 11, 24, 12, 0, tzinfo=LONDON))
        out = [sign_up(client) for _ in range(3)]
        for person in out:
            with_zone(person, "Europe/London")
            regimen_item(person)
            backdate(app, person, EARLY)
        return out

    def test_a_quiet_round_plans_nobody(
        self, app: FastAPI, people: list[Person], clock: Clock, make_worker: Callable[..., Worker]
    ) -> None:
        worker = make_worker()
        first = worker.plan_round(clock())
        assert (first.replanned, first.occurrences) == (3, 3)  # 08:00 tomorrow
        clock.advance(minutes=1)
        quiet = worker.plan_round(clock())
        assert quiet.people == 0

    def test_a_changed_reminder_replans_only_its_person(
        self, app: FastAPI, people: list[Person], clock: Clock, make_worker: Callable[..., Worker]
    ) -> None:
        worker = make_worker()
        worker.plan_round(clock())
        rid = people[1].get("/api/v1/reminders").json()[0]["id"]
        people[1].patch(f"/api/v1/reminders/{rid}", {"times": ["08:00", "20:00"]})
        backdate(app, people[1], EARLY)  # the edit's stamp is the real clock's
        clock.advance(minutes=1)
        round_ = worker.plan_round(clock())
        assert (round_.people, round_.replanned) == (1, 1)
        assert [o.local_time for o in occurrences(app, people[1])].count("20:00") == 2
        assert plan_of(app, people[1]).planned_through == clock() + service.HORIZON

    def test_a_meal_moves_the_counter_but_plans_nothing(
        self, app: FastAPI, people: list[Person], clock: Clock, make_worker: Callable[..., Worker]
    ) -> None:
        worker = make_worker()
        worker.plan_round(clock())
        assert people[0].post("/api/v1/meals", meal()).status_code == 201
        round_ = worker.plan_round(clock())
        assert (round_.people, round_.unchanged, round_.replanned) == (1, 1, 0)
        assert worker.plan_round(clock()).people == 0  # the plan took the new number

    def test_a_new_time_zone_replans_the_person(
        self, app: FastAPI, people: list[Person], clock: Clock, make_worker: Callable[..., Worker]
    ) -> None:
        worker = make_worker()
        worker.plan_round(clock())
        with_zone(people[2], "America/New_York")
        round_ = worker.plan_round(clock())
        assert (round_.people, round_.replanned) == (1, 1)
        # 08:00 in New York on 25 November is 13:00 UTC.
        due = [o.due_at for o in occurrences(app, people[2])]
        assert dt.datetime(2026, 11, 25, 13, 0, tzinfo=dt.UTC) in due

    def test_a_deleted_regimen_item_counts_as_a_change(
        self, app: FastAPI, people: list[Person], clock: Clock, make_worker: Callable[..., Worker]
    ) -> None:
        worker = make_worker()
        worker.plan_round(clock())
        item = people[0].get("/api/v1/regimen").json()["items"][0]["id"]
        assert people[0].delete(f"/api/v1/regimen/{item}").status_code == 204
        round_ = worker.plan_round(clock())
        assert (round_.people, round_.replanned) == (1, 1)
        assert plan_of(app, people[0]).next_plan_at is None  # nothing left to extend

    def test_people_without_reminders_are_planned_once_and_never_extended(
        self, app: FastAPI, client: TestClient, clock: Clock, make_worker: Callable[..., Worker]
    ) -> None:
        person = sign_up(client)
        worker = make_worker()
        assert worker.plan_round(clock()).replanned == 1
        assert plan_of(app, person).next_plan_at is None
        clock.advance(days=3)
        assert worker.plan_round(clock()).people == 0

    def test_every_occurrence_is_planned_a_day_ahead_as_time_passes(
        self, app: FastAPI, people: list[Person], clock: Clock, make_worker: Callable[..., Worker]
    ) -> None:
        worker = make_worker()
        extended = 0
        start = clock()
        for _hour in range(24 * 3):
            extended += worker.plan_round(clock()).extended
            clock.advance(hours=1)
        # Each person's plan moved on every 12 hours, at their own phase.
        assert 3 * 5 <= extended <= 3 * 6
        for person in people:
            rows = occurrences(app, person)
            days = Counter(o.local_date for o in rows)
            assert all(n == 1 for n in days.values())  # never planned twice
            wanted = {(start + dt.timedelta(days=n)).astimezone(LONDON).date() for n in range(1, 4)}
            assert wanted <= set(days)  # and no day missed
            late = [o for o in rows if o.due_at - o.created_at < dt.timedelta(hours=23)]
            assert [o for o in late if o.created_at > start] == []

    def test_an_item_taken_on_some_days_is_planned_on_those_days_only(
        self, app: FastAPI, client: TestClient, clock: Clock, make_worker: Callable[..., Worker]
    ) -> None:
        # Anastrozole on Monday and Thursday, created through the API with no reminder of its
        # own: a week of planning makes occurrences on those two days and no other (issue #14).
        person = with_zone(sign_up(client), "Europe/London")
        regimen_item(person, prescribed_daily=False, schedule_times=["08:00"], schedule_days=[0, 3])
        backdate(app, person, EARLY)
        worker = make_worker()
        for _hour in range(0, 24 * 8, 6):
            worker.plan_round(clock())
            clock.advance(hours=6)
        days = [o.local_date for o in occurrences(app, person)]
        assert {d.weekday() for d in days} == {0, 3}
        assert len(days) == len(set(days)) >= 2

    def test_a_lab_reminder_is_planned_from_the_day_its_flag_falls_due(
        self, app: FastAPI, client: TestClient, clock: Clock, make_worker: Callable[..., Worker]
    ) -> None:
        person = with_zone(sign_up(client), "Europe/London")
        # Vitamin D measured on 29 May: the flag is due again 180 days on, from 25 November.
        measured = dt.datetime(2026, 5, 29, 9, 0, tzinfo=dt.UTC).isoformat()
        assert person.post("/api/v1/labs", lab(measured_at=measured)).status_code == 201
        body = reminder(kind="lab", title="Vitamin D test", lab_flag="vitamin_d_lab_due")
        assert person.post("/api/v1/reminders", body | {"times": ["09:00"]}).status_code == 201
        backdate(app, person, EARLY)
        clock.set(dt.datetime(2026, 11, 24, 6, 0, tzinfo=LONDON))
        make_worker().plan_round(clock())
        assert [o.local_date for o in occurrences(app, person)] == [dt.date(2026, 11, 25)]


class TestNextExtension:
    @given(
        user=st.uuids(),
        now=st.datetimes(
            min_value=dt.datetime(2000, 1, 1),
            max_value=dt.datetime(2100, 1, 1),
            timezones=st.just(dt.UTC),
        ),
    )
    def test_it_comes_within_one_period_at_the_persons_phase(
        self, user: uuid.UUID, now: dt.datetime
    ) -> None:
        at = service.next_extension(user, now)
        period = int(service.PLAN_PERIOD.total_seconds())
        assert now < at <= now + service.PLAN_PERIOD
        assert (int(at.timestamp()) - user.int) % period == 0


@pytest.mark.postgres_only
@pytest.mark.skipif(
    BACKEND != "postgresql",
    reason="PostgreSQL only: planners take people FOR UPDATE SKIP LOCKED; SQLite has one writer",
)
class TestSeveralPlanners:
    def test_two_planners_take_disjoint_people(
        self, app: FastAPI, client: TestClient, clock: Clock
    ) -> None:
        for _ in range(4):
            regimen_item(sign_up(client))
        now = clock()
        factory = app.state.session_factory
        with factory() as setup, setup.begin():
            service.enrol_people(setup, now)
        with factory() as first, factory() as second:
            a = service.plan_batch(first, now, limit=2)
            b = service.plan_batch(second, now, limit=4)  # the first's two are locked
            assert (a.people, b.people) == (2, 2)
            first.commit()
            second.commit()
        with factory() as check:
            assert service.plan_batch(check, now).people == 0
