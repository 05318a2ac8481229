"""Draw the generated golden vectors (tests/golden/scoring/generated/) from the Hypothesis
strategies of tests/scoring/strategies.py, and pin each one's whole expected output.

The hand-written vectors in tests/golden/scoring/ each test one rule with its arithmetic in
`why`; these test everything else at once: random days (meals, doses, workouts, symptoms,
weights, labs, profiles) whose whole day report and patterns, as the Python engine computes
them, the TypeScript engine must reproduce exactly (frontend/src/scoring/golden.test.ts). The
draw is derandomized, but Hypothesis still adapts what it draws to what it has drawn so far (a
re-run was seen to keep the first 14 days and differ after), so the checked-in files, not the
seed, are the contract: re-drawing replaces the whole set, and nothing changes until someone
re-runs this.

    PYTHONPATH=. .venv/bin/python tools/gen_golden_vectors.py          # (re)write the files
    PYTHONPATH=. .venv/bin/python tools/gen_golden_vectors.py --check  # 1: a file is stale

`--check` re-pins the expected output of the files as they are (it does not draw again), so it
fails when the engine's output changed and the files were not re-pinned. Files are one compact
line of JSON each: they are read by programs, and a changed vector is found by the tests.
"""

from __future__ import annotations

import json
import shutil
import sys
from typing import Any

from hypothesis import HealthCheck, Phase, given, settings

from fortify.scoring import DayInput, compute_day_report, compute_patterns, report_to_dict
from tests.scoring.golden import GENERATED_DIR, day_input_from_json, day_input_to_json
from tests.scoring.strategies import days

COUNT = 200


def draw_days(count: int) -> list[DayInput]:
    """`count` distinct days from the `days()` strategy, the same ones on every run."""
    drawn: list[DayInput] = []

    @settings(
        max_examples=count,
        derandomize=True,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
        deadline=None,
    )
    @given(days())
    def collect(inp: DayInput) -> None:
        drawn.append(inp)

    collect()
    return drawn[:count]


def vector(index: int, inp: DayInput) -> dict[str, Any]:
    data: dict[str, Any] = {"name": f"generated {index:03d}", **compact(day_input_to_json(inp))}
    return pin(data)


# Each entry list gets short ids in its own letter ("m1", "d2"); the regimen keeps its own.
_ID_PREFIX = {"meals": "m", "doses": "d", "workouts": "w", "symptoms": "s", "measurements": "x"}
_ID_PREFIX["labs"] = "l"
FLOAT_PLACES = 2


def compact(data: dict[str, Any]) -> dict[str, Any]:
    """The drawn input made small and readable, and still a valid golden input.

    Floats are rounded to 2 places (Hypothesis draws 17-digit ones), uuids become short ids, and
    a null, empty or blank field is left out, which both loaders read as its default.
    """
    for kind, prefix in _ID_PREFIX.items():
        for number, entry in enumerate(data.get(kind, []), start=1):
            entry["id"] = f"{prefix}{number}"
    shrunk: dict[str, Any] = _shrink(data)
    return shrunk


def _shrink(value: Any) -> Any:
    if isinstance(value, float):
        return round(value, FLOAT_PLACES)
    if isinstance(value, list):
        return [_shrink(v) for v in value]
    if isinstance(value, dict):
        return {k: _shrink(v) for k, v in value.items() if v not in (None, "", [], {})}
    return value


def pin(data: dict[str, Any]) -> dict[str, Any]:
    inp = day_input_from_json(data)
    data["expected"] = {
        "report": report_to_dict(compute_day_report(inp)),
        "patterns": report_to_dict(compute_patterns(inp)),
    }
    return data


def dumps(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"


def check() -> int:
    stale = [
        path.name
        for path in sorted(GENERATED_DIR.glob("*.json"))
        if dumps(pin(json.loads(path.read_text("utf-8")))) != path.read_text("utf-8")
    ]
    for name in stale:
        print(f"stale: {name}")
    return 1 if stale else 0


def write() -> int:
    if GENERATED_DIR.exists():
        shutil.rmtree(GENERATED_DIR)
    GENERATED_DIR.mkdir(parents=True)
    for index, inp in enumerate(draw_days(COUNT), start=1):
        path = GENERATED_DIR / f"{index:03d}.json"
        path.write_text(dumps(vector(index, inp)), encoding="utf-8")
    print(f"wrote {COUNT} vectors to {GENERATED_DIR}")
    return 0


def main(argv: list[str]) -> int:
    return check() if "--check" in argv else write()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
