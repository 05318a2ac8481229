"""The layers hold (CRAFT.md habit 13; docs/architecture.md, "Layers").

Every module of `backend/fortify` is parsed with `ast` (imports inside functions count too) and
checked against five rules:

1. **core knows no domain.** A module of `fortify.core` imports nothing from `fortify` outside
   `fortify.core`.
2. **Routers import no SQLAlchemy.** A `router.py` parses, calls services and shapes answers; the
   session reaches it as `core.deps.SessionDep`, and every query lives in a service.
3. **Domains meet through services.** A domain is a package of `fortify` other than `core`. A
   module of domain A may import from another domain B any public name of B's modules *except*
   B's `models` (its tables), `repository` (its queries) and `router` (its HTTP edge), and no
   name starting with `_`. Everything else a domain exposes (`service.py`, `schemas.py`,
   `kinds.py`, `deps.py`, `entities.py`, ...) is its service API. Two table classes are shared
   on purpose (`SHARED`).
4. **The person is a type.** `accounts.models.User` is shared because every route receives the
   signed-in person (`accounts.deps.CurrentUser`); outside accounts it is named only in
   annotations and `cast()`: a query on the users table goes through `accounts.service`.

5. **One clock.** Only `core/clock.py` reads the wall clock (`datetime.now`, `date.today`,
   `datetime.utcnow`); everything else takes `core.clock.utcnow`, a `Clock`, or the request's
   `core.deps.Now`, so a test that moves `app.state.clock` moves every "now" a route sees.

`main.py`, `cli.py` and `models.py` are the composition root (they wire every domain together)
and are not checked. Scoring's purity (no I/O, no clock) is its own test,
tests/scoring/test_purity.py. What an import-based check cannot see: a table reached through a
registry object (`KINDS[...].model`) or an attribute; reviews still watch for those.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "backend" / "fortify"
ROOT_MODULES = {"fortify.main", "fortify.cli", "fortify.models", "fortify.__init__"}
PRIVATE_MODULES = ("models", "repository", "router")
#: Table classes another domain may import, and why.
SHARED = {
    "fortify.accounts.models.User": "the signed-in person; a type elsewhere (rule 4)",
    "fortify.entries.models.EntryMixin": "the columns every entry-like table shares (reminders)",
}
PERSON = "fortify.accounts.models.User"

#: Known violations, in this one place, each with the change that removes it. A fixed one must
#: leave the list too (`test_every_allowance_is_still_needed`).
ALLOWANCES = {
    # reminders' planner joins the users table for change numbers and time zones in the same
    # statement as its plans (one query per round, docs/reminders.md): a join that an
    # accounts.service call per person would turn into N queries.
    "fortify.reminders.planner queries fortify.accounts.models.User",
}


@dataclass(frozen=True)
class Imported:
    module: str  # the importing module, dotted
    target: str  # what it imports, dotted (module, or module.name)
    line: int


def module_name(root: Path, path: Path) -> str:
    parts = path.relative_to(root.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(root: Path, path: Path) -> list[Imported]:
    """Every `fortify`/`sqlalchemy` import of a module, as dotted targets: `from a.b import c`
    gives `a.b.c` (c may be a module or a name; the rules read it either way)."""
    module = module_name(root, path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: list[Imported] = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            found += [Imported(module, alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: resolve against the package
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found += [Imported(module, f"{base}.{alias.name}", node.lineno) for alias in node.names]
    return [i for i in found if i.target.split(".")[0] in {"fortify", "sqlalchemy"}]


def names_outside_annotations(tree: ast.AST, name: str) -> list[int]:
    """Lines where `name` is used as a value: not in an annotation, not as cast()'s type."""
    typing_only: set[int] = set()
    for node in ast.walk(tree):
        annotations: list[ast.expr | None] = []
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            annotations.append(node.returns)
        elif isinstance(node, ast.arg | ast.AnnAssign):
            annotations.append(node.annotation)
        elif isinstance(node, ast.Call) and getattr(node.func, "id", None) == "cast" and node.args:
            annotations.append(node.args[0])
        for annotation in annotations:
            if annotation is not None:
                typing_only.update(id(n) for n in ast.walk(annotation))
    return sorted(
        n.lineno
        for n in ast.walk(tree)
        if isinstance(n, ast.Name) and n.id == name and id(n) not in typing_only
    )


def domains(root: Path) -> set[str]:
    """The packages of `fortify` other than core."""
    return {p.parent.name for p in root.glob("*/*.py")} - {"core"}


def _domain(module: str, known: set[str]) -> str | None:
    parts = module.split(".")
    return parts[1] if parts[0] == "fortify" and len(parts) > 1 and parts[1] in known else None


def violations(root: Path) -> list[str]:
    """Every breach of the four rules under `root` (a `fortify` package directory)."""
    found: list[str] = []
    known = domains(root)
    for path in sorted(root.rglob("*.py")):
        module = module_name(root, path)
        if module in ROOT_MODULES:
            continue
        imports = imports_of(root, path)
        mine = _domain(module, known)
        for imp in imports:
            target = imp.target.split(".")
            in_core = module.startswith("fortify.core")
            if in_core and target[0] == "fortify" and target[1] != "core":
                found.append(f"{module} imports {imp.target} (core knows no domain)")
            if path.name == "router.py" and target[0] == "sqlalchemy":
                found.append(f"{module} imports {imp.target} (a router imports no SQLAlchemy)")
            theirs = _domain(imp.target, known)
            if mine is None or theirs is None or theirs == mine:
                continue
            if imp.target in SHARED:
                continue
            if len(target) > 2 and target[2] in PRIVATE_MODULES:
                found.append(f"{module} imports {imp.target}")
            elif any(part.startswith("_") for part in target[2:]):
                found.append(f"{module} imports {imp.target} (a private name)")
        tree = ast.parse(path.read_text("utf-8"))
        person_as_value = (
            mine not in {None, "accounts"}
            and any(i.target == PERSON for i in imports)
            and names_outside_annotations(tree, PERSON.rpartition(".")[2])
        )
        if person_as_value:
            found.append(f"{module} queries {PERSON}")
        if module != CLOCK_MODULE and clock_reads(tree):
            found.append(f"{module} reads the clock (core.clock is the one clock)")
    return found


