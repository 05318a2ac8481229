"""Pin each golden vector's whole expected output: `expected.report` and `expected.patterns`.

A golden file's hand arithmetic lives in its `why` and in the summary under `expected` (scores,
credits, exclusions, flags, next best action); both engines are checked against that. The whole
report (every explanation, total, flag message, adherence figure) and the patterns are then
pinned here from the Python engine, so that the Python and TypeScript golden tests compare the
WHOLE output, and any later change to any field shows up as a diff a reviewer reads.

    PYTHONPATH=. .venv/bin/python tools/pin_golden_reports.py          # rewrite the files
    PYTHONPATH=. .venv/bin/python tools/pin_golden_reports.py --check  # 1: a file is stale

Run it after changing a vector or the engine, then read the diff: a v1 vector whose report
changes must say why in its `why`. The same run re-pins the phrase file
(tests/golden/scoring/phrases/: every next-best-action phrase of every hand-written vector) and
the generated vectors (tests/golden/scoring/generated/, tools/gen_golden_vectors.py), from their
inputs as they are.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from gen_golden_vectors import dumps, pin  # a sibling script (its folder is on sys.path)

from fortify.scoring import compute_day_report, compute_patterns, report_to_dict
from fortify.scoring.actions import phrase_of
from fortify.scoring.facts import gather
from tests.scoring.golden import (
    PHRASES_PATH,
    day_input_from_json,
    generated_paths,
    golden_paths,
    load_golden,
    open_components,
    phrase_input_paths,
)


def pinned(path: Path) -> str:
    data = json.loads(path.read_text(encoding="utf-8"))
    inp, _ = load_golden(path)
    data["expected"]["report"] = report_to_dict(compute_day_report(inp))
    data["expected"]["patterns"] = report_to_dict(compute_patterns(inp))
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def pinned_generated(path: Path) -> str:
    return dumps(pin(json.loads(path.read_text(encoding="utf-8"))))


def pinned_phrases() -> str:
    """tests/golden/scoring/phrases/next_best_actions.json as the engine says it now.

    The hand-written vectors only: the generated ones reach no phrase branch these do not
    (measured when this was written) and would add half a megabyte.
    """
    phrases: dict[str, dict[str, str]] = {}
    for path in golden_paths():
        # The report as the engine makes it now, not as pinned: a new vector has none pinned yet.
        inp = day_input_from_json(json.loads(path.read_text(encoding="utf-8")))
        facts = gather(inp)
        report = report_to_dict(compute_day_report(inp))
        said = {key: phrase_of(key, facts) for key in open_components(report)}
        phrases[path.stem] = {k: v for k, v in said.items() if v is not None}
    for path in phrase_input_paths():
        inp = day_input_from_json(json.loads(path.read_text(encoding="utf-8")))
        facts = gather(inp)
        report = report_to_dict(compute_day_report(inp))
        said = {key: phrase_of(key, facts) for key in open_components(report)}
        phrases[f"inputs/{path.stem}"] = {k: v for k, v in said.items() if v is not None}
    return json.dumps(phrases, indent=1, ensure_ascii=False) + "\n"


def main(argv: list[str]) -> int:
    check = "--check" in argv
    stale = []
    text = pinned_phrases()
    if not PHRASES_PATH.exists() or text != PHRASES_PATH.read_text(encoding="utf-8"):
        stale.append(PHRASES_PATH.name)
        if not check:
            PHRASES_PATH.parent.mkdir(exist_ok=True)
            PHRASES_PATH.write_text(text, encoding="utf-8")
    for path in [*golden_paths(), *generated_paths()]:
        text = pinned(path) if path.parent.name != "generated" else pinned_generated(path)
        if text != path.read_text(encoding="utf-8"):
            stale.append(path.name)
            if not check:
                path.write_text(text, encoding="utf-8")
    for name in stale:
        print(("stale: " if check else "pinned: ") + name)
    return 1 if check and stale else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
