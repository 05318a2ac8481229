"""The care-team report as plain data: what a clinician reads in a minute.

Built from the same day reports the app shows (`days.service.day_series`), so the report
and the app never disagree, plus the entries a day report does not carry (every lab result,
each day's worst pain, every weight). Weekly figures are read from the day report of the last
day of each 7-day block counted back from the period's end, whose W7 totals are exactly that
block (PROTOCOL.md §1); a period shorter than a week has one partial block.

The period ends no later than her today (`days.service.scored_until`): a day still to come has
no scores in the app, so none here either; the report says so when asked for later days.

The period starts no earlier than the day she began: the earlier of the day her account was
made and the day of her first logged entry. Days before that were not "0 mg of calcium" but days
she was not using the app, so averages, minutes per week and adherence count only the days since;
the report says so (`requested_first`), and says "her records start" rather than "started using
Fortify" when that day is before her account was opened (`account_opened`).

Nothing here renders: `render.py` turns the model into HTML and PDF.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import Counter
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from fortify.accounts.models import User
from fortify.days.service import (
    day_series,
    first_day,
    patterns,
    profile_of,
    regimen_of,
    scored_until,
)
from fortify.entries import kinds
from fortify.entries import service as entries
from fortify.entries.kinds import localized
from fortify.scoring import tables
from fortify.scoring.adherence import adherence_days, period_end, tracked
from fortify.scoring.facts import item_start
from fortify.scoring.formulas import round_places
from fortify.scoring.model import DayReport, PainAfterExercise, RegimenItem
from fortify.scoring.targets import CALCIUM_SITTING_RULE, EffectiveTarget, effective_targets
from fortify.scoring.units import (
    CANONICAL_UNIT,
    CHOLESTEROL_KINDS,
    LIPID_KINDS,
    TRIGLYCERIDES,
    VITAMIN_D_25OH,
    kg_to_lb,
    vitamin_d_25oh_ng_ml_to_nmol_l,
)

MAX_DAYS = 366
DEFAULT_DAYS = 90
_PAIN_TREND_WEEKS = 4  # weeks with a check-in before a trend is told
JOINT_PAIN_HIGH = 7

LAB_LABELS = {
    "vitamin_d_25oh": "25-hydroxyvitamin D",
    "total_cholesterol": "Total cholesterol",
    "ldl_cholesterol": "LDL cholesterol",
    "hdl_cholesterol": "HDL cholesterol",
    "triglycerides": "Triglycerides",
    "dxa_t_score": "Bone density (DXA T-score)",
}
SITE_WORDS = {
    "lumbar_spine": "lumbar spine",
    "total_hip": "total hip",
    "femoral_neck": "femoral neck",
    "forearm": "forearm",
}
# Flags in words for a clinician (the app's own messages speak to the person).
FLAG_WORDS = {
    "calcium_above_ul": "Calcium above 2000 mg/day (upper limit), or above a higher own target",
    "calcium_sitting_too_large": (
        f"Calcium supplement above 600 mg at one time ({CALCIUM_SITTING_RULE})"
    ),
    "calcium_carbonate_without_food": "Calcium carbonate taken without food",
    "vitamin_d_above_ul": "Supplement vitamin D above 4000 IU/day (7-day average)",
    "magnesium_supplement_above_ul": "Supplement magnesium above 350 mg/day",
    "vitamin_k_with_anticoagulant": "Vitamin K supplement while on an anticoagulant",
    "high_impact_not_cleared": "High-impact exercise while not cleared for it",
    "vitamin_d_lab_due": "No 25(OH)D result in the last 180 days",
    # The two 25(OH)D flags name their bound in her units: flag_words().
    "vitamin_d_lab_low": "Latest 25(OH)D below {low}",
    "vitamin_d_lab_high": "Latest 25(OH)D above {high}",
    "lipids_lab_due": "No lipid result in the last 12 months",
    "bone_density_due": "No DXA result in the last 24 months",
    "joint_pain_high": "Worst joint pain 7/10 or more on 3+ days of a week",
    "medication_missed": "A day without a logged dose of a daily medicine or supplement",
}

# Each target in a clinician's words (tables.TARGET_KEYS; a test keeps the two in step).
TARGET_WORDS = {
    "calcium_mg": "calcium",
    "vitamin_d_iu": "vitamin D",
    "magnesium_mg": "magnesium",
    "vitamin_k_mcg": "vitamin K",
    "epa_dha_mg": "EPA + DHA",
    "ala_g": "alpha-linolenic acid (ALA)",
    "fiber_g": "fibre",
    "soluble_fiber_servings": "soluble-fibre foods",
    "polyphenol_servings": "polyphenol-rich foods",
    "mufa_servings": "monounsaturated-fat foods",
    "weight_bearing_minutes": "weight-bearing aerobic exercise",
    "aerobic_minutes": "aerobic exercise",
    "resistance_days": "resistance training",
    "high_impact_days": "high-impact exercise",
    "low_impact_days": "low-impact exercise",
}
# The targets the report's figures are read against: always listed, changed or not. Any other
# target is listed only when changed (it moved her scores, so the reader must know).
REPORTED_TARGETS = ("calcium_mg", "vitamin_d_iu", "weight_bearing_minutes", "resistance_days")
# Where a default comes from, in a few words (the full citation is in tables.DEFAULT_TARGETS).
DEFAULT_SOURCES = {
    "calcium_mg": "US National Institutes of Health",
    "weight_bearing_minutes": "US Physical Activity Guidelines 2018",
    "resistance_days": "US Physical Activity Guidelines 2018",
}


@dataclass(frozen=True)
class TargetLine:
    """One target the report used for her: the value, and who set it when not the default."""

    key: str
    words: str
    value: float
    unit: str
    set_by: str | None  # None: the protocol's default; else "the patient" or "the care team"
    default_source: str


def target_lines(targets: list[EffectiveTarget]) -> list[TargetLine]:
    """The targets actually used, in protocol order: the report's own, and any she changed."""
    lines = []
    for t in targets:
        if not t.overridden and t.key not in REPORTED_TARGETS:
            continue
        set_by = None
        if t.overridden:
            set_by = "the care team" if t.set_by_care_team else "the patient"
        lines.append(
            TargetLine(
                key=t.key,
                words=TARGET_WORDS[t.key],
                value=t.value,
                unit=t.unit,
                set_by=set_by,
                default_source=DEFAULT_SOURCES.get(t.key, ""),
            )
        )
    return lines


