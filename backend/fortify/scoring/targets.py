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

from fortify.scoring import tables
from fortify.scoring.model import ScoringProfile, Sex
from fortify.scoring.tables import CALCIUM_SITTING_FULL_MG as CALCIUM_SITTING_FULL_MG
from fortify.scoring.tables import CALCIUM_SITTING_HALF_MG as CALCIUM_SITTING_HALF_MG
from fortify.scoring.tables import CALCIUM_SITTING_RULE as CALCIUM_SITTING_RULE
from fortify.scoring.tables import CALCIUM_UPPER_LIMIT_MG as CALCIUM_UPPER_LIMIT_MG
from fortify.scoring.tables import (
    MAGNESIUM_SUPPLEMENT_UPPER_LIMIT_MG as MAGNESIUM_SUPPLEMENT_UPPER_LIMIT_MG,
)
from fortify.scoring.tables import (
    VITAMIN_D_SUPPLEMENT_UPPER_LIMIT_IU as VITAMIN_D_SUPPLEMENT_UPPER_LIMIT_IU,
)


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


#: The protocol's defaults, one per target key (the rows are in tables.DEFAULT_TARGETS).
DEFAULT_TARGETS: tuple[DefaultTarget, ...] = tuple(
    DefaultTarget(key=t.key, female=t.female, male=t.male, unit=t.unit, source=t.source)
    for t in tables.DEFAULT_TARGETS
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
