"""Default targets (PROTOCOL.md §2) and the person's effective targets after overrides.

Every target is a default the person or their clinician may override in the profile; the
override replaces the value wherever the protocol scores against that target, and the app marks
it "set by my care team" when the override says so. Sex-specific defaults use the profile's sex;
when it is not given, the higher value, so nobody is under-served by a missing answer.

The upper limits and the per-sitting limits are not targets: they are safety limits from NIH ODS
and cannot be overridden.
"""

from __future__ import annotations

from dataclasses import dataclass

from fortify.scoring.model import ScoringProfile, Sex

CALCIUM_UPPER_LIMIT_MG = 2000.0
CALCIUM_SITTING_FULL_MG = 500.0
CALCIUM_SITTING_HALF_MG = 600.0
# The one wording of the sitting rule (PROTOCOL.md §2, §3): Today, History, the flag and the
# care-team report all say it this way, so no screen says "500 mg" where another says "600 mg".
CALCIUM_SITTING_RULE = "full credit up to 500 mg at a time, half credit up to 600 mg"
VITAMIN_D_SUPPLEMENT_UPPER_LIMIT_IU = 4000.0
MAGNESIUM_SUPPLEMENT_UPPER_LIMIT_MG = 350.0


@dataclass(frozen=True, kw_only=True)
class DefaultTarget:
    key: str
    female: float
    male: float
    unit: str
    source: str

    def for_sex(self, sex: Sex | None) -> float:
        if sex == "female":
            return float(self.female)
        if sex == "male":
            return float(self.male)
        return float(max(self.female, self.male))


@dataclass(frozen=True, kw_only=True)
class EffectiveTarget:
    key: str
    value: float
    unit: str
    source: str
    set_by_care_team: bool
    overridden: bool


def _same(key: str, value: float, unit: str, source: str) -> DefaultTarget:
    return DefaultTarget(key=key, female=value, male=value, unit=unit, source=source)


DEFAULT_TARGETS: tuple[DefaultTarget, ...] = (
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
    DefaultTarget(
        key="magnesium_mg",
        female=320,
        male=420,
        unit="mg/day",
        source="NIH ODS RDA, ages 51+",
    ),
    DefaultTarget(
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
    DefaultTarget(key="ala_g", female=1.1, male=1.6, unit="g/day", source="IOM adequate intake"),
    DefaultTarget(
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

TARGET_KEYS: tuple[str, ...] = tuple(t.key for t in DEFAULT_TARGETS)


def effective_targets(profile: ScoringProfile) -> list[EffectiveTarget]:
    """Every target key with the value that applies to this person, in protocol order."""
    return [_effective(default, profile) for default in DEFAULT_TARGETS]


def target_values(profile: ScoringProfile) -> dict[str, float]:
    """Target key -> effective value."""
    return {t.key: t.value for t in effective_targets(profile)}


def _effective(default: DefaultTarget, profile: ScoringProfile) -> EffectiveTarget:
    """The default, or the override; `source` always cites the protocol's default."""
    override = profile.target_overrides.get(default.key)
    return EffectiveTarget(
        key=default.key,
        value=default.for_sex(profile.sex) if override is None else override.value,
        unit=default.unit,
        source=default.source,
        set_by_care_team=override is not None and override.set_by_care_team,
        overridden=override is not None,
    )
