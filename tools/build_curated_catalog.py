"""Build backend/fortify/catalog/data/curated_foods.json from tools/curated_foods/*.toml + SR28.

Everything a person reads in the catalog is written by hand in ``tools/curated_foods/``: names,
synonyms, food groups, household portions, protocol servings, tags and sources, one TOML file per
food group (the file's number sets the order foods appear in the JSON), with the sources that
many foods cite written once in ``sources.toml``. Only the nutrient values of foods that name an
SR28 NDB number are copied, by this script, from USDA SR28 and rounded to 3 significant digits.
Values that SR28 lacks or that come from elsewhere are given in a food's ``nutrient_overrides``
with their source, and are recorded per nutrient in the JSON's ``nutrient_sources`` so the tests
can tell them apart. The file format is described in tools/README.md.

SR28 is read from the pack the repository ships (``catalog/data/usda_sr28.json.gz``, itself
built from the raw files by tools/build_usda_pack.py and checked against them), so the build
and ``--check`` need nothing outside the repository; ``--sr-dir`` reads the raw SR28 files
instead (in place, never copied into the repo) and gives the same JSON.

Usage (from the repo root):

    .venv/bin/python tools/build_curated_catalog.py [--sr-dir DIR] [--check]

``--check`` rebuilds in memory and exits 1 if the committed JSON differs (``make lint`` runs it).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fortify.catalog.curated import CatalogDataError, parse_catalog
from fortify.catalog.usda import NUTRIENT_KEYS, UsdaFood, load_foods, read_pack

REPO = Path(__file__).resolve().parents[1]
FOODS_DIR = REPO / "tools" / "curated_foods"
SOURCES_FILE = "sources.toml"
PACK = REPO / "backend" / "fortify" / "catalog" / "data" / "usda_sr28.json.gz"
OUTPUT = REPO / "backend" / "fortify" / "catalog" / "data" / "curated_foods.json"

REQUIRED_FIELDS = frozenset({"key", "name", "food_group", "portions_grams"})
OPTIONAL_FIELDS = frozenset(
    {"usda_ndb_no", "synonyms", "tags", "servings_grams", "sources", "nutrient_overrides"}
)


class SpecError(Exception):
    """A food file breaks the format; the message names the file and the food."""


@dataclass(frozen=True)
class Override:
    per_100g: float | None  # None: unknown (SR28's value is dropped, not replaced by zero)
    source: str


@dataclass(frozen=True)
class Spec:
    key: str
    name: str
    group: str
    ndb: str | None
    synonyms: list[str]
    portions: list[tuple[str, float]]
    servings: dict[str, float]
    tags: list[str]
    sources: list[str]
    overrides: dict[str, Override]


def _text(value: object, where: str) -> str:
    if not isinstance(value, str) or not value:
        raise SpecError(f"{where}: expected a non-empty string, got {value!r}")
    return value


def _texts(value: object, where: str) -> list[str]:
    if not isinstance(value, list):
        raise SpecError(f"{where}: expected a list of strings, got {value!r}")
    return [_text(item, where) for item in value]


def _grams(value: object, where: str) -> float:
    # bool is an int in Python; `true` for a weight is a typo, not 1 g.
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise SpecError(f"{where}: expected a number, got {value!r}")
    return value


def _weights(value: object, where: str) -> dict[str, float]:
    if not isinstance(value, dict):
        raise SpecError(f"{where}: expected a table of name = grams, got {value!r}")
    return {name: _grams(grams, f"{where}.{name}") for name, grams in value.items()}


def _source(value: object, named: dict[str, str], where: str) -> str:
    """A name from sources.toml, or the source's text itself (a sentence, so it has a space)."""
    text = _text(value, where)
    if text in named:
        return named[text]
    if " " not in text:
        raise SpecError(f"{where}: {text!r} is not a source named in {SOURCES_FILE}")
    return text


def parse_food(raw: dict[str, Any], named: dict[str, str], where: str) -> Spec:
    key = _text(raw.get("key"), f"{where}: key")
    where = f"{where}: {key}"
    if missing := REQUIRED_FIELDS - raw.keys():
        raise SpecError(f"{where}: missing {sorted(missing)}")
    if unknown := raw.keys() - REQUIRED_FIELDS - OPTIONAL_FIELDS:
        raise SpecError(f"{where}: unknown fields {sorted(unknown)}")
    overrides: dict[str, Override] = {}
    raw_overrides = raw.get("nutrient_overrides", {})
    if not isinstance(raw_overrides, dict):
        raise SpecError(f"{where}: nutrient_overrides must be a table")
    for nutrient, entry in raw_overrides.items():
        at = f"{where}: nutrient_overrides.{nutrient}"
        if nutrient not in NUTRIENT_KEYS:
            raise SpecError(f"{at}: unknown nutrient")
        if not isinstance(entry, dict) or not entry.keys() <= {"per_100g", "source"}:
            raise SpecError(f"{at}: expected {{ per_100g = number, source = text }}")
        value = entry.get("per_100g")
        overrides[nutrient] = Override(
            None if value is None else _grams(value, at),
            _source(entry.get("source"), named, f"{at}.source"),
        )
    ndb = raw.get("usda_ndb_no")
    return Spec(
        key=key,
        name=_text(raw["name"], f"{where}: name"),
        group=_text(raw["food_group"], f"{where}: food_group"),
        ndb=None if ndb is None else _text(ndb, f"{where}: usda_ndb_no"),
        synonyms=_texts(raw.get("synonyms", []), f"{where}: synonyms"),
        portions=list(_weights(raw["portions_grams"], f"{where}: portions_grams").items()),
        servings=_weights(raw.get("servings_grams", {}), f"{where}: servings_grams"),
        tags=_texts(raw.get("tags", []), f"{where}: tags"),
        sources=[
            _source(item, named, f"{where}: sources")
            for item in _texts(raw.get("sources", []), f"{where}: sources")
        ],
        overrides=overrides,
    )


