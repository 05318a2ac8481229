"""Focused tests of the scoring engine's units (the golden vectors cover whole days)."""

from __future__ import annotations

import json
import math
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from fortify.scoring import compute_day_report, report_to_dict
from fortify.scoring.actions import phrase_of
from fortify.scoring.activities import CATALOG, MUSCLE_GROUPS, resolve_flags, resolve_muscle_groups
from fortify.scoring.components import COMPONENTS, bmi_credit, body_mass_index
from fortify.scoring.facts import gather
from fortify.scoring.formulas import lin, round_half_up, round_places
from fortify.scoring.intake import calcium_sittings
from fortify.scoring.model import DayReport, RegimenItem, TargetOverride, Workout
from fortify.scoring.targets import TARGET_KEYS, effective_targets
from fortify.scoring.timeline import local_date
from fortify.scoring.units import (
    canonical_lab_value,
    cholesterol_mmol_l_to_mg_dl,
    elemental_calcium_mg,
    kg_to_lb,
    lb_to_kg,
    triglycerides_mmol_l_to_mg_dl,
    vitamin_d_25oh_nmol_l_to_ng_ml,
    vitamin_d_iu_to_mcg,
    vitamin_d_mcg_to_iu,
)
from tests.scoring.factories import (
    DAY,
    at,
    day_input,
    dose,
    food,
    lab,
    medicine,
    profile,
    symptom,
    weight,
    workout,
)


def component(report: DayReport, key: str) -> float:
    return next(c.credit for c in report.components if c.key == key)


def flag_keys(report: DayReport) -> list[str]:
    return [f.key for f in report.flags]


class TestLin:
    def test_it_is_the_share_of_the_target(self) -> None:
        assert lin(300, 1200) == 0.25

    def test_it_is_capped_at_one_and_floored_at_zero(self) -> None:
        assert lin(5000, 1200) == 1
        assert lin(-5, 1200) == 0

    def test_a_target_of_zero_is_already_met(self) -> None:
        assert lin(0, 0) == 1


class TestRoundHalfUp:
    def test_the_protocols_half_way_example_rounds_up(self) -> None:
        x = 0.12499999999999997  # 0.125 as a float computation may land: just below the half
        assert round(100 * x) == 12
        assert round_half_up(x) == 13

    def test_values_below_the_half_round_down(self) -> None:
        assert round_half_up(0.12499) == 12

    def test_places_round_half_up_too(self) -> None:
        assert round_places(1.1 / 1.6, 3) == 0.688
        assert round_places(2 / 3, 2) == 0.67


class TestUnits:
    def test_vitamin_d_mcg_and_iu_convert_at_40_iu_per_mcg(self) -> None:
        assert vitamin_d_mcg_to_iu(25) == 1000
        assert vitamin_d_iu_to_mcg(4000) == 100

    def test_25_oh_d_nmol_per_litre_converts_to_ng_per_ml(self) -> None:
        assert vitamin_d_25oh_nmol_l_to_ng_ml(74.88) == pytest.approx(30)

    def test_cholesterol_and_triglycerides_convert_to_mg_per_dl(self) -> None:
        assert cholesterol_mmol_l_to_mg_dl(5.172) == pytest.approx(200)
        assert triglycerides_mmol_l_to_mg_dl(1.6935) == pytest.approx(150)

    def test_pounds_convert_to_kilograms_and_back(self) -> None:
        assert lb_to_kg(100) == pytest.approx(45.359237)
        assert kg_to_lb(lb_to_kg(150)) == pytest.approx(150)

    def test_carbonate_is_40_percent_and_citrate_21_percent_calcium(self) -> None:
        assert elemental_calcium_mg("calcium_carbonate", 1250) == pytest.approx(500)
        assert elemental_calcium_mg("calcium_citrate", 1000) == pytest.approx(210)

    def test_a_canonical_unit_is_kept_as_is(self) -> None:
        assert canonical_lab_value("dxa_t_score", -1.5, "T-score") == (-1.5, "T-score")

    def test_a_lab_in_other_units_is_converted(self) -> None:
        value, unit = canonical_lab_value("ldl_cholesterol", 2.586, "mmol/L")
        assert (round(value, 6), unit) == (100, "mg/dL")

    @pytest.mark.parametrize(
        ("kind", "unit"),
        [("vitamin_d_25oh", "mg/dL"), ("triglycerides", "ng/mL"), ("dxa_t_score", "mmol/L")],
    )
    def test_a_unit_that_does_not_fit_the_kind_is_refused(self, kind: str, unit: str) -> None:
        with pytest.raises(ValueError, match="does not fit"):
            canonical_lab_value(kind, 1.0, unit)

    def test_an_unknown_lab_kind_is_refused(self) -> None:
        with pytest.raises(ValueError, match="unknown lab kind"):
            canonical_lab_value("ferritin", 1.0, "ng/mL")