@dataclass(frozen=True)
class LabRow:
    label: str
    measured_on: dt.date
    value: str  # in `unit`, rounded as a lab letter prints it
    unit: str  # her units: SI (nmol/L, mmol/L) in metric, ng/mL and mg/dL in US units
    entered: str  # as the person typed it, when that was another unit
    reference: str
    status: str  # "ok", "watch" or "out": how the template colours it
    verdict: str
    previous: str


@dataclass(frozen=True)
class Week:
    first: dt.date
    last: dt.date
    days: int
    weight_bearing_minutes: float
    resistance_days: int
    pain_average: float | None
    pain_high_days: int
    joint_pain_high: bool

    @property
    def complete(self) -> bool:
        """Seven days of hers: only such a week is read against a weekly target. The block
        that began before her first day, clipped to it, is her first week still in progress."""
        return self.days == 7


@dataclass(frozen=True)
class MedicineAdherence:
    name: str
    days_taken: int
    days: int  # 0: no day of the period is counted yet (it starts today or later)
    start: dt.date  # the item's start (PROTOCOL §1)

    @property
    def percent(self) -> int | None:
        """None for an empty period: no dose was due yet, which is not 0 %."""
        return round(100 * self.days_taken / self.days) if self.days else None


@dataclass(frozen=True)
class FlagCount:
    key: str
    words: str
    days: int
    last: dt.date


