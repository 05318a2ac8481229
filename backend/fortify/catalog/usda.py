"""Streaming reader for the USDA National Nutrient Database, Standard Reference 28 (SR28).

The SR28 ASCII files are caret-delimited, text fields are wrapped in tildes, there is no header
row and the encoding is Windows-1252 (see /work/shared/data/usda-sr/README.md). Values are per
100 g of edible portion.

Two rules shape this module:

* **A missing NUT_DATA row means "unknown", never zero.** Every nutrient key is always present
  in ``UsdaFood.nutrients_per_100g``; an unknown value is ``None``.
* **Speed.** NUT_DATA.txt holds 679k rows. It is read once, in one streaming pass, keeping only
  the dozen nutrients Fortify uses, into a dict keyed by NDB number; FOOD_DES.txt is then
  streamed and joined against it. The whole set parses in about a second.

NDB numbers are kept as 5-character strings ("01077"): the leading zeros are part of the key.
"""

from __future__ import annotations

import csv
import gzip
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from fortify.scoring import tables

__all__ = [
    "NUTRIENT_KEYS",
    "PACK_FORMAT",
    "Portion",
    "UsdaFood",
    "UsdaFormatError",
    "count_foods",
    "iter_foods",
    "iter_rows",
    "load_foods",
    "pack_document",
    "read_food_groups",
    "read_nutrients",
    "read_pack",
    "read_portions",
]

ENCODING: Final = "cp1252"

#: Our nutrient snapshot keys, in display order (scoring/tables.py, shared with the entries
#: contract and the PWA).
NUTRIENT_KEYS: Final[tuple[str, ...]] = tables.NUTRIENT_KEYS

# SR28 Nutr_No -> (our key, factor from the SR unit to ours), from scoring/tables.py.
_NUTRIENT_MAP: Final[dict[str, tuple[str, float]]] = {
    n.usda[0]: (n.key, n.usda[1]) for n in tables.NUTRIENTS
}
# 851 (ALA proper) is sparse in SR28 (1,969 foods); 619 (18:3 undifferentiated, mostly ALA in
# plant foods) fills in when 851 is missing, as is usual practice. Flaxseed has only 619.
_ALA_FALLBACK: Final = "619"
_WANTED: Final = frozenset(_NUTRIENT_MAP) | {_ALA_FALLBACK}

_FIELDS: Final[dict[str, int]] = {
    "FOOD_DES.txt": 14,
    "NUT_DATA.txt": 18,
    "FD_GROUP.txt": 2,
    "WEIGHT.txt": 7,
}


class UsdaFormatError(ValueError):
    """A file in the SR28 directory does not have the documented layout."""


@dataclass(frozen=True, slots=True)
class Portion:
    """A household measure: ``label`` such as "1 cup" weighs ``grams`` grams."""

    label: str
    grams: float


@dataclass(frozen=True, slots=True)
class UsdaFood:
    """One SR28 food with Fortify's nutrients per 100 g (``None`` = unknown)."""

    ndb_no: str
    name: str
    food_group: str
    nutrients_per_100g: dict[str, float | None]
    portions: list[Portion] = field(default_factory=list)


def iter_rows(directory: Path | str, filename: str) -> Iterator[list[str]]:
    """Yield the rows of one SR28 file (decoded cp1252), checking the documented field count."""
    path = Path(directory) / filename
    expected = _FIELDS[filename]
    with path.open(encoding=ENCODING, newline="") as handle:
        reader = csv.reader(handle, delimiter="^", quotechar="~")
        for row in reader:
            if len(row) != expected:
                raise UsdaFormatError(
                    f"{path}:{reader.line_num}: expected {expected} fields, got {len(row)}"
                )
            yield row