class TestEffectiveTargets:
    def test_every_contract_target_key_is_listed_once(self) -> None:
        keys = [t.key for t in effective_targets(profile())]
        assert keys == list(TARGET_KEYS)
        assert len(set(keys)) == 15

    def test_women_and_men_get_their_own_defaults(self) -> None:
        female = {t.key: t.value for t in effective_targets(profile(sex="female"))}
        male = {t.key: t.value for t in effective_targets(profile(sex="male"))}
        assert (female["magnesium_mg"], male["magnesium_mg"]) == (320, 420)
        assert (female["fiber_g"], male["fiber_g"]) == (21, 30)

    def test_a_missing_sex_gets_the_higher_default(self) -> None:
        values = {t.key: t.value for t in effective_targets(profile(sex=None))}
        assert values["vitamin_k_mcg"] == 120
        assert values["ala_g"] == 1.6

    def test_an_override_replaces_the_default_and_says_who_set_it(self) -> None:
        prof = profile(
            target_overrides={"calcium_mg": TargetOverride(value=1000, set_by_care_team=True)}
        )
        calcium = next(t for t in effective_targets(prof) if t.key == "calcium_mg")
        assert (calcium.value, calcium.overridden, calcium.set_by_care_team) == (1000, True, True)
        assert "1200 mg" in calcium.source

    def test_every_target_cites_a_source(self) -> None:
        assert all(t.source for t in effective_targets(profile()))


class TestActivityCatalog:
    def test_it_holds_at_least_40_activities(self) -> None:
        assert len(CATALOG) >= 40

    @pytest.mark.parametrize(
        ("key", "flags"),
        [
            ("brisk_walking", {"aerobic", "weight_bearing"}),
            ("jogging", {"aerobic", "weight_bearing"}),
            ("stair_climbing", {"aerobic", "weight_bearing"}),
            ("dancing", {"aerobic", "weight_bearing"}),
            ("lifting_weights", {"resistance"}),
            ("resistance_bands", {"resistance"}),
            ("squats", {"resistance"}),
            ("push_ups", {"resistance"}),
            ("jumping", {"high_impact", "weight_bearing"}),
            ("plyometrics", {"high_impact", "weight_bearing"}),
            ("high_impact_aerobics", {"aerobic", "high_impact", "weight_bearing"}),
            ("swimming", {"aerobic", "low_impact"}),
            ("cycling", {"aerobic", "low_impact"}),
            ("yoga", {"low_impact"}),
            ("circuit_training", {"aerobic", "weight_bearing", "resistance"}),
        ],
    )
    def test_the_seeds_examples_carry_the_seeds_flags(self, key: str, flags: set[str]) -> None:
        f = CATALOG[key].flags
        names = ("aerobic", "weight_bearing", "resistance", "high_impact", "low_impact")
        assert {n for n in names if getattr(f, n)} == flags

    def test_every_resistance_activity_has_default_muscle_groups(self) -> None:
        for a in CATALOG.values():
            if a.flags.resistance:
                assert a.muscle_groups and set(a.muscle_groups) <= set(MUSCLE_GROUPS)

    def test_a_workouts_own_flag_overrides_the_activity(self) -> None:
        w = workout(at(), "brisk_walking", weight_bearing=False)
        assert (resolve_flags(w).aerobic, resolve_flags(w).weight_bearing) == (True, False)

    def test_an_unknown_activity_has_no_flags_unless_the_workout_sets_them(self) -> None:
        assert resolve_flags(workout(at(), "underwater_hockey")) == resolve_flags(
            workout(at(), "underwater_hockey", aerobic=False)
        )
        assert resolve_flags(workout(at(), "underwater_hockey", aerobic=True)).aerobic

    def test_full_body_means_all_seven_groups(self) -> None:
        w = Workout(started_at=at(), activity="squats", minutes=20, muscle_groups=("full_body",))
        assert resolve_muscle_groups(w) == frozenset(MUSCLE_GROUPS)