@dataclass
class CareTeamReport:
    name: str
    first: dt.date  # the first day counted: the period's start, or the day she began if later
    last: dt.date
    generated_on: dt.date
    therapy: str
    days: int
    days_logged: int
    averages: dict[str, float]
    calcium_target_mg: float
    calcium_days_met: int
    calcium_average_mg: float
    vitamin_d_target_iu: float
    vitamin_d_7day_avg_end: float
    vitamin_d_7day_avg_mean: float
    # Days of hers in the last day's seven-day window (fewer than 7 in her first week).
    vitamin_d_window_days: int
    weight_bearing_target_minutes: float
    resistance_target_days: float
    targets: list[TargetLine]
    weeks: list[Week]
    medicines: list[MedicineAdherence]
    labs: list[LabRow]
    flags: list[FlagCount]
    weights: list[tuple[dt.date, float]]  # in `weight_unit`
    bmi: float | None
    height_cm: float | None
    daily: list[DayReport] = field(repr=False)
    pain: list[tuple[dt.date, int | None]] = field(default_factory=list)
    weight_unit: str = "kg"  # "lb" for a person who uses US units
    # PROTOCOL.md §8 on the period's last day: joint pain after exercise days vs rest days.
    pain_after_exercise: PainAfterExercise | None = None
    requested_first: dt.date | None = None  # set when the period asked for began earlier
    # The local day her account was made: later than `first` when she logged past days.
    account_opened: dt.date | None = None
    requested_last: dt.date | None = None  # the period's end as asked, which may be after today
    # The 25(OH)D range in her units, for the footnote ("75-125 nmol/L" in metric).
    vitamin_d_range: str = ""

    @property
    def started_late(self) -> bool:
        return self.requested_first is not None and self.requested_first < self.first

    @property
    def stopped_today(self) -> bool:
        return self.requested_last is not None and self.requested_last > self.last

    @property
    def exercise_judged(self) -> bool:
        """Whether she has a whole week of hers to read exercise against its weekly target.
        In her first week there is none: 30 minutes on her first day is not "30 min a week",
        red against 150 (a newcomer's first report); it is a week in progress, not coloured."""
        return any(w.complete for w in self.weeks)

    @property
    def days_so_far(self) -> int:
        """Days of hers in the period while it has no whole week (her first week)."""
        return sum(w.days for w in self.weeks)

    @property
    def weight_bearing_minutes_per_week(self) -> float:
        """The mean over whole weeks; in her first week, the minutes so far."""
        full = [w for w in self.weeks if w.complete] or self.weeks
        return sum(w.weight_bearing_minutes for w in full) / len(full) if full else 0.0

    @property
    def resistance_days_per_week(self) -> float:
        """The mean over whole weeks; in her first week, the days so far."""
        full = [w for w in self.weeks if w.complete] or self.weeks
        return sum(w.resistance_days for w in full) / len(full) if full else 0.0

    @property
    def pain_weeks_high(self) -> int:
        return sum(1 for w in self.weeks if w.joint_pain_high)

    @property
    def pain_trend_known(self) -> bool:
        """Whether enough weeks have check-ins to tell a trend (else the figure is not green)."""
        return sum(1 for w in self.weeks if w.pain_average is not None) >= _PAIN_TREND_WEEKS

    @property
    def pain_trend(self) -> str:
        """ "easing", "rising" or "steady": the first and the last two weeks' mean worst pain."""
        logged = [w.pain_average for w in self.weeks if w.pain_average is not None]
        if len(logged) < _PAIN_TREND_WEEKS:
            return "too few check-ins to tell"
        early, late = sum(logged[:2]) / 2, sum(logged[-2:]) / 2
        if late <= early - 1:
            return f"easing (from {early:.1f} to {late:.1f} of 10)"
        if late >= early + 1:
            return f"rising (from {early:.1f} to {late:.1f} of 10)"
        return f"steady (about {late:.1f} of 10)"


def period(first: dt.date | None, last: dt.date | None, today: dt.date) -> tuple[dt.date, dt.date]:
    """The report's days: by default the 90 days ending today; `to` alone → the 90 before it."""
    last = last or today
    first = first or last - dt.timedelta(days=DEFAULT_DAYS - 1)
    return first, last


def day_in_words(day: dt.date) -> str:
    """A date as the report says every date: "5 Dec 2026", never "2026-12-05"."""
    return f"{day.day} {day:%b %Y}"


def lab_unit_for(kind: str, unit_system: str) -> str:
    """The unit a result is shown in, as in the app (app/units.ts `labUnitFor`): US units → the
    US convention (ng/mL, mg/dL); metric → SI units (nmol/L, mmol/L), the units on her letters.
    A result is read against its range in the canonical unit whatever is shown."""
    canonical = CANONICAL_UNIT[kind]
    if unit_system == "us" or canonical == "T-score":
        return canonical
    if kind == VITAMIN_D_25OH:
        return "nmol/L"
    return "mmol/L" if kind in LIPID_KINDS else canonical


def lab_from_canonical(kind: str, value: float, unit: str) -> float:
    """A canonical value (ng/mL, mg/dL) in `unit` (PROTOCOL §6), for display."""
    if unit == CANONICAL_UNIT[kind]:
        return value
    if kind == VITAMIN_D_25OH and unit == "nmol/L":
        return vitamin_d_25oh_ng_ml_to_nmol_l(value)
    if kind == TRIGLYCERIDES and unit == "mmol/L":
        return value * tables.MMOL_L_PER_MG_DL_TRIGLYCERIDES
    if kind in CHOLESTEROL_KINDS and unit == "mmol/L":
        return value * tables.MMOL_L_PER_MG_DL_CHOLESTEROL
    return value


