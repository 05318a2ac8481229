"""Build backend/fortify/catalog/data/curated_foods.json from a hand-written spec + USDA SR28.

Everything a person reads in the catalog is written here by hand: names, synonyms, food groups,
household portions, protocol servings, tags and sources. Only the nutrient values of foods that
name an SR28 NDB number are copied, by this script, from SR28 (read in place, never copied into
the repo) and rounded to 3 significant digits. Values that SR28 lacks or that come from
elsewhere are given in ``over`` with their source, and are recorded per nutrient in the JSON's
``nutrient_sources`` so the tests can tell them apart.

Usage (from the repo root):

    PYTHONPATH=backend python tools/build_curated_catalog.py [--sr-dir DIR] [--check]

``--check`` rebuilds in memory and exits 1 if the committed JSON differs (for CI).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from dataclasses import dataclass, field
from pathlib import Path

from fortify.catalog.usda import NUTRIENT_KEYS, UsdaFood, load_foods

REPO = Path(__file__).resolve().parents[1]
DEFAULT_SR_DIR = REPO.parent / "shared" / "data" / "usda-sr"
OUTPUT = REPO / "backend" / "fortify" / "catalog" / "data" / "curated_foods.json"

# --- Sources used for servings (see /work/shared/PROTOCOL.md §2) -------------------------------
WHO = "Polyphenol serving 80 g: WHO, at least 400 g fruit and vegetables a day = 5 x 80 g"
WHO_DRIED = "Polyphenol serving 30 g dried fruit: NHS 5 A Day portion (= 80 g fresh fruit)"
WHO_JUICE = "Polyphenol serving 150 ml juice: NHS 5 A Day portion (counts once a day at most)"
SEED_POLY = "Polyphenol food named by the seed text (green tea, dark chocolate, olive oil)"
OATS = "Soluble-fiber serving 40 g dry oats: seed names oats; FDA health claim, 3 g beta-glucan/day"
BARLEY = "Soluble-fiber serving: seed names barley; FDA health claim, 3 g beta-glucan/day"
BEANS = "Soluble-fiber serving 1 cup cooked: seed names beans (soluble fiber, LDL)"
APPLES = "Soluble-fiber serving 1 medium apple (182 g, SR28 portion): seed names apples"
OLIVE = "MUFA serving 20 g: FDA qualified health claim, 1.5 tbsp (20 g) oleic-rich oil a day"
CANOLA = "MUFA serving 19 g: FDA qualified health claim for canola oil, 1.5 tbsp (19 g) a day"
AVOCADO = "MUFA serving: half an avocado (about 100 g); seed names avocados"
NUTS = "MUFA serving 42 g: FDA qualified health claim for nuts, 1.5 oz (42 g) a day"
NIH_K_NATTO = (
    "Vitamin K: NIH ODS Vitamin K fact sheet, natto 3 oz (85 g) = 850 mcg as MK-7, "
    "i.e. 1000 mcg/100 g, added to SR28 phylloquinone 23.1 mcg"
)
OATLY = "Oatly Oat Drink Semi (UK/EU, fortified), pack label per 100 ml, read as per 100 g"

P80 = {"polyphenol": 80.0}


@dataclass
class Spec:
    key: str
    name: str
    group: str
    ndb: str | None
    syn: list[str] = field(default_factory=list)
    portions: list[tuple[str, float]] = field(default_factory=list)
    serv: dict[str, float] = field(default_factory=dict)
    tags: list[str] = field(default_factory=list)
    src: list[str] = field(default_factory=list)
    # nutrient key -> (value per 100 g or None, source); overrides SR28 for that key
    over: dict[str, tuple[float | None, str]] = field(default_factory=dict)


SPECS: list[Spec] = []


def f(
    key: str,
    name: str,
    group: str,
    ndb: str | None,
    syn: tuple[str, ...] = (),
    portions: tuple[tuple[str, float], ...] = (),
    serv: dict[str, float] | None = None,
    tags: tuple[str, ...] = (),
    src: tuple[str, ...] = (),
    over: dict[str, tuple[float | None, str]] | None = None,
) -> None:
    SPECS.append(
        Spec(key, name, group, ndb, list(syn), list(portions), dict(serv or {}), list(tags),
             list(src), dict(over or {}))
    )  # fmt: skip


DF = ("dairy_or_fortified",)
FERM_DF = ("dairy_or_fortified", "fermented")

# ============================== dairy ==============================
f(
    "whole_milk",
    "Whole milk (3.25%)",
    "dairy",
    "01077",
    ("milk", "full-fat milk", "full cream milk", "homogenized milk", "vitamin D milk"),
    (("1 cup (240 ml)", 244), ("1 glass (200 ml)", 206), ("1 tbsp", 15)),
    tags=DF,
)
f(
    "reduced_fat_milk_2",
    "Reduced-fat milk (2%)",
    "dairy",
    "01079",
    ("2% milk", "semi-skimmed milk", "semi skimmed milk", "low-fat milk"),
    (("1 cup (240 ml)", 244), ("1 glass (200 ml)", 206)),
    tags=DF,
)
f(
    "low_fat_milk_1",
    "Low-fat milk (1%)",
    "dairy",
    "01082",
    ("1% milk", "light milk"),
    (("1 cup (240 ml)", 244), ("1 glass (200 ml)", 206)),
    tags=DF,
)
f(
    "skim_milk",
    "Skim milk (fat-free)",
    "dairy",
    "01085",
    ("skimmed milk", "nonfat milk", "fat-free milk", "fat free milk"),
    (("1 cup (240 ml)", 245), ("1 glass (200 ml)", 206)),
    tags=DF,
)
f(
    "buttermilk_low_fat",
    "Buttermilk, low-fat",
    "dairy",
    "01088",
    ("cultured buttermilk",),
    (("1 cup", 245),),
    tags=FERM_DF,
)
f(
    "chocolate_milk",
    "Chocolate milk, reduced-fat",
    "dairy",
    "01103",
    ("chocolate milk", "choc milk"),
    (("1 cup", 250),),
    tags=DF,
)
f(
    "evaporated_milk",
    "Evaporated milk",
    "dairy",
    "01096",
    ("tinned evaporated milk",),
    (("2 tbsp", 32), ("1/2 cup", 126)),
    tags=DF,
)
f(
    "yogurt_plain_whole",
    "Plain yogurt, whole milk",
    "dairy",
    "01116",
    ("yoghurt", "yogurt", "natural yoghurt", "plain yoghurt", "full-fat yogurt"),
    (("1 cup", 245), ("1 pot (150 g)", 150), ("1 container (6 oz)", 170)),
    tags=FERM_DF,
)
f(
    "yogurt_plain_low_fat",
    "Plain yogurt, low-fat",
    "dairy",
    "01117",
    ("low-fat yoghurt", "low fat yogurt", "lowfat yogurt"),
    (("1 cup", 245), ("1 pot (150 g)", 150), ("1 container (6 oz)", 170)),
    tags=FERM_DF,
)
f(
    "yogurt_fruit_low_fat",
    "Fruit yogurt, low-fat",
    "dairy",
    "01120",
    ("fruit yoghurt", "strawberry yogurt", "flavoured yoghurt", "flavored yogurt"),
    (("1 pot (125 g)", 125), ("1 container (6 oz)", 170)),
    tags=FERM_DF,
)
f(
    "greek_yogurt_plain_whole",
    "Greek yogurt, plain, whole milk",
    "dairy",
    "01293",
    ("greek yoghurt", "greek-style yoghurt", "strained yogurt", "full-fat greek yogurt"),
    (("1 cup", 245), ("1 pot (170 g)", 170), ("2 tbsp", 30)),
    tags=FERM_DF,
)
f(
    "greek_yogurt_plain_nonfat",
    "Greek yogurt, plain, nonfat",
    "dairy",
    "01256",
    ("0% greek yoghurt", "fat-free greek yogurt", "skyr"),
    (("1 container (170 g)", 170), ("1 cup", 245)),
    tags=FERM_DF,
)
f(
    "kefir_low_fat",
    "Kefir, plain, low-fat",
    "dairy",
    "01289",
    ("kefir", "milk kefir"),
    (("1 cup", 243), ("1 glass (200 ml)", 206)),
    tags=FERM_DF,
)
f(
    "cheddar",
    "Cheddar cheese",
    "dairy",
    "01009",
    ("cheddar", "hard cheese", "mature cheddar", "sharp cheddar", "cheese"),
    (
        ("1 oz", 28.35),
        ("1 slice", 21),
        ("1 cup, shredded", 113),
        ("1 matchbox-size piece (30 g)", 30),
    ),
    tags=FERM_DF,
)
f(
    "parmesan",
    "Parmesan cheese, hard",
    "dairy",
    "01033",
    ("parmigiano reggiano", "parmesan", "hard cheese", "grana padano"),
    (("1 oz", 28.35), ("1 tbsp, grated", 5), ("1 cubic inch", 10.3)),
    tags=FERM_DF,
)
f(
    "parmesan_grated",
    "Parmesan cheese, grated",
    "dairy",
    "01032",
    ("grated parmesan",),
    (("1 tbsp", 5), ("1/4 cup", 25)),
    tags=FERM_DF,
)
f(
    "swiss_cheese",
    "Swiss cheese (Emmental)",
    "dairy",
    "01040",
    ("emmental", "emmentaler", "swiss", "hard cheese"),
    (("1 oz", 28.35), ("1 slice", 28), ("1 cup, shredded", 108)),
    tags=FERM_DF,
)
f(
    "gouda",
    "Gouda cheese",
    "dairy",
    "01022",
    ("gouda", "aged gouda", "hard cheese"),
    (("1 oz", 28.35), ("1 slice", 20)),
    tags=FERM_DF,
)
f(
    "gruyere",
    "Gruyère cheese",
    "dairy",
    "01023",
    ("gruyere", "comte", "hard cheese"),
    (("1 oz", 28.35), ("1 slice", 28)),
    tags=FERM_DF,
)
f(
    "edam",
    "Edam cheese",
    "dairy",
    "01018",
    ("edam",),
    (("1 oz", 28.35), ("1 slice", 20)),
    tags=FERM_DF,
)
f(
    "romano",
    "Romano cheese",
    "dairy",
    "01038",
    ("pecorino romano", "pecorino", "hard cheese"),
    (("1 oz", 28.35), ("1 tbsp, grated", 5)),
    tags=FERM_DF,
)
f(
    "provolone",
    "Provolone cheese",
    "dairy",
    "01035",
    ("provolone",),
    (("1 slice", 28), ("1 oz", 28.35)),
    tags=FERM_DF,
)
f(
    "mozzarella",
    "Mozzarella, whole milk",
    "dairy",
    "01026",
    ("mozzarella", "fresh mozzarella", "mozzarella di bufala"),
    (("1 oz", 28.35), ("1 ball (125 g)", 125), ("1 cup, shredded", 112)),
    tags=FERM_DF,
)
f(
    "mozzarella_part_skim",
    "Mozzarella, low-moisture, part-skim",
    "dairy",
    "01029",
    ("pizza cheese", "string cheese", "light mozzarella"),
    (("1 oz", 28.35), ("1 cup, shredded", 113), ("1 stick", 28)),
    tags=FERM_DF,
)
f(
    "feta",
    "Feta cheese",
    "dairy",
    "01019",
    ("feta",),
    (("1 oz", 28.35), ("1 cup, crumbled", 150), ("1 wedge", 38)),
    tags=FERM_DF,
)
f(
    "brie",
    "Brie",
    "dairy",
    "01006",
    ("brie", "soft cheese"),
    (("1 oz", 28.35), ("1 slice", 25)),
    tags=FERM_DF,
)
f(
    "camembert",
    "Camembert",
    "dairy",
    "01007",
    ("camembert", "soft cheese"),
    (("1 oz", 28.35), ("1 wedge", 38)),
    tags=FERM_DF,
)
f(
    "blue_cheese",
    "Blue cheese",
    "dairy",
    "01004",
    ("stilton", "gorgonzola", "roquefort"),
    (("1 oz", 28.35), ("1 cup, crumbled", 135)),
    tags=FERM_DF,
)
f(
    "goat_cheese_soft",
    "Goat cheese, soft",
    "dairy",
    "01159",
    ("chevre", "chèvre", "goats cheese"),
    (("1 oz", 28.35),),
    tags=FERM_DF,
)
f(
    "monterey_jack",
    "Monterey Jack cheese",
    "dairy",
    "01025",
    ("monterey jack", "jack cheese"),
    (("1 oz", 28.35), ("1 cup, shredded", 113)),
    tags=FERM_DF,
)
f(
    "american_cheese",
    "Processed cheese slice (American)",
    "dairy",
    "01046",
    ("american cheese", "cheese slice", "processed cheese", "burger cheese"),
    (("1 slice", 21), ("1 oz", 28.35)),
    tags=DF,
)
f(
    "cottage_cheese",
    "Cottage cheese",
    "dairy",
    "01012",
    ("cottage cheese", "curd cheese"),
    (("1/2 cup", 113), ("1 cup", 210)),
    tags=FERM_DF,
)
f(
    "cottage_cheese_low_fat",
    "Cottage cheese, low-fat (2%)",
    "dairy",
    "01015",
    ("low-fat cottage cheese",),
    (("1/2 cup", 113), ("1 cup", 226)),
    tags=FERM_DF,
)
f(
    "ricotta",
    "Ricotta, whole milk",
    "dairy",
    "01036",
    ("ricotta",),
    (("1/2 cup", 124), ("1 tbsp", 15)),
    tags=DF,
)
f(
    "cream_cheese",
    "Cream cheese",
    "dairy",
    "01017",
    ("philadelphia", "soft cheese spread"),
    (("1 tbsp", 14.5), ("1 oz", 28.35)),
    tags=DF,
)
f(
    "sour_cream",
    "Sour cream",
    "dairy",
    "01056",
    ("soured cream",),
    (("1 tbsp", 12), ("1 cup", 230)),
    tags=("fermented",),
)
f(
    "heavy_cream",
    "Heavy cream",
    "dairy",
    "01053",
    ("double cream", "whipping cream", "heavy whipping cream"),
    (("1 tbsp", 15), ("1 cup", 238)),
)
f(
    "half_and_half",
    "Half and half",
    "dairy",
    "01049",
    ("single cream", "coffee cream"),
    (("1 tbsp", 15), ("1 individual container", 15)),
)
f(
    "ice_cream_vanilla",
    "Vanilla ice cream",
    "sweets",
    "19095",
    ("ice cream", "ice-cream"),
    (("1/2 cup", 66), ("1 scoop", 66)),
)

# ============================== plant milks ==============================
f(
    "soy_milk_fortified",
    "Soy milk, fortified (calcium + vitamin D)",
    "plant_milk",
    "16139",
    ("soya milk", "soy milk", "soymilk", "soya drink", "soy drink"),
    (("1 cup (240 ml)", 243), ("1 glass (200 ml)", 203)),
    tags=DF,
)
f(
    "soy_milk_unsweetened_fortified",
    "Soy milk, unsweetened, fortified",
    "plant_milk",
    "16222",
    ("unsweetened soya milk", "unsweetened soy drink"),
    (("1 cup (240 ml)", 243), ("1 glass (200 ml)", 203)),
    tags=DF,
)
f(
    "almond_milk_fortified",
    "Almond milk, unsweetened, fortified",
    "plant_milk",
    "14091",
    ("almond milk", "almond drink", "unsweetened almond milk"),
    (("1 cup (240 ml)", 262), ("1 glass (200 ml)", 218)),
    tags=DF,
)
f(
    "almond_milk_vanilla",
    "Almond milk, sweetened, vanilla",
    "plant_milk",
    "14016",
    ("vanilla almond milk", "sweetened almond drink"),
    (("1 cup (240 ml)", 240),),
    tags=DF,
)
f("oat_milk_fortified", "Oat milk, fortified (calcium + vitamin D)", "plant_milk", None,
  ("oat milk", "oat drink", "oatmilk", "oatly"),
  (("1 cup (240 ml)", 240), ("1 glass (200 ml)", 200)), tags=DF,
  src=(OATLY, "Oat drinks are not in USDA SR28"),
  over={
      "energy_kcal": (46.0, OATLY), "protein_g": (1.0, OATLY), "calcium_mg": (120.0, OATLY),
      "vitamin_d_iu": (44.0, OATLY + " (1.1 mcg vitamin D x 40 IU/mcg)"),
      "fiber_g": (0.8, OATLY), "saturated_fat_g": (0.2, OATLY),
  })  # fmt: skip
f(
    "rice_milk_fortified",
    "Rice milk, unsweetened, fortified",
    "plant_milk",
    "14639",
    ("rice milk", "rice drink"),
    (("1 cup (240 ml)", 240),),
    tags=DF,
)
f(
    "coconut_milk_drink_fortified",
    "Coconut milk drink, fortified",
    "plant_milk",
    "14171",
    ("coconut drink", "coconut milk beverage"),
    (("1 cup (240 ml)", 240),),
    tags=DF,
)

# ============================== leafy greens ==============================
f(
    "kale_raw",
    "Kale, raw",
    "leafy_greens",
    "11233",
    ("kale", "curly kale", "borecole"),
    (("1 cup, chopped", 16), ("1 handful", 20)),
    P80,
    ("leafy_green",),
    (WHO,),
)
f(
    "kale_cooked",
    "Kale, cooked",
    "leafy_greens",
    "11234",
    ("boiled kale", "steamed kale"),
    (("1 cup, chopped", 130), ("1/2 cup", 65)),
    P80,
    ("leafy_green",),
    (WHO,),
)
f(
    "spinach_raw",
    "Spinach, raw",
    "leafy_greens",
    "11457",
    ("spinach", "baby spinach"),
    (("1 cup", 30), ("1 handful", 25), ("1 bag (200 g)", 200)),
    P80,
    ("leafy_green",),
    (WHO,),
)
f(
    "spinach_cooked",
    "Spinach, cooked",
    "leafy_greens",
    "11458",
    ("boiled spinach", "wilted spinach", "sauteed spinach"),
    (("1 cup", 180), ("1/2 cup", 90)),
    P80,
    ("leafy_green",),
    (WHO,),
)
f(
    "collard_greens_raw",
    "Collard greens, raw",
    "leafy_greens",
    "11161",
    ("collards", "collard"),
    (("1 cup, chopped", 36),),
    P80,
    ("leafy_green",),
    (WHO,),
)
f(
    "collard_greens_cooked",
    "Collard greens, cooked",
    "leafy_greens",
    "11162",
    ("collards", "cooked collards", "spring greens"),
    (("1 cup, chopped", 190), ("1/2 cup", 95)),
    P80,
    ("leafy_green",),
    (WHO,),
)
f(
    "bok_choy_raw",
    "Bok choy, raw",
    "leafy_greens",
    "11116",
    ("pak choi", "pak-choi", "bok choi", "chinese cabbage", "chinese white cabbage"),
    (("1 cup, shredded", 70), ("1 leaf", 14), ("1 head", 840)),
    P80,
    ("leafy_green",),
    (WHO,),
)
f(
    "bok_choy_cooked",
    "Bok choy, cooked",
    "leafy_greens",
    "11117",
    ("cooked pak choi", "steamed bok choy"),
    (("1 cup, shredded", 170),),
    P80,
    ("leafy_green",),
    (WHO,),
)
f(
    "broccoli_raw",
    "Broccoli, raw",
    "leafy_greens",
    "11090",
    ("broccoli", "calabrese"),
    (("1 cup, chopped", 91), ("1 spear", 31), ("1 floret", 11)),
    P80,
    ("leafy_green",),
    (WHO,),
)
f(
    "broccoli_cooked",
    "Broccoli, cooked",
    "leafy_greens",
    "11091",
    ("boiled broccoli", "steamed broccoli"),
    (("1/2 cup, chopped", 78), ("1 cup", 156)),
    P80,
    ("leafy_green",),
    (WHO,),
)
f(
    "broccoli_rabe_cooked",
    "Broccoli rabe, cooked",
    "leafy_greens",
    "11097",
    ("rapini", "broccoli raab", "cime di rapa"),
    (("1 serving", 85),),
    P80,
    ("leafy_green",),
    (WHO,),
)
f(
    "swiss_chard_cooked",
    "Swiss chard, cooked",
    "leafy_greens",
    "11148",
    ("chard", "silverbeet", "rainbow chard"),
    (("1 cup, chopped", 175),),
    P80,
    ("leafy_green",),
    (WHO,),
)
f(
    "swiss_chard_raw",
    "Swiss chard, raw",
    "leafy_greens",
    "11147",
    ("chard", "silverbeet"),
    (("1 cup", 36), ("1 leaf", 48)),
    P80,
    ("leafy_green",),
    (WHO,),
)
f(
    "turnip_greens_cooked",
    "Turnip greens, cooked",
    "leafy_greens",
    "11569",
    ("turnip tops", "turnip greens"),
    (("1 cup, chopped", 144),),
    P80,
    ("leafy_green",),
    (WHO,),
)
f(
    "mustard_greens_cooked",
    "Mustard greens, cooked",
    "leafy_greens",
    "11271",
    ("mustard greens", "mustard leaves"),
    (("1 cup, chopped", 140),),
    P80,
    ("leafy_green",),
    (WHO,),
)
f(
    "beet_greens_cooked",
    "Beet greens, cooked",
    "leafy_greens",
    "11087",
    ("beetroot leaves",),
    (("1 cup", 144),),
    P80,
    ("leafy_green",),
    (WHO,),
)
f(
    "romaine_lettuce",
    "Romaine lettuce",
    "leafy_greens",
    "11251",
    ("cos lettuce", "romaine", "little gem"),
    (("1 cup, shredded", 47), ("1 outer leaf", 28)),
    P80,
    ("leafy_green",),
    (WHO,),
)
f(
    "iceberg_lettuce",
    "Iceberg lettuce",
    "leafy_greens",
    "11252",
    ("crisphead lettuce",),
    (("1 cup, shredded", 72), ("1 leaf", 8)),
    P80,
    ("leafy_green",),
    (WHO,),
)
f(
    "butterhead_lettuce",
    "Butterhead lettuce",
    "leafy_greens",
    "11250",
    ("round lettuce", "boston lettuce", "bibb lettuce"),
    (("1 cup", 55), ("1 large leaf", 15)),
    P80,
    ("leafy_green",),
    (WHO,),
)
f(
    "green_leaf_lettuce",
    "Green leaf lettuce",
    "leafy_greens",
    "11253",
    ("lettuce", "leaf lettuce", "salad leaves", "mixed salad"),
    (("1 cup, shredded", 36),),
    P80,
    ("leafy_green",),
    (WHO,),
)
f(
    "arugula",
    "Rocket (arugula)",
    "leafy_greens",
    "11959",
    ("rocket", "arugula", "roquette"),
    (("1/2 cup", 10), ("1 handful", 20)),
    P80,
    ("leafy_green",),
    (WHO,),
)
f(
    "watercress",
    "Watercress",
    "leafy_greens",
    "11591",
    ("cress",),
    (("1 cup, chopped", 34), ("10 sprigs", 25)),
    P80,
    ("leafy_green",),
    (WHO,),
)

# ============================== vegetables ==============================
V = "vegetables"
f(
    "cabbage_raw",
    "Cabbage, raw",
    V,
    "11109",
    ("white cabbage", "green cabbage", "coleslaw cabbage"),
    (("1 cup, shredded", 70), ("1 cup, chopped", 89)),
    P80,
    src=(WHO,),
)
f(
    "red_cabbage_raw",
    "Red cabbage, raw",
    V,
    "11112",
    ("purple cabbage",),
    (("1 cup, shredded", 70),),
    P80,
    src=(WHO,),
)
f(
    "brussels_sprouts_cooked",
    "Brussels sprouts, cooked",
    V,
    "11099",
    ("sprouts", "brussel sprouts"),
    (("1/2 cup", 78), ("1 sprout", 21)),
    P80,
    src=(WHO,),
)
f(
    "cauliflower_raw",
    "Cauliflower, raw",
    V,
    "11135",
    ("cauliflower",),
    (("1 cup, chopped", 107), ("1 floret", 13)),
    P80,
    src=(WHO,),
)
f(
    "cauliflower_cooked",
    "Cauliflower, cooked",
    V,
    "11136",
    ("boiled cauliflower",),
    (("1/2 cup", 62), ("3 florets", 54)),
    P80,
    src=(WHO,),
)
f(
    "carrots_raw",
    "Carrots, raw",
    V,
    "11124",
    ("carrot", "carrots", "baby carrots"),
    (("1 medium carrot", 61), ("1 cup, chopped", 128), ("1 cup, grated", 110)),
    P80,
    src=(WHO,),
)
f(
    "carrots_cooked",
    "Carrots, cooked",
    V,
    "11125",
    ("boiled carrots",),
    (("1/2 cup, sliced", 78), ("1 carrot", 46)),
    P80,
    src=(WHO,),
)
f(
    "tomato_raw",
    "Tomato, raw",
    V,
    "11529",
    ("tomato", "tomatoes", "cherry tomatoes"),
    (("1 medium tomato", 123), ("1 cup, chopped", 180), ("1 cherry tomato", 17)),
    P80,
    src=(WHO,),
)
f(
    "tomato_sauce_canned",
    "Tomato sauce, canned",
    V,
    "11549",
    ("passata", "tomato sauce", "marinara base"),
    (("1/2 cup", 122), ("1 cup", 245)),
    P80,
    src=(WHO,),
)
f(
    "red_bell_pepper_raw",
    "Red bell pepper, raw",
    V,
    "11821",
    ("red pepper", "capsicum", "sweet pepper", "bell pepper"),
    (("1 medium pepper", 119), ("1 cup, chopped", 149)),
    P80,
    src=(WHO,),
)
f(
    "green_bell_pepper_raw",
    "Green bell pepper, raw",
    V,
    "11333",
    ("green pepper", "green capsicum"),
    (("1 medium pepper", 119), ("1 cup, chopped", 149)),
    P80,
    src=(WHO,),
)
f(
    "onion_raw",
    "Onion, raw",
    V,
    "11282",
    ("onion", "onions", "brown onion", "yellow onion", "red onion"),
    (("1 medium onion", 110), ("1 cup, chopped", 160), ("1 tbsp, chopped", 10)),
    P80,
    src=(WHO,),
)
f(
    "spring_onion",
    "Spring onions (scallions)",
    V,
    "11291",
    ("scallions", "green onions", "salad onions"),
    (("1 medium", 15), ("1 cup, chopped", 100)),
    P80,
    src=(WHO,),
)
f(
    "leek_raw",
    "Leek, raw",
    V,
    "11246",
    ("leek", "leeks"),
    (("1 leek", 89), ("1 cup", 89)),
    P80,
    src=(WHO,),
)
f("garlic", "Garlic, raw", V, "11215", ("garlic clove",), (("1 clove", 3), ("1 tsp", 2.8)))
f(
    "cucumber",
    "Cucumber, with peel",
    V,
    "11205",
    ("cucumber",),
    (("1/2 cup, sliced", 52), ("1 cucumber", 301)),
    P80,
    src=(WHO,),
)
f(
    "zucchini_raw",
    "Courgette (zucchini), raw",
    V,
    "11477",
    ("zucchini", "courgette", "summer squash"),
    (("1 medium", 196), ("1 cup, sliced", 113)),
    P80,
    src=(WHO,),
)
f(
    "zucchini_cooked",
    "Courgette (zucchini), cooked",
    V,
    "11478",
    ("cooked zucchini", "cooked courgette"),
    (("1 cup, sliced", 180),),
    P80,
    src=(WHO,),
)
f(
    "eggplant_cooked",
    "Aubergine (eggplant), cooked",
    V,
    "11210",
    ("aubergine", "eggplant", "brinjal"),
    (("1 cup, cubes", 99),),
    P80,
    src=(WHO,),
)
f(
    "eggplant_raw",
    "Aubergine (eggplant), raw",
    V,
    "11209",
    ("aubergine", "eggplant"),
    (("1 cup, cubes", 82), ("1 eggplant", 548)),
    P80,
    src=(WHO,),
)
f(
    "mushrooms_white_raw",
    "Mushrooms, white, raw",
    V,
    "11260",
    ("button mushrooms", "mushrooms", "champignons"),
    (("1 cup, sliced", 70), ("1 medium mushroom", 18)),
    P80,
    src=(WHO,),
)
f(
    "green_peas_cooked",
    "Green peas, frozen, cooked",
    V,
    "11313",
    ("peas", "garden peas", "petits pois"),
    (("1/2 cup", 80), ("1 cup", 160)),
    P80,
    src=(WHO,),
)
f(
    "sweet_corn_cooked",
    "Sweet corn, cooked",
    V,
    "11168",
    ("corn", "corn on the cob", "maize", "sweetcorn"),
    (("1 medium ear", 103), ("1/2 cup kernels", 82)),
    P80,
    src=(WHO,),
)
f(
    "green_beans_cooked",
    "Green beans, cooked",
    V,
    "11053",
    ("string beans", "french beans", "snap beans", "runner beans"),
    (("1 cup", 125), ("1/2 cup", 62)),
    P80,
    src=(WHO,),
)
f(
    "asparagus_cooked",
    "Asparagus, cooked",
    V,
    "11012",
    ("asparagus",),
    (("1/2 cup", 90), ("4 spears", 60)),
    P80,
    src=(WHO,),
)
f(
    "celery_raw",
    "Celery, raw",
    V,
    "11143",
    ("celery",),
    (("1 medium stalk", 40), ("1 cup, chopped", 101)),
    P80,
    src=(WHO,),
)
f(
    "beetroot_cooked",
    "Beetroot, cooked",
    V,
    "11081",
    ("beets", "beetroot"),
    (("1/2 cup, slices", 85), ("1 beet", 50)),
    P80,
    src=(WHO,),
)
f(
    "butternut_squash_baked",
    "Butternut squash, baked",
    V,
    "11486",
    ("butternut", "winter squash"),
    (("1 cup, cubes", 205),),
    P80,
    src=(WHO,),
)
f(
    "pumpkin_cooked",
    "Pumpkin, cooked",
    V,
    "11423",
    ("pumpkin",),
    (("1 cup, mashed", 245),),
    P80,
    src=(WHO,),
)
f(
    "okra_cooked",
    "Okra, cooked",
    V,
    "11279",
    ("lady's fingers", "bhindi", "gumbo"),
    (("1/2 cup, sliced", 80),),
    P80,
    src=(WHO,),
)
f(
    "artichoke_cooked",
    "Artichoke, cooked",
    V,
    "11008",
    ("globe artichoke",),
    (("1 medium artichoke", 120), ("1/2 cup hearts", 84)),
    P80,
    src=(WHO,),
)
f(
    "radishes",
    "Radishes, raw",
    V,
    "11429",
    ("radish",),
    (("1 cup, sliced", 116), ("1 medium", 4.5)),
    P80,
    src=(WHO,),
)
f(
    "sauerkraut",
    "Sauerkraut",
    V,
    "11439",
    ("fermented cabbage",),
    (("1/2 cup", 71), ("1 cup", 142)),
    P80,
    ("fermented",),
    (WHO,),
)
f(
    "kimchi",
    "Kimchi",
    V,
    "11118",
    ("kimchee",),
    (("1/2 cup", 75), ("1 cup", 150)),
    P80,
    ("fermented",),
    (WHO,),
)
f(
    "olives_black",
    "Olives, ripe (black), canned",
    V,
    "09193",
    ("black olives", "olives"),
    (("5 large olives", 22), ("1 tbsp", 8.4)),
)
f(
    "dill_pickles",
    "Dill pickles",
    V,
    "11937",
    ("gherkins", "pickled cucumber"),
    (("1 small spear", 35), ("1 large pickle", 135)),
)
f(
    "sweet_potato_baked",
    "Sweet potato, baked in skin",
    V,
    "11508",
    ("sweet potato", "yam", "kumara"),
    (("1 medium", 114), ("1 cup", 200)),
)
f(
    "potato_baked",
    "Potato, baked, with skin",
    V,
    "11674",
    ("jacket potato", "baked potato", "potato"),
    (("1 medium potato", 173), ("1 large potato", 299)),
)
f(
    "potato_boiled",
    "Potatoes, boiled",
    V,
    "11365",
    ("boiled potatoes", "new potatoes"),
    (("1 potato", 136), ("1/2 cup", 78)),
)
f(
    "mashed_potatoes",
    "Mashed potatoes (milk and butter)",
    V,
    "11934",
    ("mash", "mashed potato", "creamed potatoes"),
    (("1 cup", 210), ("1/2 cup", 105)),
)
f(
    "french_fries",
    "Chips (French fries), oven-baked",
    V,
    "11403",
    ("fries", "chips", "french fries", "oven chips"),
    (("10 fries", 76), ("1 medium serving", 117)),
)
f(
    "edamame",
    "Edamame, cooked",
    "soy",
    "11212",
    ("edamame beans", "green soybeans"),
    (("1 cup", 155), ("1/2 cup", 78)),
    {"soluble_fiber": 155},
    ("legume",),
    (BEANS,),
)

# ============================== fruit ==============================
FR = "fruit"
f(
    "apple",
    "Apple, with skin",
    FR,
    "09003",
    ("apple", "apples", "eating apple"),
    (("1 medium apple", 182), ("1 large apple", 223), ("1 cup, sliced", 109)),
    {"polyphenol": 80, "soluble_fiber": 182},
    src=(WHO, APPLES),
)
f(
    "banana",
    "Banana",
    FR,
    "09040",
    ("banana", "bananas"),
    (("1 medium banana", 118), ("1 small banana", 101), ("1 cup, sliced", 150)),
    P80,
    src=(WHO,),
)
f(
    "orange",
    "Orange",
    FR,
    "09200",
    ("orange", "oranges"),
    (("1 medium orange", 131), ("1 cup, sections", 180)),
    P80,
    src=(WHO,),
)
f(
    "mandarin",
    "Mandarin (tangerine)",
    FR,
    "09218",
    ("tangerine", "clementine", "satsuma", "mandarin orange"),
    (("1 medium", 88), ("1 small", 76)),
    P80,
    src=(WHO,),
)
f(
    "strawberries",
    "Strawberries",
    FR,
    "09316",
    ("strawberry", "strawberries"),
    (("1 cup, whole", 144), ("1 medium berry", 12), ("1 cup, sliced", 166)),
    P80,
    src=(WHO,),
)
f(
    "blueberries",
    "Blueberries",
    FR,
    "09050",
    ("blueberry", "bilberries"),
    (("1 cup", 148), ("1 handful", 40), ("50 berries", 68)),
    P80,
    src=(WHO,),
)
f(
    "raspberries",
    "Raspberries",
    FR,
    "09302",
    ("raspberry",),
    (("1 cup", 123), ("10 raspberries", 19)),
    P80,
    src=(WHO,),
)
f(
    "blackberries",
    "Blackberries",
    FR,
    "09042",
    ("blackberry", "brambles"),
    (("1 cup", 144),),
    P80,
    src=(WHO,),
)
f(
    "cranberries",
    "Cranberries, raw",
    FR,
    "09078",
    ("cranberry",),
    (("1 cup, whole", 100),),
    P80,
    src=(WHO,),
)
f(
    "cherries",
    "Cherries, sweet",
    FR,
    "09070",
    ("cherry", "cherries"),
    (("1 cup, without pits", 154), ("1 cherry", 8.2)),
    P80,
    src=(WHO,),
)
f(
    "grapes",
    "Grapes, red or green",
    FR,
    "09132",
    ("grapes", "grape", "seedless grapes"),
    (("1 cup", 151), ("10 grapes", 49)),
    P80,
    src=(WHO,),
)
f(
    "pear",
    "Pear",
    FR,
    "09252",
    ("pear", "pears"),
    (("1 medium pear", 178), ("1 cup, slices", 140)),
    P80,
    src=(WHO,),
)
f("peach", "Peach", FR, "09236", ("peach", "peaches"), (("1 medium peach", 150),), P80, src=(WHO,))
f("nectarine", "Nectarine", FR, "09191", ("nectarine",), (("1 medium", 142),), P80, src=(WHO,))
f("plum", "Plum", FR, "09279", ("plum", "plums"), (("1 plum", 66),), P80, src=(WHO,))
f("apricot", "Apricot", FR, "09021", ("apricot", "apricots"), (("1 apricot", 35),), P80, src=(WHO,))
f(
    "kiwifruit",
    "Kiwifruit, green",
    FR,
    "09148",
    ("kiwi", "kiwi fruit", "chinese gooseberry"),
    (("1 fruit", 69), ("1 cup, sliced", 180)),
    P80,
    src=(WHO,),
)
f(
    "mango",
    "Mango",
    FR,
    "09176",
    ("mango", "mangoes"),
    (("1 cup, pieces", 165), ("1 mango", 336)),
    P80,
    src=(WHO,),
)
f(
    "pineapple",
    "Pineapple",
    FR,
    "09266",
    ("pineapple",),
    (("1 cup, chunks", 165), ("1 slice", 84)),
    P80,
    src=(WHO,),
)
f(
    "watermelon",
    "Watermelon",
    FR,
    "09326",
    ("watermelon",),
    (("1 cup, diced", 152), ("1 wedge", 286)),
    P80,
    src=(WHO,),
)
f(
    "cantaloupe",
    "Cantaloupe melon",
    FR,
    "09181",
    ("rockmelon", "cantaloupe", "melon"),
    (("1 cup, cubes", 160),),
    P80,
    src=(WHO,),
)
f(
    "grapefruit",
    "Grapefruit",
    FR,
    "09111",
    ("grapefruit",),
    (("1/2 medium grapefruit", 128), ("1 cup, sections", 230)),
    P80,
    src=(WHO,),
)
f(
    "lemon",
    "Lemon, without peel",
    FR,
    "09150",
    ("lemon", "lemon juice (fresh)"),
    (("1 lemon", 58), ("1 wedge", 7)),
)
f(
    "pomegranate",
    "Pomegranate",
    FR,
    "09286",
    ("pomegranate seeds", "pomegranate arils"),
    (("1/2 cup arils", 87), ("1 pomegranate", 282)),
    P80,
    src=(WHO,),
)
f(
    "avocado",
    "Avocado",
    FR,
    "09037",
    ("avocado", "avocado pear", "hass avocado"),
    (("1 avocado", 201), ("1/2 avocado", 100), ("1 cup, sliced", 146)),
    {"mufa": 100, "polyphenol": 80},
    src=(AVOCADO, WHO),
)
f(
    "raisins",
    "Raisins",
    FR,
    "09298",
    ("sultanas", "raisin"),
    (("1 small box (1.5 oz)", 43), ("1 tbsp", 9), ("1 cup", 145)),
    {"polyphenol": 30},
    src=(WHO_DRIED,),
)
f(
    "dates_medjool",
    "Dates, Medjool",
    FR,
    "09421",
    ("dates", "medjool dates"),
    (("1 date", 24),),
    {"polyphenol": 30},
    src=(WHO_DRIED,),
)
f(
    "figs_dried",
    "Figs, dried",
    FR,
    "09094",
    ("dried figs",),
    (("1 fig", 8.4), ("1 cup", 149)),
    {"polyphenol": 30},
    src=(WHO_DRIED,),
)
f(
    "prunes",
    "Prunes (dried plums)",
    FR,
    "09291",
    ("prunes", "dried plums"),
    (("1 prune", 9.5), ("1 cup", 174)),
    {"polyphenol": 30},
    src=(WHO_DRIED,),
)
f(
    "apricots_dried",
    "Apricots, dried",
    FR,
    "09032",
    ("dried apricots",),
    (("1 half", 3.5), ("1 cup, halves", 130)),
    {"polyphenol": 30},
    src=(WHO_DRIED,),
)
f(
    "applesauce",
    "Apple sauce, unsweetened",
    FR,
    "09019",
    ("apple puree", "applesauce", "stewed apple"),
    (("1/2 cup", 122), ("1 cup", 244)),
    P80,
    src=(WHO,),
)
f(
    "orange_juice",
    "Orange juice",
    "beverages",
    "09209",
    ("oj", "orange juice"),
    (("1 cup (240 ml)", 249), ("1 glass (150 ml)", 156)),
    {"polyphenol": 156},
    src=(WHO_JUICE,),
)
f(
    "orange_juice_fortified",
    "Orange juice, calcium + vitamin D fortified",
    "beverages",
    "09210",
    ("fortified orange juice", "calcium orange juice"),
    (("1 cup (240 ml)", 249), ("1 glass (150 ml)", 156)),
    {"polyphenol": 156},
    DF,
    (WHO_JUICE,),
)
f(
    "apple_juice",
    "Apple juice",
    "beverages",
    "09016",
    ("apple juice",),
    (("1 cup (240 ml)", 248), ("1 glass (150 ml)", 155)),
)
f(
    "grape_juice",
    "Grape juice",
    "beverages",
    "09135",
    ("red grape juice", "purple grape juice"),
    (("1 cup (240 ml)", 253), ("1 glass (150 ml)", 158)),
    {"polyphenol": 158},
    src=(WHO_JUICE,),
)
f(
    "tomato_juice",
    "Tomato juice",
    "beverages",
    "11886",
    ("tomato juice",),
    (("1 cup (240 ml)", 243),),
    {"polyphenol": 152},
    src=(WHO_JUICE,),
)
f(
    "cranberry_juice_cocktail",
    "Cranberry juice drink",
    "beverages",
    "14242",
    ("cranberry juice", "cranberry juice cocktail"),
    (("1 cup (240 ml)", 253),),
)

# ============================== fish ==============================
FI = "fish"
FF = ("fatty_fish",)
f(
    "sardines_canned_in_oil",
    "Sardines, canned in oil, with bones",
    FI,
    "15088",
    ("sardines", "tinned sardines", "pilchards", "sardines in oil"),
    (("1 can (3.75 oz), drained", 92), ("1 sardine", 12), ("1 oz", 28.35)),
    tags=FF + DF,
)
f(
    "sardines_in_tomato_sauce",
    "Sardines in tomato sauce, with bones",
    FI,
    "15089",
    ("pilchards in tomato sauce",),
    (("1 sardine", 38), ("1 can", 370)),
    tags=FF + DF,
)
f(
    "salmon_atlantic_farmed_cooked",
    "Salmon, Atlantic, farmed, cooked",
    FI,
    "15237",
    ("salmon", "farmed salmon", "baked salmon", "grilled salmon", "salmon fillet"),
    (("1 fillet (half)", 178), ("3 oz", 85), ("100 g", 100)),
    tags=FF,
)
f(
    "salmon_atlantic_wild_cooked",
    "Salmon, Atlantic, wild, cooked",
    FI,
    "15209",
    ("wild salmon", "wild atlantic salmon"),
    (("1 fillet (half)", 154), ("3 oz", 85)),
    tags=FF,
)
f(
    "salmon_sockeye_cooked",
    "Salmon, sockeye, cooked",
    FI,
    "15086",
    ("sockeye", "red salmon", "alaskan salmon"),
    (("1 fillet (half)", 155), ("3 oz", 85)),
    tags=FF,
)
f(
    "salmon_pink_canned",
    "Salmon, pink, canned, with bones",
    FI,
    "15181",
    ("tinned salmon", "canned salmon", "pink salmon"),
    (("3 oz", 85), ("1 can", 454)),
    tags=FF + DF,
)
f(
    "smoked_salmon",
    "Smoked salmon (lox)",
    FI,
    "15179",
    ("lox", "smoked salmon", "gravlax"),
    (("1 oz", 28.35), ("1 slice", 20), ("3 oz", 85)),
    tags=FF,
)
f(
    "mackerel_atlantic_cooked",
    "Mackerel, Atlantic, cooked",
    FI,
    "15047",
    ("mackerel", "grilled mackerel", "smoked mackerel"),
    (("1 fillet", 88), ("3 oz", 85)),
    tags=FF,
)
f(
    "mackerel_canned",
    "Mackerel, canned (jack)",
    FI,
    "15048",
    ("tinned mackerel", "canned mackerel"),
    (("1 cup", 190), ("1 oz", 28.35)),
    tags=FF,
)
f(
    "herring_cooked",
    "Herring, Atlantic, cooked",
    FI,
    "15040",
    ("herring",),
    (("1 fillet", 143), ("3 oz", 85)),
    tags=FF,
)
f(
    "herring_pickled",
    "Herring, pickled",
    FI,
    "15041",
    ("pickled herring", "rollmops"),
    (("1 piece", 15), ("1 oz", 28.35)),
    tags=FF,
)
f(
    "kippers",
    "Kippers (kippered herring)",
    FI,
    "15042",
    ("kipper", "kippered herring"),
    (("1 medium fillet", 40), ("1 oz", 28.35)),
    tags=FF,
)
f(
    "trout_rainbow_cooked",
    "Trout, rainbow, farmed, cooked",
    FI,
    "15241",
    ("trout", "rainbow trout"),
    (("1 fillet", 71), ("3 oz", 85)),
    tags=FF,
)
f(
    "anchovies_canned",
    "Anchovies, canned in oil",
    FI,
    "15002",
    ("anchovy", "anchovies"),
    (("5 anchovies", 20), ("1 anchovy", 4)),
    tags=FF,
)
f(
    "tuna_light_canned",
    "Tuna, light, canned in water",
    FI,
    "15121",
    ("tinned tuna", "canned tuna", "tuna chunks"),
    (("1 can, drained", 165), ("3 oz", 85)),
)
f(
    "tuna_albacore_canned",
    "Tuna, white (albacore), canned in water",
    FI,
    "15126",
    ("albacore", "white tuna"),
    (("1 can, drained", 172), ("3 oz", 85)),
)
f(
    "tuna_fresh_cooked",
    "Tuna steak, bluefin, cooked",
    FI,
    "15118",
    ("tuna steak", "fresh tuna"),
    (("3 oz", 85), ("1 steak (150 g)", 150)),
    tags=FF,
)
f(
    "cod_cooked",
    "Cod, Atlantic, cooked",
    FI,
    "15016",
    ("cod", "cod fillet"),
    (("1 fillet", 180), ("3 oz", 85)),
)
f("haddock_cooked", "Haddock, cooked", FI, "15034", ("haddock",), (("1 fillet", 150), ("3 oz", 85)))
f(
    "pollock_cooked",
    "Pollock, Alaska, cooked",
    FI,
    "15067",
    ("pollock", "pollack", "coley"),
    (("1 fillet", 60), ("3 oz", 85)),
)
f("tilapia_cooked", "Tilapia, cooked", FI, "15262", ("tilapia",), (("1 fillet", 87),))
f(
    "halibut_cooked",
    "Halibut, cooked",
    FI,
    "15037",
    ("halibut",),
    (("1/2 fillet", 159), ("3 oz", 85)),
)
f(
    "fish_sticks",
    "Fish fingers (fish sticks)",
    FI,
    "15027",
    ("fish fingers", "fish sticks"),
    (("1 stick", 28), ("1 piece (large)", 57)),
)
f(
    "shrimp_cooked",
    "Prawns (shrimp), cooked",
    FI,
    "15151",
    ("prawns", "shrimp", "king prawns"),
    (("3 oz", 85), ("4 large", 22)),
)
f("mussels_cooked", "Mussels, cooked", FI, "15165", ("mussels", "blue mussels"), (("3 oz", 85),))
f(
    "crab_cooked",
    "Crab, blue, cooked",
    FI,
    "15140",
    ("crab", "crabmeat"),
    (("3 oz", 85), ("1 cup, flaked", 118)),
)

# ============================== eggs ==============================
f(
    "egg_whole_raw",
    "Egg, whole",
    "eggs",
    "01123",
    ("egg", "eggs", "hen's egg"),
    (("1 large egg", 50), ("1 medium egg", 44), ("1 extra large egg", 56)),
)
f(
    "egg_boiled",
    "Egg, hard-boiled",
    "eggs",
    "01129",
    ("boiled egg", "hard boiled egg"),
    (("1 large egg", 50),),
)
f(
    "egg_scrambled",
    "Eggs, scrambled",
    "eggs",
    "01132",
    ("scrambled eggs",),
    (("1 large egg", 61), ("1 cup", 220)),
)
f("egg_fried", "Egg, fried", "eggs", "01128", ("fried egg",), (("1 large egg", 46),))
f("egg_white", "Egg white", "eggs", "01124", ("egg whites",), (("1 large egg white", 33),))

# ============================== meat ==============================
M = "meat"
f(
    "chicken_breast_roasted",
    "Chicken breast, roasted, no skin",
    M,
    "05064",
    ("chicken breast", "chicken", "grilled chicken"),
    (("1/2 breast", 86), ("3 oz", 85), ("1 cup, diced", 140)),
)
f(
    "chicken_thigh_roasted",
    "Chicken thigh, roasted, no skin",
    M,
    "05098",
    ("chicken thigh",),
    (("3 oz", 85), ("1 thigh, skin removed", 116)),
)
f(
    "chicken_drumstick",
    "Chicken drumstick, rotisserie, no skin",
    M,
    "05343",
    ("chicken leg", "drumstick"),
    (("1 drumstick", 53),),
)
f(
    "chicken_roasted_with_skin",
    "Roast chicken, meat and skin",
    M,
    "05009",
    ("roast chicken", "rotisserie chicken"),
    (("3 oz", 85), ("1 cup, diced", 140)),
)
f(
    "chicken_wings",
    "Chicken wings, roasted",
    M,
    "05103",
    ("wings", "chicken wing"),
    (("1 piece", 85),),
)
f("chicken_liver", "Chicken liver, cooked", M, "05028", ("chicken livers",), (("1 liver", 44),))
f(
    "turkey_roasted",
    "Turkey, roasted, meat only",
    M,
    "05168",
    ("turkey", "roast turkey"),
    (("3 oz", 85), ("1 slice", 28)),
)
f(
    "turkey_breast_deli",
    "Turkey breast, sliced (deli)",
    M,
    "07081",
    ("turkey slices", "deli turkey", "sliced turkey"),
    (("1 slice", 15),),
)
f(
    "beef_ground_85_cooked",
    "Beef mince / ground beef (85% lean), cooked",
    M,
    "23568",
    ("mince", "beef mince", "ground beef", "hamburger patty", "minced beef"),
    (("3 oz", 85), ("1 patty", 77)),
)
f(
    "beef_ground_90_cooked",
    "Lean beef mince (90% lean), cooked",
    M,
    "23565",
    ("lean mince", "lean ground beef"),
    (("3 oz", 85),),
)
f(
    "beef_sirloin_steak",
    "Sirloin steak, broiled",
    M,
    "13932",
    ("steak", "sirloin", "beef steak"),
    (("3 oz", 85), ("1 steak (200 g)", 200)),
)
f("beef_ribeye_steak", "Rib-eye steak, grilled", M, "23100", ("ribeye", "rib eye"), (("3 oz", 85),))
f(
    "beef_roast",
    "Roast beef (eye of round)",
    M,
    "13878",
    ("roast beef", "beef roast"),
    (("3 oz", 85), ("1 slice", 30)),
)
f(
    "beef_liver",
    "Beef liver, pan-fried",
    M,
    "13327",
    ("liver", "ox liver", "calf liver"),
    (("1 slice", 81),),
)
f(
    "pork_chop",
    "Pork chop, broiled",
    M,
    "10038",
    ("pork chop", "pork loin"),
    (("3 oz", 85), ("1 chop", 140)),
)
f(
    "pork_ground_cooked",
    "Pork mince / ground pork, cooked",
    M,
    "10220",
    ("pork mince", "ground pork"),
    (("3 oz", 85),),
)
f(
    "bacon_cooked",
    "Bacon, cooked",
    M,
    "10862",
    ("bacon", "streaky bacon", "rashers"),
    (("1 slice", 11.5), ("3 slices", 34.5)),
)
f("ham", "Ham, roasted", M, "10136", ("ham", "gammon"), (("3 oz", 85), ("1 slice", 28)))
f(
    "sausage_pork",
    "Pork sausage, smoked link",
    M,
    "07074",
    ("sausage", "banger", "pork sausage"),
    (("1 link", 68), ("1 small link", 16)),
)
f(
    "hot_dog",
    "Hot dog (beef frankfurter)",
    M,
    "07945",
    ("frankfurter", "hot dog", "wiener"),
    (("1 frankfurter", 48),),
)
f(
    "lamb_ground_cooked",
    "Lamb mince, cooked",
    M,
    "17225",
    ("lamb mince", "ground lamb", "lamb"),
    (("3 oz", 85),),
)

# ============================== legumes ==============================
L = "legumes"
LEG = ("legume",)
f(
    "kidney_beans_cooked",
    "Red kidney beans, cooked",
    L,
    "16033",
    ("kidney beans", "red beans"),
    (("1 cup", 177), ("1/2 cup", 89)),
    {"soluble_fiber": 177},
    LEG,
    (BEANS,),
)
f(
    "kidney_beans_canned",
    "Kidney beans, canned",
    L,
    "16029",
    ("tinned kidney beans",),
    (("1 cup", 256), ("1/2 cup", 128)),
    {"soluble_fiber": 256},
    LEG,
    (BEANS,),
)
f(
    "black_beans_cooked",
    "Black beans, cooked",
    L,
    "16015",
    ("black beans", "turtle beans"),
    (("1 cup", 172), ("1/2 cup", 86)),
    {"soluble_fiber": 172},
    LEG,
    (BEANS,),
)
f(
    "navy_beans_cooked",
    "Navy beans (haricot), cooked",
    L,
    "16038",
    ("haricot beans", "navy beans", "pea beans"),
    (("1 cup", 182),),
    {"soluble_fiber": 182},
    LEG,
    (BEANS,),
)
f(
    "pinto_beans_cooked",
    "Pinto beans, cooked",
    L,
    "16043",
    ("pinto beans",),
    (("1 cup", 171), ("1/2 cup", 86)),
    {"soluble_fiber": 171},
    LEG,
    (BEANS,),
)
f(
    "great_northern_beans_cooked",
    "Great Northern beans, cooked",
    L,
    "16025",
    ("great northern beans",),
    (("1 cup", 177),),
    {"soluble_fiber": 177},
    LEG,
    (BEANS,),
)
f(
    "white_beans_cooked",
    "White beans (cannellini), cooked",
    L,
    "16050",
    ("cannellini beans", "white beans", "butter beans (white)"),
    (("1 cup", 179),),
    {"soluble_fiber": 179},
    LEG,
    (BEANS,),
)
f(
    "lima_beans_cooked",
    "Lima beans (butter beans), cooked",
    L,
    "16072",
    ("butter beans", "lima beans"),
    (("1 cup", 188),),
    {"soluble_fiber": 188},
    LEG,
    (BEANS,),
)
f(
    "chickpeas_cooked",
    "Chickpeas, cooked",
    L,
    "16057",
    ("chickpeas", "garbanzo beans", "garbanzos", "chana", "bengal gram"),
    (("1 cup", 164), ("1/2 cup", 82)),
    {"soluble_fiber": 164},
    LEG,
    (BEANS,),
)
f(
    "lentils_cooked",
    "Lentils, cooked",
    L,
    "16070",
    ("lentils", "green lentils", "brown lentils", "dal", "dhal"),
    (("1 cup", 198), ("1/2 cup", 99)),
    {"soluble_fiber": 198},
    LEG,
    (BEANS,),
)
f(
    "red_lentils_raw",
    "Red lentils, dry",
    L,
    "16144",
    ("red lentils", "masoor dal", "pink lentils"),
    (("1/4 cup, dry", 48), ("1 cup, dry", 192)),
    {"soluble_fiber": 80},
    LEG,
    (BEANS + " (80 g dry lentils cook to about 1 cup)",),
)
f(
    "split_peas_cooked",
    "Split peas, cooked",
    L,
    "16086",
    ("split peas", "yellow split peas"),
    (("1 cup", 196),),
    {"soluble_fiber": 196},
    LEG,
    (BEANS,),
)
f(
    "baked_beans",
    "Baked beans, canned",
    L,
    "16006",
    ("baked beans", "beans on toast beans"),
    (("1 cup", 254), ("1/2 can (200 g)", 200)),
    {"soluble_fiber": 254},
    LEG,
    (BEANS,),
)
f(
    "refried_beans",
    "Refried beans, canned",
    L,
    "16103",
    ("refried beans", "frijoles refritos"),
    (("1/2 cup", 119), ("1 cup", 238)),
    {"soluble_fiber": 238},
    LEG,
    (BEANS,),
)
f(
    "hummus",
    "Hummus",
    L,
    "16158",
    ("houmous", "hummous", "chickpea dip"),
    (("2 tbsp", 30), ("1 tbsp", 15), ("1/4 cup", 62)),
    tags=LEG,
)

# ============================== soy ==============================
S = "soy"
f(
    "natto",
    "Natto (fermented soybeans)",
    S,
    "16113",
    ("natto", "nattō", "fermented soybeans"),
    (("1 pack (45 g)", 45), ("1 cup", 175), ("3 oz", 85)),
    {"soluble_fiber": 175},
    ("legume", "fermented"),
    (NIH_K_NATTO, BEANS),
    {"vitamin_k_mcg": (1020.0, NIH_K_NATTO)},
)
f(
    "tofu_firm",
    "Tofu, firm (calcium-set)",
    S,
    "16426",
    ("tofu", "bean curd", "firm tofu", "calcium-set tofu"),
    (("1/2 cup", 126), ("1/4 block", 81), ("100 g", 100)),
    tags=("legume", "dairy_or_fortified"),
)
f(
    "tofu_regular",
    "Tofu, regular/silken-style (calcium-set)",
    S,
    "16427",
    ("soft tofu", "regular tofu"),
    (("1/2 cup", 124), ("1/4 block", 116)),
    tags=("legume", "dairy_or_fortified"),
)
f(
    "tempeh",
    "Tempeh",
    S,
    "16114",
    ("tempe",),
    (("1 cup", 166), ("3 oz", 85)),
    tags=("legume", "fermented"),
)
f(
    "soybeans_cooked",
    "Soybeans, cooked",
    S,
    "16109",
    ("soy beans", "soya beans"),
    (("1 cup", 172), ("1/2 cup", 86)),
    {"soluble_fiber": 172},
    LEG,
    (BEANS,),
)
f("miso", "Miso", S, "16112", ("miso paste",), (("1 tbsp", 17),), tags=("fermented",))
f(
    "soy_sauce",
    "Soy sauce",
    S,
    "16123",
    ("shoyu", "soya sauce"),
    (("1 tbsp", 16), ("1 tsp", 5.3)),
    tags=("fermented",),
)

# ============================== nuts and seeds ==============================
N = "nuts_seeds"
NS = ("nut_or_seed",)
f(
    "walnuts",
    "Walnuts",
    N,
    "12155",
    ("walnut", "english walnuts"),
    (("1 oz (14 halves)", 28.35), ("1 handful (30 g)", 30), ("1 cup, chopped", 117)),
    tags=NS,
)
f(
    "almonds",
    "Almonds",
    N,
    "12061",
    ("almond",),
    (("1 oz (23 almonds)", 28.35), ("1 handful (30 g)", 30), ("1 cup, whole", 143)),
    {"mufa": 42},
    NS,
    (NUTS,),
)
f(
    "almonds_roasted",
    "Almonds, dry roasted",
    N,
    "12063",
    ("roasted almonds",),
    (("1 oz", 28.35),),
    {"mufa": 42},
    NS,
    (NUTS,),
)
f(
    "cashews",
    "Cashews, dry roasted",
    N,
    "12085",
    ("cashew nuts", "cashew"),
    (("1 oz", 28.35), ("1 handful (30 g)", 30)),
    {"mufa": 42},
    NS,
    (NUTS,),
)
f(
    "brazil_nuts",
    "Brazil nuts",
    N,
    "12078",
    ("brazil nut",),
    (("1 kernel", 5), ("1 oz (6 kernels)", 28.35)),
    tags=NS,
)
f(
    "hazelnuts",
    "Hazelnuts",
    N,
    "12120",
    ("filberts", "cobnuts"),
    (("1 oz (21 kernels)", 28.35),),
    {"mufa": 42},
    NS,
    (NUTS,),
)
f(
    "pistachios",
    "Pistachios, dry roasted",
    N,
    "12152",
    ("pistachio",),
    (("1 oz (49 kernels)", 28.35),),
    {"mufa": 42},
    NS,
    (NUTS,),
)
f(
    "pecans",
    "Pecans",
    N,
    "12142",
    ("pecan",),
    (("1 oz (19 halves)", 28.35),),
    {"mufa": 42},
    NS,
    (NUTS,),
)
f(
    "macadamias",
    "Macadamia nuts",
    N,
    "12131",
    ("macadamia",),
    (("1 oz (10-12 kernels)", 28.35),),
    {"mufa": 42},
    NS,
    (NUTS,),
)
f(
    "pine_nuts",
    "Pine nuts",
    N,
    "12147",
    ("pignoli", "pinon"),
    (("1 tbsp", 8.6), ("1 oz", 28.35)),
    tags=NS,
)
f(
    "mixed_nuts",
    "Mixed nuts, dry roasted",
    N,
    "12135",
    ("mixed nuts", "nuts"),
    (("1 oz", 28.35), ("1 handful (30 g)", 30)),
    {"mufa": 42},
    NS,
    (NUTS,),
)
f(
    "peanuts",
    "Peanuts, dry roasted",
    N,
    "16390",
    ("peanut", "groundnuts", "monkey nuts"),
    (("1 oz", 28.35), ("1 handful (30 g)", 30)),
    {"mufa": 42},
    NS,
    (NUTS,),
)
f(
    "peanut_butter",
    "Peanut butter, smooth",
    N,
    "16098",
    ("peanut butter", "pb"),
    (("2 tbsp", 32), ("1 tbsp", 16)),
    tags=NS,
)
f("almond_butter", "Almond butter", N, "12195", ("almond butter",), (("1 tbsp", 16),), tags=NS)
f(
    "chestnuts_roasted",
    "Chestnuts, roasted",
    N,
    "12167",
    ("chestnut",),
    (("10 kernels", 84), ("1 oz", 28.35)),
    tags=NS,
)
f(
    "coconut_dried",
    "Coconut, desiccated",
    N,
    "12108",
    ("desiccated coconut", "dried coconut"),
    (("1 oz", 28.35), ("1 tbsp", 5)),
)
f(
    "flaxseed",
    "Flaxseed (linseed)",
    N,
    "12220",
    ("linseed", "flax", "flax seeds", "ground flaxseed", "milled linseed"),
    (("1 tbsp, ground", 7), ("1 tbsp, whole", 10.3), ("1 tsp, whole", 3.4)),
    tags=NS,
)
f(
    "chia_seeds",
    "Chia seeds",
    N,
    "12006",
    ("chia",),
    (("1 tbsp", 12), ("1 oz", 28.35)),
    tags=NS,
    src=("Portion 1 tbsp = 12 g: 1 oz (28.35 g) is about 2.5 tbsp",),
)
f(
    "pumpkin_seeds",
    "Pumpkin seeds (pepitas)",
    N,
    "12014",
    ("pepitas", "pumpkin seeds"),
    (("1 oz", 28.35), ("1 tbsp", 8.6)),
    tags=NS,
)
f(
    "sunflower_seeds",
    "Sunflower seeds",
    N,
    "12036",
    ("sunflower kernels",),
    (("1 tbsp", 9), ("1 oz", 28.35)),
    tags=NS,
)
f("sesame_seeds", "Sesame seeds", N, "12023", ("sesame",), (("1 tbsp", 9),), tags=NS)
f(
    "tahini",
    "Tahini",
    N,
    "12166",
    ("tahina", "sesame paste", "sesame butter"),
    (("1 tbsp", 15),),
    tags=NS,
)
f(
    "hemp_seeds",
    "Hemp seeds, hulled",
    N,
    "12012",
    ("hemp hearts",),
    (("3 tbsp", 30), ("1 tbsp", 10)),
    tags=NS,
)

# ============================== grains ==============================
G = "grains"
WG = ("whole_grain",)
f(
    "oats_rolled_dry",
    "Oats, rolled, dry",
    G,
    "08120",
    ("oats", "rolled oats", "porridge oats", "oatmeal (dry)", "quick oats"),
    (("1/2 cup", 40), ("1/3 cup", 27), ("1 cup", 81)),
    {"soluble_fiber": 40},
    WG,
    (OATS,),
)
f(
    "porridge_cooked",
    "Porridge (oatmeal), cooked with water",
    G,
    "08121",
    ("porridge", "oatmeal", "cooked oats", "hot oats"),
    (("1 cup", 234), ("3/4 cup", 175), ("1 bowl", 234)),
    {"soluble_fiber": 234},
    WG,
    (OATS + " (40 g dry oats make about 1 cup cooked)",),
)
f(
    "instant_oatmeal_dry",
    "Instant oatmeal, plain, dry",
    G,
    "08122",
    ("instant oats", "oatmeal packet"),
    (("1 packet", 28),),
    {"soluble_fiber": 40},
    WG,
    (OATS,),
)
f(
    "oat_bran",
    "Oat bran, raw",
    G,
    "20033",
    ("oat bran",),
    (("1/4 cup", 24), ("1 cup", 94)),
    {"soluble_fiber": 40},
    src=(OATS,),
)
f(
    "barley_pearled_raw",
    "Barley, pearled, dry",
    G,
    "20005",
    ("pearl barley", "barley"),
    (("1/4 cup", 50), ("1 cup", 200)),
    {"soluble_fiber": 50},
    src=(BARLEY,),
)
f(
    "barley_pearled_cooked",
    "Barley, pearled, cooked",
    G,
    "20006",
    ("cooked barley",),
    (("1 cup", 157), ("1/2 cup", 79)),
    {"soluble_fiber": 157},
    src=(BARLEY,),
)
f(
    "muesli",
    "Muesli",
    G,
    "08286",
    ("muesli", "swiss muesli"),
    (("2/3 cup", 55),),
    tags=WG,
    src=("SR28 has no generic muesli; a branded muesli (Kellogg's Mueslix) stands in",),
)
f(
    "granola",
    "Granola",
    G,
    "08037",
    ("granola", "crunchy oat cereal"),
    (("1/2 cup", 61), ("1 oz", 28.35)),
    tags=WG,
)
f(
    "cheerios",
    "Toasted oat cereal rings (Cheerios)",
    G,
    "08013",
    ("cheerios", "oat rings"),
    (("1 cup", 28),),
    tags=WG,
)
f("corn_flakes", "Corn flakes", G, "08020", ("cornflakes",), (("1 cup", 28),))
f(
    "bran_flakes",
    "Bran cereal (All-Bran)",
    G,
    "08001",
    ("all-bran", "bran cereal"),
    (("1/2 cup", 31),),
    tags=WG,
)
f(
    "raisin_bran",
    "Raisin bran cereal",
    G,
    "08060",
    ("raisin bran", "sultana bran"),
    (("1 cup", 59),),
    tags=WG,
)
f(
    "shredded_wheat",
    "Shredded wheat",
    G,
    "08147",
    ("shredded wheat", "wheat biscuits"),
    (("2 biscuits", 47),),
    tags=WG,
)
f(
    "bread_whole_wheat",
    "Wholemeal bread (whole-wheat)",
    G,
    "18075",
    ("wholemeal bread", "whole wheat bread", "brown bread", "wholegrain bread"),
    (("1 slice", 32), ("2 slices", 64)),
    tags=WG,
)
f(
    "bread_white",
    "White bread",
    G,
    "18069",
    ("white bread", "sandwich bread", "toast"),
    (("1 slice", 29), ("2 slices", 58)),
)
f(
    "bread_multigrain",
    "Multigrain bread",
    G,
    "28397",
    ("granary bread", "seeded bread", "multi-grain bread"),
    (("1 slice", 26), ("1 large slice", 41)),
)
f(
    "bread_rye",
    "Rye bread",
    G,
    "18060",
    ("rye bread", "pumpernickel"),
    (("1 slice", 32), ("1 thin slice", 25)),
)
f(
    "bread_sourdough",
    "Sourdough / French bread",
    G,
    "18029",
    ("sourdough", "baguette", "french bread", "crusty bread"),
    (("1 slice (2 oz)", 57), ("1 oz", 28.35)),
    tags=("fermented",),
)
f("bread_oatmeal", "Oatmeal bread", G, "18039", ("oat bread",), (("1 slice", 27),))
f(
    "pita_white",
    "Pitta bread, white",
    G,
    "18041",
    ("pita", "pitta"),
    (("1 large pita", 60), ("1 small pita", 28)),
)
f(
    "pita_whole_wheat",
    "Pitta bread, wholemeal",
    G,
    "18042",
    ("whole wheat pita", "wholemeal pitta"),
    (("1 large pita", 64),),
    tags=WG,
)
f("bagel", "Bagel, plain", G, "18001", ("bagel",), (("1 bagel", 99), ("1 small bagel", 69)))
f("english_muffin", "English muffin", G, "18258", ("english muffin",), (("1 muffin", 57),))
f("croissant", "Croissant", G, "18239", ("croissant",), (("1 medium croissant", 57),))
f(
    "dinner_roll",
    "Bread roll",
    G,
    "18342",
    ("roll", "bun", "dinner roll", "bap", "bread roll"),
    (("1 roll", 28), ("1 hamburger bun", 43)),
)
f(
    "tortilla_flour",
    "Flour tortilla (wrap)",
    G,
    "18364",
    ("wrap", "tortilla wrap", "flour tortilla"),
    (("1 tortilla", 48), ("1 small tortilla", 30)),
)
f("tortilla_corn", "Corn tortilla", G, "18363", ("corn tortilla",), (("1 tortilla", 24),), tags=WG)
f(
    "crackers_whole_wheat",
    "Crackers, whole-wheat",
    G,
    "18235",
    ("triscuits", "wholewheat crackers"),
    (("6 crackers", 28), ("1 cracker", 4.6)),
    tags=WG,
)
f("crackers", "Crackers", G, "18229", ("cream crackers", "saltines", "ritz"), (("5 crackers", 16),))
f(
    "rye_crispbread",
    "Rye crispbread",
    G,
    "18216",
    ("ryvita", "crispbread", "knäckebröd"),
    (("1 crispbread", 10),),
    tags=WG,
)
f(
    "pasta_cooked",
    "Pasta, cooked",
    G,
    "20121",
    ("pasta", "spaghetti", "penne", "macaroni", "noodles"),
    (("1 cup", 124), ("1 portion (180 g)", 180)),
)
f(
    "pasta_whole_wheat_cooked",
    "Wholewheat pasta, cooked",
    G,
    "20125",
    ("whole wheat pasta", "brown pasta", "wholemeal pasta"),
    (("1 cup", 117),),
    tags=WG,
)
f("egg_noodles_cooked", "Egg noodles, cooked", G, "20310", ("egg noodles",), (("1 cup", 160),))
f(
    "rice_noodles_cooked",
    "Rice noodles, cooked",
    G,
    "20134",
    ("rice noodles", "vermicelli"),
    (("1 cup", 176),),
)
f(
    "soba_noodles_cooked",
    "Soba noodles, cooked",
    G,
    "20115",
    ("soba", "buckwheat noodles"),
    (("1 cup", 114),),
)
f(
    "white_rice_cooked",
    "White rice, cooked",
    G,
    "20045",
    ("rice", "white rice", "basmati", "long-grain rice"),
    (("1 cup", 158), ("1/2 cup", 79)),
)
f(
    "brown_rice_cooked",
    "Brown rice, cooked",
    G,
    "20037",
    ("brown rice", "wholegrain rice"),
    (("1 cup", 202), ("1/2 cup", 101)),
    tags=WG,
)
f("wild_rice_cooked", "Wild rice, cooked", G, "20089", ("wild rice",), (("1 cup", 164),), tags=WG)
f(
    "quinoa_cooked",
    "Quinoa, cooked",
    G,
    "20137",
    ("quinoa",),
    (("1 cup", 185), ("1/2 cup", 92)),
    tags=WG,
)
f(
    "bulgur_cooked",
    "Bulgur wheat, cooked",
    G,
    "20013",
    ("bulgur", "bulghur", "cracked wheat"),
    (("1 cup", 182),),
    tags=WG,
)
f("couscous_cooked", "Couscous, cooked", G, "20029", ("couscous",), (("1 cup", 157),))
f(
    "buckwheat_cooked",
    "Buckwheat groats, cooked",
    G,
    "20010",
    ("buckwheat", "kasha"),
    (("1 cup", 168),),
    tags=WG,
)
f("millet_cooked", "Millet, cooked", G, "20032", ("millet",), (("1 cup", 174),), tags=WG)
f(
    "cornmeal_whole",
    "Cornmeal, whole-grain",
    G,
    "20020",
    ("polenta (dry)", "maize meal"),
    (("1/4 cup", 30), ("1 cup", 122)),
    tags=WG,
)
f("grits_cooked", "Grits, cooked", G, "08091", ("grits", "hominy grits"), (("1 cup", 257),))
f(
    "flour_white",
    "Wheat flour, white",
    G,
    "20081",
    ("plain flour", "all-purpose flour"),
    (("1 cup", 125), ("1 tbsp", 7.8)),
)
f(
    "pancakes",
    "Pancakes",
    G,
    "18293",
    ("pancake", "hotcakes", "flapjacks (US)"),
    (("1 pancake (4 in)", 38), ("1 pancake (6 in)", 77)),
)
f("waffles", "Waffles, frozen, toasted", G, "18403", ("waffle", "eggo"), (("1 waffle", 33),))
f(
    "popcorn_air_popped",
    "Popcorn, air-popped",
    G,
    "19034",
    ("popcorn",),
    (("1 cup", 8), ("1 oz", 28.35)),
    tags=WG,
)

# ============================== oils and fats ==============================
OF = "oils_fats"
f(
    "olive_oil",
    "Olive oil",
    OF,
    "04053",
    ("olive oil", "extra virgin olive oil", "evoo"),
    (("1 tbsp", 13.5), ("1 tsp", 4.5), ("1.5 tbsp", 20)),
    {"mufa": 20, "polyphenol": 20},
    src=(OLIVE, SEED_POLY + "; serving set to the same 20 g as the MUFA serving"),
)
f(
    "canola_oil",
    "Canola (rapeseed) oil",
    OF,
    "04582",
    ("rapeseed oil", "canola oil", "vegetable oil"),
    (("1 tbsp", 14), ("1 tsp", 4.5)),
    {"mufa": 19},
    src=(CANOLA,),
)
f(
    "sunflower_oil_high_oleic",
    "Sunflower oil, high-oleic",
    OF,
    "04584",
    ("high oleic sunflower oil",),
    (("1 tbsp", 14),),
    {"mufa": 20},
    src=(OLIVE,),
)
f(
    "avocado_oil",
    "Avocado oil",
    OF,
    "04581",
    ("avocado oil",),
    (("1 tbsp", 14),),
    {"mufa": 20},
    src=(OLIVE,),
)
f("soybean_oil", "Soybean oil", OF, "04044", ("soya oil", "soybean oil"), (("1 tbsp", 13.6),))
f("coconut_oil", "Coconut oil", OF, "04047", ("coconut oil",), (("1 tbsp", 13.6),))
f(
    "flaxseed_oil",
    "Flaxseed (linseed) oil",
    OF,
    "42231",
    ("linseed oil", "flax oil"),
    (("1 tbsp", 13.6), ("1 tsp", 4.5)),
)
f(
    "butter",
    "Butter, salted",
    OF,
    "01001",
    ("butter",),
    (("1 tbsp", 14.2), ("1 pat", 5), ("1 tsp", 4.7)),
)
f("butter_unsalted", "Butter, unsalted", OF, "01145", ("unsalted butter",), (("1 tbsp", 14.2),))
f(
    "margarine_spread",
    "Vegetable oil spread (60% fat)",
    OF,
    "04694",
    ("margarine", "spread", "flora", "low-fat spread"),
    (("1 tbsp", 14), ("1 tsp", 4.8)),
)
f(
    "mayonnaise",
    "Mayonnaise",
    OF,
    "04025",
    ("mayo", "mayonnaise"),
    (("1 tbsp", 13.8), ("1 packet", 10)),
)
f(
    "italian_dressing",
    "Italian salad dressing",
    OF,
    "04114",
    ("salad dressing", "vinaigrette"),
    (("1 tbsp", 14.7), ("2 tbsp", 29.4)),
)

# ============================== beverages ==============================
B = "beverages"
f(
    "green_tea",
    "Green tea, brewed",
    B,
    "14278",
    ("green tea", "sencha", "matcha tea (brewed)"),
    (("1 cup (240 ml)", 245), ("1 mug (300 ml)", 300)),
    {"polyphenol": 245},
    src=(SEED_POLY + "; one cup (245 g) = one serving",),
)
f(
    "black_tea",
    "Black tea, brewed",
    B,
    "14355",
    ("tea", "black tea", "builder's tea", "english breakfast"),
    (("1 cup (240 ml)", 237), ("1 mug (300 ml)", 300)),
)
f(
    "herbal_tea",
    "Herbal tea, brewed",
    B,
    "14381",
    ("herbal tea", "fruit tea", "tisane", "peppermint tea"),
    (("1 cup", 237),),
)
f(
    "coffee_brewed",
    "Coffee, brewed",
    B,
    "14209",
    ("coffee", "filter coffee", "black coffee"),
    (("1 cup (240 ml)", 237), ("1 mug (300 ml)", 300)),
)
f(
    "espresso",
    "Espresso",
    B,
    "14210",
    ("espresso", "shot of espresso"),
    (("1 shot (30 ml)", 30), ("1 double shot", 60)),
)
f(
    "water",
    "Water, tap",
    B,
    "14411",
    ("water", "tap water"),
    (("1 glass (250 ml)", 250), ("1 cup", 237), ("1 litre", 1000)),
)
f(
    "cola",
    "Cola",
    B,
    "14148",
    ("coke", "soda", "pop", "soft drink"),
    (("1 can (12 fl oz)", 370), ("1 glass (250 ml)", 256)),
)
f(
    "lemonade_soda",
    "Lemon-lime soda",
    B,
    "14144",
    ("lemonade (fizzy)", "sprite", "7up"),
    (("1 can (12 fl oz)", 368),),
)
f("red_wine", "Red wine", B, "14096", ("wine", "red wine"), (("1 glass (5 fl oz)", 147),))
f("white_wine", "White wine", B, "14106", ("white wine",), (("1 glass (5 fl oz)", 147),))
f(
    "beer",
    "Beer, regular",
    B,
    "14003",
    ("beer", "lager", "ale"),
    (("1 can (12 fl oz)", 356), ("1 pint (UK)", 580)),
)
f(
    "hot_chocolate",
    "Hot chocolate (made with milk)",
    B,
    "01105",
    ("hot cocoa", "cocoa drink"),
    (("1 cup", 250),),
    tags=DF,
)
f(
    "vegetable_juice",
    "Vegetable juice (V8-style)",
    B,
    "11578",
    ("v8", "vegetable juice cocktail"),
    (("1 cup", 253),),
    {"polyphenol": 152},
    src=(WHO_JUICE,),
)

# ============================== sweets ==============================
SW = "sweets"
f(
    "dark_chocolate_70_85",
    "Dark chocolate, 70-85% cocoa",
    SW,
    "19904",
    ("dark chocolate", "plain chocolate", "bittersweet chocolate", "70% chocolate"),
    (("1 oz", 28.35), ("1 square (10 g)", 10), ("1 bar (101 g)", 101)),
    {"polyphenol": 28.35},
    src=(SEED_POLY + "; 1 oz (28 g, SR28 portion) = one serving",),
)
f(
    "dark_chocolate_60_69",
    "Dark chocolate, 60-69% cocoa",
    SW,
    "19903",
    ("semisweet dark chocolate",),
    (("1 oz", 28.35), ("1 square (10 g)", 10)),
    {"polyphenol": 28.35},
    src=(SEED_POLY + "; 1 oz (28 g, SR28 portion) = one serving",),
)
f(
    "milk_chocolate",
    "Milk chocolate",
    SW,
    "19120",
    ("chocolate", "chocolate bar"),
    (("1 bar (1.55 oz)", 44), ("1 square", 7)),
)
f(
    "cocoa_powder",
    "Cocoa powder, unsweetened",
    SW,
    "19165",
    ("cocoa", "cacao powder"),
    (("1 tbsp", 5.4),),
)
f("honey", "Honey", SW, "19296", ("honey",), (("1 tbsp", 21), ("1 tsp", 7)))
f(
    "sugar",
    "Sugar, white",
    SW,
    "19335",
    ("sugar", "granulated sugar", "table sugar"),
    (("1 tsp", 4.2), ("1 cube", 2.3), ("1 tbsp", 12.5)),
)
f(
    "jam",
    "Jam (preserves)",
    SW,
    "19297",
    ("jam", "jelly (US)", "preserves", "marmalade"),
    (("1 tbsp", 20), ("1 tsp", 7)),
)
f("maple_syrup", "Maple syrup", SW, "19353", ("maple syrup",), (("1 tbsp", 20),))
f(
    "chocolate_chip_cookie",
    "Chocolate chip cookie",
    SW,
    "18159",
    ("cookie", "biscuit", "choc chip cookie"),
    (("1 cookie", 12.9), ("1 oz", 28.35)),
)
f(
    "chocolate_cake",
    "Chocolate cake, frosted",
    SW,
    "18096",
    ("chocolate cake", "cake"),
    (("1 slice (1/12 cake)", 138), ("1 small slice", 64)),
)
f(
    "blueberry_muffin",
    "Blueberry muffin",
    SW,
    "18274",
    ("muffin", "blueberry muffin"),
    (("1 medium muffin", 113), ("1 small muffin", 66)),
)
f(
    "potato_chips",
    "Potato crisps (chips)",
    "other",
    "19411",
    ("crisps", "potato chips", "chips (US)"),
    (("1 oz bag", 28.35), ("1 small bag (25 g)", 25)),
)
f(
    "tortilla_chips",
    "Tortilla chips",
    "other",
    "19056",
    ("nachos chips", "corn chips"),
    (("1 oz", 28.35),),
)
f("pretzels", "Pretzels", "other", "19047", ("pretzel",), (("1 oz", 28.35), ("10 twists", 60)))
f(
    "granola_bar",
    "Granola bar",
    SW,
    "19015",
    ("cereal bar", "muesli bar", "flapjack bar"),
    (("1 bar", 25),),
)

# ============================== other: mixed dishes, condiments ==============================
OT = "other"
f(
    "pizza_cheese",
    "Pizza, cheese",
    OT,
    "21299",
    ("pizza", "margherita pizza", "cheese pizza"),
    (("1 slice (14 in pizza)", 107), ("1 pizza (14 in)", 853)),
    tags=DF,
)
f(
    "pizza_frozen_cheese",
    "Frozen cheese pizza, cooked",
    OT,
    "21224",
    ("frozen pizza",),
    (("1/3 pizza", 151),),
    tags=DF,
)
f("hamburger", "Hamburger (fast food)", OT, "21108", ("burger", "hamburger"), (("1 sandwich", 97),))
f(
    "cheeseburger",
    "Cheeseburger (fast food)",
    OT,
    "21090",
    ("cheeseburger",),
    (("1 sandwich", 127),),
)
f(
    "lasagna_meat",
    "Lasagne with meat sauce",
    OT,
    "22977",
    ("lasagne", "lasagna"),
    (("1 piece", 255), ("1 cup", 230)),
)
f(
    "macaroni_cheese",
    "Macaroni and cheese",
    OT,
    "22960",
    ("mac and cheese", "macaroni cheese"),
    (("1 cup", 198),),
)
f(
    "chili_con_carne",
    "Chili con carne with beans",
    OT,
    "22904",
    ("chilli", "chili"),
    (("1 cup", 242),),
)
f(
    "chicken_noodle_soup",
    "Chicken noodle soup",
    OT,
    "06419",
    ("chicken soup",),
    (("1 cup", 248), ("1 bowl (300 g)", 300)),
)
f(
    "tomato_soup",
    "Tomato soup (made with milk)",
    OT,
    "06359",
    ("cream of tomato soup", "tomato soup"),
    (("1 cup", 252),),
)
f("vegetable_beef_soup", "Vegetable beef soup", OT, "06471", ("vegetable soup",), (("1 cup", 244),))
f("lentil_soup", "Lentil soup with ham", OT, "06037", ("lentil soup",), (("1 cup", 248),), tags=LEG)
f(
    "ketchup",
    "Ketchup",
    OT,
    "11935",
    ("tomato ketchup", "catsup", "tomato sauce (UK condiment)"),
    (("1 tbsp", 17), ("1 packet", 9)),
)
f("mustard", "Mustard, yellow", OT, "02046", ("mustard",), (("1 tsp", 5),))
f("salsa", "Salsa", OT, "06164", ("salsa", "tomato salsa"), (("2 tbsp", 36), ("1/2 cup", 130)))


# ==============================================================================================


def three_sig(value: float) -> float:
    """Round to 3 significant digits (SR28's precision is rarely better)."""
    if value == 0 or not math.isfinite(value):
        return value
    digits = 2 - math.floor(math.log10(abs(value)))
    rounded = round(value, digits)
    return float(rounded)


def build(sr_dir: Path) -> dict[str, object]:
    usda: dict[str, UsdaFood] = load_foods(sr_dir)
    foods: list[dict[str, object]] = []
    seen: set[str] = set()
    for spec in SPECS:
        if spec.key in seen:
            raise SystemExit(f"duplicate key {spec.key}")
        seen.add(spec.key)
        nutrients: dict[str, float | None] = dict.fromkeys(NUTRIENT_KEYS)
        sources: list[str] = []
        usda_description: str | None = None
        if spec.ndb is not None:
            food = usda[spec.ndb]
            usda_description = food.name
            for key in NUTRIENT_KEYS:
                value = food.nutrients_per_100g[key]
                nutrients[key] = None if value is None else three_sig(value)
            sources.append(f"USDA SR28 NDB {spec.ndb} ({food.name}): nutrient values per 100 g")
        nutrient_sources: dict[str, str] = {}
        for key, (value, source) in spec.over.items():
            if key not in NUTRIENT_KEYS:
                raise SystemExit(f"{spec.key}: unknown nutrient {key}")
            nutrients[key] = value
            nutrient_sources[key] = source
        for source in [*spec.src, *nutrient_sources.values()]:
            if source not in sources:
                sources.append(source)
        if not spec.portions:
            raise SystemExit(f"{spec.key}: no portion")
        foods.append(
            {
                "key": spec.key,
                "name": spec.name,
                "synonyms": spec.syn,
                "food_group": spec.group,
                "usda_ndb_no": spec.ndb,
                "usda_description": usda_description,
                "nutrients_per_100g": nutrients,
                "nutrient_sources": nutrient_sources,
                "portions": [{"label": label, "grams": grams} for label, grams in spec.portions],
                "servings_grams": spec.serv,
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
    parser.add_argument("--sr-dir", type=Path, default=DEFAULT_SR_DIR)
    parser.add_argument("--check", action="store_true", help="fail if the JSON is out of date")
    args = parser.parse_args(argv)
    text = render(build(args.sr_dir))
    if args.check:
        if not OUTPUT.exists() or OUTPUT.read_text(encoding="utf-8") != text:
            print(f"{OUTPUT} is out of date; run tools/build_curated_catalog.py", file=sys.stderr)
            return 1
        return 0
    OUTPUT.write_text(text, encoding="utf-8")
    print(f"wrote {len(SPECS)} foods to {OUTPUT.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
