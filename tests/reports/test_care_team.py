"""The care-team report: HTML for the browser, a PDF of at most two pages that is not blank."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import uuid
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from PIL import Image, ImageStat
from sqlalchemy.orm import Session

from fortify.accounts.models import User
from fortify.reports import charts, service
from fortify.reports.service import TARGET_WORDS, day_in_words, reference_range
from fortify.scoring.tables import TARGET_KEYS
from tests.factories import Person, at, dose, lab, meal, regimen, sign_up, workout
from tests.portability.conftest import demo_person

needs_poppler = pytest.mark.skipif(
    shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) is not installed"
)


def _period() -> dict[str, str]:
    last = dt.date.today() - dt.timedelta(days=1)
    return {"from": (last - dt.timedelta(days=89)).isoformat(), "to": last.isoformat()}


@pytest.fixture
def patient(app: FastAPI, client: TestClient) -> Person:
    person = demo_person(app, client)
    for payload in (
        lab(kind="dxa_t_score", value=-1.9, unit="T-score", site="lumbar_spine"),
        lab(kind="vitamin_d_25oh", value=61, unit="nmol/L"),
    ):
        payload["measured_at"] = f"{_period()['to']}T09:00:00+00:00"
        assert person.post("/api/v1/labs", json=payload).status_code == 201
    return person


def _page_count(pdf: bytes) -> int:
    info = subprocess.run(
        ["pdfinfo", "-"], input=pdf, capture_output=True, check=True, timeout=60
    ).stdout.decode()
    return int(next(line for line in info.splitlines() if line.startswith("Pages:")).split()[1])


def _first_page_png(pdf: bytes, tmp_path: Path) -> Image.Image:
    source = tmp_path / "report.pdf"
    source.write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(source), str(tmp_path / "p")],
        check=True,
        timeout=60,
    )
    (png,) = tmp_path.glob("p*.png")
    return Image.open(png).convert("L")


class TestHtml:
    def test_the_page_shows_every_part_a_clinician_reads(self, patient: Person) -> None:
        response = patient.get("/api/v1/reports/care-team", params=_period())
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].startswith("text/html")
        assert "script-src" not in response.headers["content-security-policy"]
        page = response.text
        for words in (
            "Care-team report",
            "Anastrozole 1 mg adherence",
            "Calcium (food + supplements)",
            "Vitamin D, 7-day average",
            "Weight-bearing aerobic exercise",
            "Resistance training",
            "Worst joint pain",
            "Joint pain after exercise days",
            "a pattern in the log, not proof of cause",
            "Lab results",
            "LDL cholesterol",
            "&lt; 2.59 mmol/L optimal",  # the demo uses metric: SI units (PROTOCOL §6, §7)
            "osteopenia",
            "Flags raised",
            "<svg",
            "@page",
        ):
            assert words in page, words
        assert "<script" not in page
        # The demo's weekly 50,000 IU vitamin D is set by the care team (PROTOCOL §4, v1.1).
        assert "Supplement vitamin D above 4000 IU/day" not in page

    def test_the_html_answers_304_until_something_changes(self, patient: Person) -> None:
        first = patient.get("/api/v1/reports/care-team", params=_period())
        again = patient.client.get(
            "/api/v1/reports/care-team",
            params=_period(),
            headers=patient.headers | {"If-None-Match": first.headers["etag"]},
        )
        assert again.status_code == 304

    def test_a_name_cannot_inject_markup(self, client: TestClient) -> None:
        person = sign_up(client)
        person.patch("/api/v1/profile", json={"display_name": "<script>alert(1)</script>"})
        page = person.get("/api/v1/reports/care-team").text
        assert "<script>alert" not in page
        assert "&lt;script&gt;" in page

    def test_an_empty_account_still_gets_a_report(self, client: TestClient) -> None:
        response = sign_up(client).get("/api/v1/reports/care-team")
        assert response.status_code == 200
        assert "No lab results logged." in response.text

    def test_only_a_met_target_or_a_known_good_trend_is_green(self, client: TestClient) -> None:
        # Found by a newcomer: a short report's figures read as green bars she had not earned.
        person = sign_up(client)
        assert person.post("/api/v1/workouts", json=workout(minutes=40)).status_code == 201
        page = person.get("/api/v1/reports/care-team").text
        exercise = re.search(r'<div class="fig ([a-z]*)" data-figure="weight-bearing">', page)
        pain = re.search(r'<div class="fig ([a-z]*)" data-figure="pain">', page)
        assert exercise is not None and pain is not None
        # Her workout is dated 20 Nov 2026 (the factories' day): whole weeks of hers since,
        # below 150 minutes, so red (her first week in progress is grey: TestFirstWeekExercise).
        assert exercise.group(1) == "out"
        assert pain.group(1) == ""  # too few check-ins to tell: grey, not green
        assert "too few check-ins to tell" in page

    def test_a_daily_medicine_with_no_dose_yet_still_gets_a_report(
        self, client: TestClient
    ) -> None:
        # Found by a newcomer on a phone: a medicine added at onboarding, not yet taken, made
        # every report a 500 (its start had no earliest dose to compare with).
        person = sign_up(client)
        item = regimen(prescribed_daily=True)
        assert person.post("/api/v1/regimen", json=item).status_code == 201
        response = person.get("/api/v1/reports/care-team")
        assert response.status_code == 200
        assert "Calcium citrate 400 mg" in response.text

    def test_the_default_period_ends_on_her_today_by_the_app_s_clock(
        self, app: FastAPI, client: TestClient
    ) -> None:
        """ "Today" comes from the one clock (core.deps.Now), in her time zone: late evening in
        UTC is already tomorrow in Auckland."""
        person = sign_up(client)
        person.patch("/api/v1/profile", json={"time_zone": "Pacific/Auckland"})
        later = dt.date.today() + dt.timedelta(days=200)
        app.state.clock = lambda: dt.datetime.combine(later, dt.time(23, 30), dt.UTC)
        page = person.get("/api/v1/reports/care-team").text
        her_today = later + dt.timedelta(days=1)
        assert f"to {day_in_words(her_today)}</title>" in page

    def test_a_period_longer_than_a_year_is_refused(self, client: TestClient) -> None:
        response = sign_up(client).get(
            "/api/v1/reports/care-team", params={"from": "2024-01-01", "to": "2026-01-01"}
        )
        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == "from"


class TestNoDayAfterToday:
    """The report stops at her today: a day still to come has no scores in the app either."""

    def test_a_period_past_today_stops_at_today_and_says_so(self, client: TestClient) -> None:
        person = sign_up(client)
        today = dt.datetime.now(dt.UTC).date()  # her zone is UTC until she changes it
        tomorrow = today + dt.timedelta(days=1)
        assert person.post("/api/v1/meals", json=meal(eaten_at=at(tomorrow, 12))).is_success
        later = (today + dt.timedelta(days=5)).isoformat()
        response = person.get(
            "/api/v1/reports/care-team", params={"from": today.isoformat(), "to": later}
        )
        assert response.status_code == 200, response.text
        page = response.text
        assert f"to {day_in_words(today)}</title>" in page
        assert f'data-stopped="{today.isoformat()}"' in page
        assert "(1 day)" in page
        # Tomorrow's meal is not counted as a day of the period (276 mg would be its calcium).
        assert "average 0 mg/day" in page

    def test_a_period_that_starts_after_today_is_refused(self, client: TestClient) -> None:
        tomorrow = (dt.datetime.now(dt.UTC).date() + dt.timedelta(days=1)).isoformat()
        response = sign_up(client).get(
            "/api/v1/reports/care-team", params={"from": tomorrow, "to": tomorrow}
        )
        assert response.status_code == 422
        error = response.json()["errors"][0]
        assert (error["field"], error["rule"]) == ("from", "not_in_future")

    def test_a_period_within_today_is_not_annotated(self, patient: Person) -> None:
        assert "data-stopped" not in patient.get("/api/v1/reports/care-team").text


class TestFirstDay:
    """The report starts the day she began, not days before she used the app."""

    def _today(self) -> dt.date:
        return dt.datetime.now(dt.UTC).date()

    def test_a_new_person_s_report_counts_only_the_days_since_she_began(
        self, client: TestClient
    ) -> None:
        person = sign_up(client)
        today = self._today()
        assert person.post("/api/v1/meals", json=meal(eaten_at=at(today, 0, 5))).status_code == 201
        workout_today = workout(started_at=at(today, 0, 10), minutes=30)
        assert person.post("/api/v1/workouts", json=workout_today).status_code == 201
        start = (today - dt.timedelta(days=29)).isoformat()
        page = person.get(
            "/api/v1/reports/care-team", params={"from": start, "to": today.isoformat()}
        ).text
        assert "She started using Fortify on" in page
        assert "account opened" not in page
        assert f'data-started="{today.isoformat()}"' in page
        assert "covers the 1 day from then" in page
        # 276 mg on her one day, not 276 / 30 = 9 mg/day; 30 minutes, not 30 / 4 weeks.
        assert "average 276 mg/day" in page
        assert "<b>30 min</b> in her first 1 day: week in progress (target 150 a week)" in page
        # One day is "1 day" everywhere in the report, never "1 days" (issue 14).
        assert "Something was logged on <b>1 of 1 day</b>" in page
        assert "</span> (1 day) · made" in page
        text = re.sub(r"<[^>]+>", " ", re.sub(r"<style>.*?</style>", "", page, flags=re.S))
        assert not re.findall(r"\b1 (?:days|weeks|entries|servings)\b", text)

    def test_her_first_week_s_vitamin_d_is_averaged_over_her_days_only(
        self, client: TestClient
    ) -> None:
        """A newcomer taking her 1000 IU read "143 IU/day" in red on her first report: the
        protocol's seven-day window counted the six days before she joined as zero."""
        person = sign_up(client)
        today = self._today()
        yesterday = today - dt.timedelta(days=1)
        for day in (yesterday, today):
            vitamin_d = dose(
                taken_at=at(day, 0, 5), form="vitamin_d3", nutrients={"vitamin_d_iu": 1000}
            )
            assert person.post("/api/v1/doses", json=vitamin_d).status_code == 201
        period = {"from": (today - dt.timedelta(days=29)).isoformat(), "to": today.isoformat()}
        page = person.get("/api/v1/reports/care-team", params=period).text
        text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))
        assert "Vitamin D, average of her 2 days so far" in text
        assert (
            "1000 IU/day on the last day (target 1000);"
            " 1000 IU/day as the mean of each day's figure over the period"
        ) in text
        # From her seventh day on, the window is the protocol's seven days again.
        assert "Vitamin D, 7-day average" not in text

    def test_entries_dated_before_sign_up_move_the_start_back(self, client: TestClient) -> None:
        person = sign_up(client)
        today = self._today()
        ten_days_ago = today - dt.timedelta(days=10)
        backdated = workout(started_at=at(ten_days_ago, 12))
        assert person.post("/api/v1/workouts", json=backdated).status_code == 201
        page = person.get(
            "/api/v1/reports/care-team",
            params={"from": (today - dt.timedelta(days=89)).isoformat(), "to": today.isoformat()},
        ).text
        assert f'data-started="{ten_days_ago.isoformat()}"' in page
        assert "covers the 11 days from then" in page
        # Her account is today's: the report must not say she used Fortify ten days ago (M5).
        text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))
        opened = today.strftime("%-d %b %Y")
        records = ten_days_ago.strftime("%-d %b %Y")
        assert f"Her records start on {records} (account opened {opened})" in text
        assert "started using Fortify" not in text

    def test_a_period_that_starts_after_she_began_is_not_annotated(self, patient: Person) -> None:
        page = patient.get("/api/v1/reports/care-team", params=_period()).text
        assert "data-started" not in page

    def test_on_a_phone_the_page_is_the_screen_s_width_and_tables_scroll_in_their_box(
        self, patient: Person
    ) -> None:
        # An outside walk at 390 px: no viewport tag laid the page out 980 px wide and the
        # tables ran off the screen. Measured in Chromium at 390 px: the page 390 px wide, the
        # lab table scrolling inside its own box. The PDF (print media) is untouched.
        page = patient.get("/api/v1/reports/care-team", params=_period()).text
        assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
        narrow = re.search(r"@media screen and \(max-width: 640px\) \{(.*?)\n  \}", page, re.S)
        assert narrow is not None
        assert ".section > table { display: block; overflow-x: auto;" in narrow.group(1)
        assert ".grid { grid-template-columns: 1fr; }" in narrow.group(1)
        in_section = r'<div class="section">\s*<h2>[^<]*</h2>\s*<table'
        tables = re.findall(in_section, page)
        assert page.count("<table") == len(tables) > 0  # every table is a section's own child

    def test_the_report_has_no_style_attribute(self, patient: Person) -> None:
        # The app previews this page under its own Content-Security-Policy (style-src 'self'):
        # a style attribute there is refused and logged. Its styles are in its stylesheet.
        page = patient.get("/api/v1/reports/care-team", params=_period()).text
        assert "<style>" in page
        assert not re.findall(r"<[^>]*\sstyle\s*=", page)

    def test_table_headings_break_between_words_never_inside_one(self, patient: Person) -> None:
        # "Resista|nce", "hydroxyv|itamin D" on a phone: a cell's words stay whole, a column is
        # at least its longest word wide (the app's preview scrolls a wide table in its box).
        page = patient.get("/api/v1/reports/care-team", params=_period()).text
        assert "th, td { overflow-wrap: normal; word-break: normal; hyphens: manual; }" in page

    def test_the_report_has_no_internal_keys(self, patient: Person) -> None:
        page = patient.get("/api/v1/reports/care-team", params=_period()).text
        body = re.sub(r"<style>.*?</style>", "", page, flags=re.S)
        text = re.sub(r"<[^>]+>", " ", body)
        assert not re.findall(r"\b[a-z]+_[a-z0-9_]+\b", text)
        assert "NIH ODS" not in text
        assert "))" not in text


