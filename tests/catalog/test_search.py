"""Search quality and ranking, through the API against the full catalog (curated + USDA SR28).

Each query names the curated food that must be among the first three results: typos, plurals,
word order, British and American spellings, and typing-as-you-go prefixes.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from fortify.catalog import search
from fortify.catalog.service import catalog_food_id
from tests.catalog.conftest import UsdaImport
from tests.factories import Person, meal, sign_up

# Shared with the phone's search test (frontend/src/app/search.test.ts).
QUALITY_FILE = Path(__file__).with_name("search_quality.json")
QUALITY: list[tuple[str, str]] = [
    (entry["query"], entry["expected"])
    for entry in json.loads(QUALITY_FILE.read_text(encoding="utf-8"))["queries"]
]


@pytest.fixture
def person(client: TestClient, usda_import: UsdaImport) -> Person:
    return sign_up(client)


def found(person: Person, q: str, **params: Any) -> list[dict[str, Any]]:
    response = person.get("/api/v1/foods", params={"q": q, **params})
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


def custom_food(person: Person, name: str, **fields: Any) -> dict[str, Any]:
    created = person.post("/api/v1/foods/custom", json={"name": name, **fields})
    assert created.status_code == 201, created.text
    body: dict[str, Any] = created.json()
    return body


class TestSearchQuality:
    def test_the_quality_set_holds_at_least_forty_queries(self) -> None:
        assert len(QUALITY) >= 40

    @pytest.mark.parametrize(("query", "expected"), QUALITY)
    def test_the_expected_food_is_in_the_top_three(
        self, person: Person, query: str, expected: str
    ) -> None:
        top = [item["source_id"] for item in found(person, query, limit=3)]
        assert expected in top, f"{query!r} gave {top}"


class TestMultiWordRanking:
    """Issue 14: "coffee with milk" listed "Candies, milk chocolate coated coffee beans" first.
    WRatio scores it like the coffee drinks; the food named after the query's first word wins."""

    def test_a_coffee_drink_with_milk_ranks_before_a_candy_holding_both_words(
        self, person: Person
    ) -> None:
        names = [item["name"] for item in found(person, "coffee with milk", limit=10)]
        candy = "Candies, milk chocolate coated coffee beans"
        assert candy in names, names
        drinks = [n for n in names if n.startswith("Beverages, coffee") and "milk" in n]
        assert drinks, names
        assert names.index(drinks[0]) < names.index(candy), names
        assert names[0] != candy

    @pytest.mark.parametrize(
        ("query", "first"),
        [
            ("milk", "Whole milk (3.25%)"),
            ("greek yogurt", "Greek yogurt, plain, whole milk"),
            ("oatmeal", "Porridge (oatmeal), cooked with water"),
        ],
    )
    def test_everyday_queries_list_the_everyday_food_first(
        self, person: Person, query: str, first: str
    ) -> None:
        assert found(person, query, limit=1)[0]["name"] == first

    def test_the_lead_is_where_the_first_query_word_stands(self) -> None:
        index = search.SearchIndex.build(
            [
                search.IndexedFood("a", 2, n, search.search_text(n, []))
                for n in (
                    "Candies, milk chocolate coated coffee beans",
                    "Coffee, brewed, with whole milk",
                )
            ]
        )
        hits = index.search(search.tokens("coffee with milk"), 5)
        assert [(h.name, h.lead) for h in hits] == [
            ("Coffee, brewed, with whole milk", 0),
            ("Candies, milk chocolate coated coffee beans", 4),
        ]


