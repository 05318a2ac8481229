"""The protocol's tables, written once for both engines and the rest of the app (CRAFT.md 12).

Everything here is plain data: the nutrient keys, the activity catalog, the default targets and
safety limits, the components' weights, the flags' order and thresholds, the lab kinds and
their units, and the wording of every explanation, flag and next best action. The Python
engine builds its structures from these rows; `TargetKey`, the lab kinds, the entries contract's
nutrient keys, the CSV columns and the USDA mapping derive from them; and
tools/gen_scoring_tables.py writes them, unchanged, to frontend/src/scoring/tables.gen.ts for
the TypeScript engine (`make test` fails when the two drift apart).

A row is a tuple or a small frozen dataclass of strings, numbers and booleans, so that the
generator can write it to TypeScript as it is; nothing here computes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal, get_args

# --- nutrients ----------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class NutrientRow:
    """A nutrient snapshot key (docs/entries-contract.md) and where it comes from.

    `max_amount` bounds one meal item or dose in the entries contract; `usda` is the SR28
    nutrient number and the factor from its unit to ours; `supplement` says whether a supplement
    form's per-unit snapshot may carry it (catalog/forms.py).
    """

    key: str
    max_amount: float
    usda: tuple[str, float]
    supplement: bool


NUTRIENTS: Final[tuple[NutrientRow, ...]] = (
    NutrientRow(key="energy_kcal", max_amount=20000, usda=("208", 1.0), supplement=False),
    NutrientRow(key="protein_g", max_amount=1000, usda=("203", 1.0), supplement=False),
    NutrientRow(key="calcium_mg", max_amount=5000, usda=("301", 1.0), supplement=True),
    NutrientRow(key="magnesium_mg", max_amount=5000, usda=("304", 1.0), supplement=True),
    NutrientRow(key="vitamin_d_iu", max_amount=100000, usda=("324", 1.0), supplement=True),
    # SR28 430 is vitamin K1 (phylloquinone), in µg.
    NutrientRow(key="vitamin_k_mcg", max_amount=10000, usda=("430", 1.0), supplement=True),
    # SR28 629 (20:5 n-3, EPA) and 621 (22:6 n-3, DHA) are in g: x 1000 to mg.
    NutrientRow(key="epa_mg", max_amount=20000, usda=("629", 1000.0), supplement=True),
    NutrientRow(key="dha_mg", max_amount=20000, usda=("621", 1000.0), supplement=True),
    # SR28 851 is 18:3 n-3 c,c,c (ALA proper); catalog/usda.py falls back to 619 when it is missing.
    NutrientRow(key="ala_g", max_amount=100, usda=("851", 1.0), supplement=True),
    NutrientRow(key="fiber_g", max_amount=200, usda=("291", 1.0), supplement=True),
    NutrientRow(key="mufa_g", max_amount=500, usda=("645", 1.0), supplement=False),
    NutrientRow(key="saturated_fat_g", max_amount=500, usda=("606", 1.0), supplement=False),
)
NUTRIENT_KEYS: Final[tuple[str, ...]] = tuple(n.key for n in NUTRIENTS)
#: Keys a supplement's per-unit snapshot may carry (a subset of NUTRIENT_KEYS).
SUPPLEMENT_NUTRIENT_KEYS: Final[tuple[str, ...]] = tuple(n.key for n in NUTRIENTS if n.supplement)
#: The food groups counted in servings (PROTOCOL.md §2), in display order.
SERVING_GROUPS: Final[tuple[str, ...]] = ("soluble_fiber", "polyphenol", "mufa")

# --- activities (PROTOCOL.md §2) ----------------------------------------------------------------

MUSCLE_GROUPS: Final[tuple[str, ...]] = (
    "legs",
    "hips",
    "back",
    "abdomen",
    "chest",
    "shoulders",
    "arms",
)
FULL_BODY: Final = "full_body"
ACTIVITY_CLASSES: Final[tuple[str, ...]] = (
    "aerobic",
    "weight_bearing_aerobic",
    "resistance",
    "high_impact",
    "low_impact",
)

_LEGS_HIPS = ("legs", "hips")
_UPPER = ("chest", "shoulders", "arms")
_ALL = MUSCLE_GROUPS

#: (key, label, flags, muscle groups). `flags` is a string of letters A W R H L (aerobic,
#: weight-bearing, resistance, high-impact, low-impact). The seed's own examples are here as
#: written: brisk walking, jogging, stair climbing, dancing -> aerobic + weight-bearing; lifting
#: weights, resistance bands, squats, push-ups -> resistance; jumping, plyometrics, high-impact
#: aerobics -> high-impact (+ weight-bearing); swimming, cycling -> aerobic + low-impact; yoga ->
#: low-impact.
ACTIVITIES: Final[tuple[tuple[str, str, str, tuple[str, ...]], ...]] = (
    # Weight-bearing aerobic (seed: brisk walking, jogging, stair climbing, dancing).
    ("brisk_walking", "Brisk walking", "AW", ()),
    ("walking", "Walking", "AW", ()),
    ("nordic_walking", "Nordic walking", "AW", ()),
    ("treadmill_walking", "Treadmill walking", "AW", ()),
    ("jogging", "Jogging", "AW", ()),
    ("running", "Running", "AW", ()),
    ("stair_climbing", "Stair climbing", "AW", ()),
    ("stair_stepper", "Stair stepper machine", "AW", ()),
    ("dancing", "Dancing", "AW", ()),
    ("zumba", "Zumba", "AW", ()),
    ("hiking", "Hiking", "AW", ()),
    ("tennis", "Tennis", "AW", ()),
    ("pickleball", "Pickleball", "AW", ()),
    ("badminton", "Badminton", "AW", ()),
    ("golf", "Golf (walking the course)", "AW", ()),
    ("gardening", "Gardening", "AW", ()),
    ("step_aerobics", "Step aerobics", "AW", ()),
    ("cross_country_skiing", "Cross-country skiing", "AW", ()),
    ("fitness_boxing", "Fitness boxing", "AW", ()),
    ("elliptical", "Elliptical trainer", "AWL", ()),
    ("low_impact_aerobics", "Low-impact aerobics", "AWL", ()),
    # Resistance (seed: lifting weights, resistance bands, squats, push-ups).
    ("lifting_weights", "Lifting weights", "R", _ALL),
    ("weight_machines", "Weight machines", "R", _ALL),
    ("resistance_bands", "Resistance bands", "R", (*_LEGS_HIPS, "back", *_UPPER)),
    ("squats", "Squats", "R", (*_LEGS_HIPS, "back")),
    ("lunges", "Lunges", "R", _LEGS_HIPS),
    ("step_ups", "Step-ups", "R", _LEGS_HIPS),
    ("push_ups", "Push-ups", "R", (*_UPPER, "abdomen")),
    ("planks", "Planks", "R", ("abdomen", "back", "shoulders")),
    ("bodyweight_exercises", "Bodyweight exercises", "R", _ALL),
    ("kettlebell", "Kettlebell training", "R", (*_LEGS_HIPS, "back", "shoulders", "arms")),
    ("pilates", "Pilates", "RL", ("abdomen", "back", "hips")),
    ("circuit_training", "Circuit training", "AWR", _ALL),
    # High-impact (seed: jumping, plyometrics, high-impact aerobics; "with caution").
    ("jumping", "Jumping", "WH", ()),
    ("plyometrics", "Plyometrics", "WH", ()),
    ("high_impact_aerobics", "High-impact aerobics", "AWH", ()),
    ("jump_rope", "Jump rope", "AWH", ()),
    ("hopping", "Hopping drills", "WH", ()),
    ("basketball", "Basketball", "AWH", ()),
    ("volleyball", "Volleyball", "AWH", ()),
    # Low-impact (seed: swimming, cycling, yoga for joint pain).
    ("swimming", "Swimming", "AL", ()),
    ("water_aerobics", "Water aerobics", "AL", ()),
    ("aqua_jogging", "Aqua jogging", "AL", ()),
    ("cycling", "Cycling", "AL", ()),
    ("stationary_cycling", "Stationary cycling", "AL", ()),
    ("rowing", "Rowing", "AL", ()),
    ("kayaking", "Kayaking", "AL", ()),
    ("yoga", "Yoga", "L", ()),
    ("tai_chi", "Tai chi", "WL", ()),
    ("stretching", "Stretching", "L", ()),
    ("balance_training", "Balance training", "WL", ()),
)

# --- targets and safety limits (PROTOCOL.md §2) -------------------------------------------------

#: Keys a person or care team may override, in protocol order (the profile's `target_overrides`).
TargetKey = Literal[
    "calcium_mg",
    "vitamin_d_iu",
    "magnesium_mg",
    "vitamin_k_mcg",
    "epa_dha_mg",
    "ala_g",
    "fiber_g",
    "soluble_fiber_servings",
    "polyphenol_servings",
    "mufa_servings",
    "weight_bearing_minutes",
    "aerobic_minutes",
    "resistance_days",
    "high_impact_days",
    "low_impact_days",
]
TARGET_KEYS: Final[tuple[str, ...]] = get_args(TargetKey)


@dataclass(frozen=True, kw_only=True)
class TargetRow:
    key: str
    female: float
    male: float
    unit: str
    source: str


def _same(key: str, value: float, unit: str, source: str) -> TargetRow:
    return TargetRow(key=key, female=value, male=value, unit=unit, source=source)


#: One row per TARGET_KEYS entry, in the same order.
DEFAULT_TARGETS: Final[tuple[TargetRow, ...]] = (
    _same(
        "calcium_mg",
        1200,
        "mg/day",
        'seed ("Aim for 1200 mg of elemental calcium per day"); '
        "NIH ODS RDA women 51+ and everyone 71+",
    ),
    _same(
        "vitamin_d_iu",
        1000,
        "IU/day (7-day average)",
        'seed (D3 "1000 to 4000 IU daily"); a 7-day average lets weekly regimens count',
    ),
    TargetRow(
        key="magnesium_mg",
        female=320,
        male=420,
        unit="mg/day",
        source="NIH ODS RDA, ages 51+",
    ),
    TargetRow(
        key="vitamin_k_mcg",
        female=90,
        male=120,
        unit="mcg/day",
        source='NIH ODS AI; seed (K2 MK-7/MK-4 "supplementation is a common strategy")',
    ),
    _same(
        "epa_dha_mg",
        250,
        "mg/day (7-day average)",
        "EFSA adequate intake for adults (about two servings of oily fish a week)",
    ),
    TargetRow(key="ala_g", female=1.1, male=1.6, unit="g/day", source="IOM adequate intake"),
    TargetRow(
        key="fiber_g",
        female=21,
        male=30,
        unit="g/day",
        source="IOM adequate intake, ages 51+",
    ),
    _same(
        "soluble_fiber_servings",
        2,
        "servings/day",
        "seed (oats, barley, apples, beans); FDA: 3 g oat/barley beta-glucan a day",
    ),
    _same(
        "polyphenol_servings",
        5,
        "servings/day",
        "seed (colourful fruit and vegetables, green tea, dark chocolate, olive oil); "
        "WHO >= 400 g fruit and vegetables = 5 x 80 g",
    ),
    _same(
        "mufa_servings",
        1,
        "servings/day",
        "seed (olive oil, avocados); FDA qualified claim: 1.5 tbsp (20 g) oleic-rich oil",
    ),
    _same(
        "weight_bearing_minutes",
        150,
        "minutes in 7 days",
        "seed table; US Physical Activity Guidelines 2018",
    ),
    _same("aerobic_minutes", 150, "minutes in 7 days", "US Physical Activity Guidelines 2018"),
    _same(
        "resistance_days",
        2,
        "days in 7 days",
        'seed ("2-3 sessions per week, targeting all major muscle groups"); '
        "CDC groups: legs, hips, back, abdomen, chest, shoulders, arms",
    ),
    _same(
        "high_impact_days",
        2,
        "days in 7 days",
        'seed ("short bursts... 2-3 times per week", "with caution"); '
        "only when cleared for high impact",
    ),
    _same(
        "low_impact_days",
        2,
        "days in 7 days",
        "seed (swimming, cycling, yoga for joint pain)",
    ),
)

# The upper limits and the per-sitting limits are not targets: they are safety limits from
# NIH ODS and cannot be overridden.
CALCIUM_UPPER_LIMIT_MG: Final = 2000.0
CALCIUM_SITTING_FULL_MG: Final = 500.0
CALCIUM_SITTING_HALF_MG: Final = 600.0
# The one wording of the sitting rule (PROTOCOL.md §2, §3): Today, History, the flag, Learn and
# the care-team report all say it this way, so no screen says "500 mg" where another says "600".
CALCIUM_SITTING_RULE: Final = (
    "up to 500 mg at a time counts in full, up to 600 mg counts half, more counts nothing"
)
VITAMIN_D_SUPPLEMENT_UPPER_LIMIT_IU: Final = 4000.0
MAGNESIUM_SUPPLEMENT_UPPER_LIMIT_MG: Final = 350.0

# --- components (PROTOCOL.md §3) ----------------------------------------------------------------

Domain = Literal["bone", "heart", "joint"]
DOMAINS: Final[tuple[str, ...]] = get_args(Domain)
DOMAIN_WEIGHTS: Final[dict[Domain, float]] = {"bone": 0.45, "heart": 0.35, "joint": 0.20}
#: (key, domain, weight within the domain), in the protocol's table order, which is also the
#: tie-break order of the next best action.
COMPONENT_WEIGHTS: Final[tuple[tuple[str, Domain, float], ...]] = (
    ("calcium_total", "bone", 0.25),
    ("calcium_sittings", "bone", 0.05),
    ("vitamin_d", "bone", 0.15),
    ("vitamin_k", "bone", 0.05),
    ("magnesium", "bone", 0.10),
    ("weight_bearing", "bone", 0.15),
    ("resistance", "bone", 0.15),
    ("high_impact", "bone", 0.10),
    ("epa_dha", "heart", 0.20),
    ("ala", "heart", 0.10),
    ("fiber", "heart", 0.15),
    ("soluble_fiber_foods", "heart", 0.15),
    ("polyphenol_foods", "heart", 0.15),
    ("mufa_foods", "heart", 0.10),
    ("aerobic", "heart", 0.15),
    ("low_impact", "joint", 0.30),
    ("anti_inflammatory_foods", "joint", 0.30),
    ("symptom_check_in", "joint", 0.15),
    ("healthy_weight", "joint", 0.25),
)

# --- flags (PROTOCOL.md §4) ---------------------------------------------------------------------

#: In the protocol's table order, which is the order a day's flags are listed in.
FLAG_KEYS: Final[tuple[str, ...]] = (
    "calcium_above_ul",
    "calcium_sitting_too_large",
    "calcium_carbonate_without_food",
    "vitamin_d_above_ul",
    "magnesium_supplement_above_ul",
    "vitamin_k_with_anticoagulant",
    "high_impact_not_cleared",
    "vitamin_d_lab_due",
    "vitamin_d_lab_low",
    "vitamin_d_lab_high",
    "lipids_lab_due",
    "bone_density_due",
    "joint_pain_high",
    "medication_missed",
)
VITAMIN_D_LAB_WINDOW_DAYS: Final = 180
LIPIDS_LAB_WINDOW_DAYS: Final = 365
BONE_DENSITY_WINDOW_DAYS: Final = 730
VITAMIN_D_LAB_LOW_NG_ML: Final = 30.0
VITAMIN_D_LAB_HIGH_NG_ML: Final = 50.0
JOINT_PAIN_HIGH: Final = 7
JOINT_PAIN_HIGH_DAYS: Final = 3

# --- reference ranges for display (PROTOCOL.md §7, never scored) ---------------------------------

#: The bounds a lab value is read against, in the kind's canonical unit (CANONICAL_UNIT), written
#: once here for the care-team report (reports/service.py) and the app's reading of a result
#: (app/labReading.ts). Vitamin D is read against the flags' 30-50 ng/mL above. "Below" bounds
#: are exclusive (LDL 100 mg/dL is above optimal); the T-score bounds as the WHO writes them.
LDL_OPTIMAL_BELOW_MG_DL: Final = 100.0
TOTAL_CHOLESTEROL_DESIRABLE_BELOW_MG_DL: Final = 200.0
TRIGLYCERIDES_NORMAL_BELOW_MG_DL: Final = 150.0
HDL_LOW_BELOW_MG_DL_MEN: Final = 40.0
HDL_LOW_BELOW_MG_DL_WOMEN: Final = 50.0
T_SCORE_NORMAL_FROM: Final = -1.0
T_SCORE_OSTEOPOROSIS_AT_MOST: Final = -2.5

# --- limits of what a person enters --------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class EntryLimit:
    """Two ranges for one number a person types in, in `unit`. Outside the hard range the
    number cannot be true (a typo, a wrong unit): the API refuses it with a 422 naming the field
    and the rule, and the phone's form refuses it in plain words before it is saved. Outside
    the usual range it can be true but is rare enough to be a slip more often than not (24 hours
    of yoga, 30 000 IU of vitamin D in one dose): the phone asks "Are you sure?" and saves it
    unchanged when she says yes. Nothing is ever clamped or dropped."""

    field: str
    unit: str
    hard_min: float
    hard_max: float
    usual_min: float
    usual_max: float
    #: The hard minimum itself is refused too (a dose of 0 tablets is no dose).
    above_hard_min: bool = False


#: One table for every entry field with a number in it (the API's schemas take their bounds from
#: it, entries/schemas.py; the phone's forms take both ranges from the generated copy,
#: app/limits.ts). Lab rows are in the lab's canonical unit (CANONICAL_UNIT). The hard ranges are
#: the API's limits before this table, none looser; the usual ranges are generous on purpose.
ENTRY_LIMITS: Final[dict[str, EntryLimit]] = {
    "meal_item_grams": EntryLimit(
        field="items[].grams", unit="g", hard_min=0, hard_max=5000, usual_min=0, usual_max=1500
    ),
    "dose_units": EntryLimit(
        field="units",
        unit="tablets or doses",
        hard_min=0,
        hard_max=20,
        usual_min=0.25,
        usual_max=6,
        above_hard_min=True,
    ),
    # Amounts in one supplement dose (a regimen item's one unit, or a dose's total).
    "calcium_mg": EntryLimit(
        field="nutrients.calcium_mg",
        unit="mg",
        hard_min=0,
        hard_max=5000,
        usual_min=0,
        usual_max=1000,
    ),
    "magnesium_mg": EntryLimit(
        field="nutrients.magnesium_mg",
        unit="mg",
        hard_min=0,
        hard_max=5000,
        usual_min=0,
        usual_max=800,
    ),
    "vitamin_d_iu": EntryLimit(
        field="nutrients.vitamin_d_iu",
        unit="IU",
        hard_min=0,
        hard_max=100000,
        usual_min=0,
        usual_max=10000,
    ),
    "vitamin_k_mcg": EntryLimit(
        field="nutrients.vitamin_k_mcg",
        unit="mcg",
        hard_min=0,
        hard_max=10000,
        usual_min=0,
        usual_max=1000,
    ),
    "epa_mg": EntryLimit(
        field="nutrients.epa_mg",
        unit="mg",
        hard_min=0,
        hard_max=20000,
        usual_min=0,
        usual_max=2000,
    ),
    "dha_mg": EntryLimit(
        field="nutrients.dha_mg",
        unit="mg",
        hard_min=0,
        hard_max=20000,
        usual_min=0,
        usual_max=2000,
    ),
    "fiber_g": EntryLimit(
        field="nutrients.fiber_g", unit="g", hard_min=0, hard_max=200, usual_min=0, usual_max=30
    ),
    "workout_minutes": EntryLimit(
        field="minutes", unit="minutes", hard_min=1, hard_max=1440, usual_min=1, usual_max=240
    ),
    "weight_kg": EntryLimit(
        field="weight_kg", unit="kg", hard_min=20, hard_max=400, usual_min=30, usual_max=250
    ),
    "weight_lb": EntryLimit(
        field="weight_lb", unit="lb", hard_min=44, hard_max=880, usual_min=66, usual_max=550
    ),
    "height_cm": EntryLimit(
        field="height_cm", unit="cm", hard_min=50, hard_max=272, usual_min=120, usual_max=210
    ),
    "worst_pain_0_10": EntryLimit(
        field="worst_pain_0_10", unit="", hard_min=0, hard_max=10, usual_min=0, usual_max=10
    ),
    "morning_stiffness_minutes": EntryLimit(
        field="morning_stiffness_minutes",
        unit="minutes",
        hard_min=0,
        hard_max=1440,
        usual_min=0,
        usual_max=240,
    ),
    "lab_vitamin_d_25oh": EntryLimit(
        field="value", unit="ng/mL", hard_min=1, hard_max=300, usual_min=5, usual_max=150
    ),
    "lab_total_cholesterol": EntryLimit(
        field="value", unit="mg/dL", hard_min=20, hard_max=1500, usual_min=100, usual_max=400
    ),
    "lab_ldl_cholesterol": EntryLimit(
        field="value", unit="mg/dL", hard_min=5, hard_max=1200, usual_min=30, usual_max=300
    ),
    "lab_hdl_cholesterol": EntryLimit(
        field="value", unit="mg/dL", hard_min=5, hard_max=300, usual_min=20, usual_max=120
    ),
    "lab_triglycerides": EntryLimit(
        field="value", unit="mg/dL", hard_min=10, hard_max=10000, usual_min=30, usual_max=1000
    ),
    "lab_dxa_t_score": EntryLimit(
        field="value", unit="T-score", hard_min=-8, hard_max=8, usual_min=-5, usual_max=4
    ),
}


def _target(
    key: str, unit: str, hard: tuple[float, float], usual: tuple[float, float]
) -> EntryLimit:
    return EntryLimit(
        field=f"target_overrides.{key}.value",
        unit=unit,
        hard_min=hard[0],
        hard_max=hard[1],
        usual_min=usual[0],
        usual_max=usual[1],
        above_hard_min=hard[0] == 0,
    )


#: The same two ranges for every target a person or care team may set (the profile's
#: `target_overrides`, in DEFAULT_TARGETS' units), one row per TARGET_KEYS entry. Outside the
#: hard range a target is a slip (calcium 99999 mg a day): the API refuses it (422 naming the
#: field and the rule) and so does the phone. Outside the usual range it may be a care team's
#: advice: the phone asks her to check it with them first and saves it when she says yes.
#: Usual ranges hold every default (female and male) and the common advice around it; the
#: nutrients' hard maxima stay at or near the NIH ODS upper limits' multiples a clinician
#: might still prescribe for a short time.
TARGET_LIMITS: Final[dict[str, EntryLimit]] = {
    "calcium_mg": _target("calcium_mg", "mg/day", (100, 3000), (700, 1500)),
    "vitamin_d_iu": _target("vitamin_d_iu", "IU/day", (100, 10000), (400, 4000)),
    "magnesium_mg": _target("magnesium_mg", "mg/day", (50, 1500), (200, 600)),
    "vitamin_k_mcg": _target("vitamin_k_mcg", "mcg/day", (10, 2000), (50, 300)),
    "epa_dha_mg": _target("epa_dha_mg", "mg/day", (10, 10000), (100, 3000)),
    "ala_g": _target("ala_g", "g/day", (0.1, 20), (0.5, 5)),
    "fiber_g": _target("fiber_g", "g/day", (1, 150), (10, 50)),
    "soluble_fiber_servings": _target("soluble_fiber_servings", "servings/day", (0.5, 20), (1, 5)),
    "polyphenol_servings": _target("polyphenol_servings", "servings/day", (0.5, 30), (2, 10)),
    "mufa_servings": _target("mufa_servings", "servings/day", (0.5, 20), (0.5, 4)),
    "weight_bearing_minutes": _target(
        "weight_bearing_minutes", "minutes in 7 days", (10, 3000), (60, 600)
    ),
    "aerobic_minutes": _target("aerobic_minutes", "minutes in 7 days", (10, 3000), (60, 600)),
    "resistance_days": _target("resistance_days", "days in 7 days", (1, 7), (1, 4)),
    "high_impact_days": _target("high_impact_days", "days in 7 days", (1, 7), (1, 4)),
    "low_impact_days": _target("low_impact_days", "days in 7 days", (1, 7), (1, 5)),
}

# --- labs and units (PROTOCOL.md §6) ------------------------------------------------------------

#: The lab kinds a person may log, each scored in one canonical unit.
LabKind = Literal[
    "vitamin_d_25oh",
    "total_cholesterol",
    "ldl_cholesterol",
    "hdl_cholesterol",
    "triglycerides",
    "dxa_t_score",
]
LAB_KINDS: Final[tuple[str, ...]] = get_args(LabKind)
CANONICAL_UNIT: Final[dict[str, str]] = {
    "vitamin_d_25oh": "ng/mL",
    "total_cholesterol": "mg/dL",
    "ldl_cholesterol": "mg/dL",
    "hdl_cholesterol": "mg/dL",
    "triglycerides": "mg/dL",
    "dxa_t_score": "T-score",
}
IU_PER_MCG_VITAMIN_D: Final = 40.0
NMOL_L_PER_NG_ML_25OHD: Final = 2.496
MMOL_L_PER_MG_DL_CHOLESTEROL: Final = 0.02586
MMOL_L_PER_MG_DL_TRIGLYCERIDES: Final = 0.01129
KG_PER_LB: Final = 0.45359237
ELEMENTAL_CALCIUM_FRACTION: Final[dict[str, float]] = {
    "calcium_carbonate": 0.40,
    "calcium_citrate": 0.21,
}

# --- wording ------------------------------------------------------------------------------------

#: Every sentence the engine writes: component explanations and exclusions, flag messages, next
#: best actions and patterns. `{name}` is filled by `wording.say` with text the engine formats
#: (numbers through `num`, counts through `plural`); a template has no other braces. The keys
#: are `component.<key>`, `flag.<key>`, `action.<key>` and `pattern.*`, with a `.<variant>`
#: suffix where one key says different things in different cases.
WORDING: Final[dict[str, str]] = {
    # components (PROTOCOL.md §3)
    "component.calcium_total": "Calcium {total} of {target} mg today ({parts}).",
    "component.calcium_total.above": "Calcium {total} mg today ({parts}) is above {limit}.",
    "component.calcium_total.parts": "food {food} mg, supplements {supplements} mg",
    "component.calcium_total.upper_limit": "the 2000 mg upper limit",
    "component.calcium_sittings": (
        "Most calcium supplement taken at one time today: {largest} mg ({rule})."
    ),
    "component.calcium_sittings.none": "No calcium supplement today, so no dose was too large.",
    "component.vitamin_d": (
        "Vitamin D averages {average} of {target} IU a day over the last 7 days."
    ),
    "component.vitamin_k": "Vitamin K from food {food} of {target} mcg today.",
    "component.vitamin_k.supplement": "A vitamin K supplement was taken today.",
    "component.vitamin_k.excluded": "Not scored: your profile says you take an anticoagulant.",
    "component.magnesium": "Magnesium {total} of {target} mg today.",
    "component.weight_bearing": (
        "Weight-bearing aerobic: {minutes} of {target} minutes in the last 7 days."
    ),
    "component.resistance": (
        "Strength training on {days} of {target} in the last 7 days, {groups} of 7 muscle groups."
    ),
    "component.high_impact": "High-impact exercise on {days} of {target} in the last 7 days.",
    "component.high_impact.excluded": (
        "Not scored: your profile does not say you are cleared for it."
    ),
    "component.epa_dha": (
        "Omega-3 from fish (EPA + DHA) averages {average} of {target} mg a day over the last "
        "7 days."
    ),
    "component.ala": "ALA (plant omega-3) {total} of {target} g today.",
    "component.fiber": "Fibre {total} of {target} g today.",
    "component.soluble_fiber_foods": (
        "Soluble-fibre foods (oats, barley, apples, beans) today: {servings}; the aim is "
        "{target} a day."
    ),
    "component.polyphenol_foods": (
        "Colourful fruit and vegetables, tea and other polyphenol-rich foods today: {servings}; "
        "the aim is {target} a day."
    ),
    "component.mufa_foods": (
        "Olive oil, avocado and other healthy-fat foods today: {servings}; the aim is {target} "
        "a day."
    ),
    "component.aerobic": "Aerobic activity: {minutes} of {target} minutes in the last 7 days.",
    "component.low_impact": "Low-impact exercise on {days} of {target} in the last 7 days.",
    "component.anti_inflammatory_foods": (
        "Omega-3 from fish (EPA + DHA) {average} of {epa_target} mg a day (7-day average), "
        "and colourful fruit and vegetables today: {servings}; the aim is {poly_target} a day."
    ),
    "component.symptom_check_in": "Joint check-in logged today.",
    "component.symptom_check_in.missing": "No joint check-in logged today.",
    "component.healthy_weight": "BMI {bmi} from your latest weight ({weight} kg).",
    "component.healthy_weight.no_height": "Not scored: no height.",
    "component.healthy_weight.no_weight": "Not scored: no weight in the last 30 days.",
    # shared by a component and a flag
    "calcium.own_target": "your own {limit} mg calcium target",
    # flags (PROTOCOL.md §4)
    "flag.calcium_above_ul": "Calcium today is {total} mg, above {limit}.",
    "flag.calcium_above_ul.upper_limit": "the 2000 mg upper limit for adults 51+",
    "flag.calcium_sitting_too_large": (
        "{largest} mg of calcium supplement at one time, more than 600 mg: calcium is absorbed "
        "best in small amounts ({rule})."
    ),
    "flag.calcium_carbonate_without_food": (
        "Calcium carbonate at {times} with no meal within an hour: carbonate is absorbed best "
        "with food (citrate works either way)."
    ),
    "flag.vitamin_d_above_ul": (
        "Supplement vitamin D averages {average} IU a day over 7 days, above the 4000 IU upper "
        "limit."
    ),
    "flag.magnesium_supplement_above_ul": (
        "Supplement magnesium today is {supplement} mg, above the 350 mg upper limit for "
        "supplements."
    ),
    "flag.vitamin_k_with_anticoagulant": (
        "A vitamin K supplement was logged while your profile says you take an anticoagulant: "
        "vitamin K can change how it works, so please check with your care team."
    ),
    "flag.high_impact_not_cleared": (
        "High-impact exercise was logged today, but your profile does not say you are cleared "
        "for it: please check with your care team first."
    ),
    "flag.vitamin_d_lab_due": (
        "No vitamin D blood test result (25-hydroxyvitamin D) in the last 180 days: testing "
        "guides the dose."
    ),
    "flag.vitamin_d_lab_low": "Your latest vitamin D result is {value} ng/mL, below 30.",
    "flag.vitamin_d_lab_high": "Your latest vitamin D result is {value} ng/mL, above 50.",
    "flag.lipids_lab_due": (
        "No cholesterol or triglyceride result in the last 365 days: anastrozole can raise "
        "cholesterol."
    ),
    "flag.bone_density_due": (
        "No bone density scan result (a DXA scan T-score) in the last two years."
    ),
    "flag.joint_pain_high": (
        "Worst joint pain was 7 or more on {days} of the last 7 days. Please tell your care "
        "team: this pain can often be managed, and exercise helps (150 minutes of aerobic "
        "activity and 2 strength sessions a week cut worst pain by about 29 % in the HOPE trial)."
    ),
    "flag.medication_missed": "No dose of {names} was logged yesterday ({yesterday}).",
    # next best action (PROTOCOL.md §5)
    "action.dose": "your {part} {what} dose ({name})",
    "action.dose.any": "a dose of {name}",
    "action.calcium_total": (
        "Take {dose_label}: {dose} mg would bring calcium to {after} of {target} mg."
    ),
    "action.calcium_total.milk": (
        "Have a glass of milk or fortified soy drink (about {step} mg of calcium): calcium "
        "would go from {total} to {after} of {target} mg."
    ),
    "action.vitamin_d": (
        "Take {dose_label}: {dose} IU would bring your 7-day average to {after} of {target} IU."
    ),
    "action.vitamin_d.log": (
        "Log vitamin D from a supplement or food: {need} IU today would bring your 7-day "
        "average to {target} IU."
    ),
    "action.vitamin_k": "Take your {name}: a vitamin K2 dose gives full vitamin K credit today.",
    "action.vitamin_k.food": (
        "Add {need} mcg of vitamin K from food (a cup of raw spinach has about 145 mcg) to reach "
        "{target} mcg."
    ),
    "action.magnesium": (
        "Take {dose_label}: {dose} mg would bring magnesium to {after} of {target} mg."
    ),
    "action.magnesium.food": (
        "Add {need} mg of magnesium (a handful of almonds has about 80 mg; leafy greens and "
        "beans help too) to reach {target} mg."
    ),
    "action.weight_bearing": (
        "Take a {walk}-minute brisk walk: weight-bearing minutes this week would go from "
        "{minutes} to {after} of {target}."
    ),
    "action.resistance": (
        "Do a 20-minute full-body strength session today (squats, push-ups, bands): strength "
        "days this week would go from {days} to {after} of {target}, with all 7 muscle groups."
    ),
    "action.resistance.groups": (
        "Add a short strength set for your {groups}: muscle groups this week would go from "
        "{trained} to 7 of 7."
    ),
    "action.resistance.today": (
        "Do a strength session today: strength days this week would go from {days} to {after} "
        "of {target}."
    ),
    "action.resistance.again": (
        "Plan a strength session on another day this week: strength days so far {days} of {target}."
    ),
    "action.high_impact.today": (
        "Do a few minutes of jumping or plyometrics today: high-impact days this week would go "
        "from {days} to {after} of {target}."
    ),
    "action.high_impact.again": (
        "Plan a few minutes of jumping or plyometrics on another day this week: high-impact "
        "days so far {days} of {target}."
    ),
    "action.epa_dha": (
        "Eat a portion of oily fish (salmon, mackerel or sardines, about 1500 mg EPA + DHA): "
        "your 7-day average would go from {average} to {after} of {target} mg."
    ),
    "action.ala": (
        "Add {need} g of ALA (a tablespoon of ground flaxseed has about 2.3 g) to reach {target} g."
    ),
    "action.fiber": (
        "Add {need} g of fibre (a cup of cooked beans has about 12 g, a bowl of oats about 4 g) "
        "to reach {target} g."
    ),
    "action.serving": "a serving",
    "action.serving.part": "{step} of a serving",
    "action.soluble_fiber_foods": (
        "Have {amount} of oats, barley, apples or beans: these servings today would go from "
        "{servings} to {after} of {target}."
    ),
    "action.polyphenol_foods": (
        "Have {amount} of colourful fruit or vegetables, green tea or dark chocolate: these "
        "servings today would go from {servings} to {after} of {target}."
    ),
    "action.mufa_foods": (
        "Have {amount} of olive oil, avocado or nuts: these servings today would go from "
        "{servings} to {after} of {target}."
    ),
    "action.aerobic": (
        "Take a {walk}-minute brisk walk or ride: aerobic minutes this week would go from "
        "{minutes} to {after} of {target}."
    ),
    "action.low_impact.today": (
        "Do a swim, bike ride or yoga session today: low-impact days this week would go from "
        "{days} to {after} of {target}."
    ),
    "action.low_impact.again": (
        "Plan a swim, bike ride or yoga session on another day this week: low-impact days so "
        "far {days} of {target}."
    ),
    "action.anti_inflammatory_foods": (
        "Have {amount} of colourful fruit or vegetables: these servings today would go from "
        "{servings} to {after} of {target}."
    ),
    "action.symptom_check_in": (
        "Log today's joint check-in (worst pain 0-10 and morning stiffness): it takes a few "
        "seconds and shows you and your care team how your joints are doing."
    ),
    # patterns (PROTOCOL.md §8)
    "pattern.opening": (
        "Over the last 8 weeks, your worst joint pain averaged {exercise} of 10 on days after "
        "you exercised and {rest} after rest days"
    ),
    "pattern.lower": "{opening}: {difference} points lower after exercise days. {not_proof}",
    "pattern.higher": (
        "{opening}: {difference} points higher after exercise days. {not_proof} Your care team "
        "can help you find exercise that suits your joints."
    ),
    "pattern.no_clear_difference": "{opening}: no clear difference. {not_proof}",
    "pattern.not_proof": "This is a pattern in your log, not proof of cause.",
    "pattern.needed": (
        "To tell whether your joint pain is different after exercise days, we need {parts}, "
        "within the last 8 weeks."
    ),
    "pattern.needed.after_exercise": "{count} on a day after you exercised (20 minutes or more)",
    "pattern.needed.after_rest": "{count} on a day after a rest day",
    "pattern.needed.and": " and ",
}