class TestFirstWeekExercise:
    """Exercise is read against its weekly target only over a whole week of hers: her first
    days were a red "30 min a week" of 150 on her first report (a newcomer's first week)."""

    def _today(self) -> dt.date:
        return dt.datetime.now(dt.UTC).date()

    def _figure(self, page: str, name: str) -> tuple[str, str]:
        """(colour class, the figure's text in one line) of a figure of the report."""
        found = re.search(
            rf'<div class="fig ?([a-z]*)" data-figure="{name}"( data-in-progress)?>(.*?)</div>'
            r"\s*(.*?)</div>",
            page,
            re.S,
        )
        assert found is not None, name
        text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", found.group(4))).strip()
        return found.group(1), text

    def _page(self, person: Person, first: dt.date, last: dt.date) -> str:
        period = {"from": first.isoformat(), "to": last.isoformat()}
        return str(person.get("/api/v1/reports/care-team", params=period).text)

    def _build(self, app: FastAPI, person: Person, first: dt.date) -> service.CareTeamReport:
        today = self._today()
        with Session(app.state.engine) as session:
            user = session.get(User, uuid.UUID(person.user_id))
            assert user is not None
            return service.build(session, user, first, today, today)

    def test_her_first_days_are_a_week_in_progress_not_a_red_figure(
        self, app: FastAPI, client: TestClient
    ) -> None:
        person = sign_up(client)
        today = self._today()
        yesterday = today - dt.timedelta(days=1)
        walk = workout(started_at=at(yesterday, 12), minutes=30)
        assert person.post("/api/v1/workouts", json=walk).status_code == 201
        squats = workout(started_at=at(yesterday, 13), activity="resistance_bands", minutes=20)
        assert person.post("/api/v1/workouts", json=squats).status_code == 201
        first = today - dt.timedelta(days=29)
        page = self._page(person, first, today)

        assert self._figure(page, "weight-bearing") == (
            "",
            "30 min in her first 2 days: week in progress (target 150 a week)",
        )
        assert self._figure(page, "resistance") == (
            "",
            "1 day in her first 2 days: week in progress (target 2 a week)",
        )
        assert "2 days so far: week in progress" in page
        assert "min a week</b>" not in page
        # The data behind it: one block of her two days, from her first day, not judged; no
        # day before she began is in the report's days or its charts.
        report = self._build(app, person, first)
        assert [(w.first, w.last, w.days, w.complete) for w in report.weeks] == [
            (yesterday, today, 2, False)
        ]
        assert not report.exercise_judged
        assert [r.date for r in report.daily] == [yesterday, today]
        assert [day for day, _pain in report.pain] == [yesterday, today]

    def test_from_her_first_whole_week_on_exercise_is_judged_and_can_be_red(
        self, app: FastAPI, client: TestClient
    ) -> None:
        person = sign_up(client)
        today = self._today()
        began = today - dt.timedelta(days=9)  # ten days: her first 3, then a whole week
        walk = workout(started_at=at(began, 12), minutes=30)
        assert person.post("/api/v1/workouts", json=walk).status_code == 201
        first = today - dt.timedelta(days=89)
        page = self._page(person, first, today)

        # The whole week had no exercise: 0 of 150 is red; her first 3 days are not counted in
        # the weekly mean and are not called a week in progress (that week is over).
        assert self._figure(page, "weight-bearing") == (
            "out",
            "0 min a week on average (target 150)",
        )
        assert self._figure(page, "resistance")[0] == "out"
        assert "week in progress" not in page
        assert "(3 days)" in page
        report = self._build(app, person, first)
        assert [(w.days, w.complete) for w in report.weeks] == [(3, False), (7, True)]
        assert report.weeks[0].first == began
        assert report.exercise_judged


