/**
 * Local-first writes and the sync engine's bookkeeping, on top of db.ts.
 *
 * A local write (`save`, `remove`) updates the record the UI reads AND appends its outbox
 * operation in one transaction. Edits send only the fields that changed, based on the server
 * version the device last saw (`base_version`), so the server can merge field by field.
 * Records that still have outbox operations are "only on this device"; records named by a
 * rejected operation or a conflict "need attention"; everything else is "synced".
 *
 * Writes are typed by the server's schema for their entity (`EntityFields`, api/entities.ts);
 * reads stay `Fields`, since a pulled record may come from a newer server. The food pack's side
 * (own foods and favourites laid into the `foods` table) is foods.ts, reached as `store.foods`.
 */
import type { EntityFields, EntityName, RemoteRecord } from "../api/entities";
import { FortifyDb, keyOf, namedStorageError } from "./db";
import type { ConflictRow, Fields, FoodRow, OutboxOp, RejectedOp, StoredRecord } from "./db";
import { Foods, mirrorFood } from "./foods";

export type { ConflictRow, EntityName, Fields, FoodRow, OutboxOp, RejectedOp, RemoteRecord, StoredRecord };
export { FortifyDb, keyOf, StorageClosedError, StorageFullError } from "./db";
export { foodRowOf } from "./foods";

/** "not-saved": a new entry the server refused; it counts nowhere until she edits it (app/day.ts). */
export type SyncState = "local" | "synced" | "attention" | "not-saved";