def load_specs(foods_dir: Path) -> list[Spec]:
    """Every food of the NN_group.toml files, in file order, then in the order written."""
    try:
        sources = tomllib.loads((foods_dir / SOURCES_FILE).read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise SpecError(f"{SOURCES_FILE}: {error}") from error
    named = {name: _text(text, f"{SOURCES_FILE}: {name}") for name, text in sources.items()}
    files = sorted(foods_dir.glob("*.toml"))
    if strays := [p.name for p in files if p.name != SOURCES_FILE and not p.name[:2].isdigit()]:
        raise SpecError(f"{strays}: food files are named NN_group.toml (NN sets their order)")
    specs: list[Spec] = []
    for path in files:
        if path.name == SOURCES_FILE:
            continue
        try:
            document = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as error:
            raise SpecError(f"{path.name}: {error}") from error
        if unknown := document.keys() - {"food"}:
            raise SpecError(f"{path.name}: unknown top-level keys {sorted(unknown)}")
        foods = document.get("food", [])
        if not isinstance(foods, list) or not all(isinstance(raw, dict) for raw in foods):
            raise SpecError(f"{path.name}: foods are written as [[food]] tables")
        specs += [parse_food(raw, named, path.name) for raw in foods]
    return specs


def three_sig(value: float) -> float:
    """Round to 3 significant digits (SR28's precision is rarely better)."""
    if value == 0 or not math.isfinite(value):
        return value
    digits = 2 - math.floor(math.log10(abs(value)))
    rounded = round(value, digits)
    return float(rounded)


def read_usda(sr_dir: Path | None) -> dict[str, UsdaFood]:
    """SR28 by NDB number: from the raw files in `sr_dir`, or from the committed pack."""
    if sr_dir is not None:
        return load_foods(sr_dir)
    return {food.ndb_no: food for food in read_pack(PACK.read_bytes())}


def build(specs: list[Spec], usda: dict[str, UsdaFood]) -> dict[str, object]:
    foods: list[dict[str, object]] = []
    seen: set[str] = set()
    for spec in specs:
        if spec.key in seen:
            raise SpecError(f"duplicate key {spec.key}")
        seen.add(spec.key)
        nutrients: dict[str, float | None] = dict.fromkeys(NUTRIENT_KEYS)
        sources: list[str] = []
        usda_description: str | None = None
        if spec.ndb is not None:
            if spec.ndb not in usda:
                raise SpecError(f"{spec.key}: NDB {spec.ndb} is not in SR28")
            food = usda[spec.ndb]
            usda_description = food.name
            for key in NUTRIENT_KEYS:
                value = food.nutrients_per_100g[key]
                nutrients[key] = None if value is None else three_sig(value)
            sources.append(f"USDA SR28 NDB {spec.ndb} ({food.name}): nutrient values per 100 g")
        nutrient_sources: dict[str, str] = {}
        for key, override in spec.overrides.items():
            nutrients[key] = override.per_100g
            nutrient_sources[key] = override.source
        for source in [*spec.sources, *nutrient_sources.values()]:
            if source not in sources:
                sources.append(source)
        if not spec.portions:
            raise SpecError(f"{spec.key}: no portion")
        foods.append(
            {
                "key": spec.key,
                "name": spec.name,
                "synonyms": spec.synonyms,
                "food_group": spec.group,
                "usda_ndb_no": spec.ndb,
                "usda_description": usda_description,
                "nutrients_per_100g": nutrients,
                "nutrient_sources": nutrient_sources,
                "portions": [{"label": label, "grams": grams} for label, grams in spec.portions],
                "servings_grams": spec.servings,
                "tags": spec.tags,
                "sources": sources,
            }
        )
    return {
        "schema_version": 1,
        "generated_by": "tools/build_curated_catalog.py",
        "nutrient_keys": list(NUTRIENT_KEYS),
        "foods": foods,
    }


def render(catalog: dict[str, object]) -> str:
    return json.dumps(catalog, ensure_ascii=False, indent=1) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sr-dir", type=Path, default=None, help="raw SR28 files (default: the committed pack)"
    )
    parser.add_argument("--check", action="store_true", help="fail if the JSON is out of date")
    args = parser.parse_args(argv)
    try:
        specs = load_specs(FOODS_DIR)
        catalog = build(specs, read_usda(args.sr_dir))
        # The app's own loader validates groups, tags and serving keys: a typo fails here.
        parse_catalog(catalog)
    except (SpecError, CatalogDataError) as error:
        print(f"tools/curated_foods: {error}", file=sys.stderr)
        return 1
    text = render(catalog)
    if args.check:
        if not OUTPUT.exists() or OUTPUT.read_text(encoding="utf-8") != text:
            print(f"{OUTPUT} is out of date; run tools/build_curated_catalog.py", file=sys.stderr)
            return 1
        return 0
    OUTPUT.write_text(text, encoding="utf-8")
    print(f"wrote {len(specs)} foods to {OUTPUT.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
