"""Catalog payloads: foods as read, people's own foods as written, supplement-form look-ups.

Nutrients are per 100 g of edible portion, with the entries contract's keys; null means
unknown, never zero. Bounds are what 100 g of any food (or pure supplement) can hold.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field

from fortify.catalog.curated import FOOD_GROUPS, TAGS
from fortify.core.schema import ReadModel, RecordCreatedAt, RecordVersion, StrictModel

FoodSource = Literal["curated", "usda", "user"]
FoodGroup = Literal[FOOD_GROUPS]  # type: ignore[valid-type]
FoodTag = Literal[TAGS]  # type: ignore[valid-type]


def _per_100g(high: float, unit: str) -> Any:
    return Field(default=None, ge=0, le=high, description=f"{unit} per 100 g; null = unknown")


class NutrientsPer100g(StrictModel):
    energy_kcal: Annotated[float | None, _per_100g(900, "kcal")] = None
    protein_g: Annotated[float | None, _per_100g(100, "g")] = None
    calcium_mg: Annotated[float | None, _per_100g(40000, "mg")] = None
    magnesium_mg: Annotated[float | None, _per_100g(60000, "mg")] = None
    vitamin_d_iu: Annotated[float | None, _per_100g(4_000_000, "IU")] = None
    vitamin_k_mcg: Annotated[float | None, _per_100g(100_000, "mcg")] = None
    epa_mg: Annotated[float | None, _per_100g(100_000, "mg")] = None
    dha_mg: Annotated[float | None, _per_100g(100_000, "mg")] = None
    ala_g: Annotated[float | None, _per_100g(100, "g")] = None
    fiber_g: Annotated[float | None, _per_100g(100, "g")] = None
    mufa_g: Annotated[float | None, _per_100g(100, "g")] = None
    saturated_fat_g: Annotated[float | None, _per_100g(100, "g")] = None


def _grams_per_serving() -> Any:
    return Field(default=None, gt=0, le=5000, description="grams of this food per serving")


class ServingsGrams(StrictModel):
    """Grams per protocol serving (PROTOCOL.md §1): g grams eaten give g / this servings."""

    soluble_fiber: Annotated[float | None, _grams_per_serving()] = None
    polyphenol: Annotated[float | None, _grams_per_serving()] = None
    mufa: Annotated[float | None, _grams_per_serving()] = None


class PortionModel(StrictModel):
    label: Annotated[str, Field(min_length=1, max_length=100, description='e.g. "1 cup"')]
    grams: Annotated[float, Field(gt=0, le=5000, description="grams in this portion")]


Synonym = Annotated[str, Field(min_length=1, max_length=100)]


class CustomFoodFields(StrictModel):
    """A person's own food, as written (POST without id, PUT)."""

    name: Annotated[str, Field(min_length=1, max_length=200)]
    synonyms: Annotated[list[Synonym], Field(max_length=20)] = Field(default_factory=list)
    food_group: FoodGroup = Field(default="other", description="One of the catalog's groups.")
    nutrients_per_100g: NutrientsPer100g = Field(default_factory=NutrientsPer100g)
    servings_grams: ServingsGrams = Field(default_factory=ServingsGrams)
    portions: Annotated[list[PortionModel], Field(max_length=20)] = Field(default_factory=list)
    tags: Annotated[list[FoodTag], Field(max_length=len(TAGS))] = Field(default_factory=list)


class CustomFoodCreate(CustomFoodFields):
    id: uuid.UUID | None = Field(
        default=None, description="Client-generated UUID; the server makes one when omitted."
    )


class CustomFoodPatch(StrictModel):
    name: Annotated[str | None, Field(min_length=1, max_length=200)] = None
    synonyms: Annotated[list[Synonym] | None, Field(max_length=20)] = None
    food_group: FoodGroup | None = None
    nutrients_per_100g: NutrientsPer100g | None = None
    servings_grams: ServingsGrams | None = None
    portions: Annotated[list[PortionModel] | None, Field(max_length=20)] = None
    tags: Annotated[list[FoodTag] | None, Field(max_length=len(TAGS))] = None


class Portion(BaseModel):
    label: str
    grams: float


class FoodRead(ReadModel):
    id: uuid.UUID
    name: str
    source: FoodSource
    source_id: str | None = Field(description="Curated key or USDA NDB number; null for yours.")
    food_group: str
    synonyms: list[str]
    portions: list[Portion]
    nutrients_per_100g: dict[str, float | None] = Field(
        description="Every protocol nutrient per 100 g; null = unknown, never zero."
    )
    servings_grams: dict[str, float]
    tags: list[str]
    favourite: bool = False
    recent: bool = False


class CustomFoodRead(FoodRead):
    version: RecordVersion
    created_at: RecordCreatedAt
    updated_at: dt.datetime


class FoodPage(BaseModel):
    items: list[FoodRead]
    next_cursor: str | None = Field(
        description="Pass as `cursor` to get the next page; null on the last page."
    )


class CustomFoodPage(BaseModel):
    items: list[CustomFoodRead]
    next_cursor: str | None


class SupplementFormRead(BaseModel):
    key: str
    label: str
    kind: Literal["supplement", "medicine"]
    input_style: str = Field(description="Which label amounts the form takes.")
    nutrient: str | None = Field(description="The nutrient a mineral or vitamin form feeds.")
    elemental_fraction: float | None = Field(
        description="Minerals: elemental mg per mg of compound."
    )
    servings: dict[str, float]
    scored: bool
    source: str


def _label_amount(unit: str) -> Any:
    return Field(default=None, gt=0, le=1_000_000, description=unit)


class LabelConversion(StrictModel):
    """What a supplement label says, per unit (tablet, capsule, scoop)."""

    form: Annotated[str, Field(min_length=1, max_length=40, description="A supplement form key.")]
    compound_mg: Annotated[float | None, _label_amount("compound weight, mg")] = None
    elemental_mg: Annotated[float | None, _label_amount("elemental mineral, mg")] = None
    iu: Annotated[float | None, _label_amount("vitamin D, IU")] = None
    mcg: Annotated[float | None, _label_amount("vitamin D or K, mcg")] = None
    epa_mg: Annotated[float | None, _label_amount("EPA, mg")] = None
    dha_mg: Annotated[float | None, _label_amount("DHA, mg")] = None
    fiber_g: Annotated[float | None, _label_amount("fiber, g")] = None
    nutrients: dict[str, float] | None = Field(
        default=None, description="Form 'other': the label's nutrients by snapshot key."
    )


class ConvertedLabel(BaseModel):
    form: str
    nutrients_per_unit: dict[str, float]
    servings_per_unit: dict[str, float]


class OfflinePack(BaseModel):
    """Compact: nutrients list known values only (absent = unknown), empty fields omitted."""

    catalog_version: int
    generated_for: uuid.UUID
    foods: list[dict[str, Any]]