class TestLocalDay:
    def test_a_timestamp_without_offset_is_refused(self) -> None:
        with pytest.raises(ValueError, match="no UTC offset"):
            local_date(datetime(2026, 3, 10, 8, 0), ZoneInfo("UTC"))

    def test_the_profile_zone_decides_the_day_not_the_stored_offset(self) -> None:
        ts = datetime(2026, 3, 10, 23, 30, tzinfo=timezone(timedelta(hours=-5)))
        assert local_date(ts, ZoneInfo("Europe/Berlin")) == date(2026, 3, 11)

    def test_an_unknown_time_zone_is_a_value_error(self) -> None:
        with pytest.raises(ValueError, match="unknown time zone"):
            compute_day_report(day_input(prof=profile(time_zone="Mars/Olympus")))

    def test_entries_after_the_day_are_ignored(self) -> None:
        report = compute_day_report(day_input(meals=(food(at(1, 8), {"calcium_mg": 1200}),)))
        assert component(report, "calcium_total") == 0
        assert report.entry_count == 0


class TestCalciumSittings:
    def test_a_dose_exactly_60_minutes_after_the_first_joins_its_sitting(self) -> None:
        doses = [dose(at(0, 8), {"calcium_mg": 300}), dose(at(0, 9), {"calcium_mg": 300})]
        assert calcium_sittings(doses) == [600]

    def test_a_sitting_is_anchored_on_its_first_dose(self) -> None:
        doses = [dose(at(0, 8, m), {"calcium_mg": 200}) for m in (0, 40)]
        doses.append(dose(at(0, 9, 20), {"calcium_mg": 200}))
        assert calcium_sittings(doses) == [400, 200]

    def test_doses_without_calcium_do_not_open_a_sitting(self) -> None:
        doses = [
            dose(at(0, 7, 30), {"vitamin_d_iu": 1000}, form="vitamin_d3"),
            dose(at(0, 8, 20), {"calcium_mg": 500}),
        ]
        assert calcium_sittings(doses) == [500]

    def test_a_sitting_of_exactly_500_mg_gets_full_credit(self) -> None:
        report = compute_day_report(day_input(doses=(dose(at(0, 8), {"calcium_mg": 500}),)))
        assert component(report, "calcium_sittings") == 1


class TestRenormalisation:
    def test_effective_weights_of_each_domain_sum_to_one(self) -> None:
        report = compute_day_report(day_input(prof=profile(on_anticoagulant=True)))
        for domain in ("bone", "heart", "joint"):
            weights = [c.effective_weight for c in report.components if c.domain == domain]
            assert math.isclose(sum(weights), 1)

    def test_an_excluded_component_has_no_weight_and_says_why(self) -> None:
        report = compute_day_report(day_input())
        high = next(c for c in report.components if c.key == "high_impact")
        assert (high.excluded, high.effective_weight) == (True, 0)
        assert high.excluded_reason and "cleared" in high.excluded_reason

    def test_overall_is_computed_from_unrounded_domains(self) -> None:
        # bone 0.0889, heart 0.07, joint 0.4: 0.45 x 0.0889 + 0.35 x 0.07 + 0.2 x 0.4 = 0.1445
        # -> 14; from the rounded domains (9, 7, 40) it would be 14.5 -> 15.
        workouts = (
            workout(at(0, 7), "brisk_walking", 30),
            workout(at(0, 18), "swimming", 40),
            workout(at(-1, 18), "yoga", 30),
        )
        report = compute_day_report(day_input(workouts=workouts))
        assert (report.bone, report.heart, report.joint) == (9, 7, 40)
        assert report.overall == 14

    def test_components_are_listed_in_protocol_order(self) -> None:
        report = compute_day_report(day_input())
        assert [c.key for c in report.components] == [s.key for s in COMPONENTS]