class TestFoodKind:
    """The newcomer walk (issue #14): "milk" listed "Milk chocolate" second, above the plain
    milks. The foods the query names the kind of come first (the phone ranks alike,
    app/search.ts `foodKinds`)."""

    def test_a_kind_is_the_last_word_of_the_first_part_or_a_one_word_bracket(self) -> None:
        assert search.food_kinds("Whole milk (3.25%)") == {"milk"}
        assert search.food_kinds("Milk, whole, 3.25% milkfat, with added vitamin D") == {"milk"}
        assert search.food_kinds("Milk chocolate") == set(search.tokens("chocolate"))
        assert search.food_kinds("Hot chocolate (made with milk)") == set(
            search.tokens("chocolate")
        )
        assert search.food_kinds("Porridge (oatmeal), cooked with water") == set(
            search.tokens("porridge oatmeal")
        )

    def test_milk_lists_the_milks_before_milk_chocolate(self, person: Person) -> None:
        items = found(person, "milk", limit=20)
        names = [item["name"] for item in items]
        milks = [
            i["name"]
            for i in items
            if i["source"] == "curated" and "milk" in search.food_kinds(i["name"])
        ]
        assert names[0] == "Whole milk (3.25%)"
        assert len(milks) >= 5, names
        assert all("milk" in search.food_kinds(n) for n in names[:5]), names
        if "Milk chocolate" in names:
            assert all(names.index(n) < names.index("Milk chocolate") for n in milks), names

    def test_milk_lists_the_plain_milks_before_evaporated_condensed_or_dry_milk(
        self, person: Person
    ) -> None:
        # An outside walk: "milk" listed evaporated milk second, before the 2 % and skim milks.
        names = [item["name"] for item in found(person, "milk", limit=20)]
        plain = ["Whole milk (3.25%)", "Reduced-fat milk (2%)", "Low-fat milk (1%)"]
        plain.append("Skim milk (fat-free)")
        assert all(n in names for n in plain), names
        processed = [n for n in names if search.processed_forms(n)]
        assert "Evaporated milk" in processed, names
        assert max(names.index(n) for n in plain) < min(names.index(n) for n in processed)

    def test_a_query_that_names_the_form_finds_it_first(self, person: Person) -> None:
        assert found(person, "evaporated milk", limit=5)[0]["name"] == "Evaporated milk"

    def test_processed_form_words_are_read_as_names_are(self) -> None:
        assert search.processed_forms("Milk, dry, nonfat, regular") == set(search.tokens("dry"))
        assert search.processed_forms("Dried apricots") == set(search.tokens("dried"))
        assert search.processed_forms("Milk, canned, condensed, sweetened") == set(
            search.tokens("condensed")
        )
        assert search.processed_forms("Whole milk (3.25%)") == set()

    @pytest.mark.parametrize(
        ("query", "other"),
        [
            ("cheese", "Pizza, cheese"),
            ("egg", "Egg noodles, cooked"),
            ("rice", "Rice noodles, cooked"),
            ("chocolate", "Chocolate chip cookie"),
        ],
    )
    def test_the_foods_of_the_kind_come_before_foods_that_hold_the_word(
        self, person: Person, query: str, other: str
    ) -> None:
        # Within a tier: the curated foods come before the USDA's whatever their kind.
        items = found(person, query, limit=30)
        names = [item["name"] for item in items]
        kind = search.normalise(query)
        of_kind = [
            i["name"]
            for i in items
            if i["source"] == "curated" and kind in search.food_kinds(i["name"])
        ]
        assert other in names, names
        assert len(of_kind) >= 2, names
        assert all(names.index(n) < names.index(other) for n in of_kind), names


class TestNormalising:
    def test_plurals_and_british_spellings_meet_their_american_singular(self) -> None:
        assert search.tokens("Greek Yoghurts") == search.tokens("greek yogurt")
        assert search.tokens("tinned sardines") == search.tokens("canned sardine")
        assert search.tokens("Aubergine") == search.tokens("eggplant")

    def test_accents_and_punctuation_are_ignored(self) -> None:
        assert search.tokens("Gruyère, grated!") == search.tokens("gruyere grated")

    def test_filler_words_are_dropped(self) -> None:
        assert search.tokens("sardines in oil with bones") == search.tokens("sardine oil bone")


