/**
 * The Settings pages that only work with the server: the care-team report, reminders (push,
 * the server's reminders, the calendar link), changing the password, deleting the account.
 *
 * This module is the entry of one chunk, written to assets/online/ (vite.config.ts), which the
 * service worker does not precache but caches the first time it is fetched (sw.ts): the
 * precache holds what she needs offline, logging first, within its 400 KB budget (issue #14).
 * None of these pages can do anything offline; each says so when it opens without a connection.
 */
import { useEffect, useState } from "preact/hooks";
import { api } from "../../api/client";
import { useOnline } from "../../app/hooks";
import { runtime } from "../../app/runtime";
import { Layout } from "../../app/ui";
import { fmtDayTime } from "../../app/zone";
import { ChangePassword, DeleteAccount } from "./account";
import { RemindersSettings } from "./Reminders";
import { offlineWhyNot } from "./whyNot";

export { CareTeamReport } from "./Report";

export function RemindersPage() {
  return <Layout title="Reminders" back="/more/settings"><RemindersSettings /></Layout>;
}

export function ChangePasswordPage() {
  return <Layout title="Change password" back="/more/settings"><ChangePassword /></Layout>;
}

export function DeleteAccountPage() {
  return <Layout title="Delete my account" back="/more/settings"><DeleteAccount /></Layout>;
}

/** Two sections of the Settings page itself, fetched with the pages above. */
export function DevicesAndExport() {
  return (
    <>
      <Devices />
      <Export />
    </>
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
