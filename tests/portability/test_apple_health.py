"""Apple Health import: mapping, counts, and the same result however often it runs."""

from __future__ import annotations

import io
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from fortify.cli import app as cli
from fortify.core.config import get_settings
from fortify.portability.apple_health import read_export
from tests.factories import Person, sign_up

EXPORT_XML = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE HealthData [
<!ELEMENT HealthData (ExportDate,Me,(Record|Workout)*)>
]>
<HealthData locale="en_GB">
 <ExportDate value="2026-11-21 20:00:00 +0000"/>
 <Me HKCharacteristicTypeIdentifierBiologicalSex="HKBiologicalSexFemale"/>
 <Record type="HKQuantityTypeIdentifierStepCount" sourceName="iPhone" unit="count"
   startDate="2026-11-20 08:00:00 +0000" endDate="2026-11-20 08:10:00 +0000" value="900"/>
 <Record type="HKQuantityTypeIdentifierDietaryCalcium" sourceName="MyFitnessPal" unit="mg"
   creationDate="2026-11-20 08:05:00 +0000"
   startDate="2026-11-20 08:00:00 +0000" endDate="2026-11-20 08:00:00 +0000" value="300"/>
 <Record type="HKQuantityTypeIdentifierDietaryVitaminD" sourceName="MyFitnessPal" unit="mcg"
   startDate="2026-11-20 08:00:00 +0000" endDate="2026-11-20 08:00:00 +0000" value="25"/>
 <Record type="HKQuantityTypeIdentifierBodyMass" sourceName="Scale" unit="kg"
   startDate="2026-11-20 07:00:00 +0000" endDate="2026-11-20 07:00:00 +0000" value="70.4"/>
 <Record type="HKQuantityTypeIdentifierBodyMass" sourceName="Health" unit="lb"
   startDate="2026-11-13 07:00:00 +0000" endDate="2026-11-13 07:00:00 +0000" value="156"/>
 <Workout workoutActivityType="HKWorkoutActivityTypeWalking" duration="42.5" durationUnit="min"
   sourceName="Watch" startDate="2026-11-20 17:00:00 +0000" endDate="2026-11-20 17:42:30 +0000">
  <MetadataEntry key="HKIndoorWorkout" value="0"/>
  <WorkoutStatistics type="HKQuantityTypeIdentifierActiveEnergyBurned" sum="180" unit="kcal"/>
 </Workout>
 <Workout workoutActivityType="HKWorkoutActivityTypeTraditionalStrengthTraining" duration="30"
   durationUnit="min" sourceName="Watch"
   startDate="2026-11-19 18:00:00 +0000" endDate="2026-11-19 18:30:00 +0000"/>
 <Workout workoutActivityType="HKWorkoutActivityTypeYoga" duration="1800" durationUnit="s"
   sourceName="Watch" startDate="2026-11-18 07:00:00 +0100" endDate="2026-11-18 07:30:00 +0100"/>
 <Workout workoutActivityType="HKWorkoutActivityTypeArchery" duration="20" durationUnit="min"
   sourceName="Watch" startDate="2026-11-17 10:00:00 +0000" endDate="2026-11-17 10:20:00 +0000"/>
