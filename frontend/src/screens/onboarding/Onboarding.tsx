import { useState } from "preact/hooks";
import type { EntityFields } from "../../api/entities";
import { Choice, NumberField, Toggle } from "../../app/forms";
import { useLive } from "../../app/hooks";
import { navigate } from "../../app/router";
import { runtime } from "../../app/runtime";
import { rememberSetupAnswered } from "../../app/setup";
import { deviceZone, TimeZonePicker, ZoneMismatch } from "../../app/timezone";
import { cmToFtIn, ftInToCm, type UnitSystem } from "../../app/units";
import { guessUnitSystem } from "../../app/unitGuess";
import { Layout } from "../../app/ui";
import { saveProfile, TargetsEditor } from "../settings/profile";
import { RegimenList } from "./regimen";

const STEPS = ["About you", "Your targets", "Medicines and supplements"] as const;

/** Three short steps after sign-up; each can be changed later in Settings. Back goes a step back. */
export function Onboarding(props: { step: number }) {
  const step = Math.min(Math.max(props.step, 1), 3);
  const go = (n: number) => navigate(n > 3 ? "/today" : `/onboarding?step=${n}`);
  return (
    <Layout title={`Step ${step} of 3: ${STEPS[step - 1]}`} steps back={step > 1 ? `/onboarding?step=${step - 1}` : undefined}>
      {step === 1 && new URLSearchParams(location.search).get("confirmed") === "1" ? (
        <p class="ok-note" role="status" data-testid="email-confirmed">
          Your email is confirmed and your account is ready. Three short steps to set it up:
        </p>
      ) : null}
      {step === 1 ? <ProfileStep askUnits onNext={() => go(2)} /> : null}
      {step === 2 ? (
        <>
          <p>What Fortify will count towards each day and week. If your care team gave you a different number, tap Adjust.</p>
          <SexAssumed />
          {/* One button: Next saves any adjusted target, then moves on. */}
          <TargetsEditor doneLabel="Next" onDone={() => go(3)} />
        </>
      ) : null}
      {step === 3 ? (
        <>
          <RegimenList />
          <button type="button" class="btn btn-primary btn-block" onClick={() => go(4)}>Done: go to Today</button>
        </>
      ) : null}
    </Layout>
  );
}

/**
 * A few targets differ by sex (PROTOCOL §2: fiber, magnesium, vitamin K, ALA); without it the
 * higher of the two is used. Said in words on the targets step, so a number she reads there
 * never changes without a word later.
 */
function SexAssumed() {
  const rt = runtime();
  const profile = useLive(async () => (rt ? (await rt.store.list("profile"))[0] ?? null : null), [rt]);
  if (profile === undefined || (profile?.fields?.sex ?? null) !== null) return null;
  return (
    <p class="warn" data-testid="sex-assumed">
      You did not give your sex, so the higher target is used where women's and men's differ (fiber, magnesium, vitamin K, omega-3 from plants). To change that, go Back to step 1.
    </p>
  );
}

export function ProfileStep(props: { onNext?: () => void; saveLabel?: string; askUnits?: boolean }) {
  const rt = runtime();
  const profile = useLive(async () => (rt ? (await rt.store.list("profile"))[0] ?? null : null), [rt]);
  if (profile === undefined) return <p>Loading…</p>;
  return <ProfileForm key={profile?.id ?? "none"} fields={profile?.fields ?? {}} onNext={props.onNext} saveLabel={props.saveLabel} askUnits={props.askUnits === true} />;
}

const THIS_YEAR = new Date().getFullYear();

type SexChoice = "female" | "male" | "unsaid";
const SEX_OPTIONS = [["female", "Female"], ["male", "Male"], ["unsaid", "Prefer not to say"]] as const;
/**
 * Said under the Sex buttons (a phone shows them far above Next): an answer is needed, and
 * "Prefer not to say" is one (the higher targets are then used), so the words say that, not
 * "without an answer", which read as if she could go on without one.
 */
export const SEX_NEEDED = "Sex: choose Female, Male or Prefer not to say. Fibre, magnesium and vitamin K targets differ for women and men; if you prefer not to say, the higher one is used.";

/** What is wrong with the numbers typed, in words, or null: nothing implausible is saved. */
export function profileProblem(p: { birthYear: string; us: boolean; height: string; feet: string; inches: string }): string | null {
  if (p.birthYear) {
    const y = Number(p.birthYear);
    if (!Number.isInteger(y) || y < 1900 || y > THIS_YEAR - 18) return `Birth year: enter four digits between 1900 and ${THIS_YEAR - 18}.`;
  }
  if (p.us) {
    if (!p.feet && !p.inches) return null;
    const ft = Number(p.feet || 0);
    const inches = Number(p.inches || 0);
    if (!Number.isInteger(ft) || ft < 3 || ft > 7) return "Height: feet should be between 3 and 7 (for 5 ft 4 in, enter 5 and 4).";
    if (!(inches >= 0 && inches < 12)) return "Height: inches should be between 0 and 11.5.";
    return null;
  }
  if (!p.height) return null;
  const cm = Number(p.height);
  if (!(cm >= 100 && cm <= 230)) {
    return `Height: ${p.height} cm does not look right. Enter your height in centimetres (for example 163), or choose US units to enter feet and inches.`;
  }
  return null;
}