def lab_number(value: float, unit: str) -> str:
    """A value as a lab letter prints it: two decimals in mmol/L, whole in nmol/L and mg/dL,
    one decimal otherwise (app/labReading.ts `num`); a true minus sign is left to the T-score."""
    places = 2 if unit == "mmol/L" else 0 if unit in ("nmol/L", "mg/dL") else 1
    return f"{round_places(value, places):g}"


def _lab_row(kind: str, rows: list[object], sex: str | None, unit_system: str) -> LabRow:
    latest = rows[-1]
    value: float = latest.value_canonical  # type: ignore[attr-defined]
    unit = lab_unit_for(kind, unit_system)
    label = LAB_LABELS[kind]
    site = getattr(latest, "site", None)
    if site:
        label += f", {SITE_WORDS.get(site, site)}"
    reference, status, verdict = reference_range(kind, value, sex, unit)
    entered = ""
    if latest.unit != unit:  # type: ignore[attr-defined]
        entered = f"{latest.value:g} {latest.unit}"  # type: ignore[attr-defined]
    previous = ""
    if len(rows) > 1:
        before = rows[-2]
        shown = lab_from_canonical(kind, before.value_canonical, unit)  # type: ignore[attr-defined]
        previous = f"before: {lab_number(shown, unit)} on {day_in_words(localized(before).date())}"
    return LabRow(
        label=label,
        measured_on=localized(latest).date(),
        value=lab_number(lab_from_canonical(kind, value, unit), unit),
        unit=unit,
        entered=entered,
        reference=reference,
        status=status,
        verdict=verdict,
        previous=previous,
    )


def vitamin_d_bounds(unit_system: str) -> tuple[str, str]:
    """The 25(OH)D bounds (scoring/tables.py) in words in her units: ("75 nmol/L", "125 nmol/L")
    in metric, ("30 ng/mL", "50 ng/mL") in US units, converted as the lab row is."""
    unit = lab_unit_for(VITAMIN_D_25OH, unit_system)

    def said(x: float) -> str:
        return f"{lab_number(lab_from_canonical(VITAMIN_D_25OH, x, unit), unit)} {unit}"

    return said(tables.VITAMIN_D_LAB_LOW_NG_ML), said(tables.VITAMIN_D_LAB_HIGH_NG_ML)


def flag_words(key: str, unit_system: str) -> str:
    """A flag in a clinician's words, any lab bound in her units (a metric patient's report
    said "below 30 ng/mL" beside her "62 nmol/L" row)."""
    words = FLAG_WORDS.get(key, key.replace("_", " "))
    if key.startswith("vitamin_d_lab_"):
        low, high = vitamin_d_bounds(unit_system)
        words = words.format(low=low, high=high)
    return words


def reference_range(
    kind: str, value: float, sex: str | None, unit: str | None = None
) -> tuple[str, str, str]:
    """(range in words, status, verdict) by PROTOCOL.md §7 and the seed's 30-50 ng/mL.

    `value` is canonical (ng/mL, mg/dL); the range is said in `unit` (the canonical one when
    None). The bounds are scoring/tables.py's, which the app reads a result against too."""
    shown = unit or CANONICAL_UNIT[kind]

    def bound(x: float) -> str:
        return f"{lab_number(lab_from_canonical(kind, x, shown), shown)} {shown}"

    if kind == "vitamin_d_25oh":
        low, high = tables.VITAMIN_D_LAB_LOW_NG_ML, tables.VITAMIN_D_LAB_HIGH_NG_ML
        words = f"{lab_number(lab_from_canonical(kind, low, shown), shown)}-{bound(high)}"
        if value < low:
            return words, "out", "low"
        if value > high:
            return words, "watch", "high"
        return words, "ok", "in range"
    if kind == "ldl_cholesterol":
        limit = tables.LDL_OPTIMAL_BELOW_MG_DL
        verdict = ("ok", "optimal") if value < limit else ("watch", "above")
        return f"< {bound(limit)} optimal", *verdict
    if kind == "total_cholesterol":
        limit = tables.TOTAL_CHOLESTEROL_DESIRABLE_BELOW_MG_DL
        verdict = ("ok", "desirable") if value < limit else ("watch", "above")
        return f"< {bound(limit)} desirable", *verdict
    if kind == "triglycerides":
        limit = tables.TRIGLYCERIDES_NORMAL_BELOW_MG_DL
        verdict = ("ok", "normal") if value < limit else ("watch", "above")
        return f"< {bound(limit)} normal", *verdict
    if kind == "hdl_cholesterol":
        men = sex == "male"
        low = tables.HDL_LOW_BELOW_MG_DL_MEN if men else tables.HDL_LOW_BELOW_MG_DL_WOMEN
        who = "men" if men else "women"
        return f"low < {bound(low)} ({who})", *(("out", "low") if value < low else ("ok", "ok"))
    # DXA T-score (WHO)
    normal, osteoporosis = tables.T_SCORE_NORMAL_FROM, tables.T_SCORE_OSTEOPOROSIS_AT_MOST
    if value >= normal:
        return f"≥ {normal:.1f} normal", "ok", "normal"
    if value > osteoporosis:
        return f"{normal:.1f} to {osteoporosis:.1f} osteopenia", "watch", "osteopenia"
    return f"≤ {osteoporosis:.1f} osteoporosis", "out", "osteoporosis"