/** A random UUID (v4); ids and op ids are made on the device. */
export function uuid(): string {
  return crypto.randomUUID();
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Fields of `next` whose value differs from `prev`. */
export function changedFields(prev: Fields, next: Fields): Fields {
  const out: Fields = {};
  for (const [k, v] of Object.entries(next)) if (!sameValue(prev[k], v)) out[k] = v;
  return out;
}

/**
 * A stored record's fields typed as its entity's, for code that copies them into a new write
 * (a dose from its regimen item). Trusted, not checked: they are what a typed write made
 * (`save`) or what the server sent for that entity under its own schema. `Partial`, since a
 * record written by an older app may lack a field added since; `{}` for another entity's record.
 */
export function fieldsOf<E extends EntityName>(record: StoredRecord | undefined, entity: E): Partial<EntityFields[E]> {
  if (record?.entity !== entity || !record.fields) return {};
  return record.fields as Partial<EntityFields[E]>;
}

/**
 * The tables a local write touches: a food of the person's own is also a row of the food pack
 * (search reads the pack), kept in step in the same transaction.
 */
function tablesFor(entity: EntityName): string[] {
  return entity === "custom_foods" ? ["records", "outbox", "foods"] : ["records", "outbox"];
}

/**
 * The fields of a refused change that the server's problem names (`errors[].field`, a path
 * such as "time_zone" or "fields.items[0].grams": its first part that is a field of the change).
 * Empty when the problem names none, so the whole change is the culprit.
 */
export function refusedFields(row: { fields: Fields | null; problem: Fields | null }): string[] {
  const problem = row.problem as { field?: unknown; errors?: { field?: unknown }[] } | null;
  const errors = [...(problem?.errors ?? []), ...(problem?.field !== undefined ? [{ field: problem.field }] : [])];
  const out = new Set<string>();
  for (const e of errors) {
    if (typeof e.field !== "string") continue;
    const hit = e.field.split(/[.[\]]+/).find((part) => row.fields && Object.hasOwn(row.fields, part));
    if (hit) out.add(hit);
  }
  return [...out];
}

export class Store {
  /** The food pack's side: the person's own foods, favourites, the pack itself (foods.ts). */
  readonly foods: Foods;

  constructor(readonly db: FortifyDb) {
    this.foods = new Foods(this);
  }

  static open(name: string): Store {
    return new Store(new FortifyDb(name));
  }

  /**
   * Runs a read-write transaction, naming quota and closed-database failures. A write inside
   * one joins it (Dexie nests transactions), so foods.ts wraps `save` with the pack's table.
   */
  async rw<T>(tables: string[], body: () => Promise<T>): Promise<T> {
    try {
      return await this.db.transaction("rw", tables, body);
    } catch (error) {
      throw namedStorageError(error);
    }
  }

  /**
   * The `base_version` of a new change of a record: the version stored for it, unless a queued
   * change of the record was made on an older one; then that older one. A queued change was made
   * before the pull (or merged answer) that moved the stored version on, and the server may have
   * applied it before that version, its answer lost: its value, laid over the pulled fields,
   * then hides a value the pulled version holds, which the person never saw. Sent with the
   * pulled version, the new change would be taken as fresh and overwrite that value with no
   * conflict; with the older one the server merges and keeps it as a conflict. Call inside the
   * write's transaction (it reads the outbox).
   */
  private async baseVersion(key: string, stored: number | null): Promise<number | null> {
    let base = stored;
    for (const op of await this.db.outbox.where("key").equals(key).toArray()) {
      if ((op.base_version ?? 0) < (base ?? 0)) base = op.base_version;
    }
    return base;
  }

  // --- reads ----------------------------------------------------------------------------------

  /** Live (not deleted) records of one entity. */
  async list(entity: EntityName): Promise<StoredRecord[]> {
    const rows = await this.db.records.where("entity").equals(entity).toArray();
    return rows.filter((r) => !r.deleted && r.fields);
  }

  /**
   * Live records of several entities, grouped: ONE read of the table instead of one query per
   * entity (each query costs a transaction; a screen that needs everything pays that once).
   */
  async listMany(entities: readonly EntityName[]): Promise<Map<EntityName, StoredRecord[]>> {
    const out = new Map<EntityName, StoredRecord[]>(entities.map((e) => [e, []]));
    for (const r of await this.db.records.toArray()) {
      if (!r.deleted && r.fields) out.get(r.entity)?.push(r);
    }
    return out;
  }

  async get(entity: EntityName, id: string): Promise<StoredRecord | undefined> {
    return this.db.records.get(keyOf(entity, id));
  }

  async getMeta<T>(key: string): Promise<T | undefined> {
    return (await this.db.meta.get(key))?.value as T | undefined;
  }

  async setMeta(key: string, value: unknown): Promise<void> {
    await this.rw(["meta"], async () => {
      await this.db.meta.put({ key, value });
    });
  }

  /** This install's id: stable, made on first use. */
  async deviceId(): Promise<string> {
    const existing = await this.getMeta<string>("device_id");
    if (existing) return existing;
    const id = uuid();
    await this.setMeta("device_id", id);
    return id;
  }

  /** Per-record sync state for every key that is not plainly synced. */
  async states(): Promise<Map<string, SyncState>> {
    const out = new Map<string, SyncState>();
    for (const op of await this.db.outbox.toArray()) out.set(op.key, "local");
    for (const c of await this.db.conflicts.toArray()) out.set(c.key, "attention");
    for (const r of await this.db.rejected.toArray()) out.set(r.key, (await this.isRefusedCreate(r)) ? "not-saved" : "attention");
    return out;
  }

  async counts(): Promise<{ pending: number; attention: number }> {
    const [pending, rejected, conflicts] = await Promise.all([
      this.db.outbox.count(),
      this.db.rejected.count(),
      this.db.conflicts.count(),
    ]);
    return { pending, attention: rejected + conflicts };
  }

  // --- local writes ---------------------------------------------------------------------------

  /**
   * Creates or edits a record. A new record's op carries every field; an edit's only the ones
   * that changed (nothing changed: nothing queued). Returns the record as stored.
   *
   * `fields` is typed by the server's schema for the entity, so a field the server would refuse
   * fails `tsc` instead of the push. It is `Partial` because an edit may carry only some fields
   * (they are laid over the stored ones); callers that create, such as app/entries.ts, ask for
   * the whole `EntityFields[E]`.
   */
  async save<E extends EntityName>(entity: E, id: string, fields: Partial<EntityFields[E]>): Promise<StoredRecord> {
    return this.rw(tablesFor(entity), async () => {
      const key = keyOf(entity, id);
      const prev = await this.db.records.get(key);
      const isNew = !prev || prev.deleted || !prev.fields;
      const merged = isNew ? { ...fields } : { ...prev.fields, ...fields };
      const sent = isNew ? merged : changedFields(prev.fields ?? {}, fields);
      const record: StoredRecord = {
        key,
        entity,
        id,
        fields: merged,
        version: prev?.version ?? null,
        deleted: false,
        touched: Date.now(),
      };
      await this.db.records.put(record);
      // A new record is always sent, even with no fields (a favourite is just its id).
      if (isNew || Object.keys(sent).length > 0) {
        await this.db.outbox.add({
          op_id: uuid(),
          key,
          entity,
          id,
          kind: "upsert",
          base_version: await this.baseVersion(key, prev?.version ?? null),
          fields: sent,
          created: Date.now(),
        });
      }
      if (entity === "custom_foods") await mirrorFood(this.db, entity, id);
      return record;
    });
  }

  /**
   * Creates records whose ids were agreed beforehand (a reminder's dose id) unless they exist
   * already, each with its outbox op, all in ONE transaction. A second "Taken" for the same
   * reminder therefore queues nothing, and the first one's fields are never overwritten.
   * Returns the ids it created.
   */
  async createOnce<E extends EntityName>(entity: E, rows: { id: string; fields: EntityFields[E] }[]): Promise<string[]> {
    return this.rw(["records", "outbox"], async () => {
      const created: string[] = [];
      for (const row of rows) {
        const key = keyOf(entity, row.id);
        if (await this.db.records.get(key)) continue;
        await this.db.records.put({
          key,
          entity,
          id: row.id,
          fields: { ...row.fields },
          version: null,
          deleted: false,
          touched: Date.now(),
        });
        await this.db.outbox.add({
          op_id: uuid(),
          key,
          entity,
          id: row.id,
          kind: "upsert",
          base_version: null,
          fields: { ...row.fields },
          created: Date.now(),
        });
        created.push(row.id);
      }
      return created;
    });
  }

  /**
   * Deletes a record locally (kept as a tombstone with its fields, so `undoRemove` can bring it
   * back) and queues the delete. A record the server never saw just loses its queued ops.
   */
  async remove(entity: EntityName, id: string): Promise<void> {
    await this.rw(tablesFor(entity), async () => {
      const key = keyOf(entity, id);
      const prev = await this.db.records.get(key);
      if (!prev) return;
      await this.db.records.put({ ...prev, deleted: true, touched: Date.now() });
      await this.db.outbox.add({
        op_id: uuid(),
        key,
        entity,
        id,
        kind: "delete",
        base_version: await this.baseVersion(key, prev.version),
        fields: null,
        created: Date.now(),
      });
      if (entity === "custom_foods") await mirrorFood(this.db, entity, id);
    });
  }

  /**
   * Undoes a delete. When the delete is still in the outbox it is simply withdrawn; when it
   * already reached the server (deletes are final there), the record comes back as a copy with
   * a new id. Once the server has answered the delete the local tombstone is gone too, so the
   * caller passes the fields it had (`before`) for the copy. Returns the id the record now has.
   */
  async undoRemove(entity: EntityName, id: string, before?: Fields | null): Promise<string> {
    return this.rw(tablesFor(entity), async () => {
      const key = keyOf(entity, id);
      const prev = await this.db.records.get(key);
      const fields = prev?.fields ?? before ?? null;
      if (!fields) return id;
      const ops = await this.db.outbox.where("key").equals(key).toArray();
      const pendingDelete = ops.find((op) => op.kind === "delete");
      if (prev?.fields && pendingDelete?.seq !== undefined) {
        await this.db.outbox.delete(pendingDelete.seq);
        await this.db.records.put({ ...prev, deleted: false, touched: Date.now() });
        if (entity === "custom_foods") await mirrorFood(this.db, entity, id);
        return id;
      }
      const copy = uuid();
      const copyKey = keyOf(entity, copy);
      await this.db.records.put({
        key: copyKey,
        entity,
        id: copy,
        fields,
        version: null,
        deleted: false,
        touched: Date.now(),
      });
      await this.db.outbox.add({
        op_id: uuid(),
        key: copyKey,
        entity,
        id: copy,
        kind: "upsert",
        base_version: null,
        fields,
        created: Date.now(),
      });
      if (entity === "custom_foods") await mirrorFood(this.db, entity, copy);
      return copy;
    });
  }

  // --- the sync engine's side ------------------------------------------------------------------

  /** The oldest queued operations, in the order they were made. */
  async pendingOps(limit: number): Promise<OutboxOp[]> {
    return this.db.outbox.orderBy("seq").limit(limit).toArray();
  }

  /** The server applied an op: drop it and record the version (and the merged record, if any). */
  async ackApplied(op: OutboxOp, version: number | null, record: RemoteRecord | null): Promise<void> {
    await this.rw(["records", "outbox", "foods"], async () => {
      await this.db.outbox.where("op_id").equals(op.op_id).delete();
      if (record) {
        await this.applyOne(record);
        return;
      }
      const prev = await this.db.records.get(op.key);
      if (!prev) return;
      if (op.kind === "delete") {
        const rest = await this.db.outbox.where("key").equals(op.key).count();
        if (rest === 0) await this.db.records.delete(op.key);
        return;
      }
      if (version !== null && (prev.version === null || version > prev.version)) {
        await this.db.records.put({ ...prev, version });
      }
    });
  }

  /**
   * The server had answered this op's op_id for a different change (`op_id_reused`) and wrote
   * nothing: the op keeps its place in the outbox under a new op_id, to be sent again. Only if
   * the outbox still holds it under the old one (a page and the worker may both hear it).
   */
  async remint(op: OutboxOp): Promise<void> {
    await this.rw(["outbox"], async () => {
      const row = await this.db.outbox.where("op_id").equals(op.op_id).first();
      if (row?.seq !== undefined) await this.db.outbox.update(row.seq, { op_id: uuid() });
    });
  }

  /** The server refused an op: it leaves the outbox and waits for the person in `rejected`. */
  async reject(op: OutboxOp, problem: Fields | null): Promise<void> {
    await this.rw(["outbox", "rejected"], async () => {
      await this.db.outbox.where("op_id").equals(op.op_id).delete();
      await this.db.rejected.put({
        op_id: op.op_id,
        key: op.key,
        entity: op.entity,
        id: op.id,
        kind: op.kind,
        fields: op.fields,
        problem,
        at: Date.now(),
      });
    });
  }

  /** The server kept its own record (an edit of a deleted record): take it, keep the conflict. */
  async ackConflict(op: OutboxOp, record: RemoteRecord | null): Promise<void> {
    await this.rw(["records", "outbox", "foods"], async () => {
      await this.db.outbox.where("op_id").equals(op.op_id).delete();
      if (record) await this.applyOne(record);
    });
  }

  async addConflicts(rows: ConflictRow[]): Promise<void> {
    if (rows.length === 0) return;
    await this.rw(["conflicts"], async () => {
      await this.db.conflicts.bulkPut(rows);
    });
  }

  /**
   * Lays a server record over the local copy. Queued local changes win locally until they are
   * answered: their fields are laid back on top, and a queued delete keeps the record hidden.
   */
  private async applyOne(remote: RemoteRecord): Promise<void> {
    await this.applyRecord(remote);
    if (remote.entity === "custom_foods" || remote.entity === "favourites") await mirrorFood(this.db, remote.entity, remote.id);
  }

  private async applyRecord(remote: RemoteRecord): Promise<void> {
    const key = keyOf(remote.entity, remote.id);
    const ops = await this.db.outbox.where("key").equals(key).sortBy("seq");
    if (ops.length === 0) {
      if (remote.deleted || !remote.fields) {
        await this.db.records.delete(key);
        return;
      }
      await this.db.records.put({
        key,
        entity: remote.entity,
        id: remote.id,
        fields: remote.fields,
        version: remote.version,
        deleted: false,
        touched: (await this.db.records.get(key))?.touched ?? 0,
      });
      return;
    }
    const prev = await this.db.records.get(key);
    let fields: Fields | null = remote.deleted ? null : { ...(remote.fields ?? {}) };
    let deleted = remote.deleted;
    for (const op of ops) {
      if (op.kind === "delete") deleted = true;
      else {
        fields = { ...(fields ?? {}), ...(op.fields ?? {}) };
        deleted = false;
      }
    }
    await this.db.records.put({
      key,
      entity: remote.entity,
      id: remote.id,
      fields: fields ?? prev?.fields ?? null,
      version: remote.version,
      deleted,
      touched: prev?.touched ?? 0,
    });
  }

  /** Stores one pulled page and the cursor after it, together. */
  async applyPage(changes: RemoteRecord[], cursor: string, seen?: Set<string>): Promise<void> {
    await this.rw(["records", "outbox", "meta", "foods"], async () => {
      for (const change of changes) {
        await this.applyOne(change);
        seen?.add(keyOf(change.entity, change.id));
      }
      await this.db.meta.put({ key: "cursor", value: cursor });
    });
  }

  /**
   * After a full resync: records the server no longer has are dropped, unless they still have
   * queued changes (the outbox is never thrown away) or are waiting in `rejected`.
   */
  async dropUnseen(seen: Set<string>): Promise<void> {
    await this.rw(["records", "outbox", "rejected"], async () => {
      const keep = new Set<string>([
        ...(await this.db.outbox.toArray()).map((o) => o.key),
        ...(await this.db.rejected.toArray()).map((r) => r.key),
      ]);
      const keys = (await this.db.records.toCollection().primaryKeys()) as string[];
      const gone = keys.filter((k) => !seen.has(k) && !keep.has(k));
      await this.db.records.bulkDelete(gone);
    });
  }

  /**
   * Discards a rejected change without losing anything else. The fields the server named are
   * dropped and the rest of the change is queued again (an edit of sex, birth year and time zone
   * refused for its time zone keeps the sex and birth year); a full pull then puts the server's
   * values back for the dropped fields. Only a new record the server never had goes with it,
   * and never the profile, which the server always has.
   */
  async discardRejected(opId: string): Promise<void> {
    await this.rw(["records", "outbox", "rejected", "meta"], async () => {
      const row = await this.db.rejected.get(opId);
      if (!row) return;
      await this.db.rejected.delete(opId);
      const rec = await this.db.records.get(row.key);
      const pending = await this.db.outbox.where("key").equals(row.key).count();
      const onServer = row.entity === "profile" || (rec?.version ?? null) !== null;
      if (!onServer) {
        if (rec && pending === 0) await this.db.records.delete(row.key);
        return;
      }
      const refused = new Set(refusedFields(row));
      const rest = Object.fromEntries(Object.entries(row.fields ?? {}).filter(([k]) => !refused.has(k)));
      if (row.kind === "upsert" && refused.size > 0 && Object.keys(rest).length > 0) {
        await this.db.outbox.add({
          op_id: uuid(),
          key: row.key,
          entity: row.entity,
          id: row.id,
          kind: "upsert",
          base_version: await this.baseVersion(row.key, rec?.version ?? null),
          fields: rest,
          created: Date.now(),
        });
      }
      // The local copy still holds the refused values: pull everything again to restore the
      // server's (queued changes are laid back on top as they arrive).
      await this.db.meta.put({ key: "cursor", value: null });
    });
  }

  /**
   * True when a refused change is the create of a record the server never accepted: discarding
   * it deletes the whole new entry (there is no earlier version to put back).
   */
  async isRefusedCreate(row: RejectedOp): Promise<boolean> {
    if (row.entity === "profile") return false;
    const rec = await this.db.records.get(row.key);
    return (rec?.version ?? null) === null;
  }

  /**
   * Called after a record is saved again from its form. When the server refused its create
   * (it never had the record), the refusal is settled and the record is queued whole again: an
   * op with only the changed fields could not create it. Edits are left alone: their refusals
   * are cleared by "Edit" or "Discard" on the Sync screen.
   */
  async settleRefusedCreate(entity: EntityName, id: string): Promise<void> {
    const key = keyOf(entity, id);
    await this.rw(["records", "outbox", "rejected"], async () => {
      const rec = await this.db.records.get(key);
      if (!rec || rec.deleted || !rec.fields || rec.version !== null) return;
      if ((await this.db.rejected.where("key").equals(key).count()) === 0) return;
      await this.db.rejected.where("key").equals(key).delete();
      await this.db.outbox.where("key").equals(key).delete();
      await this.db.outbox.add({
        op_id: uuid(),
        key,
        entity,
        id,
        kind: "upsert",
        base_version: null,
        fields: { ...rec.fields },
        created: Date.now(),
      });
    });
  }

  /**
   * Takes the server's list of unresolved conflicts as this phone's: adds the new ones and, when
   * `complete` (the list was not cut at its limit), drops those no longer on it (restored or
   * dismissed on another device). Returns the rows this phone did not have.
   */
  async replaceConflicts(rows: ConflictRow[], complete: boolean): Promise<ConflictRow[]> {
    let added: ConflictRow[] = [];
    await this.rw(["conflicts"], async () => {
      const had = new Set(await this.db.conflicts.toCollection().primaryKeys());
      added = rows.filter((r) => !had.has(r.id));
      if (complete) {
        const keep = new Set(rows.map((r) => r.id));
        await this.db.conflicts.bulkDelete([...had].filter((id) => !keep.has(id)));
      }
      await this.db.conflicts.bulkPut(rows);
    });
    return added;
  }

  async removeConflict(id: string): Promise<void> {
    await this.db.conflicts.delete(id);
  }
}
