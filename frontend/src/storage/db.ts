/**
 * The IndexedDB schema (Dexie). Each schema change is a new `version(n)` with its own upgrade
 * step; never edit an old version's declaration, old phones still have to walk through it.
 *
 * Tables
 * - records:   every synced entity as the app sees it (key "<entity>:<id>"); `version` is the
 *              server's version the local copy is based on (null: never reached the server).
 * - outbox:    local changes not yet answered by the server, in the order they were made (seq).
 * - rejected:  operations the server refused (needs attention: edit again or discard).
 * - conflicts: values that lost a merge on the server (needs attention: restore or dismiss).
 * - meta:      small key/values (sync cursor, device id, person id, last sync time).
 * - foods:     the catalog's offline pack, for food search without a network.
 */
import Dexie, { type Table } from "dexie";
import type { EntityName } from "../api/entities";

/** The entity names the server publishes (api/entities.ts). */
export type { EntityName };

/**
 * A record's fields as stored: the server's shape for its entity (`EntityFields` in
 * api/entities.ts types every write), read back untyped because a pulled record may come from a
 * newer server or an older copy of the app.
 */
export type Fields = Record<string, unknown>;

/** "<entity>:<id>": the records table's key. */
export const keyOf = (entity: string, id: string): string => `${entity}:${id}`;

export interface StoredRecord {
  key: string;
  entity: EntityName;
  id: string;
  fields: Fields | null;
  version: number | null;
  deleted: boolean;
  /** Local clock (ms) of the last change on this device; orders "recent" lists. */
  touched: number;
}

export interface OutboxOp {
  seq?: number;
  op_id: string;
  key: string;
  entity: EntityName;
  id: string;
  kind: "upsert" | "delete";
  base_version: number | null;
  fields: Fields | null;
  created: number;
}

export interface RejectedOp {
  op_id: string;
  key: string;
  entity: EntityName;
  id: string;
  kind: "upsert" | "delete";
  fields: Fields | null;
  problem: Fields | null;
  at: number;
}

export interface ConflictRow {
  id: string;
  key: string;
  /** An EntityName, or (a conflict kept from an older import) a name this app does not keep. */
  entity: string;
  entity_id: string;
  field: string;
  losing_value: unknown;
  winning_value: unknown;
  /** The devices each value came from (the `device_id` of the push), when the server knows. */
  losing_device?: string | null;
  winning_device?: string | null;
  created_at: string;
}

export interface MetaRow {
  key: string;
  value: unknown;
}

/** One food of the offline pack, as the server sends it (compact keys kept as they are). */
export interface FoodRow {
  id: string;
  name: string;
  [k: string]: unknown;
}

/** IndexedDB refused a write because the device (or the browser's share of it) is full. */
export class StorageFullError extends Error {
  override name = "StorageFullError";
  constructor(cause?: unknown) {
    super("This phone has no room left for Fortify's data. Free some space, then try again.");
    this.cause = cause;
  }
}

/** The database was opened by a newer version of the app in another tab; reload to continue. */
export class StorageClosedError extends Error {
  override name = "StorageClosedError";
  constructor() {
    super("Fortify was updated in another tab. Reload this page to continue.");
  }
}

export class FortifyDb extends Dexie {
  records!: Table<StoredRecord, string>;
  outbox!: Table<OutboxOp, number>;
  rejected!: Table<RejectedOp, string>;
  conflicts!: Table<ConflictRow, string>;
  meta!: Table<MetaRow, string>;
  foods!: Table<FoodRow, string>;
  /** Set when another tab upgraded the schema and this connection was closed. */
  closedByUpgrade = false;

  constructor(name: string) {
    // No query cache: with it, Dexie deep-clones every live query's result (all of a person's
    // records for Today, each time), the costliest step of a first render on a slow phone.
    // Live queries still re-run on every change; they just read IndexedDB again.
    super(name, { cache: "disabled" });
    // Version 1: the first schema.
    this.version(1).stores({
      records: "key, entity",
      outbox: "++seq, &op_id, key",
      rejected: "op_id, key",
      conflicts: "id, key",
      meta: "key",
      foods: "id, name",
    });
    // Future versions: this.version(2).stores({...}).upgrade((tx) => ...), one step each.

    // Another tab opened a newer schema: let it proceed instead of blocking it.
    this.on("versionchange", () => {
      this.closedByUpgrade = true;
      this.close();
      return false;
    });
  }
}

/** Maps IndexedDB's quota failures (named differently across engines) to StorageFullError. */
export function namedStorageError(error: unknown): unknown {
  const name = (error as { name?: string } | null)?.name ?? "";
  const inner = (error as { inner?: { name?: string } } | null)?.inner?.name ?? "";
  if (name === "QuotaExceededError" || inner === "QuotaExceededError") {
    return new StorageFullError(error);
  }
  if (name === "DatabaseClosedError") return new StorageClosedError();
  return error;
}