def _targets_said(page: str) -> str:
    """The report's list of targets used, as plain text on one line."""
    match = re.search(r"<p class=\"foot\" data-targets>(.*?)</p>", page, flags=re.S)
    assert match, "the report lists no targets"
    return " ".join(re.sub(r"<[^>]+>", " ", match.group(1)).split())


class TestTargets:
    """The report names the targets her figures and scores were read against, never defaults
    that were not used."""

    def test_a_target_she_changed_is_given_and_marked_as_hers(self, client: TestClient) -> None:
        person = sign_up(client)
        overrides = {"calcium_mg": {"value": 1500, "set_by_care_team": False}}
        changed = person.patch("/api/v1/profile", json={"target_overrides": overrides})
        assert changed.status_code == 200, changed.text
        page = person.get("/api/v1/reports/care-team").text
        said = _targets_said(page)
        assert "calcium 1500 mg/day (set by the patient" in said
        assert "1200" not in said
        assert "Default targets" not in page
        assert "Target 1500 mg met on" in page
        # The ones she did not change are the protocol's defaults, and say so.
        assert "vitamin D 1000 IU/day (7-day average) (default)" in said

    def test_a_target_the_care_team_set_is_marked_as_theirs(self, client: TestClient) -> None:
        person = sign_up(client)
        overrides = {
            "weight_bearing_minutes": {"value": 90, "set_by_care_team": True},
            "magnesium_mg": {"value": 400, "set_by_care_team": True},
        }
        assert person.patch("/api/v1/profile", json={"target_overrides": overrides}).is_success
        page = person.get("/api/v1/reports/care-team").text
        said = _targets_said(page)
        assert "weight-bearing aerobic exercise 90 minutes in 7 days (set by the care team" in said
        # Her first day is a week in progress, read against her 90 when the week is whole.
        assert "week in progress (target 90 a week)" in page
        # Not read in a figure of the report, but it moved her scores: listed because changed.
        assert "magnesium 400 mg/day (set by the care team" in said
        assert "set by the patient" not in said

    def test_with_no_change_every_listed_target_is_the_default(self, client: TestClient) -> None:
        said = _targets_said(sign_up(client).get("/api/v1/reports/care-team").text)
        assert "calcium 1200 mg/day (default" in said
        assert "set by" not in said

    def test_every_target_has_words_for_a_clinician(self) -> None:
        assert set(TARGET_WORDS) == set(TARGET_KEYS)