</HealthData>
"""


def export_zip(xml: str = EXPORT_XML) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("apple_health_export/export.xml", xml)
        archive.writestr("apple_health_export/export_cda.xml", "<ClinicalDocument/>")
    return buffer.getvalue()


def _upload(person: Person, body: bytes) -> dict[str, object]:
    response = person.post(
        "/api/v1/import/apple-health",
        files={"file": ("export.zip", body, "application/zip")},
    )
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def _all(person: Person, kind: str) -> list[dict[str, object]]:
    return person.get(f"/api/v1/{kind}", params={"limit": 200}).json()["items"]  # type: ignore[no-any-return]


class TestParsing:
    def test_health_records_map_to_fortify_entries(self) -> None:
        skipped: Counter[str] = Counter()
        mapped = list(read_export(io.BytesIO(EXPORT_XML.encode()), skipped))
        by_kind = Counter(m.kind for m in mapped)
        assert by_kind == {"meals": 2, "measurements": 2, "workouts": 3}
        walk = next(m for m in mapped if m.payload.get("activity") == "brisk_walking")
        assert walk.payload["minutes"] == 42
        yoga = next(m for m in mapped if m.payload.get("activity") == "yoga")
        assert yoga.payload["minutes"] == 30
        assert yoga.payload["started_at"] == "2026-11-18T07:00:00+01:00"
        vitamin_d = next(
            m for m in mapped if "Vitamin D" in m.payload.get("items", [{}])[0].get("food_name", "")
        )
        assert vitamin_d.payload["items"][0]["nutrients"] == {"vitamin_d_iu": 1000}
        assert skipped == {"workout:Archery": 1}

    @pytest.mark.parametrize("duration", ["nan", "NaN", "inf", "-inf", "Infinity", "1e400"])
    def test_a_duration_that_is_no_number_gives_way_to_the_start_and_end(
        self, duration: str
    ) -> None:
        # Found from outside: "nan" parsed as a float and reached round(): a 500.
        xml = (
            '<HealthData><Workout workoutActivityType="HKWorkoutActivityTypeRunning" '
            f'duration="{duration}" durationUnit="min" startDate="2026-11-03 10:00:00 +0000" '
            'endDate="2026-11-03 10:30:00 +0000"/></HealthData>'
        )
        skipped: Counter[str] = Counter()
        (workout,) = read_export(io.BytesIO(xml.encode()), skipped)
        assert workout.payload["minutes"] == 30
        without_end = xml.replace(' endDate="2026-11-03 10:30:00 +0000"', "")
        assert list(read_export(io.BytesIO(without_end.encode()), skipped)) == []
        assert skipped == {"invalid": 1}

    def test_a_workout_of_no_length_or_ending_before_it_starts_is_skipped(self) -> None:
        xml = (
            "<HealthData>"
            '<Workout workoutActivityType="HKWorkoutActivityTypeRunning" duration="-3" '
            'durationUnit="min" startDate="2026-11-03 10:00:00 +0000" '
            'endDate="2026-11-03 09:57:00 +0000"/>'
            '<Workout workoutActivityType="HKWorkoutActivityTypeRunning" '
            'startDate="2026-11-03 10:00:00 +0000" endDate="2026-11-03 09:00:00 +0000"/>'
            "</HealthData>"
        )
        skipped: Counter[str] = Counter()
        assert list(read_export(io.BytesIO(xml.encode()), skipped)) == []
        assert skipped == {"invalid": 2}


class TestImport:
    def test_a_nan_duration_is_a_200_not_a_500(self, client: TestClient) -> None:
        person = sign_up(client)
        xml = (
            '<HealthData><Workout workoutActivityType="HKWorkoutActivityTypeRunning" '
            'duration="nan" durationUnit="min" startDate="2026-11-03 10:00:00 +0000" '
            'endDate="2026-11-03 10:30:00 +0000"/></HealthData>'
        )
        result = _upload(person, export_zip(xml))
        assert (result["workouts"], result["skipped"]) == (1, {})
        assert [w["minutes"] for w in _all(person, "workouts")] == [30]

    def test_the_import_writes_workouts_meals_and_weights(self, client: TestClient) -> None:
        person = sign_up(client)
        result = _upload(person, export_zip())
        assert result == {
            "workouts": 3,
            "meals": 2,
            "measurements": 2,
            "unchanged": 0,
            "skipped": {"workout:Archery": 1},
        }
        activities = sorted(w["activity"] for w in _all(person, "workouts"))  # type: ignore[type-var]
        assert activities == ["brisk_walking", "lifting_weights", "yoga"]
        meals = _all(person, "meals")
        assert {m["name"] for m in meals} == {"Apple Health"}
        weights = sorted(m["weight_kg"] for m in _all(person, "measurements"))  # type: ignore[type-var]
        assert weights == [70.4, 70.76]
        day = person.get("/api/v1/days/2026-11-20").json()
        assert day["totals"]["calcium_mg"] == 300

    def test_importing_the_same_export_again_adds_nothing(self, client: TestClient) -> None:
        person = sign_up(client)
        _upload(person, export_zip())
        before = {kind: _all(person, kind) for kind in ("workouts", "meals", "measurements")}
        again = _upload(person, export_zip())
        assert again["workouts"] == again["meals"] == again["measurements"] == 0
        assert again["unchanged"] == 7
        after = {kind: _all(person, kind) for kind in ("workouts", "meals", "measurements")}
        assert after == before

    def test_a_corrected_value_updates_its_entry_and_a_deleted_one_stays_deleted(
        self, client: TestClient
    ) -> None:
        person = sign_up(client)
        _upload(person, export_zip())
        walk = next(w for w in _all(person, "workouts") if w["activity"] == "brisk_walking")
        assert person.delete(f"/api/v1/workouts/{walk['id']}").status_code == 204
        corrected = EXPORT_XML.replace('value="70.4"', 'value="70.2"')
        result = _upload(person, export_zip(corrected))
        assert result["measurements"] == 1
        assert result["skipped"] == {"workout:Archery": 1, "deleted_in_fortify": 1}
        assert len(_all(person, "workouts")) == 2
        assert sorted(m["weight_kg"] for m in _all(person, "measurements")) == [70.2, 70.76]  # type: ignore[type-var]

    def test_a_value_she_corrected_in_fortify_is_kept_by_a_repeat_upload(
        self, client: TestClient
    ) -> None:
        person = sign_up(client)
        _upload(person, export_zip())
        weight = next(m for m in _all(person, "measurements") if m["weight_kg"] == 70.4)
        fixed = person.put(
            f"/api/v1/measurements/{weight['id']}",
            json={"measured_at": weight["measured_at"], "weight_kg": 69.9},
        )
        assert fixed.status_code == 200, fixed.text
        again = _upload(person, export_zip())
        assert again["measurements"] == 0
        assert again["skipped"] == {"workout:Archery": 1, "changed_in_fortify": 1}
        assert sorted(m["weight_kg"] for m in _all(person, "measurements")) == [69.9, 70.76]  # type: ignore[type-var]

    def test_two_people_importing_one_export_get_separate_entries(self, client: TestClient) -> None:
        first, second = sign_up(client), sign_up(client)
        _upload(first, export_zip())
        assert _upload(second, export_zip())["workouts"] == 3

    def test_a_file_that_is_not_an_export_is_a_422_naming_the_file(
        self, client: TestClient
    ) -> None:
        person = sign_up(client)
        response = person.post(
            "/api/v1/import/apple-health",
            files={"file": ("x.zip", b"not a zip", "application/zip")},
        )
        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == "file"
        empty = io.BytesIO()
        with zipfile.ZipFile(empty, "w") as archive:
            archive.writestr("readme.txt", "hello")
        response = person.post(
            "/api/v1/import/apple-health",
            files={"file": ("x.zip", empty.getvalue(), "application/zip")},
        )
        assert response.status_code == 422


class TestAfterAMove:
    """F1 of the outside probe: her JSON export imported into a new account lost the Apple
    Health provenance, and the same export.zip uploaded there duplicated every record and
    brought back the one she had deleted."""

    @staticmethod
    def moved(client: TestClient, person: Person) -> Person:
        """Her export imported into a new account (the documented way to move)."""
        document = person.get("/api/v1/export").json()
        new = sign_up(client)
        imported = new.post("/api/v1/import", json=document)
        assert imported.status_code == 200, imported.text
        return new

    def test_a_repeat_upload_after_a_move_adds_nothing_and_keeps_edits_and_deletions(
        self, client: TestClient
    ) -> None:
        person = sign_up(client)
        _upload(person, export_zip())
        walk = next(w for w in _all(person, "workouts") if w["activity"] == "brisk_walking")
        assert person.delete(f"/api/v1/workouts/{walk['id']}").status_code == 204
        old = next(m for m in _all(person, "measurements") if m["weight_kg"] == 70.76)
        assert person.delete(f"/api/v1/measurements/{old['id']}").status_code == 204
        weight = next(m for m in _all(person, "measurements") if m["weight_kg"] == 70.4)
        fixed = person.put(
            f"/api/v1/measurements/{weight['id']}",
            json={"measured_at": weight["measured_at"], "weight_kg": 69.9},
        )
        assert fixed.status_code == 200, fixed.text
        # Moved twice: the provenance follows each move.
        new = self.moved(client, self.moved(client, person))
        before = {kind: _all(new, kind) for kind in ("workouts", "meals", "measurements")}
        again = _upload(new, export_zip())
        assert (again["workouts"], again["meals"], again["measurements"]) == (0, 0, 0)
        assert again["unchanged"] == 4  # the two workouts and two meals she left alone
        assert again["skipped"] == {
            "workout:Archery": 1,
            "deleted_in_fortify": 2,
            "changed_in_fortify": 1,
        }
        after = {kind: _all(new, kind) for kind in ("workouts", "meals", "measurements")}
        assert after == before
        assert [m["weight_kg"] for m in after["measurements"]] == [69.9]
        assert len(after["workouts"]) == 2

    def test_new_records_of_a_later_export_are_added_once(self, client: TestClient) -> None:
        person = sign_up(client)
        _upload(person, export_zip())
        new = self.moved(client, person)
        later = EXPORT_XML.replace(
            "</HealthData>",
            """ <Record type="HKQuantityTypeIdentifierBodyMass" sourceName="Scale" unit="kg"
   startDate="2026-11-27 07:00:00 +0000" endDate="2026-11-27 07:00:00 +0000" value="70.1"/>