function ProfileForm(props: { fields: Record<string, unknown>; onNext?: (() => void) | undefined; saveLabel?: string | undefined; askUnits: boolean }) {
  const f = props.fields;
  const detected = deviceZone();
  const [system, setSystem] = useState<UnitSystem>(f.unit_system === "us" ? "us" : props.askUnits ? guessUnitSystem(detected, navigator.languages.length > 0 ? navigator.languages : navigator.language) : "metric");
  // "unsaid": she chose not to say (the higher targets apply); null: not answered yet, asked
  // during onboarding. In Settings a saved profile with no sex shows as "Prefer not to say".
  const [sex, setSex] = useState<SexChoice | null>(f.sex === "female" || f.sex === "male" ? f.sex : props.askUnits ? null : "unsaid");
  const [birthYear, setBirthYear] = useState(f.birth_year ? String(f.birth_year) : "");
  const us = system === "us";
  const [height, setHeight] = useState(f.height_cm ? String(f.height_cm) : "");
  // US units: feet and inches typed separately, stored as centimetres like every height.
  const ftIn = typeof f.height_cm === "number" ? cmToFtIn(f.height_cm) : null;
  const [feet, setFeet] = useState(ftIn ? String(ftIn.ft) : "");
  const [inches, setInches] = useState(ftIn ? String(ftIn.inches) : "");
  // The profile's own zone, even the default UTC: entries use it, so the form shows it and,
  // when the phone is elsewhere, says so with one tap to switch (ZoneMismatch). A profile
  // never saved yet (first onboarding) starts from the phone's zone.
  const saved = typeof f.time_zone === "string" ? f.time_zone : null;
  const [zone, setZone] = useState(saved !== null && !(props.askUnits && saved === "UTC") ? saved : detected);
  const [cleared, setCleared] = useState(f.cleared_for_high_impact === true);
  const [anticoag, setAnticoag] = useState(f.on_anticoagulant === true);
  const [osteo, setOsteo] = useState(f.osteoporosis === true);
  const [error, setError] = useState<string | null>(null);
  const [sexError, setSexError] = useState(false);
  const save = async (e: Event) => {
    e.preventDefault();
    if (sex === null) {
      setSexError(true);
      // Off-screen above on a phone: the focus (and the screen) goes to the buttons and their words.
      const first = document.querySelector<HTMLElement>("#sex-choice [role=radio]");
      first?.focus();
      document.getElementById("sex-choice")?.scrollIntoView({ block: "center" });
      return;
    }
    const problem = profileProblem({ birthYear, us, height, feet, inches });
    if (problem) {
      setError(problem);
      return;
    }
    const fields: EntityFields["profile"] = {
      sex: sex === "unsaid" ? null : sex,
      birth_year: birthYear ? Number(birthYear) : null,
      height_cm: us ? (feet || inches ? ftInToCm(Number(feet || 0), Number(inches || 0)) : null) : height ? Number(height) : null,
      time_zone: zone,
      cleared_for_high_impact: cleared,
      on_anticoagulant: anticoag,
      osteoporosis: osteo,
      ...(props.askUnits ? { unit_system: system } : {}),
    };
    if (!(await saveProfile(fields))) {
      setError("Your profile is not on this phone yet. Connect to the internet once, then try again.");
      return;
    }
    // Answered: Today stops offering set-up even before this save is pushed (app/setup.ts).
    rememberSetupAnswered(runtime()?.session.userId);
    props.onNext?.();
  };
  return (
    <form onSubmit={save} noValidate>
      {props.askUnits ? (
        <Choice label="Units" value={system} options={[["metric", "Metric (kg, cm)"], ["us", "US (lb, ft and in)"]]} onChange={setSystem} />
      ) : null}
      <Choice label="Sex (sets a few nutrient targets)" id="sex-choice" value={sex} options={SEX_OPTIONS} onChange={(v) => { setSex(v); setSexError(false); }} error={sexError ? SEX_NEEDED : null} />
      <NumberField label="Birth year" name="birth_year" value={birthYear} onInput={setBirthYear} />
      {us ? (
        <fieldset class="field height-us">
          <legend>Height</legend>
          <div class="pair">
            <NumberField label="Feet" unit="ft" name="height_ft" value={feet} onInput={setFeet} />
            <NumberField label="Inches" unit="in" name="height_in" value={inches} onInput={setInches} />
          </div>
        </fieldset>
      ) : (
        <NumberField label="Height" unit="cm" name="height_cm" value={height} onInput={setHeight} />
      )}
      {saved !== null && !props.askUnits ? (
        <ZoneMismatch
          profileZone={zone}
          onSwitch={(next) => {
            setZone(next);
            // One tap: the zone is saved at once, not only when the form is.
            void saveProfile({ time_zone: next }).then((ok) => { if (!ok) setError("The time zone could not be saved. Please try again."); });
          }}
        />
      ) : null}
      <TimeZonePicker value={zone} onChange={setZone} />
      <Toggle label="My doctor cleared me for high-impact exercise" name="cleared" checked={cleared} onChange={setCleared} hint="(jumping and bounding exercises, called plyometrics)" />
      <Toggle label="I take a blood thinner (anticoagulant)" name="anticoag" checked={anticoag} onChange={setAnticoag} />
      <Toggle label="I have been told I have osteoporosis" name="osteo" checked={osteo} onChange={setOsteo} />
      {error ? <p class="error" role="alert">{error}</p> : null}
      <button class="btn btn-primary btn-block" type="submit">{props.saveLabel ?? "Next"}</button>
    </form>
  );
}
