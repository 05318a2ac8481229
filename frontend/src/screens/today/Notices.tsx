/**
 * Two notices at the top of Today, about her profile rather than her day: set-up never finished
 * (app/setup.ts, F23), else her phone on another time zone than her profile (app/zoneNotice.ts,
 * F18). Set-up comes first: its first step asks the time zone too, from this phone.
 */
import { useState } from "preact/hooks";
import { useSyncValue } from "../../app/hooks";
import { runtime } from "../../app/runtime";
import { setupAnsweredHere, setupStepMissing } from "../../app/setup";
import { deviceZone } from "../../app/zone";
import { rememberKept, storedKept, zoneNotice } from "../../app/zoneNotice";
import type { StoredRecord } from "../../storage/store";

export function ProfileNotices(props: { profile: StoredRecord | undefined }) {
  const rt = runtime();
  const everSynced = useSyncValue((s) => s.everSynced, rt?.engine.getStatus().everSynced ?? false);
  const step = setupStepMissing(props.profile, everSynced, setupAnsweredHere(rt?.session.userId));
  if (step !== null) {
    return (
      <section class="card warn" role="status" aria-labelledby="finish-setup-h" data-testid="finish-setup">
        <h2 id="finish-setup-h">Finish setting up</h2>
        <p>
          A few questions are still open: your sex sets some of your targets (fibre, magnesium, vitamin K), and until you answer the higher ones are used. Your time zone and your
          medicines come next.
        </p>
        <a class="btn btn-primary" href={`/onboarding?step=${step}`}>Finish setting up</a>
      </section>
    );
  }
  return <ZoneBanner profile={props.profile} />;
}

function ZoneBanner(props: { profile: StoredRecord | undefined }) {
  const rt = runtime();
  // Re-drawn after Keep (the choice lives in this phone's storage, not in the profile).
  const [, setKept] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const zone = props.profile?.fields?.time_zone;
  const notice = zoneNotice(typeof zone === "string" ? zone : null, deviceZone(), storedKept);
  if (!notice || !props.profile) return null;
  const id = props.profile.id;
  const switchZone = async () => {
    if (!rt) return;
    try {
      // The profile's zone through the outbox like any edit: saved offline, pushed when online.
      await rt.store.save("profile", id, { time_zone: notice.phoneZone });
      await rt.changed();
    } catch {
      setError("The time zone could not be saved. Please try again.");
    }
  };
  return (
    <section class="card" role="status" data-testid="zone-notice">
      <p>{notice.words} Times in Fortify follow its zone, so they differ from your phone's clock.</p>
      <div class="actions">
        <button type="button" class="btn btn-primary" onClick={() => void switchZone()}>{notice.switchLabel}</button>
        <button type="button" class="btn" onClick={() => { rememberKept(notice.key); setKept((n) => n + 1); }}>{notice.keepLabel}</button>
      </div>
      {error ? <p class="error" role="alert">{error}</p> : null}
    </section>
  );
}