@needs_poppler
class TestPdf:
    @pytest.mark.parametrize("paper", ["a4", "letter"])
    def test_ninety_days_fit_two_pages_and_page_one_is_not_blank(
        self, patient: Person, tmp_path: Path, paper: str
    ) -> None:
        response = patient.get(
            "/api/v1/reports/care-team", params=_period() | {"format": "pdf", "paper": paper}
        )
        assert response.status_code == 200, response.text
        assert response.headers["content-type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")
        assert _page_count(response.content) <= 2
        page = _first_page_png(response.content, tmp_path)
        stats = ImageStat.Stat(page)
        assert stats.stddev[0] > 20, "page 1 looks blank"
        dark = sum(page.histogram()[:128]) / (page.width * page.height)
        assert 0.01 < dark < 0.5  # text and charts, not an empty or a black page


class TestReferenceRanges:
    @pytest.mark.parametrize(
        ("kind", "value", "sex", "verdict"),
        [
            ("vitamin_d_25oh", 24, None, "low"),
            ("vitamin_d_25oh", 42, None, "in range"),
            ("ldl_cholesterol", 99, None, "optimal"),
            ("ldl_cholesterol", 130, None, "above"),
            ("hdl_cholesterol", 45, "female", "low"),
            ("hdl_cholesterol", 45, "male", "ok"),
            ("triglycerides", 150, None, "above"),
            ("total_cholesterol", 199, None, "desirable"),
            ("dxa_t_score", -1.0, None, "normal"),
            ("dxa_t_score", -2.4, None, "osteopenia"),
            ("dxa_t_score", -2.5, None, "osteoporosis"),
        ],
    )
    def test_values_are_read_against_protocol_section_7(
        self, kind: str, value: float, sex: str | None, verdict: str
    ) -> None:
        assert reference_range(kind, value, sex)[2] == verdict