class TestHealthyWeight:
    def test_bmi_uses_centimetres_so_band_edges_are_exact(self) -> None:
        assert body_mass_index(68.0625, 165) == 25.0

    @pytest.mark.parametrize(
        ("bmi", "credit"), [(18.49, 0.6), (18.5, 1.0), (24.99, 1.0), (25, 0.6), (30, 0.3)]
    )
    def test_bmi_bands(self, bmi: float, credit: float) -> None:
        assert bmi_credit(bmi) == credit

    def test_the_latest_weight_of_the_last_30_days_counts(self) -> None:
        report = compute_day_report(
            day_input(measurements=(weight(at(-29), 60), weight(at(-40), 90)))
        )
        assert component(report, "healthy_weight") == 1


class TestFlags:
    def test_a_meal_just_after_a_carbonate_dose_counts_as_food(self) -> None:
        report = compute_day_report(
            day_input(
                doses=(dose(at(0, 8), {"calcium_mg": 500}, form="calcium_carbonate"),),
                meals=(food(at(0, 9)),),
            )
        )
        assert "calcium_carbonate_without_food" not in flag_keys(report)

    def test_citrate_needs_no_food(self) -> None:
        report = compute_day_report(day_input(doses=(dose(at(0, 8), {"calcium_mg": 500}),)))
        assert "calcium_carbonate_without_food" not in flag_keys(report)

    def test_a_high_own_vitamin_d_target_silences_the_upper_limit_flag(self) -> None:
        doses = (dose(at(0), {"vitamin_d_iu": 35000}, form="vitamin_d3"),)
        plain = compute_day_report(day_input(doses=doses))
        prof = profile(target_overrides={"vitamin_d_iu": TargetOverride(value=5000)})
        own = compute_day_report(day_input(prof=prof, doses=doses))
        assert "vitamin_d_above_ul" in flag_keys(plain)
        assert "vitamin_d_above_ul" not in flag_keys(own)

    def test_joint_pain_on_three_days_raises_a_flag(self) -> None:
        pains = tuple(symptom(at(-d), 7) for d in (0, 2, 6))
        assert "joint_pain_high" in flag_keys(compute_day_report(day_input(symptoms=pains)))

    def test_a_lab_on_the_first_day_of_its_window_counts(self) -> None:
        report = compute_day_report(day_input(labs=(lab(at(-179), "vitamin_d_25oh", 40),)))
        assert "vitamin_d_lab_due" not in flag_keys(report)

    def test_a_missed_medicine_is_flagged_only_when_it_existed_yesterday(self) -> None:
        started_today = medicine(started_on=DAY, created=at(-5))
        started_before = medicine(item_id="b", started_on=DAY - timedelta(days=1))
        assert "medication_missed" not in flag_keys(
            compute_day_report(day_input(regimen=(started_today,)))
        )
        assert "medication_missed" in flag_keys(
            compute_day_report(day_input(regimen=(started_before,)))
        )

    def test_an_inactive_medicine_is_not_flagged(self) -> None:
        item = medicine(active=False)
        assert "medication_missed" not in flag_keys(compute_day_report(day_input(regimen=(item,))))


