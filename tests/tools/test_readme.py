"""tools/README.md lists every tool: a script added to tools/ without a line there fails here."""

from __future__ import annotations

import re

from tests.tools import TOOLS


def test_every_tool_has_a_row_in_the_readme() -> None:
    readme = (TOOLS / "README.md").read_text(encoding="utf-8")
    rows = set(re.findall(r"^\| `([\w.]+\.py)` \|", readme, flags=re.MULTILINE))
    assert rows == {path.name for path in TOOLS.glob("*.py")}
