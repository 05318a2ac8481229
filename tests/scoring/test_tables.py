"""scoring/tables.py is the one copy of the protocol's data: what cannot import it stays equal.

The entries contract's `Nutrients` and `Servings` are typed pydantic models (their fields are
read by name across the app), so they are written out; this test holds them to the table.
The TypeScript copy is generated (tools/gen_scoring_tables.py) and checked here too.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from annotated_types import Le

from fortify.accounts.schemas import TargetKey
from fortify.catalog import forms, usda
from fortify.entries.schemas import LabKind, Nutrients, Servings
from fortify.portability import csv_export
from fortify.scoring import tables
from fortify.scoring.activities import CATALOG
from fortify.scoring.components import COMPONENTS
from fortify.scoring.flags import CHECKS
from fortify.scoring.targets import DEFAULT_TARGETS

ROOT = Path(__file__).resolve().parents[2]


def _upper_bound(model: type[Nutrients] | type[Servings], name: str) -> float:
    bound = next(m.le for m in model.model_fields[name].metadata if isinstance(m, Le))
    assert isinstance(bound, int | float)
    return float(bound)


class TestDerivedCopies:
    def test_the_entries_contract_has_exactly_the_tables_nutrients_and_bounds(self) -> None:
        assert tuple(Nutrients.model_fields) == tables.NUTRIENT_KEYS
        assert {n.key: n.max_amount for n in tables.NUTRIENTS} == {
            name: _upper_bound(Nutrients, name) for name in Nutrients.model_fields
        }

    def test_the_entries_contract_has_exactly_the_tables_serving_groups(self) -> None:
        assert tuple(Servings.model_fields) == tables.SERVING_GROUPS

    def test_the_other_domains_read_the_tables(self) -> None:
        assert usda.NUTRIENT_KEYS == tables.NUTRIENT_KEYS
        assert csv_export.NUTRIENTS == tables.NUTRIENT_KEYS
        assert forms.SNAPSHOT_NUTRIENT_KEYS == tables.SUPPLEMENT_NUTRIENT_KEYS
        assert TargetKey is tables.TargetKey
        assert LabKind is tables.LabKind

    def test_every_usda_number_maps_to_one_key(self) -> None:
        numbers = [n.usda[0] for n in tables.NUTRIENTS]
        assert len(set(numbers)) == len(numbers)


class TestTheTablesAreWhole:
    def test_one_default_per_target_key_in_order(self) -> None:
        assert tuple(t.key for t in tables.DEFAULT_TARGETS) == tables.TARGET_KEYS
        assert tuple(t.key for t in DEFAULT_TARGETS) == tables.TARGET_KEYS

    def test_the_engine_scores_every_component_and_checks_every_flag_in_table_order(self) -> None:
        assert [c.key for c in COMPONENTS] == [row[0] for row in tables.COMPONENT_WEIGHTS]
        assert [key for key, _ in CHECKS] == list(tables.FLAG_KEYS)

    def test_weights_sum_to_one_in_every_domain(self) -> None:
        assert abs(sum(tables.DOMAIN_WEIGHTS.values()) - 1) < 1e-12
        for domain in tables.DOMAINS:
            total = sum(w for _, d, w in tables.COMPONENT_WEIGHTS if d == domain)
            assert abs(total - 1) < 1e-12, domain

    def test_the_catalog_has_51_activities_with_known_flags_and_groups(self) -> None:
        assert len(CATALOG) == len(tables.ACTIVITIES) == 51
        for key, _label, flags, groups in tables.ACTIVITIES:
            assert set(flags) <= set("AWRHL"), key
            assert set(groups) <= set(tables.MUSCLE_GROUPS), key

    def test_every_lab_kind_has_a_canonical_unit(self) -> None:
        assert tuple(tables.CANONICAL_UNIT) == tables.LAB_KINDS


class TestGeneratedTypeScript:
    def test_tables_gen_ts_is_up_to_date(self) -> None:
        result = subprocess.run(
            [sys.executable, str(ROOT / "tools" / "gen_scoring_tables.py"), "--check"],
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, result.stdout + result.stderr