def _number(text: str, where: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise UsdaFormatError(f"{where}: not a number: {text!r}") from None


def read_food_groups(directory: Path | str) -> dict[str, str]:
    """Map FdGrp_Cd ("0100") to its description ("Dairy and Egg Products")."""
    return {code: desc for code, desc in iter_rows(directory, "FD_GROUP.txt")}


def read_nutrients(directory: Path | str) -> dict[str, dict[str, float]]:
    """Read NUT_DATA in one pass: NDB number -> {our key: value per 100 g} (known values only).

    Values are converted to our units (EPA/DHA g -> mg); ALA falls back to 18:3
    undifferentiated (619) when 18:3 n-3 c,c,c (851) is missing.
    """
    raw: dict[str, dict[str, float]] = {}
    for row in iter_rows(directory, "NUT_DATA.txt"):
        nutr_no = row[1]
        if nutr_no not in _WANTED:
            continue
        ndb_no = row[0]
        value = _number(row[2], f"NUT_DATA {ndb_no}/{nutr_no}")
        raw.setdefault(ndb_no, {})[nutr_no] = value

    result: dict[str, dict[str, float]] = {}
    for ndb_no, by_number in raw.items():
        converted: dict[str, float] = {}
        for nutr_no, (key, factor) in _NUTRIENT_MAP.items():
            found = by_number.get(nutr_no)
            if found is None and nutr_no == "851":
                found = by_number.get(_ALA_FALLBACK)
            if found is not None:
                # Round away float noise from the unit factor (0.473 * 1000 -> 473.0).
                converted[key] = round(found * factor, 6)
        result[ndb_no] = converted
    return result


def _amount_label(amount: str) -> str:
    """Render WEIGHT.Amount (".5", "1", "1.5") as a person would write it ("0.5", "1")."""
    return f"{float(amount):g}"


def read_portions(directory: Path | str) -> dict[str, list[Portion]]:
    """NDB number -> household measures from WEIGHT.txt, in the file's Seq order."""
    portions: dict[str, list[Portion]] = {}
    for ndb_no, _seq, amount, measure, grams, _n, _sd in iter_rows(directory, "WEIGHT.txt"):
        where = f"WEIGHT {ndb_no}"
        _number(amount, where)
        portions.setdefault(ndb_no, []).append(
            Portion(label=f"{_amount_label(amount)} {measure}", grams=_number(grams, where))
        )
    return portions


def iter_foods(directory: Path | str) -> Iterator[UsdaFood]:
    """Stream every SR28 food, in FOOD_DES order, with nutrients, group name and portions.

    NUT_DATA, WEIGHT and FD_GROUP are loaded first (small dicts); FOOD_DES is streamed.
    """
    groups = read_food_groups(directory)
    nutrients = read_nutrients(directory)
    portions = read_portions(directory)
    for row in iter_rows(directory, "FOOD_DES.txt"):
        ndb_no, group_code, long_desc = row[0], row[1], row[2]
        known = nutrients.get(ndb_no, {})
        try:
            group = groups[group_code]
        except KeyError:
            raise UsdaFormatError(f"FOOD_DES {ndb_no}: unknown food group {group_code}") from None
        yield UsdaFood(
            ndb_no=ndb_no,
            name=long_desc,
            food_group=group,
            nutrients_per_100g={key: known.get(key) for key in NUTRIENT_KEYS},
            portions=portions.get(ndb_no, []),
        )


def load_foods(directory: Path | str) -> dict[str, UsdaFood]:
    """All SR28 foods keyed by NDB number (convenience for look-ups and tests)."""
    return {food.ndb_no: food for food in iter_foods(directory)}


def count_foods(directory: Path | str) -> int:
    """Number of foods in FOOD_DES.txt (a progress-bar total); counts lines, parses nothing."""
    with (Path(directory) / "FOOD_DES.txt").open("rb") as handle:
        return sum(1 for line in handle if line.strip())


# --- the compact pack (data/usda_sr28.json.gz) -----------------------------------------------
# Only what Fortify stores of each food: NDB number, name, group, our nutrients per 100 g
# (null = unknown) and household portions. Built by tools/build_usda_pack.py from the SR28
# files; loaded by `fortify migrate` (catalog.importer.load_usda_pack) so a fresh install has
# the whole table with no download.

#: Bump when the pack's layout changes (the loader refuses a pack it cannot read).
PACK_FORMAT: Final = 1


def pack_document(foods: Iterable[UsdaFood]) -> bytes:
    """The pack's JSON (UTF-8, one food per line, so a diff of two packs is readable).

    Food groups are listed once and referenced by position; nutrients are a row in
    ``NUTRIENT_KEYS`` order; a portion is ``[label, grams]``.
    """
    groups: dict[str, int] = {}
    lines: list[str] = []
    for food in foods:
        group = groups.setdefault(food.food_group, len(groups))
        nutrients = [food.nutrients_per_100g[key] for key in NUTRIENT_KEYS]
        portions = [[p.label, p.grams] for p in food.portions]
        row = [food.ndb_no, food.name, group, nutrients, portions]
        lines.append(json.dumps(row, ensure_ascii=False, separators=(",", ":")))
    head = {
        "format": PACK_FORMAT,
        "source": "USDA National Nutrient Database for Standard Reference, Release 28 "
        "(public domain)",
        "nutrient_keys": list(NUTRIENT_KEYS),
        "food_groups": list(groups),
    }
    text = json.dumps(head, ensure_ascii=False, separators=(",", ":"))[:-1]
    return (text + ',"foods":[\n' + ",\n".join(lines) + "\n]}\n").encode()


def read_pack(data: bytes) -> Iterator[UsdaFood]:
    """The foods of a pack (gzip-compressed or plain JSON), in the order they were written."""
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    document: dict[str, Any] = json.loads(data)
    if document.get("format") != PACK_FORMAT:
        raise UsdaFormatError(f"USDA pack format {document.get('format')!r}, not {PACK_FORMAT}")
    keys: list[str] = document["nutrient_keys"]
    if tuple(keys) != NUTRIENT_KEYS:
        raise UsdaFormatError(f"USDA pack nutrients {keys} are not {list(NUTRIENT_KEYS)}")
    groups: list[str] = document["food_groups"]
    for ndb_no, name, group, nutrients, portions in document["foods"]:
        yield UsdaFood(
            ndb_no=ndb_no,
            name=name,
            food_group=groups[group],
            nutrients_per_100g=dict(zip(keys, nutrients, strict=True)),
            portions=[Portion(label, float(grams)) for label, grams in portions],
        )