class TestAdherence:
    def test_periods_are_clipped_to_the_items_start(self) -> None:
        item = medicine(created=at(-1, 7))
        doses = tuple(dose(at(d, 8), form="anastrozole", regimen_item_id="ana") for d in (-1, 0))
        [adherence] = compute_day_report(day_input(regimen=(item,), doses=doses)).adherence
        assert (adherence.days_7, adherence.days_30, adherence.days_90) == (1, 1, 1)

    def test_a_missed_day_lowers_each_period(self) -> None:
        item = medicine(created=at(-200))
        doses = tuple(
            dose(at(-d, 8), form="anastrozole", regimen_item_id="ana") for d in range(90) if d != 1
        )
        [adherence] = compute_day_report(day_input(regimen=(item,), doses=doses)).adherence
        assert adherence.days_7 == pytest.approx(6 / 7)
        assert adherence.days_30 == pytest.approx(29 / 30)
        assert adherence.days_90 == pytest.approx(89 / 90)

    def test_an_item_that_starts_after_the_day_has_no_adherence_yet(self) -> None:
        item = medicine(started_on=DAY + timedelta(days=3), created=at(-1))
        [adherence] = compute_day_report(day_input(regimen=(item,))).adherence
        assert adherence.days_7 is None

    def test_items_not_prescribed_daily_are_not_tracked(self) -> None:
        item = medicine(prescribed_daily=False)
        assert compute_day_report(day_input(regimen=(item,))).adherence == ()

    def test_an_earliest_dose_given_apart_from_the_doses_starts_the_item(self) -> None:
        # The API passes 91 days of doses and each item's earliest dose separately (§1).
        item = medicine(created=at(0, 7), earliest_dose_at=at(-200, 8))
        assert "medication_missed" in flag_keys(compute_day_report(day_input(regimen=(item,))))
        later = medicine(created=at(0, 7))
        assert "medication_missed" not in flag_keys(compute_day_report(day_input(regimen=(later,))))

    def test_a_daily_supplement_is_tracked_like_a_medicine(self) -> None:
        item = medicine(kind="supplement", form="vitamin_d3", name="Vitamin D3")
        report = compute_day_report(day_input(regimen=(item,)))
        assert [a.name for a in report.adherence] == ["Vitamin D3"]
        assert "medication_missed" in flag_keys(report)


class TestCareTeamItems:
    def test_magnesium_of_an_item_set_by_the_care_team_raises_no_flag(self) -> None:
        mine = medicine(
            item_id="mg",
            kind="supplement",
            form="magnesium_citrate",
            prescribed_daily=False,
            set_by_care_team=True,
        )
        doses = (dose(at(0, 8), {"magnesium_mg": 400}, "magnesium_citrate", "mg"),)
        report = compute_day_report(day_input(regimen=(mine,), doses=doses))
        assert "magnesium_supplement_above_ul" not in flag_keys(report)
        assert report.totals.magnesium_mg == 400  # still counts toward the target
        own = medicine(
            item_id="mg", kind="supplement", form="magnesium_citrate", prescribed_daily=False
        )
        report = compute_day_report(day_input(regimen=(own,), doses=doses))
        assert "magnesium_supplement_above_ul" in flag_keys(report)


class TestNextBestAction:
    def calcium_item(self) -> RegimenItem:
        return medicine(
            item_id="ca",
            name="Calcium citrate",
            kind="supplement",
            form="calcium_citrate",
            prescribed_daily=False,
            nutrients_per_unit={"calcium_mg": 400},
            schedule_times=("08:00", "13:00", "20:00"),
        )

    def test_it_names_the_next_scheduled_dose_with_numbers(self) -> None:
        doses = (dose(at(0, 8), {"calcium_mg": 400}, regimen_item_id="ca"),)
        report = compute_day_report(
            day_input(regimen=(self.calcium_item(),), doses=doses, meals=(food(at(0, 12)),))
        )
        assert report.next_best_action is not None
        assert report.next_best_action.key == "calcium_total"
        assert report.next_best_action.text == (
            "Take your midday calcium dose (Calcium citrate): 400 mg would bring calcium to "
            "800 of 1200 mg."
        )

    def test_points_follow_the_protocol_formula(self) -> None:
        action = compute_day_report(day_input()).next_best_action
        assert action is not None
        assert (action.key, action.points) == ("calcium_total", 12.5)

    def test_calcium_above_the_upper_limit_is_not_suggested(self) -> None:
        report = compute_day_report(day_input(meals=(food(at(), {"calcium_mg": 2500}),)))
        assert report.next_best_action is not None
        assert report.next_best_action.key != "calcium_total"

    def test_ties_go_to_the_component_listed_first(self) -> None:
        meals = (food(at(), {"calcium_mg": 1200}),)
        report = compute_day_report(day_input(meals=meals))
        # low_impact and anti_inflammatory_foods both cost 8 points; low_impact is listed first.
        assert report.next_best_action is not None
        assert report.next_best_action.key == "low_impact"