class TestLabUnits:
    """Labs in her units with the range in the same units (an outside walk read LDL in mg/dL
    against a US range on a report for a patient whose profile and letters use mmol/L)."""

    @pytest.mark.parametrize(
        ("unit_system", "typed", "shown", "reference", "entered"),
        [
            ("metric", (135, "mg/dL"), "3.49 mmol/L", "&lt; 2.59 mmol/L optimal", "135 mg/dL"),
            ("metric", (3.49, "mmol/L"), "3.49 mmol/L", "&lt; 2.59 mmol/L optimal", ""),
            ("us", (3.49, "mmol/L"), "135 mg/dL", "&lt; 100 mg/dL optimal", "3.49 mmol/L"),
        ],
    )
    def test_ldl_is_shown_in_her_units_against_a_range_in_them(
        self,
        client: TestClient,
        unit_system: str,
        typed: tuple[float, str],
        shown: str,
        reference: str,
        entered: str,
    ) -> None:
        person = sign_up(client)
        assert person.patch("/api/v1/profile", json={"unit_system": unit_system}).status_code == 200
        payload = lab(kind="ldl_cholesterol", value=typed[0], unit=typed[1])
        assert person.post("/api/v1/labs", json=payload).status_code == 201
        page = person.get("/api/v1/reports/care-team").text
        row = re.search(r"<tr><td>LDL cholesterol</td>.*?</tr>", page, re.S)
        assert row is not None
        cells = re.sub(r"<[^>]+>", "|", row.group(0))
        assert f"|{shown}|" in cells, cells
        assert f"|{reference}|" in cells, cells
        assert (f"entered as |{entered}|" in cells) == bool(entered), cells

    @pytest.mark.parametrize(
        ("kind", "unit", "sex", "words"),
        [
            ("vitamin_d_25oh", "nmol/L", None, "75-125 nmol/L"),
            ("ldl_cholesterol", "mmol/L", None, "< 2.59 mmol/L optimal"),
            ("total_cholesterol", "mmol/L", None, "< 5.17 mmol/L desirable"),
            ("triglycerides", "mmol/L", None, "< 1.69 mmol/L normal"),
            ("hdl_cholesterol", "mmol/L", "female", "low < 1.29 mmol/L (women)"),
            ("hdl_cholesterol", "mg/dL", "male", "low < 40 mg/dL (men)"),
        ],
    )
    def test_each_range_is_said_in_the_unit_shown(
        self, kind: str, unit: str, sex: str | None, words: str
    ) -> None:
        assert reference_range(kind, 60, sex, unit)[0] == words


