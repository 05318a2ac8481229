"""The scoring engine stays pure: no web, database or I/O imports (CRAFT.md habit 3).

Every module of the package is parsed with `ast`, with no exception list: the web and database
edge of the day reports lives in `fortify.days`, so a forbidden import fails here even if it sits
inside a function.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SCORING_DIR = Path(__file__).resolve().parents[2] / "backend" / "fortify" / "scoring"
FORBIDDEN = ("fastapi", "sqlalchemy", "pydantic", "fortify.core", "fortify.db", "starlette")
ALLOWED = (
    "__future__",
    "collections",
    "dataclasses",
    "datetime",
    "enum",
    "math",
    "typing",
    "zoneinfo",
    "fortify.scoring",
)


def pure_modules() -> list[Path]:
    return sorted(SCORING_DIR.rglob("*.py"))


def imported_names(source: str) -> list[str]:
    names: list[str] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return names


def _within(name: str, packages: tuple[str, ...]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in packages)


def is_forbidden(name: str) -> bool:
    return _within(name, FORBIDDEN)


class TestPurity:
    def test_there_are_modules_to_check(self) -> None:
        assert len(pure_modules()) >= 5

    @pytest.mark.parametrize("path", pure_modules(), ids=lambda p: p.name)
    def test_the_module_imports_nothing_from_the_web_or_database(self, path: Path) -> None:
        forbidden = [n for n in imported_names(path.read_text("utf-8")) if is_forbidden(n)]
        assert forbidden == []

    @pytest.mark.parametrize("path", pure_modules(), ids=lambda p: p.name)
    def test_the_module_uses_only_pure_stdlib_and_its_own_package(self, path: Path) -> None:
        """No I/O, no clock: only the listed stdlib modules (datetime is data, not a clock)."""
        other = [n for n in imported_names(path.read_text("utf-8")) if not _within(n, ALLOWED)]
        assert other == []

    @pytest.mark.parametrize("path", pure_modules(), ids=lambda p: p.name)
    def test_the_module_never_reads_the_clock(self, path: Path) -> None:
        calls = {
            node.func.attr
            for node in ast.walk(ast.parse(path.read_text("utf-8")))
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
        }
        assert not calls & {"now", "today", "utcnow"}

    def test_the_checker_catches_a_forbidden_import(self) -> None:
        source = "def f():\n    from sqlalchemy.orm import Session\nimport fortify.core.db\n"
        assert sorted(n for n in imported_names(source) if is_forbidden(n)) == [
            "fortify.core.db",
            "sqlalchemy.orm",
        ]