class TestNextBestActionNamesOnlyADoseDueThatDay:
    """The step names a scheduled dose only when the dose cards say it is due that day: on the
    day an item is added, a time already past when it was added is "First dose: tomorrow"."""

    def calcium(self, created: datetime, started_on: date | None = None) -> RegimenItem:
        return medicine(
            item_id="ca",
            name="Calcium",
            kind="supplement",
            form="calcium_citrate",
            nutrients_per_unit={"calcium_mg": 500},
            schedule_times=("08:00", "20:00"),
            created=created,
            started_on=started_on,
        )

    def action(self, item: RegimenItem, day: date = DAY) -> tuple[str, float, str]:
        action = compute_day_report(day_input(day=day, regimen=(item,))).next_best_action
        assert action is not None
        return action.key, action.points, action.text

    def test_day_one_after_the_morning_time_names_the_evening_dose(self) -> None:
        key, points, text = self.action(self.calcium(at(0, 10)))
        assert (key, points) == ("calcium_total", 12.5)
        assert text.startswith("Take your evening calcium dose (Calcium): 500 mg")

    def test_day_one_after_every_time_names_no_dose(self) -> None:
        key, points, text = self.action(self.calcium(at(0, 21)))
        assert (key, points) == ("calcium_total", 12.5)
        assert "dose" not in text
        assert text.startswith("Have a glass of milk")

    def test_day_one_before_the_morning_time_names_the_morning_dose(self) -> None:
        _, _, text = self.action(self.calcium(at(0, 7, 59)))
        assert text.startswith("Take your morning calcium dose")

    def test_day_two_names_the_morning_dose(self) -> None:
        _, _, text = self.action(self.calcium(at(-1, 21)))
        assert text.startswith("Take your morning calcium dose")

    def test_an_item_she_says_she_started_before_names_the_morning_dose(self) -> None:
        _, _, text = self.action(self.calcium(at(0, 21), started_on=DAY - timedelta(days=30)))
        assert text.startswith("Take your morning calcium dose")

    def test_a_day_before_the_items_start_names_no_dose(self) -> None:
        item = self.calcium(at(0, 7), started_on=DAY + timedelta(days=1))
        key, _, text = self.action(item)
        assert key == "calcium_total"
        assert text.startswith("Have a glass of milk")

    def test_the_morning_dose_logged_late_on_day_one_leaves_the_evening_dose(self) -> None:
        item = self.calcium(at(0, 10))
        doses = (dose(at(0, 10, 30), {"calcium_mg": 500}, "calcium_citrate", "ca"),)
        text = phrase_of("calcium_total", gather(day_input(regimen=(item,), doses=doses)))
        assert text is not None
        assert text.startswith("Take your evening calcium dose")


class TestReportToDict:
    def test_the_report_is_plain_json(self) -> None:
        report = compute_day_report(
            day_input(regimen=(medicine(),), workouts=(workout(at(), "squats"),))
        )
        data = report_to_dict(report)
        assert json.loads(json.dumps(data)) == data
        assert data["date"] == "2026-03-10"
        assert data["totals"]["muscle_groups_w7"] == ["back", "hips", "legs"]


class TestEntryCount:
    def test_it_counts_every_entry_of_the_day_and_nothing_else(self) -> None:
        report = compute_day_report(
            day_input(
                meals=(food(at(0, 8)), food(at(-1, 8))),
                doses=(dose(at(0, 9)),),
                workouts=(workout(at(0, 10), "yoga"),),
                symptoms=(symptom(at(0, 11), 2),),
                measurements=(weight(at(0, 7), 60),),
                labs=(lab(at(0, 6), "ldl_cholesterol", 90),),
            )
        )
        assert report.entry_count == 6