def _weeks(
    reports: list[DayReport], pain: dict[dt.date, int], first: dt.date, last: dt.date
) -> list[Week]:
    by_day = {r.date: r for r in reports}
    weeks = []
    end = last
    while end >= first:
        start = max(first, end - dt.timedelta(days=6))
        report = by_day[end]
        span = [start + dt.timedelta(days=n) for n in range((end - start).days + 1)]
        scores = [pain[d] for d in span if d in pain]
        high = [s for s in scores if s >= JOINT_PAIN_HIGH]
        flagged = any(f.key == "joint_pain_high" for d in span for f in by_day[d].flags)
        weeks.append(
            Week(
                first=start,
                last=end,
                days=len(span),
                weight_bearing_minutes=report.totals.minutes_w7.get("weight_bearing_aerobic", 0),
                resistance_days=report.totals.days_w7.get("resistance", 0),
                pain_average=sum(scores) / len(scores) if scores else None,
                pain_high_days=len(high),
                joint_pain_high=flagged,
            )
        )
        end = start - dt.timedelta(days=1)
    return list(reversed(weeks))


def _medicines(
    session: Session, user: User, first: dt.date, last: dt.date, zone: ZoneInfo
) -> list[MedicineAdherence]:
    """Days with a dose / days in the period, for each active daily medicine or supplement,
    counted exactly as the day report's adherence is (PROTOCOL §4a, scoring.adherence): the
    period of the report's n days ends on its last day when a dose is logged that day and on the
    day before while none is (an evening taker is not shown a missed day every morning), and is
    clipped to the item's start (§1). On her first day with nothing logged yet it is empty: the
    report says so, not "0 %" (a newcomer's first report read "0 % (0 of 1)")."""
    items = [i for i in sorted(regimen_of(session, user), key=_by_name) if tracked(i)]
    # The period may end a day early, so it may begin the day before `first`.
    start, end = entries.local_day_bounds(user.time_zone, first - dt.timedelta(days=1), last)
    ids = [uuid.UUID(i.id) for i in items]
    taken: dict[str, set[dt.date]] = {}
    for item_id, at, _offset in entries.dose_times_between(session, user.id, ids, start, end):
        taken.setdefault(str(item_id), set()).add(at.astimezone(zone).date())
    n = (last - first).days + 1
    out = []
    for item in items:
        dose_days = taken.get(item.id, set())
        began = item_start(item, (), zone)
        days_taken, days = adherence_days(dose_days, began, period_end(dose_days, last), n)
        out.append(MedicineAdherence(item.name, days_taken, days, began))
    return out


def _by_name(item: RegimenItem) -> tuple[str, str]:
    return item.name.casefold(), item.id


