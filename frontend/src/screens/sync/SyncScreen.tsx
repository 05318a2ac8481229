/**
 * "Needs attention": changes the server refused (edit again or discard) and values that lost a
 * merge with another device (restore mine, or keep the current value). Also the sync status.
 */
import { api } from "../../api/client";
import { NOUN, nounOf } from "../../app/entries";
import { useUnitSystem } from "../../app/units";
import { useLive, useOnline, useSyncStatus } from "../../app/hooks";
import { runtime } from "../../app/runtime";
import { KIND_PATH } from "../../app/summary";
import { fmtDayTime } from "../../app/zone";
import { showToast } from "../../app/toast";
import { Layout } from "../../app/ui";
import { refusedFields, type RejectedOp } from "../../storage/store";
import { conflictText, fieldWords, refusalText, type Conflict } from "./problems";


/** Where to edit what was refused. */
function editPath(r: RejectedOp): string | null {
  if (r.entity === "profile") return "/more/settings/profile";
  if (r.entity === "regimen") return "/more/regimen";
  if (r.entity === "custom_foods") return `/more/settings/foods?id=${r.id}`;
  return KIND_PATH[r.entity] ? `/log/${KIND_PATH[r.entity]}?id=${r.id}` : null;
}

/** The status line: what is waiting to be sent and what needs her, never "synced" over either. */
export function syncSummary(pending: number, attention: number): string {
  const waiting = pending ? `${pending} change${pending === 1 ? " is" : "s are"} only on this device.` : "";
  const needs = attention ? `${attention} change${attention === 1 ? " needs" : "s need"} your attention (below).` : "";
  return [waiting, needs].filter(Boolean).join(" ") || "Everything on this device is synced.";
}

export function SyncScreen() {
  const rt = runtime();
  const status = useSyncStatus();
  const online = useOnline();
  const rejected = useLive(async () => (rt ? rt.store.db.rejected.toArray() : []), [rt]) ?? [];
  // Refused creates: the server never had the entry, so "Discard" would delete it whole.
  const creates = useLive(async () => {
    const out = new Set<string>();
    for (const r of rt ? await rt.store.db.rejected.toArray() : []) if (await rt?.store.isRefusedCreate(r)) out.add(r.op_id);
    return out;
  }, [rt]) ?? new Set<string>();
  const conflicts: Conflict[] = useLive(async () => (rt ? rt.store.db.conflicts.toArray() : []), [rt]) ?? [];
  const system = useUnitSystem() ?? "metric";
  // Which values came from this phone: the server names the device of each side of a conflict.
  const myDevice = useLive(async () => (rt ? ((await rt.store.getMeta<string>("device_id")) ?? null) : null), [rt]) ?? null;
  const attention = rejected.length + conflicts.length;
  const last = status?.lastSyncedAt ? fmtDayTime(new Date(status.lastSyncedAt).toISOString()) : "not yet";

  const resolve = async (id: string, how: "restore" | "dismiss") => {
    if (!rt) return;
    const path = how === "restore" ? "/api/v1/sync/conflicts/{conflict_id}/restore" : "/api/v1/sync/conflicts/{conflict_id}/dismiss";
    const r = await api.POST(path, { params: { path: { conflict_id: id } } }).catch(() => null);
    if (r && (r.response.ok || r.response.status === 404 || r.response.status === 409)) {
      await rt.store.removeConflict(id);
      await rt.changed();
      void rt.engine.syncNow();
    } else showToast("That needs a connection. Try again when you are online.");
  };

  return (
    <Layout title="Sync" back="/today">
      <section class="card" aria-labelledby="st-h">
        <h2 id="st-h">Status</h2>
        <p data-testid="sync-summary">
          {syncSummary(status?.pending ?? 0, attention)}{" "}
          {online ? "" : "You are offline; changes are kept safely and sent when you are back online."}
        </p>
        <p class="muted">Last synced: {last}</p>
        <button type="button" class="btn btn-block" onClick={() => void rt?.engine.syncNow()}>Sync now</button>
      </section>
      <section aria-labelledby="att-h">
        <h2 id="att-h">Needs attention</h2>
        {rejected.length === 0 && conflicts.length === 0 ? <p class="empty">Nothing needs your attention.</p> : null}
        <ul class="list">
          {rejected.map((r) => {
            const fields = refusedFields(r).map(fieldWords);
            const edit = editPath(r);
            const isCreate = creates.has(r.op_id);
            const noun = r.entity === "custom_foods" ? "food" : (NOUN[r.entity] ?? "entry").toLowerCase();
            const discard = () => void rt?.store.discardRejected(r.op_id).then(async () => { await rt.changed(); void rt.engine.syncNow(); });
            // Editing a refused create keeps it: the form saves it whole again (settling this).
            const onEdit = isCreate ? undefined : discard;
            return (
              <li key={r.op_id} class="card" data-testid="rejected">
                <p><strong>{refusalText(r, system)}</strong></p>
                <p class="muted">
                  {isCreate
                    ? `This new ${noun} was never saved on the server. ${edit ? `“Edit” opens it to fix${fields.length ? ` the ${fields.join(" and ")}` : " it"}; ` : ""}“Delete” removes the whole ${noun} from this phone.`
                    : fields.length
                      ? `“Discard” puts back the ${fields.join(" and ")} saved before; the rest of this change is kept.`
                      : r.entity === "profile"
                        ? "“Discard” puts back your profile as it was saved before."
                        : "“Discard” removes this change from this phone."}
                </p>
                <div class="actions">
                  {edit ? <a class="btn btn-primary" href={edit} onClick={onEdit}>Edit</a> : null}
                  <button type="button" class={isCreate ? "btn btn-danger" : "btn btn-quiet"} onClick={discard}>
                    {isCreate ? `Delete this new ${noun}` : fields.length ? `Discard my ${fields.join(" and ")}` : "Discard my change"}
                  </button>
                </div>
              </li>
            );
          })}
          {conflicts.map((c) => (
            <li key={c.id} class="card">
              <p><strong>{nounOf(c.entity) ?? "A record"}: changed on two devices.</strong></p>
              <p data-testid="conflict-text">{conflictText(c, system, myDevice)}</p>
              <div class="actions">
                <button type="button" class="btn" onClick={() => void resolve(c.id, "restore")}>
                  {myDevice && c.losing_device === myDevice ? "Put back my change" : "Use the other change"}
                </button>
                <button type="button" class="btn btn-quiet" onClick={() => void resolve(c.id, "dismiss")}>Keep as it is</button>
              </div>
            </li>
          ))}
        </ul>
      </section>
    </Layout>
  );
}