CLOCK_MODULE = "fortify.core.clock"
CLOCK_READS = {"now", "today", "utcnow"}


def clock_reads(tree: ast.AST) -> list[int]:
    """Lines calling `<...>datetime.now()`, `<...>date.today()` or `<...>datetime.utcnow()`."""
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            owner = node.func.value
            owner_name = (
                owner.attr if isinstance(owner, ast.Attribute) else getattr(owner, "id", "")
            )
            if node.func.attr in CLOCK_READS and owner_name in {"datetime", "date"}:
                lines.append(node.lineno)
    return lines


def _domain_violations(found: list[str]) -> list[str]:
    return [v.split(" (")[0] for v in found]


class TestTheLayers:
    def test_there_are_modules_to_check(self) -> None:
        assert len(list(PACKAGE.rglob("*.py"))) > 80
        assert len(list(PACKAGE.glob("*/router.py"))) >= 8

    def test_the_tree_keeps_every_rule(self) -> None:
        assert sorted(set(_domain_violations(violations(PACKAGE))) - ALLOWANCES) == []

    def test_every_allowance_is_still_needed(self) -> None:
        """A violation fixed must leave ALLOWANCES too."""
        assert sorted(ALLOWANCES - set(_domain_violations(violations(PACKAGE)))) == []


def _tree(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "fortify"
    for name, source in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source, "utf-8")
    return root


CLEAN = {
    "core/deps.py": "from fortify.core import config\nfrom sqlalchemy.orm import Session\n",
    "accounts/models.py": "class User: ...\n",
    "accounts/deps.py": "from fortify.accounts.models import User\n",
    "catalog/repository.py": "from fortify.catalog.models import Food\n",
    "catalog/models.py": "class Food: ...\n",
    "entries/models.py": "class Lab: ...\nclass EntryMixin: ...\n",
    "entries/service.py": "from sqlalchemy import select\nfrom fortify.entries.models import Lab\n",
    "entries/router.py": "from fortify.core.deps import SessionDep\nimport fortify.entries.kinds\n",
    "sync/models.py": "class SyncConflict: ...\n",
    "sync/conflicts.py": "from fortify.sync.models import SyncConflict\n",
    "portability/sections.py": "from fortify.sync import conflicts\n",
    "reminders/models.py": "from fortify.entries.models import EntryMixin\n",
    "reminders/service.py": (
        "from typing import cast\n"
        "from fortify.accounts.models import User\n"
        "from fortify.accounts import service as accounts\n"
        "from fortify.entries import service as entries\n"
        "def plan(user: User) -> User:\n"
        "    return cast(User, accounts.get_person(user.id))\n"
    ),
    "core/clock.py": "import datetime as dt\ndef utcnow():\n    return dt.datetime.now(dt.UTC)\n",
    "main.py": "from fortify.entries.router import router\nfrom fortify.sync.models import *\n",
}


class TestTheChecker:
    """The checker run on small trees: it passes a clean one and names each planted breach."""

    def test_a_clean_tree_has_no_violations(self, tmp_path: Path) -> None:
        assert violations(_tree(tmp_path, CLEAN)) == []

    @pytest.mark.parametrize(
        ("name", "source", "expected"),
        [
            (
                "core/etag.py",
                "def f():\n    from fortify.accounts.models import User\n",
                "fortify.core.etag imports fortify.accounts.models.User (core knows no domain)",
            ),
            (
                "entries/router.py",
                "from sqlalchemy.orm import Session\n",
                "fortify.entries.router imports sqlalchemy.orm.Session "
                "(a router imports no SQLAlchemy)",
            ),
            (
                "reminders/service.py",
                "from fortify.entries.models import Lab\n",
                "fortify.reminders.service imports fortify.entries.models.Lab",
            ),
            (
                "sync/entities.py",
                "from fortify.catalog import repository as catalog_repo\n",
                "fortify.sync.entities imports fortify.catalog.repository",
            ),
            (
                "portability/sections.py",
                "import fortify.sync.models\n",
                "fortify.portability.sections imports fortify.sync.models",
            ),
            (
                "reports/service.py",
                "from fortify.entries.service import _load\n",
                "fortify.reports.service imports fortify.entries.service._load (a private name)",
            ),
            (
                "demo/service.py",
                "from sqlalchemy import update\nfrom fortify.accounts.models import User\n"
                "stmt = update(User).values(sync_version=User.sync_version + 1)\n",
                "fortify.demo.service queries fortify.accounts.models.User",
            ),
            (
                "sync/push.py",
                "from ..catalog.models import Food\n",
                "fortify.sync.push imports fortify.catalog.models.Food",
            ),
            (
                "reports/router.py",
                "import datetime\ntoday = datetime.date.today()\n",
                "fortify.reports.router reads the clock (core.clock is the one clock)",
            ),
        ],
        ids=[
            "core",
            "router",
            "models",
            "repository",
            "import-statement",
            "private-name",
            "person-queried",
            "relative-import",
            "clock",
        ],
    )
    def test_a_planted_violation_is_reported(
        self, tmp_path: Path, name: str, source: str, expected: str
    ) -> None:
        assert violations(_tree(tmp_path, CLEAN | {name: source})) == [expected]
