/**
 * Settings: profile, targets, my foods, units, signed-in devices, data export, password, account
 * deletion, sign out (removes her data from this phone; asks first when changes are unsent).
 */
import { useState } from "preact/hooks";
import { Choice } from "../../app/forms";
import { useLive, useOnline, useSyncStatus } from "../../app/hooks";
import { lazyScreen } from "../../app/lazy";
import { navigate } from "../../app/router";
import { runtime, signOut } from "../../app/runtime";
import { Layout } from "../../app/ui";
import { ProfileStep } from "../onboarding/Onboarding";
import { MyFoods } from "./MyFoods";
import { saveProfile, TargetsEditor } from "./profile";

// The pages that only talk to the server (reminders, the care-team report, password, account
// deletion) are one chunk that the service worker does not precache (issue #14, the 400 KB
// budget): it is cached the first time one of them opens, online. Offline and never opened,
// the page says it needs a connection, as each of them says offline anyway.
const onlinePage = (name: keyof typeof import("./online"), title: string) =>
  lazyScreen(
    () => import("./online").then((m) => m[name]),
    (props) => <Layout title={title} back="/more/settings">{props.children}</Layout>,
    `${title} needs a connection the first time it opens on this phone. Connect to the internet, then try again.`,
  );
const CareTeamReport = onlinePage("CareTeamReport", "Report for my care team");
const RemindersPage = onlinePage("RemindersPage", "Reminders");
const ChangePasswordPage = onlinePage("ChangePasswordPage", "Change password");
const DeleteAccountPage = onlinePage("DeleteAccountPage", "Delete my account");
const DEVICES_OFFLINE = "Your signed-in devices and the download of your data need a connection. Connect to the internet to see them.";
/** Her signed-in devices and her data's download: both ask the server, so they come with the online pages. */
const DevicesAndExport = lazyScreen(
  () => import("./online").then((m) => m.DevicesAndExport),
  (props) => <section class="card">{props.children}</section>,
  DEVICES_OFFLINE,
);

export function Settings(props: { section: string | null; id?: string | null }) {
  const online = useOnline();
  if (props.section === "profile") return <Layout title="Profile" back="/more/settings"><ProfileStep saveLabel="Save profile" onNext={() => navigate("/more/settings")} /></Layout>;
  if (props.section === "targets") return <Layout title="Targets" back="/more/settings"><TargetsEditor /></Layout>;
  if (props.section === "foods") return <MyFoods id={props.id ?? null} />;
  if (props.section === "report") return <CareTeamReport />;
  if (props.section === "reminders") return <RemindersPage />;
  if (props.section === "password") return <ChangePasswordPage />;
  if (props.section === "delete") return <DeleteAccountPage />;
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
      {online ? (
        <DevicesAndExport />
      ) : (
        // Offline both only say they need the server: their chunk is not asked for (a failed
        // fetch is an error in the console, and nothing they show works offline anyway).
        <section class="card" aria-labelledby="dev-h">
          <h2 id="dev-h">Signed-in devices and your data</h2>
          <p class="muted">{DEVICES_OFFLINE}</p>
        </section>
      )}
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