class TestEveryFigureInHerUnits:
    """Every lab figure and range on the page in her units, not only the lab row: a metric
    patient's report read "62 nmol/L" against "75-125 nmol/L" in its row but "below 30 ng/mL"
    in its flag and "30-50 ng/mL" in its footnote."""

    def _page(self, client: TestClient, unit_system: str, *labs: dict[str, object]) -> str:
        person = sign_up(client)
        assert person.patch("/api/v1/profile", json={"unit_system": unit_system}).status_code == 200
        for payload in labs:
            assert person.post("/api/v1/labs", json=payload).status_code == 201
        return str(person.get("/api/v1/reports/care-team").text)

    def _without_entered_notes(self, page: str) -> str:
        return re.sub(r"entered as <span[^>]*>[^<]*</span>", "", page)

    @pytest.mark.parametrize(
        ("typed", "flag"),
        [((62, "nmol/L"), "below 75 nmol/L"), ((200, "nmol/L"), "above 125 nmol/L")],
    )
    def test_a_metric_page_says_nmol_and_mmol_only(
        self, client: TestClient, typed: tuple[float, str], flag: str
    ) -> None:
        page = self._page(
            client,
            "metric",
            lab(kind="vitamin_d_25oh", value=typed[0], unit=typed[1]),
            lab(kind="ldl_cholesterol", value=3.2, unit="mmol/L"),
        )
        assert f"Latest 25(OH)D {flag}" in page
        assert "(25-hydroxyvitamin D) 75-125 nmol/L;" in page
        assert "ng/mL" not in page
        assert "mg/dL" not in page

    def test_a_metric_page_names_a_us_unit_only_as_she_typed_it(self, client: TestClient) -> None:
        page = self._page(
            client,
            "metric",
            lab(kind="vitamin_d_25oh", value=24.8, unit="ng/mL"),
            lab(kind="ldl_cholesterol", value=124, unit="mg/dL"),
        )
        assert 'entered as <span class="nowrap">24.8 ng/mL</span>' in page
        assert 'entered as <span class="nowrap">124 mg/dL</span>' in page
        assert "62 nmol/L" in page
        assert "Latest 25(OH)D below 75 nmol/L" in page
        rest = self._without_entered_notes(page)
        assert "ng/mL" not in rest
        assert "mg/dL" not in rest

    def test_a_us_page_says_ng_and_mg_only(self, client: TestClient) -> None:
        page = self._page(
            client,
            "us",
            lab(kind="vitamin_d_25oh", value=24.8, unit="ng/mL"),
            lab(kind="ldl_cholesterol", value=124, unit="mg/dL"),
        )
        assert "Latest 25(OH)D below 30 ng/mL" in page
        assert "(25-hydroxyvitamin D) 30-50 ng/mL;" in page
        assert "nmol/L" not in page
        assert "mmol/L" not in page