def build(
    session: Session, user: User, first: dt.date, last: dt.date, today: dt.date
) -> CareTeamReport:
    zone = ZoneInfo(user.time_zone)
    requested_first, requested_last = first, last
    # Days after her today have not happened: no scores for them, as in the app.
    last = scored_until(last, today)
    began = min(first_day(session, user), last)
    first = max(first, began)
    reports = day_series(session, user, first, last)
    days = len(reports)
    used = effective_targets(profile_of(user))
    targets = {t.key: t.value for t in used}
    calcium_target = float(targets["calcium_mg"])
    vitamin_d_target = float(targets["vitamin_d_iu"])

    start, end = entries.local_day_bounds(user.time_zone, first, last)
    pain: dict[dt.date, int] = {}
    for row in entries.rows_between(session, user.id, kinds.SYMPTOMS, start, end):
        day = localized(row).astimezone(zone).date()
        pain[day] = max(pain.get(day, 0), row.worst_pain_0_10)
    weights_kg = [
        (localized(r).astimezone(zone).date(), float(r.weight_kg))
        for r in entries.rows_between(session, user.id, kinds.MEASUREMENTS, start, end)
    ]
    # In her units, as every other screen shows them (a US patient's clinic scale reads lb).
    weight_unit = "lb" if user.unit_system == "us" else "kg"
    weights = [(day, kg_to_lb(kg) if weight_unit == "lb" else kg) for day, kg in weights_kg]
    labs_by_kind: dict[str, list[object]] = {}
    for row in entries.rows_between(session, user.id, kinds.LABS, None, end):
        key = row.kind if row.kind != "dxa_t_score" else f"dxa_t_score:{row.site or ''}"
        labs_by_kind.setdefault(key, []).append(row)
    order = list(LAB_LABELS)
    labs = [
        _lab_row(key.split(":")[0], rows, user.sex, user.unit_system)
        for key, rows in sorted(
            labs_by_kind.items(), key=lambda kv: (order.index(kv[0].split(":")[0]), kv[0])
        )
    ]

    flag_days: Counter[str] = Counter()
    flag_last: dict[str, dt.date] = {}
    for report in reports:
        for flag in report.flags:
            flag_days[flag.key] += 1
            flag_last[flag.key] = report.date
    flags = [
        FlagCount(key, flag_words(key, user.unit_system), n, flag_last[key])
        for key, n in flag_days.most_common()
    ]
    bmi = None
    if weights_kg and user.height_cm:
        bmi = round(weights_kg[-1][1] / (user.height_cm / 100) ** 2, 1)
    therapy = user.therapy_medicine or "aromatase inhibitor"
    if user.therapy_start_date:
        therapy += f", since {user.therapy_start_date.strftime('%B %Y')}"

    def mean(values: list[float]) -> float:
        return sum(values) / len(values) if values else 0.0

    def window_days(day: dt.date) -> int:
        return min(7, (day - began).days + 1)

    def vitamin_d_average(report: DayReport) -> float:
        """The day's seven-day average over the days of the window she was using the app:
        the protocol's W7 sum / 7 counts days before her first as zero, so a newcomer taking
        her 1000 IU a day read "143 IU/day" on the report beside "100 % adherence", under a
        sentence saying averages count only her days (a newcomer walk, F7b). Nothing of hers
        is logged before her first day, so the window's sum is the same."""
        return report.totals.vitamin_d_iu_7day_avg * 7 / window_days(report.date)

    return CareTeamReport(
        name=user.display_name,
        first=first,
        last=last,
        generated_on=today,
        therapy=therapy,
        days=days,
        days_logged=sum(1 for r in reports if r.entry_count > 0),
        averages={
            key: round(mean([float(getattr(r, key)) for r in reports]), 1)
            for key in ("overall", "bone", "heart", "joint")
        },
        calcium_target_mg=calcium_target,
        calcium_days_met=sum(1 for r in reports if r.totals.calcium_mg >= calcium_target),
        calcium_average_mg=round(mean([r.totals.calcium_mg for r in reports])),
        vitamin_d_target_iu=vitamin_d_target,
        vitamin_d_7day_avg_end=round(vitamin_d_average(reports[-1])),
        vitamin_d_7day_avg_mean=round(mean([vitamin_d_average(r) for r in reports])),
        vitamin_d_window_days=window_days(last),
        weight_bearing_target_minutes=float(targets["weight_bearing_minutes"]),
        resistance_target_days=float(targets["resistance_days"]),
        targets=target_lines(used),
        weeks=_weeks(reports, pain, first, last),
        medicines=_medicines(session, user, first, last, zone),
        labs=labs,
        flags=flags,
        weights=weights,
        weight_unit=weight_unit,
        bmi=bmi,
        height_cm=user.height_cm,
        daily=reports,
        pain_after_exercise=patterns(session, user, last).pain_after_exercise,
        pain=[(r.date, pain.get(r.date)) for r in reports],
        requested_first=requested_first,
        account_opened=user.created_at.astimezone(zone).date(),
        requested_last=requested_last,
        vitamin_d_range=reference_range(
            VITAMIN_D_25OH, 0.0, user.sex, lab_unit_for(VITAMIN_D_25OH, user.unit_system)
        )[0],
    )