</HealthData>""",
        )
        first = _upload(new, export_zip(later))
        assert (first["measurements"], first["unchanged"]) == (1, 7)
        second = _upload(new, export_zip(later))
        assert (second["measurements"], second["unchanged"]) == (0, 8)
        assert len(_all(new, "measurements")) == 3

    def test_an_export_without_provenance_still_imports(self, client: TestClient) -> None:
        person = sign_up(client)
        _upload(person, export_zip())
        document = person.get("/api/v1/export").json()
        assert document["version"] == 3
        assert document["apple_health"]["accounts"] == [person.user_id]
        del document["apple_health"]
        document["version"] = 2
        new = sign_up(client)
        imported = new.post("/api/v1/import", json=document)
        assert imported.status_code == 200, imported.text
        # Without it, the upload cannot know her records: they are new, as before version 3.
        assert _upload(new, export_zip())["workouts"] == 3


class TestWriteOnlyToken:
    """A write-only token may import, but its answer may not tell what is stored (F4): a
    re-uploaded guess of a weight must read exactly as a new one."""

    def test_a_repeat_upload_answers_as_the_first(self, client: TestClient) -> None:
        person = sign_up(client)
        token = person.post("/api/v1/tokens", {"name": "w", "scopes": ["write"]}).json()["token"]
        writer = Person(client, person.email, token, person.user_id)
        accepted = {
            "workouts": 3,
            "meals": 2,
            "measurements": 2,
            "unchanged": 0,
            "skipped": {"workout:Archery": 1},
        }
        assert _upload(writer, export_zip()) == accepted
        assert _upload(writer, export_zip()) == accepted  # everything stored already
        walk = next(w for w in _all(person, "workouts") if w["activity"] == "brisk_walking")
        person.delete(f"/api/v1/workouts/{walk['id']}")
        corrected = EXPORT_XML.replace('value="70.4"', 'value="70.2"')
        assert _upload(writer, export_zip(corrected)) == accepted  # one changed, one deleted
        # What was done is what a reading principal's import does.
        assert sorted(m["weight_kg"] for m in _all(person, "measurements")) == [70.2, 70.76]  # type: ignore[type-var]
        assert len(_all(person, "workouts")) == 2


class TestCommandLine:
    def test_the_command_imports_with_a_progress_bar_and_is_idempotent(
        self,
        client: TestClient,
        database_url: str,
        monkeypatch: pytest.MonkeyPatch,
        tmp_path: Path,
    ) -> None:
        monkeypatch.setenv("FORTIFY_DATABASE_URL", database_url)
        get_settings.cache_clear()
        person = sign_up(client)
        export = tmp_path / "export.zip"
        export.write_bytes(export_zip())
        runner = CliRunner()
        args = ["import", "apple-health", str(export), "--email", person.email]
        first = runner.invoke(cli, args)
        assert first.exit_code == 0, first.output
        assert "3 workouts, 2 calcium/vitamin D records and 2 weights written" in first.output
        again = runner.invoke(cli, args)
        assert again.exit_code == 0, again.output
        assert "0 workouts" in again.output and "7 unchanged" in again.output
        unknown = runner.invoke(cli, [*args[:3], "--email", "nobody@example.com"])
        assert unknown.exit_code != 0
        get_settings.cache_clear()
