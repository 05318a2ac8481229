/** Settings: profile, targets, my foods, units, signed-in devices, data export, sign out (warns first). */
import { useEffect, useState } from "preact/hooks";
import { api } from "../../api/client";
import { Choice } from "../../app/forms";
import { useLive, useOnline, useSyncStatus } from "../../app/hooks";
import { navigate } from "../../app/router";
import { runtime, signOut } from "../../app/runtime";
import { Layout } from "../../app/ui";
import { ProfileStep } from "../onboarding/Onboarding";
import { MyFoods } from "./MyFoods";
import { saveProfile, TargetsEditor } from "./profile";
import { RemindersSettings } from "./Reminders";
import { CareTeamReport } from "./Report";

export function Settings(props: { section: string | null; id?: string | null }) {
  if (props.section === "profile") return <Layout title="Profile" back="/more/settings"><ProfileStep saveLabel="Save profile" onNext={() => navigate("/more/settings")} /></Layout>;
  if (props.section === "targets") return <Layout title="Targets" back="/more/settings"><TargetsEditor /></Layout>;
  if (props.section === "foods") return <MyFoods id={props.id ?? null} />;
  if (props.section === "report") return <CareTeamReport />;
  if (props.section === "reminders") return <Layout title="Reminders" back="/more/settings"><RemindersSettings /></Layout>;
  return (
    <Layout title="Settings" back="/more">
      <ul class="menu">
        <li><a class="menu-item" href="/more/settings/profile"><strong>Profile</strong><span class="muted">Sex, birth year, height, time zone, health notes</span></a></li>
        <li><a class="menu-item" href="/more/settings/targets"><strong>Targets</strong><span class="muted">Change a target, mark it “set by my care team”</span></a></li>
        <li><a class="menu-item" href="/more/regimen"><strong>My medicines and supplements</strong></a></li>
        <li><a class="menu-item" href="/more/settings/foods"><strong>My foods</strong><span class="muted">Edit or delete the foods you added yourself</span></a></li>
        <li><a class="menu-item" href="/more/settings/report"><strong>Report for my care team</strong><span class="muted">Preview, download or share a PDF of your log</span></a></li>
        <li><a class="menu-item" href="/more/settings/reminders"><strong>Reminders</strong><span class="muted">Notifications, calendar link</span></a></li>
      </ul>
      <Units />
      <Devices />
      <Export />
      <SignOut />
    </Layout>
  );
}

function Units() {
  const rt = runtime();
  const unit = useLive(async () => (rt ? ((await rt.store.list("profile"))[0]?.fields?.unit_system as string | undefined) ?? "metric" : "metric"), [rt]);
  if (!unit) return null;
  return (
    <section class="card">
      <Choice label="Units" value={unit as "metric" | "us"} options={[["metric", "Metric (kg, cm, g)"], ["us", "US (lb, ft/in, oz)"]]} onChange={(v) => void saveProfile({ unit_system: v })} />
    </section>
  );
}

interface Device { id: string; device_name: string; last_used_at: string; current?: boolean }

function Devices() {
  const online = useOnline();
  const [devices, setDevices] = useState<Device[] | null>(null);
  const load = () => {
    api.GET("/api/v1/sessions").then((r) => setDevices((r.data as Device[] | undefined) ?? null)).catch(() => setDevices(null));
  };
  useEffect(() => { if (online) load(); }, [online]);
  return (
    <section class="card" aria-labelledby="dev-h">
      <h2 id="dev-h">Signed-in devices</h2>
      {!online ? <p class="muted">Connect to the internet to see your devices.</p> : null}
      <ul class="list">
        {(devices ?? []).map((d) => (
          <li key={d.id} class="list-row">
            <span>{d.device_name}{d.current ? " (this device)" : ""}<br /><span class="muted">last used {d.last_used_at.slice(0, 10)}</span></span>
            {!d.current ? (
              <button type="button" class="btn btn-quiet" aria-label={`Sign out ${d.device_name}`} onClick={() => void api.DELETE("/api/v1/sessions/{session_id}", { params: { path: { session_id: d.id } } }).then(load)}>Sign out</button>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}

function Export() {
  const online = useOnline();
  const [msg, setMsg] = useState<string | null>(null);
  const download = async (path: string, name: string) => {
    const rt = runtime();
    if (!rt) return;
    try {
      const r = await fetch(path, { headers: { Authorization: `Bearer ${rt.session.token}` } });
      if (!r.ok) throw new Error(String(r.status));
      const url = URL.createObjectURL(await r.blob());
      const a = document.createElement("a");
      a.href = url;
      a.download = name;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      setMsg("Your download has started.");
    } catch {
      setMsg("The export needs a connection. Try again when you are online.");
    }
  };
  return (
    <section class="card" aria-labelledby="exp-h">
      <h2 id="exp-h">Your data</h2>
      <p>Download everything you have logged, to keep or to share with your care team.</p>
      <div class="actions">
        <button type="button" class="btn" disabled={!online} onClick={() => void download("/api/v1/export", "fortify-export.json")}>Export (JSON)</button>
        <button type="button" class="btn" disabled={!online} onClick={() => void download("/api/v1/export/csv", "fortify-export.zip")}>Export (CSV)</button>
      </div>
      {msg ? <p role="status">{msg}</p> : null}
    </section>
  );
}

function SignOut() {
  const status = useSyncStatus();
  const [confirming, setConfirming] = useState(false);
  const pending = status?.pending ?? 0;
  const out = async () => {
    await signOut();
    navigate("/signin", true);
  };
  return (
    <section class="card" aria-labelledby="out-h">
      <h2 id="out-h">Sign out</h2>
      {confirming ? (
        <div role="alert" class="warn">
          <p>
            <strong>{pending} change{pending === 1 ? " is" : "s are"} only on this device.</strong> They stay saved on this phone and are sent when you sign in again here, but other devices won't see them until then.
          </p>
          <div class="actions">
            <button type="button" class="btn btn-primary" onClick={() => { setConfirming(false); void runtime()?.engine.syncNow(); }}>Try to sync first</button>
            <button type="button" class="btn btn-danger" onClick={() => void out()}>Sign out anyway</button>
          </div>
        </div>
      ) : (
        <button type="button" class="btn btn-block" data-testid="sign-out" onClick={() => (pending > 0 ? setConfirming(true) : void out())}>Sign out</button>
      )}
    </section>
  );
}
