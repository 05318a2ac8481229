"""Pin each golden vector's whole expected output: `expected.report` and `expected.patterns`.

A golden file's hand arithmetic lives in its `why` and in the summary under `expected` (scores,
credits, exclusions, flags, next best action); both engines are checked against that. The whole
report (every explanation, total, flag message, adherence figure) and the patterns are then
pinned here from the Python engine, so that the Python and TypeScript golden tests compare the
WHOLE output, and any later change to any field shows up as a diff a reviewer reads.

    PYTHONPATH=. .venv/bin/python tools/pin_golden_reports.py          # rewrite the files
    PYTHONPATH=. .venv/bin/python tools/pin_golden_reports.py --check  # 1: a file is stale

Run it after changing a vector or the engine, then read the diff: a v1 vector whose report
changes must say why in its `why`. It re-pins the generated vectors (tests/golden/scoring/
generated/, tools/gen_golden_vectors.py) in the same run, from their inputs as they are.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from fortify.scoring import compute_day_report, compute_patterns, report_to_dict
from tests.scoring.golden import generated_paths, golden_paths, load_golden
from tools.gen_golden_vectors import dumps, pin


def pinned(path: Path) -> str:
    data = json.loads(path.read_text(encoding="utf-8"))
    inp, _ = load_golden(path)
    data["expected"]["report"] = report_to_dict(compute_day_report(inp))
    data["expected"]["patterns"] = report_to_dict(compute_patterns(inp))
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def pinned_generated(path: Path) -> str:
    return dumps(pin(json.loads(path.read_text(encoding="utf-8"))))


def main(argv: list[str]) -> int:
    check = "--check" in argv
    stale = []
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
