"""The pure schedule: local wall-clock times to UTC instants, across daylight-saving changes."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fortify.reminders.schedule import (
    Schedule,
    is_occurrence,
    occurrences_between,
    occurrences_on,
    wall_time_instant,
)

LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")
ZONES = [
    LONDON,
    NEW_YORK,
    ZoneInfo("Australia/Lord_Howe"),  # a 30-minute DST shift
    ZoneInfo("Pacific/Chatham"),  # +12:45 / +13:45
    ZoneInfo("Asia/Kolkata"),  # no DST
    ZoneInfo("America/Santiago"),  # southern hemisphere, midnight changes
]
# 2026's changes: London 29 March and 25 October, New York 8 March and 1 November.
DST_DAYS = [
    (LONDON, dt.date(2026, 3, 29)),
    (LONDON, dt.date(2026, 10, 25)),
    (NEW_YORK, dt.date(2026, 3, 8)),
    (NEW_YORK, dt.date(2026, 11, 1)),
]


def local(instant: dt.datetime, zone: ZoneInfo) -> tuple[dt.date, dt.time]:
    at = instant.astimezone(zone)
    return at.date(), at.time()


class TestWallTimeInstant:
    @pytest.mark.parametrize(("zone", "change"), DST_DAYS)
    @pytest.mark.parametrize("shift", [-1, 0, 1])
    def test_eight_oclock_is_eight_oclock_local_around_each_change(
        self, zone: ZoneInfo, change: dt.date, shift: int
    ) -> None:
        day = change + dt.timedelta(days=shift)
        instant = wall_time_instant(day, dt.time(8), zone)
        assert local(instant, zone) == (day, dt.time(8))

    def test_a_time_in_the_spring_gap_fires_at_the_end_of_the_gap(self) -> None:
        # 02:30 does not exist in New York on 8 March 2026: clocks jump from 02:00 to 03:00.
        instant = wall_time_instant(dt.date(2026, 3, 8), dt.time(2, 30), NEW_YORK)
        assert instant == dt.datetime(2026, 3, 8, 7, 0, tzinfo=dt.UTC)
        assert instant.astimezone(NEW_YORK).time() == dt.time(3, 0)

    def test_the_gap_rule_holds_for_a_half_hour_shift(self) -> None:
        # Lord Howe moves from +10:30 to +11:00 at 02:00 on 4 October 2026.
        instant = wall_time_instant(
            dt.date(2026, 10, 4), dt.time(2, 15), ZoneInfo("Australia/Lord_Howe")
        )
        assert instant.astimezone(ZoneInfo("Australia/Lord_Howe")).time() == dt.time(2, 30)

    def test_a_repeated_time_in_the_autumn_fires_at_its_first_occurrence(self) -> None:
        # 01:30 happens twice in New York on 1 November 2026 (EDT, then EST).
        instant = wall_time_instant(dt.date(2026, 11, 1), dt.time(1, 30), NEW_YORK)
        assert instant == dt.datetime(2026, 11, 1, 5, 30, tzinfo=dt.UTC)  # 01:30 EDT

    def test_a_repeated_time_fires_once_that_day(self) -> None:
        schedule = Schedule.of(["01:30"])
        day = dt.date(2026, 11, 1)
        start = dt.datetime(2026, 11, 1, 0, 0, tzinfo=dt.UTC)
        found = list(occurrences_between(schedule, NEW_YORK, start, start + dt.timedelta(days=1)))
        assert [d for d, _, _ in found] == [day]


class TestSchedule:
    def test_weekdays_choose_the_days(self) -> None:
        schedule = Schedule.of(["18:00"], days_of_week=[0, 3])  # Mondays and Thursdays
        start = dt.datetime(2026, 11, 23, tzinfo=dt.UTC)  # a Monday
        days = [
            d
            for d, _, _ in occurrences_between(
                schedule, LONDON, start, start + dt.timedelta(days=14)
            )
        ]
        assert [d.isoformat() for d in days] == [
            "2026-11-23",
            "2026-11-26",
            "2026-11-30",
            "2026-12-03",
        ]

    def test_a_skipped_day_has_no_occurrence(self) -> None:
        schedule = Schedule.of(["08:00", "20:00"], skip_on=dt.date(2026, 11, 27))
        assert occurrences_on(schedule, dt.date(2026, 11, 27), LONDON) == []
        assert len(occurrences_on(schedule, dt.date(2026, 11, 28), LONDON)) == 2

    def test_the_window_is_half_open(self) -> None:
        schedule = Schedule.of(["08:00"])
        eight = dt.datetime(2026, 11, 27, 8, tzinfo=dt.UTC)
        assert (
            len(list(occurrences_between(schedule, LONDON, eight, eight + dt.timedelta(days=1))))
            == 1
        )
        assert (
            list(
                occurrences_between(
                    schedule, LONDON, eight + dt.timedelta(seconds=1), eight + dt.timedelta(hours=1)
                )
            )
            == []
        )

    def test_an_occurrence_goes_stale_when_the_time_changes(self) -> None:
        day = dt.date(2026, 11, 27)
        instant = wall_time_instant(day, dt.time(8), LONDON)
        assert is_occurrence(Schedule.of(["08:00"]), LONDON, day, instant)
        assert not is_occurrence(Schedule.of(["09:00"]), LONDON, day, instant)
        assert not is_occurrence(Schedule.of(["08:00"]), NEW_YORK, day, instant)


@st.composite
def clock_times(draw: st.DrawFn) -> dt.time:
    return dt.time(draw(st.integers(0, 23)), draw(st.integers(0, 59)))


class TestProperties:
    @settings(max_examples=300)
    @given(
        zone=st.sampled_from(ZONES),
        day=st.dates(dt.date(2024, 1, 1), dt.date(2030, 12, 31)),
        time=clock_times(),
    )
    def test_each_local_time_fires_once_at_that_wall_time_or_just_after_a_gap(
        self, zone: ZoneInfo, day: dt.date, time: dt.time
    ) -> None:
        instant = wall_time_instant(day, time, zone)
        on_day, at = local(instant, zone)
        wanted = dt.datetime.combine(day, time)
        got = dt.datetime.combine(on_day, at)
        if got != wanted:
            # Only a nonexistent time moves, forward, by less than the gap (at most 1 hour),
            # to a minute at which the offset has just changed.
            assert dt.timedelta(0) < got - wanted <= dt.timedelta(hours=1)
            just_before = (instant - dt.timedelta(seconds=1)).astimezone(zone)
            assert instant.astimezone(zone).utcoffset() != just_before.utcoffset()

    @settings(max_examples=100)
    @given(
        zone=st.sampled_from(ZONES),
        start=st.datetimes(
            dt.datetime(2025, 1, 1), dt.datetime(2029, 12, 1), timezones=st.just(dt.UTC)
        ),
        times=st.lists(clock_times(), min_size=1, max_size=4, unique=True),
        days=st.one_of(st.none(), st.lists(st.integers(0, 6), min_size=1, max_size=7, unique=True)),
    )
    def test_occurrences_are_increasing_unique_and_inside_the_window(
        self,
        zone: ZoneInfo,
        start: dt.datetime,
        times: list[dt.time],
        days: list[int] | None,
    ) -> None:
        schedule = Schedule.of([t.strftime("%H:%M") for t in times], days)
        end = start + dt.timedelta(days=9)
        found = [i for _, _, i in occurrences_between(schedule, zone, start, end)]
        assert found == sorted(set(found))
        assert all(start <= i < end for i in found)
        # Every chosen weekday in the window's full local days has at least one occurrence.
        first_full = start.astimezone(zone).date() + dt.timedelta(days=1)
        last_full = end.astimezone(zone).date() - dt.timedelta(days=1)
        wanted_days = {
            first_full + dt.timedelta(days=n)
            for n in range((last_full - first_full).days)
            if days is None or (first_full + dt.timedelta(days=n)).weekday() in days
        }
        assert wanted_days <= {i.astimezone(zone).date() for i in found}