class TestResults:
    def test_results_carry_portions_nutrients_and_servings(self, person: Person) -> None:
        oats = next(i for i in found(person, "rolled oats") if i["source_id"] == "oats_rolled_dry")
        assert oats["source"] == "curated"
        assert oats["portions"] and oats["portions"][0]["grams"] > 0
        assert oats["servings_grams"] == {"soluble_fiber": 40}
        assert "calcium_mg" in oats["nutrients_per_100g"]
        assert oats["favourite"] is False and oats["recent"] is False

    def test_curated_foods_rank_before_their_usda_twins(self, person: Person) -> None:
        items = found(person, "cheddar cheese")
        assert items[0]["source"] == "curated"
        assert any(item["source"] == "usda" for item in items)

    def test_usda_foods_are_found_when_no_curated_food_matches(self, person: Person) -> None:
        items = found(person, "tequila sunrise")
        assert items and items[0]["source"] == "usda"
        assert "tequila" in items[0]["name"].lower()

    def test_nonsense_finds_nothing(self, person: Person) -> None:
        assert found(person, "qzxv") == []

    def test_the_limit_and_cursor_page_through_the_results(self, person: Person) -> None:
        first = person.get("/api/v1/foods", params={"q": "cheese", "limit": 5}).json()
        assert len(first["items"]) == 5 and first["next_cursor"]
        second = person.get(
            "/api/v1/foods", params={"q": "cheese", "limit": 5, "cursor": first["next_cursor"]}
        ).json()
        assert len(second["items"]) == 5
        assert not {i["id"] for i in first["items"]} & {i["id"] for i in second["items"]}

    def test_the_limit_is_at_most_fifty(self, person: Person) -> None:
        assert person.get("/api/v1/foods", params={"q": "milk", "limit": 51}).status_code == 422

    def test_a_bad_cursor_is_a_problem_naming_the_cursor(self, person: Person) -> None:
        response = person.get("/api/v1/foods", params={"q": "milk", "cursor": "!!"})
        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == "cursor"


class TestPersonalRanking:
    def test_a_favourite_ranks_first_among_comparable_matches(self, person: Person) -> None:
        sockeye = catalog_food_id("curated", "salmon_sockeye_cooked")
        assert found(person, "salmon")[0]["source_id"] != "salmon_sockeye_cooked"
        assert person.put(f"/api/v1/foods/{sockeye}/favourite").status_code == 204
        top = found(person, "salmon")[0]
        assert top["source_id"] == "salmon_sockeye_cooked"
        assert top["favourite"] is True

    def test_a_recently_logged_food_ranks_first(self, person: Person) -> None:
        item = {"food_id": "kale_cooked", "food_name": "Kale, cooked", "grams": 130}
        assert person.post("/api/v1/meals", json=meal(items=[item])).status_code == 201
        top = found(person, "kale")[0]
        assert top["source_id"] == "kale_cooked"
        assert top["recent"] is True

    def test_an_own_food_is_found_with_a_typo_and_ranks_first(self, person: Person) -> None:
        mine = custom_food(person, "Grandma's porridge", synonyms=["sunday oats"])
        top = found(person, "porrige")[0]
        assert top["id"] == mine["id"]
        assert top["source"] == "user"

    def test_a_weak_personal_match_does_not_beat_a_strong_catalog_match(
        self, person: Person
    ) -> None:
        custom_food(person, "Milk chocolate hazelnut spread")
        assert found(person, "whole milk")[0]["source_id"] == "whole_milk"

    def test_an_empty_query_lists_recent_then_favourite_foods(self, person: Person) -> None:
        walnuts = catalog_food_id("curated", "walnuts")
        person.put(f"/api/v1/foods/{walnuts}/favourite")
        item = {"food_id": "kale_cooked", "food_name": "Kale", "grams": 100}
        person.post("/api/v1/meals", json=meal(items=[item]))
        names = [i["source_id"] for i in found(person, "")]
        assert names == ["kale_cooked", "walnuts"]

    def test_another_persons_food_is_never_found(self, client: TestClient, person: Person) -> None:
        mine = custom_food(person, "Quokka crumble")
        stranger = sign_up(client)
        assert all(item["id"] != mine["id"] for item in found(stranger, "quokka crumble"))
        assert found(person, "quokka crumble")[0]["name"] == "Quokka crumble"

    def test_a_deleted_own_food_is_no_longer_found(self, person: Person) -> None:
        mine = custom_food(person, "Quokka crumble")
        person.delete(f"/api/v1/foods/custom/{mine['id']}")
        assert all(item["id"] != mine["id"] for item in found(person, "quokka"))
        assert uuid.UUID(mine["id"])
