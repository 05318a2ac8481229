import { useState } from "preact/hooks";
import { Choice, NumberField, Toggle } from "../../app/forms";
import { useLive } from "../../app/hooks";
import { navigate } from "../../app/router";
import { runtime } from "../../app/runtime";
import { cmToFtIn, ftInToCm } from "../../app/units";
import { Layout } from "../../app/ui";
import { saveProfile, TargetsEditor } from "../settings/profile";
import { RegimenList } from "./regimen";

const STEPS = ["About you", "Your targets", "Medicines and supplements"] as const;

/** Three short steps after sign-up; each can be changed later in Settings. */
export function Onboarding(props: { step: number }) {
  const step = Math.min(Math.max(props.step, 1), 3);
  const go = (n: number) => navigate(n > 3 ? "/today" : `/onboarding?step=${n}`);
  return (
    <Layout title={`Step ${step} of 3: ${STEPS[step - 1]}`}>
      {step === 1 ? <ProfileStep onNext={() => go(2)} /> : null}
      {step === 2 ? (
        <>
          <p>These are the protocol's defaults. Change any of them if your care team gave you a different number.</p>
          <TargetsEditor />
          <button type="button" class="btn btn-primary btn-block" onClick={() => go(3)}>Next</button>
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

export function ProfileStep(props: { onNext?: () => void; saveLabel?: string }) {
  const rt = runtime();
  const profile = useLive(async () => (rt ? (await rt.store.list("profile"))[0] ?? null : null), [rt]);
  if (profile === undefined) return <p>Loading…</p>;
  return <ProfileForm key={profile?.id ?? "none"} fields={profile?.fields ?? {}} onNext={props.onNext} saveLabel={props.saveLabel} />;
}

function ProfileForm(props: { fields: Record<string, unknown>; onNext?: (() => void) | undefined; saveLabel?: string | undefined }) {
  const f = props.fields;
  const detected = Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
  const [sex, setSex] = useState<"female" | "male" | null>((f.sex as "female" | "male" | null) ?? null);
  const [birthYear, setBirthYear] = useState(f.birth_year ? String(f.birth_year) : "");
  const us = f.unit_system === "us";
  const [height, setHeight] = useState(f.height_cm ? String(f.height_cm) : "");
  // US units: feet and inches typed separately, stored as centimetres like every height.
  const ftIn = typeof f.height_cm === "number" ? cmToFtIn(f.height_cm) : null;
  const [feet, setFeet] = useState(ftIn ? String(ftIn.ft) : "");
  const [inches, setInches] = useState(ftIn ? String(ftIn.inches) : "");
  const [zone, setZone] = useState(typeof f.time_zone === "string" && f.time_zone !== "UTC" ? f.time_zone : detected);
  const [cleared, setCleared] = useState(f.cleared_for_high_impact === true);
  const [anticoag, setAnticoag] = useState(f.on_anticoagulant === true);
  const [osteo, setOsteo] = useState(f.osteoporosis === true);
  const [error, setError] = useState<string | null>(null);
  const save = async (e: Event) => {
    e.preventDefault();
    const fields: Record<string, unknown> = {
      sex,
      birth_year: birthYear ? Number(birthYear) : null,
      height_cm: us ? (feet || inches ? ftInToCm(Number(feet || 0), Number(inches || 0)) : null) : height ? Number(height) : null,
      time_zone: zone,
      cleared_for_high_impact: cleared,
      on_anticoagulant: anticoag,
      osteoporosis: osteo,
    };
    if (!(await saveProfile(fields))) {
      setError("Your profile is not on this phone yet. Connect to the internet once, then try again.");
      return;
    }
    props.onNext?.();
  };
  return (
    <form onSubmit={save}>
      <Choice label="Sex (sets a few nutrient targets)" value={sex} options={[["female", "Female"], ["male", "Male"]]} onChange={setSex} />
      <NumberField label="Birth year" name="birth_year" value={birthYear} onInput={setBirthYear} min={1900} max={2026} step={1} />
      {us ? (
        <fieldset class="field height-us">
          <legend>Height</legend>
          <div class="pair">
            <NumberField label="Feet" unit="ft" name="height_ft" value={feet} onInput={setFeet} min={1} max={8} step={1} />
            <NumberField label="Inches" unit="in" name="height_in" value={inches} onInput={setInches} min={0} max={11.5} step={0.5} />
          </div>
        </fieldset>
      ) : (
        <NumberField label="Height" unit="cm" name="height_cm" value={height} onInput={setHeight} min={50} max={272} />
      )}
      <div class="field">
        <label for="f-zone">Time zone</label>
        <input id="f-zone" value={zone} onInput={(e) => setZone((e.target as HTMLInputElement).value)} />
        <p class="hint">Detected on this phone: {detected}</p>
      </div>
      <Toggle label="My doctor cleared me for high-impact exercise" name="cleared" checked={cleared} onChange={setCleared} hint="(jumping, plyometrics)" />
      <Toggle label="I take a blood thinner (anticoagulant)" name="anticoag" checked={anticoag} onChange={setAnticoag} />
      <Toggle label="I have been told I have osteoporosis" name="osteo" checked={osteo} onChange={setOsteo} />
      {error ? <p class="error" role="alert">{error}</p> : null}
      <button class="btn btn-primary btn-block" type="submit">{props.saveLabel ?? "Next"}</button>
    </form>
  );
}
