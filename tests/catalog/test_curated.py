"""The curated catalog against USDA SR28 (../shared/data/usda-sr, read in place).

Tolerance: a catalog value must be within ±15 % of the SR28 value or within ±5 units
(mg, g, IU, mcg, kcal), whichever is larger. The catalog rounds to 3 significant digits, so
anything beyond that is a transcription error or a changed NDB number. A value that differs
from SR28, or that SR28 does not have, is allowed only when the food's ``nutrient_sources``
names another source for that nutrient and that source is listed in its ``sources``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from fortify.catalog.curated import (
    FOOD_GROUPS,
    SERVING_KEYS,
    TAGS,
    CatalogDataError,
    CuratedFood,
    load_curated,
    parse_catalog,
)
from fortify.catalog.usda import NUTRIENT_KEYS, UsdaFood, load_foods

SR_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "usda-sr"

RELATIVE_TOLERANCE = 0.15
ABSOLUTE_TOLERANCE = 5.0

# Every food the seed text names, by catalog key.
SEED_FOOD_KEYS = (
    # calcium: dairy milk, yogurt, cheese (incl. hard cheeses), fortified plant milks
    "whole_milk", "yogurt_plain_whole", "cheddar", "parmesan", "swiss_cheese",
    "soy_milk_fortified", "almond_milk_fortified", "oat_milk_fortified",
    # leafy greens
    "kale_raw", "spinach_raw", "collard_greens_cooked", "bok_choy_raw", "broccoli_raw",
    # fatty fish
    "sardines_canned_in_oil", "salmon_atlantic_farmed_cooked", "salmon_atlantic_wild_cooked",
    "mackerel_atlantic_cooked",
    # omega-3 plants, nuts and seeds, legumes
    "walnuts", "flaxseed", "chia_seeds", "almonds", "pumpkin_seeds", "sunflower_seeds",
    "kidney_beans_cooked", "black_beans_cooked", "chickpeas_cooked", "lentils_cooked",
    # soluble fiber
    "oats_rolled_dry", "porridge_cooked", "barley_pearled_raw", "apple",
    # MUFA, polyphenols, K2
    "olive_oil", "avocado", "natto", "blueberries", "strawberries", "raspberries", "grapes",
    "onion_raw", "green_tea", "dark_chocolate_70_85",
)  # fmt: skip

WESTERN_STAPLE_KEYS = (
    "bread_white", "bread_whole_wheat", "pasta_cooked", "white_rice_cooked", "potato_baked",
    "egg_whole_raw", "chicken_breast_roasted", "beef_ground_85_cooked", "pork_chop",
    "coffee_brewed", "black_tea", "orange_juice", "butter", "corn_flakes", "pizza_cheese",
    "banana", "orange", "tomato_raw", "carrots_raw", "cheerios", "bagel",
)  # fmt: skip


@pytest.fixture(scope="module")
def usda() -> dict[str, UsdaFood]:
    if not (SR_DIR / "FOOD_DES.txt").is_file():
        pytest.fail(f"USDA SR28 data missing at {SR_DIR} (see shared/data/usda-sr/README.md)")
    return load_foods(SR_DIR)


@pytest.fixture(scope="module")
def catalog() -> list[CuratedFood]:
    return load_curated()


@pytest.fixture(scope="module")
def by_key(catalog: list[CuratedFood]) -> dict[str, CuratedFood]:
    return {food.key: food for food in catalog}


def within_tolerance(ours: float, theirs: float) -> bool:
    return abs(ours - theirs) <= max(RELATIVE_TOLERANCE * abs(theirs), ABSOLUTE_TOLERANCE)


def matching(catalog: list[CuratedFood], term: str) -> set[str]:
    term = term.lower()
    return {
        f.key
        for f in catalog
        if term in f.name.lower() or any(term == s.lower() for s in f.synonyms)
    }


class TestAgainstUsda:
    def test_every_value_matches_sr28_within_tolerance(
        self, catalog: list[CuratedFood], usda: dict[str, UsdaFood]
    ) -> None:
        problems: list[str] = []
        for food in catalog:
            if food.usda_ndb_no is None:
                continue
            reference = usda[food.usda_ndb_no].nutrients_per_100g
            for key in NUTRIENT_KEYS:
                ours, theirs = food.nutrients_per_100g[key], reference[key]
                if key in food.nutrient_sources:
                    continue  # checked in test_values_from_elsewhere_name_their_source
                if theirs is None and ours is not None:
                    problems.append(f"{food.key}.{key}={ours} but SR28 has none, no source")
                elif theirs is not None and ours is None:
                    problems.append(f"{food.key}.{key} is null but SR28 has {theirs}")
                elif ours is not None and theirs is not None and not within_tolerance(ours, theirs):
                    problems.append(f"{food.key}.{key}={ours}, SR28 {theirs}")
        assert not problems, "\n".join(problems)

    def test_each_ndb_number_is_the_food_described(
        self, catalog: list[CuratedFood], usda: dict[str, UsdaFood]
    ) -> None:
        for food in catalog:
            if food.usda_ndb_no is not None:
                assert food.usda_description == usda[food.usda_ndb_no].name, food.key
                assert any(f"USDA SR28 NDB {food.usda_ndb_no}" in s for s in food.sources)

    def test_values_from_elsewhere_name_their_source(self, catalog: list[CuratedFood]) -> None:
        for food in catalog:
            for key, source in food.nutrient_sources.items():
                assert food.nutrients_per_100g[key] is not None, (food.key, key)
                assert source.strip(), (food.key, key)
                assert source in food.sources, (food.key, key)

    def test_foods_without_ndb_source_every_known_value(self, catalog: list[CuratedFood]) -> None:
        for food in catalog:
            if food.usda_ndb_no is None:
                known = {k for k, v in food.nutrients_per_100g.items() if v is not None}
                assert known <= set(food.nutrient_sources), food.key
                assert known, food.key


class TestSpotChecks:
    def test_whole_milk_has_113_mg_calcium(self, by_key: dict[str, CuratedFood]) -> None:
        milk = by_key["whole_milk"]
        assert milk.usda_ndb_no == "01077"
        assert milk.nutrients_per_100g["calcium_mg"] == pytest.approx(113, rel=0.01)

    def test_sardines_with_bone_have_382_mg_calcium(self, by_key: dict[str, CuratedFood]) -> None:
        sardines = by_key["sardines_canned_in_oil"]
        assert sardines.usda_ndb_no == "15088"
        assert sardines.nutrients_per_100g["calcium_mg"] == pytest.approx(382, rel=0.01)

    def test_cooked_atlantic_salmon_epa_and_dha_match_sr28(
        self, by_key: dict[str, CuratedFood], usda: dict[str, UsdaFood]
    ) -> None:
        for key, ndb in (
            ("salmon_atlantic_farmed_cooked", "15237"),
            ("salmon_atlantic_wild_cooked", "15209"),
        ):
            food, reference = by_key[key], usda[ndb].nutrients_per_100g
            assert food.usda_ndb_no == ndb
            for nutrient in ("epa_mg", "dha_mg"):
                assert food.nutrients_per_100g[nutrient] == pytest.approx(
                    reference[nutrient], rel=0.005
                )
        assert by_key["salmon_atlantic_farmed_cooked"].nutrients_per_100g["epa_mg"] == 690

    def test_natto_counts_its_mk7(self, by_key: dict[str, CuratedFood]) -> None:
        natto = by_key["natto"]
        vitamin_k = natto.nutrients_per_100g["vitamin_k_mcg"]
        assert vitamin_k is not None and vitamin_k > 900
        assert "NIH ODS" in natto.nutrient_sources["vitamin_k_mcg"]

    def test_flaxseed_ala_uses_the_18_3_fallback(self, by_key: dict[str, CuratedFood]) -> None:
        assert by_key["flaxseed"].nutrients_per_100g["ala_g"] == pytest.approx(22.8)


class TestCoverage:
    def test_at_least_200_foods(self, catalog: list[CuratedFood]) -> None:
        assert len(catalog) >= 200

    def test_keys_are_unique_slugs(self, catalog: list[CuratedFood]) -> None:
        keys = [food.key for food in catalog]
        assert len(keys) == len(set(keys))
        assert all(k.replace("_", "").isalnum() and k == k.lower() for k in keys)

    @pytest.mark.parametrize("key", SEED_FOOD_KEYS)
    def test_every_seed_food_is_present(self, by_key: dict[str, CuratedFood], key: str) -> None:
        assert key in by_key

    @pytest.mark.parametrize("key", WESTERN_STAPLE_KEYS)
    def test_western_staples_are_present(self, by_key: dict[str, CuratedFood], key: str) -> None:
        assert key in by_key

    @pytest.mark.parametrize(
        ("british", "american"),
        [
            ("yoghurt", "yogurt"),
            ("porridge", "oatmeal"),
            ("aubergine", "eggplant"),
            ("courgette", "zucchini"),
            ("rocket", "arugula"),
            ("chickpeas", "garbanzo beans"),
            ("semi-skimmed milk", "2% milk"),
            ("crisps", "potato chips"),
        ],
    )
    def test_both_spellings_find_the_same_food(
        self, catalog: list[CuratedFood], british: str, american: str
    ) -> None:
        found = matching(catalog, british) & matching(catalog, american)
        assert found, (british, american)


class TestShape:
    def test_every_food_has_a_portion(self, catalog: list[CuratedFood]) -> None:
        assert all(food.portions and all(p.grams > 0 for p in food.portions) for food in catalog)

    def test_groups_tags_and_servings_come_from_the_allowed_lists(
        self, catalog: list[CuratedFood]
    ) -> None:
        for food in catalog:
            assert food.food_group in FOOD_GROUPS, food.key
            assert set(food.tags) <= set(TAGS), food.key
            assert set(food.servings_grams) <= set(SERVING_KEYS), food.key

    def test_every_food_carries_all_nutrient_keys(self, catalog: list[CuratedFood]) -> None:
        assert all(tuple(f.nutrients_per_100g) == NUTRIENT_KEYS for f in catalog)

    def test_servings_have_a_named_source(self, catalog: list[CuratedFood]) -> None:
        for food in catalog:
            if food.servings_grams:
                assert any("serving" in s.lower() for s in food.sources), food.key

    def test_seed_servings(self, by_key: dict[str, CuratedFood]) -> None:
        assert by_key["olive_oil"].servings_grams["mufa"] == 20
        assert by_key["oats_rolled_dry"].servings_grams["soluble_fiber"] == 40
        assert by_key["blueberries"].servings_grams["polyphenol"] == 80
        assert by_key["avocado"].servings_grams["mufa"] == 100

    def test_servings_and_nutrients_scale_with_grams(self, by_key: dict[str, CuratedFood]) -> None:
        oats = by_key["oats_rolled_dry"]
        assert oats.servings_for(60) == {"soluble_fiber": 1.5}
        assert oats.nutrients_for(50)["fiber_g"] == pytest.approx(5.05)

    def test_tagged_groups_make_sense(self, by_key: dict[str, CuratedFood]) -> None:
        assert "fatty_fish" in by_key["sardines_canned_in_oil"].tags
        assert "leafy_green" in by_key["kale_raw"].tags
        assert "fermented" in by_key["natto"].tags
        assert "whole_grain" in by_key["oats_rolled_dry"].tags
        assert "dairy_or_fortified" in by_key["oat_milk_fortified"].tags


class TestValidation:
    def _document(self, **changes: object) -> dict[str, object]:
        food: dict[str, object] = {
            "key": "x",
            "name": "X",
            "synonyms": [],
            "food_group": "fruit",
            "usda_ndb_no": None,
            "usda_description": None,
            "nutrients_per_100g": dict.fromkeys(NUTRIENT_KEYS),
            "nutrient_sources": {},
            "portions": [{"label": "1 piece", "grams": 10}],
            "servings_grams": {},
            "tags": [],
            "sources": ["hand-written"],
        }
        food.update(changes)
        return {"foods": [food]}

    def test_a_valid_document_parses(self) -> None:
        assert parse_catalog(self._document())[0].key == "x"

    @pytest.mark.parametrize(
        ("changes", "message"),
        [
            ({"food_group": "snacks"}, "unknown food group"),
            ({"tags": ["organic"]}, "unknown tags"),
            ({"portions": []}, "at least one portion"),
            ({"servings_grams": {"fibre": 10}}, "unknown serving groups"),
            ({"nutrients_per_100g": {"calcium_mg": 1}}, "nutrient keys"),
            ({"sources": []}, "at least one source"),
        ],
    )
    def test_broken_documents_are_refused(self, changes: dict[str, object], message: str) -> None:
        with pytest.raises(CatalogDataError, match=message):
            parse_catalog(self._document(**changes))