class TestWeightUnits:
    """Her weights in the units she uses everywhere else (an outside walk read kg on a US
    patient's report, where every screen had said lb)."""

    @pytest.mark.parametrize(
        ("unit_system", "said"),
        [("us", "150.0 lb</b>"), ("metric", "68.0 kg</b>")],
    )
    def test_the_latest_weight_is_in_her_units(
        self, client: TestClient, unit_system: str, said: str
    ) -> None:
        person = sign_up(client)
        patched = person.patch("/api/v1/profile", json={"unit_system": unit_system})
        assert patched.status_code == 200, patched.text
        today = dt.date.today()
        body = {"weight_lb": 152} if unit_system == "us" else {"weight_kg": 68.9}
        later = {"weight_lb": 150} if unit_system == "us" else {"weight_kg": 68}
        for days_ago, weight in ((2, body), (1, later)):
            day = today - dt.timedelta(days=days_ago)
            made = person.post(
                "/api/v1/measurements", json={"measured_at": f"{day}T12:00:00+00:00", **weight}
            )
            assert made.status_code == 201, made.text
        page = person.get("/api/v1/reports/care-team").text
        assert said in page
        change = "-2.0 lb over the period" if unit_system == "us" else "-0.9 kg over the period"
        assert change in page


class TestAdherence:
    """The report's adherence is the day report's (PROTOCOL §4a, one count for both): a period
    ends on the day before while the day has no dose, and is clipped to the item's start."""

    def _today(self) -> dt.date:
        return dt.datetime.now(dt.UTC).date()

    def _figure(self, page: str) -> str:
        found = re.search(r'data-figure="adherence">(.*?)</div>\s*(.*?)</div>', page, re.S)
        assert found is not None
        return re.sub(r"<[^>]+>", "", found.group(2))

    def _item(self, person: Person, **fields: object) -> str:
        response = person.post("/api/v1/regimen", json=regimen(prescribed_daily=True, **fields))
        assert response.status_code == 201, response.text
        return str(response.json()["id"])

    def _take(self, person: Person, item_id: str, day: dt.date, hour: int) -> None:
        payload = dose(regimen_item_id=item_id, taken_at=at(day, hour))
        assert person.post("/api/v1/doses", json=payload).status_code == 201

    def test_day_one_before_a_dose_says_no_dose_is_due_yet_not_0_percent(
        self, client: TestClient
    ) -> None:
        person = sign_up(client)
        self._item(person)
        figure = self._figure(person.get("/api/v1/reports/care-team").text)
        assert figure.startswith("No doses due yet"), figure
        assert "%" not in figure

    def test_day_one_with_her_dose_logged_is_1_of_1(self, client: TestClient) -> None:
        person = sign_up(client)
        item_id = self._item(person)
        self._take(person, item_id, self._today(), 0)
        figure = self._figure(person.get("/api/v1/reports/care-team").text)
        assert "100 % of days: at least one dose logged on 1 of 1 day" in figure

    def test_day_two_counts_day_one_until_day_two_has_a_dose(
        self, app: FastAPI, client: TestClient
    ) -> None:
        person = sign_up(client)
        item_id = self._item(person)
        tomorrow = self._today() + dt.timedelta(days=1)
        app.state.clock = lambda: dt.datetime.combine(tomorrow, dt.time(7), dt.UTC)
        figure = self._figure(person.get("/api/v1/reports/care-team").text)
        assert "0 % of days: at least one dose logged on 0 of 1 day" in figure
        self._take(person, item_id, tomorrow, 6)
        figure = self._figure(person.get("/api/v1/reports/care-team").text)
        assert "50 % of days: at least one dose logged on 1 of 2 days" in figure

    def test_an_evening_taker_is_not_shown_a_missed_day_in_the_morning(
        self, client: TestClient
    ) -> None:
        person = sign_up(client)
        today = self._today()
        item_id = self._item(person, started_on=(today - dt.timedelta(days=6)).isoformat())
        for back in range(1, 7):
            self._take(person, item_id, today - dt.timedelta(days=back), 20)
        week = {"from": (today - dt.timedelta(days=6)).isoformat(), "to": today.isoformat()}
        figure = self._figure(person.get("/api/v1/reports/care-team", params=week).text)
        assert "100 % of days: at least one dose logged on 6 of 6 days" in figure
        # The day report says the same for its 7 days (one count for both).
        day = person.get(f"/api/v1/days/{today.isoformat()}").json()
        assert day["adherence"][0]["days_7"] == 1.0


