/**
 * Settings: profile, targets, my foods, units, signed-in devices, data export, password, account
 * deletion, sign out (removes her data from this phone; asks first when changes are unsent).
 */
import { useEffect, useState } from "preact/hooks";
import { api, problemText } from "../../api/client";
import { Choice, TextField } from "../../app/forms";
import { useLive, useOnline, useSyncStatus } from "../../app/hooks";
import { navigate } from "../../app/router";
import { changePassword, deleteAccount, runtime, signOut } from "../../app/runtime";
import { Layout } from "../../app/ui";
import { fmtDayTime } from "../../app/zone";
import { ProfileStep } from "../onboarding/Onboarding";
import { MyFoods } from "./MyFoods";
import { saveProfile, TargetsEditor } from "./profile";
import { RemindersSettings } from "./Reminders";
import { CareTeamReport } from "./Report";
import { deleteNeeds, deleteWhyNot, offlineWhyNot } from "./whyNot";

export function Settings(props: { section: string | null; id?: string | null }) {
  if (props.section === "profile") return <Layout title="Profile" back="/more/settings"><ProfileStep saveLabel="Save profile" onNext={() => navigate("/more/settings")} /></Layout>;
  if (props.section === "targets") return <Layout title="Targets" back="/more/settings"><TargetsEditor /></Layout>;
  if (props.section === "foods") return <MyFoods id={props.id ?? null} />;
  if (props.section === "report") return <CareTeamReport />;
  if (props.section === "reminders") return <Layout title="Reminders" back="/more/settings"><RemindersSettings /></Layout>;
  if (props.section === "password") return <Layout title="Change password" back="/more/settings"><ChangePassword /></Layout>;
  if (props.section === "delete") return <Layout title="Delete my account" back="/more/settings"><DeleteAccount /></Layout>;
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
      <ul class="menu">
        <li><a class="menu-item" href="/more/settings/password"><strong>Change password</strong><span class="muted">Signs out your other devices</span></a></li>
        <li><a class="menu-item" href="/more/settings/delete"><strong>Delete my account</strong><span class="muted">Everything you logged, for good</span></a></li>
      </ul>
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
        {/* This phone first, then the most recently used. */}
        {[...(devices ?? [])].sort((a, b) => Number(b.current ?? false) - Number(a.current ?? false) || b.last_used_at.localeCompare(a.last_used_at)).map((d) => (
          <li key={d.id} class="list-row">
            <span data-testid="device">
              <strong>{d.current ? "This phone" : d.device_name}</strong>
              <br />
              <span class="muted">{d.current ? d.device_name : `Last used ${fmtDayTime(d.last_used_at)}`}</span>
            </span>
            {!d.current ? (
              <button type="button" class="btn btn-quiet" aria-label={`Sign out that device: ${d.device_name}`} onClick={() => void api.DELETE("/api/v1/sessions/{session_id}", { params: { path: { session_id: d.id } } }).then(load)}>Sign out that device</button>
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
        <button type="button" class="btn" disabled={!online} aria-describedby="export-why" onClick={() => void download("/api/v1/export", "fortify-export.json")}>Download all my data (for another app or a backup)</button>
        <button type="button" class="btn" disabled={!online} aria-describedby="export-why" onClick={() => void download("/api/v1/export/csv", "fortify-export.zip")}>Export (CSV)</button>
      </div>
      <p id="export-why" class="hint why-not" aria-live="polite">{offlineWhyNot("Downloading your data", online) ?? ""}</p>
      {msg ? <p role="status">{msg}</p> : null}
    </section>
  );
}

/** What an API access token is, in plain words only ("access tokens" meant nothing to her, in brackets or not). */
const CONNECTED = "connected apps and shortcuts";

const MISMATCH = "The new password and the one typed again are not the same. Please type the new password again in both boxes.";

function ChangePassword() {
  const online = useOnline();
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const [again, setAgain] = useState("");
  const [msg, setMsg] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  // Her calendar links, read first: a calendar that silently stopped showing her medicine
  // reminders after a password change was found by an outside walk; she is told by name.
  const [feeds, setFeeds] = useState(0);
  const [feedsEnded, setFeedsEnded] = useState(false);
  useEffect(() => {
    if (!online) return;
    void api
      .GET("/api/v1/calendar-feeds")
      .then((r) => setFeeds(r.data?.length ?? 0))
      .catch(() => undefined);
  }, [online]);
  const submit = async (e: Event) => {
    e.preventDefault();
    setMsg(null);
    // A typing slip in a hidden box would lock her out: the new password is typed twice.
    if (next !== again) {
      setMsg({ ok: false, text: MISMATCH });
      return;
    }
    setBusy(true);
    try {
      await changePassword(current, next);
      setCurrent("");
      setNext("");
      setAgain("");
      setMsg({ ok: true, text: `Your password was changed. Your other devices were signed out, and your ${CONNECTED} and calendar links stopped working.` });
      setFeedsEnded(feeds > 0);
    } catch (err) {
      setMsg({ ok: false, text: err instanceof TypeError ? "Changing your password needs a connection." : problemText(err) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="card">
      <p>Your other devices will be signed out, and any {CONNECTED} and calendar links will stop working. This phone stays signed in.</p>
      {feeds > 0 && !feedsEnded ? (
        <p data-testid="calendar-warning">
          <strong>Your calendar reminders will stop.</strong> Your phone's calendar shows your medicine times through a calendar link; after the change, make a new link in Reminders and add it to your calendar again.
        </p>
      ) : null}
      <form onSubmit={submit}>
        <TextField label="Current password" name="current_password" type="password" value={current} onInput={setCurrent} autocomplete="current-password" required />
        <TextField label="New password (at least 10 characters, hard to guess)" name="new_password" type="password" value={next} onInput={setNext} autocomplete="new-password" required minLength={10} />
        <TextField label="New password, typed again" name="new_password_again" type="password" value={again} onInput={setAgain} autocomplete="new-password" required />
        {msg ? <p class={msg.ok ? "" : "error"} role={msg.ok ? "status" : "alert"}>{msg.text}</p> : null}
        {feedsEnded ? (
          <div class="card" data-testid="calendar-ended">
            <p><strong>Your calendar reminders have stopped.</strong> Make a new calendar link and add it to your calendar again.</p>
            <a class="btn btn-block" href="/more/settings/reminders">Make a new calendar link</a>
          </div>
        ) : null}
        <button type="submit" class="btn btn-primary btn-block" disabled={busy || !online} aria-describedby="password-why">{busy ? "Please wait…" : "Change password"}</button>
        <p id="password-why" class="hint why-not" aria-live="polite">{offlineWhyNot("Changing your password", online) ?? ""}</p>
      </form>
    </section>
  );
}

function DeleteAccount() {
  const online = useOnline();
  const [password, setPassword] = useState("");
  const [sure, setSure] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const whyNot = deleteWhyNot({ password, sure, online });
  const submit = async (e: Event) => {
    e.preventDefault();
    // Not disabled (a disabled button cannot be reached to hear why): a press while something is
    // missing goes to the first missing step, and the sentence under the button says what it is.
    if (whyNot !== null) {
      const first = deleteNeeds({ password, sure, online })[0];
      if (first?.includes("password")) document.getElementById("f-delete_password")?.focus();
      else if (first) document.getElementById("delete-sure")?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await deleteAccount(password);
    } catch (err) {
      setError(err instanceof TypeError ? "Deleting your account needs a connection." : problemText(err));
      setBusy(false);
    }
  };
  return (
    <section class="card" aria-labelledby="del-h">
      <h2 id="del-h">This deletes, at once and for good:</h2>
      <ul>
        <li>everything you logged: meals, medicines and doses, exercise, symptoms, lab results, weight</li>
        <li>your profile, targets, reminders and the foods you added</li>
        <li>your signed-in devices, {CONNECTED} and calendar links</li>
        <li>what Fortify keeps on this phone, and on your other devices the next time they connect</li>
      </ul>
      <p>It cannot be undone. To keep a copy, use “Export” in Settings first.</p>
      <form onSubmit={submit}>
        <TextField label="Your password" name="delete_password" type="password" value={password} onInput={setPassword} autocomplete="current-password" required />
        <label class="check">
          <input type="checkbox" id="delete-sure" checked={sure} onChange={(e) => setSure((e.target as HTMLInputElement).checked)} />
          <span>I understand that my account and all my data will be deleted</span>
        </label>
        {error ? <p class="error" role="alert">{error}</p> : null}
        <button type="submit" class="btn btn-danger btn-block" data-testid="delete-account" aria-disabled={busy || whyNot !== null} aria-describedby="delete-why">{busy ? "Deleting…" : "Delete my account"}</button>
        <p id="delete-why" class="hint why-not" aria-live="polite" data-testid="delete-why">{busy ? "" : whyNot ?? ""}</p>
      </form>
    </section>
  );
}

/**
 * Signing out of this phone removes her data from it: everything she logged is in her account
 * and comes back at the next sign-in, and a phone passed on (or lost, or shared) must not keep a
 * readable copy of her health log. Only changes the server has not received yet make her choose:
 * keep them here (sent when she signs in again as herself) or delete them with the rest.
 */
function SignOut() {
  const status = useSyncStatus();
  const [unsent, setUnsent] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);
  const out = async (removeData: boolean) => {
    setBusy(true);
    try {
      await signOut(removeData);
      navigate("/signin", true);
    } finally {
      setBusy(false);
    }
  };
  const start = async () => {
    const rt = runtime();
    setBusy(true);
    // One last try to send what is waiting, so that a phone with a connection rarely has to ask.
    if (rt && (status?.pending ?? 0) > 0) await rt.engine.syncNow().catch(() => undefined);
    const left = rt ? (await rt.store.counts()).pending : 0;
    if (left > 0) {
      setBusy(false);
      setUnsent(left);
    } else await out(true);
  };
  const changes = (n: number) => `${n} change${n === 1 ? "" : "s"}`;
  return (
    <section class="card" aria-labelledby="out-h">
      <h2 id="out-h">Sign out of this phone</h2>
      {unsent !== null ? (
        <div role="alert" class="warn" data-testid="sign-out-unsent">
          <p>
            <strong>{changes(unsent)} {unsent === 1 ? "is" : "are"} only on this device</strong>, not yet sent to your account (no connection, or the server did not answer).
          </p>
          <p>Keep {unsent === 1 ? "it" : "them"} on this phone: your data stays here and is sent when you sign in again here as yourself. Or delete everything of yours from this phone, {unsent === 1 ? "that change" : "those changes"} included.</p>
          <div class="actions">
            <button type="button" class="btn btn-primary" disabled={busy} onClick={() => { setUnsent(null); void runtime()?.engine.syncNow(); }}>Try to sync first</button>
            <button type="button" class="btn" disabled={busy} data-testid="sign-out-keep" onClick={() => void out(false)}>Sign out, keep my data on this phone</button>
            <button type="button" class="btn btn-danger" disabled={busy} data-testid="sign-out-remove" onClick={() => void out(true)}>Sign out, delete my data and the {changes(unsent)}</button>
          </div>
        </div>
      ) : (
        <>
          <p>Signing out removes your data from this phone. It stays in your account: sign in again to get it back, here or on another device.</p>
          <button type="button" class="btn btn-block" data-testid="sign-out" disabled={busy} onClick={() => void start()}>{busy ? "Signing out…" : "Sign out of this phone"}</button>
        </>
      )}
    </section>
  );
}
