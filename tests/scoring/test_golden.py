"""Every golden vector in tests/golden/scoring/ scores exactly as its hand arithmetic says, and
the engine's whole output (day report and patterns) equals the one pinned in the file
(tools/pin_golden_reports.py), field for field: the TypeScript port compares the same."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings

from fortify.scoring import DayInput, compute_day_report, compute_patterns, report_to_dict
from fortify.scoring.actions import phrase_of
from fortify.scoring.components import COMPONENTS
from fortify.scoring.facts import gather
from tests.scoring.golden import (
    PHRASES_PATH,
    day_input_from_json,
    day_input_to_json,
    generated_paths,
    golden_paths,
    load_golden,
    open_components,
    phrase_input_paths,
)
from tests.scoring.strategies import days

PATHS = golden_paths()
REQUIRED = {"name", "why", "day", "profile", "expected"}
EXPECTED_KEYS = {
    "overall",
    "bone",
    "heart",
    "joint",
    "credits",
    "excluded",
    "flags",
    "next_best_action",
    "report",
    "patterns",
}


class TestGoldenSet:
    def test_there_are_at_least_54_golden_files(self) -> None:
        # 40 from protocol v1, at least 14 more for v1.1 (two per change, issue 15)
        assert len(PATHS) >= 54

    def test_every_golden_file_has_its_own_name(self) -> None:
        names = [json.loads(p.read_text(encoding="utf-8"))["name"] for p in PATHS]
        assert len(set(names)) == len(names)


@pytest.mark.parametrize("path", PATHS, ids=[p.stem for p in PATHS])
class TestGoldenVector:
    def test_the_file_has_every_required_field(self, path: Path) -> None:
        data = json.loads(path.read_text(encoding="utf-8"))
        assert data.keys() >= REQUIRED
        assert set(data["expected"]) == EXPECTED_KEYS
        assert set(data["expected"]["credits"]) == {c.key for c in COMPONENTS}

    def test_the_engine_agrees_with_the_hand_arithmetic(self, path: Path) -> None:
        inp, expected = load_golden(path)
        report = compute_day_report(inp)
        credits = {c.key: c.credit for c in report.components}
        excluded = sorted(c.key for c in report.components if c.excluded)
        nba = report.next_best_action.key if report.next_best_action else None
        assert {
            "overall": report.overall,
            "bone": report.bone,
            "heart": report.heart,
            "joint": report.joint,
        } == {k: expected[k] for k in ("overall", "bone", "heart", "joint")}
        assert credits == pytest.approx(expected["credits"], abs=1e-9)
        assert excluded == sorted(expected["excluded"])
        assert sorted(f.key for f in report.flags) == expected["flags"]
        assert nba == expected["next_best_action"]

    def test_the_whole_day_report_equals_the_pinned_one(self, path: Path) -> None:
        inp, expected = load_golden(path)
        assert report_to_dict(compute_day_report(inp)) == expected["report"]

    def test_the_patterns_equal_the_pinned_ones(self, path: Path) -> None:
        inp, expected = load_golden(path)
        assert report_to_dict(compute_patterns(inp)) == expected["patterns"]


GENERATED = generated_paths()


class TestGeneratedSet:
    def test_there_are_about_200_generated_vectors(self) -> None:
        assert len(GENERATED) >= 200

    def test_the_generated_vectors_stay_small(self) -> None:
        """Each file is read by both test suites on every run: keep the set well under 2 MB."""
        assert sum(p.stat().st_size for p in GENERATED) < 1_800_000


@pytest.mark.parametrize("path", GENERATED, ids=[p.stem for p in GENERATED])
def test_a_generated_vector_gives_its_whole_pinned_output(path: Path) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    inp = day_input_from_json(data)
    assert set(data["expected"]) == {"report", "patterns"}
    assert report_to_dict(compute_day_report(inp)) == data["expected"]["report"]
    assert report_to_dict(compute_patterns(inp)) == data["expected"]["patterns"]


class TestGoldenJsonRoundTrip:
    # Drawing a whole day is slow on a loaded machine; the health check is about the draw.
    @settings(max_examples=50)
    @given(days())
    def test_a_day_written_as_golden_json_reads_back_the_same(self, inp: DayInput) -> None:
        assert day_input_from_json(day_input_to_json(inp)) == inp


class TestEveryNextBestActionPhrase:
    """tests/golden/scoring/phrases/: every phrase a day could choose, not only the chosen one."""

    def test_every_open_component_of_every_vector_says_its_pinned_phrase(self) -> None:
        pinned = json.loads(PHRASES_PATH.read_text(encoding="utf-8"))
        said: dict[str, dict[str, str]] = {}
        for path in PATHS:
            data = json.loads(path.read_text(encoding="utf-8"))
            facts = gather(day_input_from_json(data))
            keys = open_components(data["expected"]["report"])
            phrases = {key: phrase_of(key, facts) for key in keys}
            said[path.stem] = {k: v for k, v in phrases.items() if v is not None}
        for path in phrase_input_paths():
            inp = day_input_from_json(json.loads(path.read_text(encoding="utf-8")))
            report = report_to_dict(compute_day_report(inp))
            phrases = {key: phrase_of(key, gather(inp)) for key in open_components(report)}
            said[f"inputs/{path.stem}"] = {k: v for k, v in phrases.items() if v is not None}
        assert said == pinned

    def test_the_chosen_action_is_one_of_the_pinned_phrases(self) -> None:
        pinned = json.loads(PHRASES_PATH.read_text(encoding="utf-8"))
        for path in PATHS:
            report = json.loads(path.read_text(encoding="utf-8"))["expected"]["report"]
            action = report["next_best_action"]
            if action is not None:
                assert pinned[path.stem][action["key"]] == action["text"]
