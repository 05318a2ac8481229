/**
 * "Needs attention": changes the server refused (edit again or discard) and values that lost a
 * merge with another device (restore mine, or keep the current value). Also the sync status.
 */
import { api } from "../../api/client";
import { NOUN } from "../../app/entries";
import { useLive, useOnline, useSyncStatus } from "../../app/hooks";
import { runtime } from "../../app/runtime";
import { KIND_PATH } from "../../app/summary";
import { showToast } from "../../app/toast";
import { Layout } from "../../app/ui";

const show = (v: unknown) => (v === null || v === undefined ? "(deleted)" : typeof v === "object" ? JSON.stringify(v) : String(v));

export function SyncScreen() {
  const rt = runtime();
  const status = useSyncStatus();
  const online = useOnline();
  const rejected = useLive(async () => (rt ? rt.store.db.rejected.toArray() : []), [rt]) ?? [];
  const conflicts = useLive(async () => (rt ? rt.store.db.conflicts.toArray() : []), [rt]) ?? [];
  const last = status?.lastSyncedAt ? new Date(status.lastSyncedAt).toLocaleString() : "not yet";

  const resolve = async (id: string, how: "restore" | "dismiss") => {
    if (!rt) return;
    const path = how === "restore" ? "/api/v1/sync/conflicts/{conflict_id}/restore" : "/api/v1/sync/conflicts/{conflict_id}/dismiss";
    const r = await api.POST(path, { params: { path: { conflict_id: id } } }).catch(() => null);
    if (r && (r.response.ok || r.response.status === 404 || r.response.status === 409)) {
      await rt.store.removeConflict(id);
      rt.changed();
      void rt.engine.syncNow();
    } else showToast("That needs a connection. Try again when you are online.");
  };

  return (
    <Layout title="Sync" back="/today">
      <section class="card" aria-labelledby="st-h">
        <h2 id="st-h">Status</h2>
        <p data-testid="sync-summary">
          {status?.pending ? `${status.pending} change${status.pending === 1 ? " is" : "s are"} only on this device.` : "Everything on this device is synced."}{" "}
          {online ? "" : "You are offline; changes are kept safely and sent when you are back online."}
        </p>
        <p class="muted">Last synced: {last}</p>
        <button type="button" class="btn btn-block" onClick={() => void rt?.engine.syncNow()}>Sync now</button>
      </section>
      <section aria-labelledby="att-h">
        <h2 id="att-h">Needs attention</h2>
        {rejected.length === 0 && conflicts.length === 0 ? <p class="empty">Nothing needs your attention.</p> : null}
        <ul class="list">
          {rejected.map((r) => (
            <li key={r.op_id} class="card">
              <p><strong>{NOUN[r.entity] ?? r.entity} was not accepted.</strong> {show((r.problem as { detail?: unknown } | null)?.detail ?? "")}</p>
              <div class="actions">
                {KIND_PATH[r.entity] ? <a class="btn" href={`/log/${KIND_PATH[r.entity]}?id=${r.id}`} onClick={() => void rt?.store.db.rejected.delete(r.op_id)}>Fix it</a> : null}
                <button type="button" class="btn btn-quiet" onClick={() => void rt?.store.discardRejected(r.op_id).then(() => { rt.changed(); void rt.engine.syncNow(); })}>Discard my change</button>
              </div>
            </li>
          ))}
          {conflicts.map((c) => (
            <li key={c.id} class="card">
              <p><strong>{NOUN[c.entity] ?? c.entity}: changed on two devices.</strong></p>
              <p>{c.field === "*" ? "The whole entry" : `“${c.field.replace(/_/g, " ")}”`}: kept {show(c.winning_value)}; the other change was {show(c.losing_value)}.</p>
              <div class="actions">
                <button type="button" class="btn" onClick={() => void resolve(c.id, "restore")}>Use the other change</button>
                <button type="button" class="btn btn-quiet" onClick={() => void resolve(c.id, "dismiss")}>Keep as it is</button>
              </div>
            </li>
          ))}
        </ul>
      </section>
    </Layout>
  );
}