class TestDatesInWords:
    """Every date the reader sees is in words ("5 Dec 2026"): a report said "started on
    2026-12-05" next to "5 Dec 2026"."""

    def test_no_date_on_the_page_is_written_yyyy_mm_dd(self, client: TestClient) -> None:
        person = sign_up(client)
        today = dt.datetime.now(dt.UTC).date()
        item = regimen(prescribed_daily=True, started_on=today.isoformat())
        assert person.post("/api/v1/regimen", json=item).status_code == 201
        for days_ago, value in ((40, 50), (0, 62)):
            payload = lab(kind="vitamin_d_25oh", value=value, unit="nmol/L")
            payload["measured_at"] = at(today - dt.timedelta(days=days_ago), 9)
            assert person.post("/api/v1/labs", json=payload).status_code == 201
        page = person.get("/api/v1/reports/care-team").text
        assert f"it started on {day_in_words(today)}" in page
        before = day_in_words(today - dt.timedelta(days=40))
        assert f"before: 50 on {before}" in page
        seen = re.sub(r"<[^>]+>", " ", page)  # attributes (data-*) are not read
        assert re.search(r"\d{4}-\d{2}-\d{2}", seen) is None, re.findall(
            r".{40}\d{4}-\d\d-\d\d", seen
        )


class TestChartLabels:
    """Every date label inside its chart (a phone cut off a one-day chart's only label)."""

    @staticmethod
    def _extents(svg: str) -> list[tuple[float, float]]:
        out = []
        for x, size, anchor, text in re.findall(
            r'<text x="([\d.-]+)" y="[\d.]+" font-size="(\d+)"[^>]*'
            r'text-anchor="(\w+)">([^<]*)</text>',
            svg,
        ):
            w = len(text) * int(size) * charts.CHAR_EM
            left = float(x) - {"start": 0, "middle": w / 2, "end": w}[anchor]
            out.append((left, left + w))
        return out

    @pytest.mark.parametrize("n", [1, 2, 3, 7, 31, 90])
    def test_every_label_is_inside_the_chart(self, n: int) -> None:
        days = [dt.date(2026, 11, 6) + dt.timedelta(days=i) for i in range(n)]
        drawn = [
            charts.bar_chart(
                days, [700.0] * n, target=1200, y_max=2000, y_ticks=(0, 1000, 2000), label="c"
            ),
            charts.line_chart(
                days, [("s", [50.0] * n, charts.ACCENT)], y_max=100, y_ticks=(0, 50), label="s"
            ),
        ]
        for svg in drawn:
            width = float(re.search(r'viewBox="0 0 (\d+)', svg).group(1))  # type: ignore[union-attr]
            extents = self._extents(svg)
            assert f">{days[-1].day} {days[-1]:%b}</text>" in svg  # the last day is labelled
            for left, right in extents:
                assert left >= 0 and right <= width, (left, right, width)
