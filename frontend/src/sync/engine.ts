/**
 * The sync engine: a plain module with no UI. It moves the outbox to the server and the
 * server's changes into IndexedDB, and says how it went through `subscribe`.
 *
 * One cycle (`syncNow`): PUSH the outbox oldest first, in batches, each op with the op_id it
 * was given when it was queued (a retry after a lost answer sends the same op_id and the server
 * answers `duplicate` with its first answer, so nothing is applied twice); then PULL pages
 * after the stored cursor until `has_more` is false, storing each page and its cursor in one
 * transaction (a crash mid-pull resumes from the last stored page).
 *
 * Answers, per operation: `applied` drops the op and records the new version (a `merged`
 * answer also brings the merged record); `duplicate` is handled as its `original` answer;
 * `conflict` (an edit of a record deleted elsewhere) takes the server's record; `rejected`
 * moves the op to the "needs attention" list, except `op_id_reused` (the server had answered
 * that op_id for a different change, so it wrote nothing): a slip of ids, not the person's, so the
 * op keeps its place under a new op_id and is sent again (at most `REMINT_LIMIT` times a push,
 * so a server that always says so cannot loop us). Conflicts the server recorded (values that lost a
 * merge) are kept for the person to restore or dismiss.
 *
 * A push answer names the conflicts that push caused, so the phone whose write came second (and
 * won) hears of them at once. The phone whose write lost only sees its value replaced in the
 * pull: after a pull that brought changes (and on the first cycle), the engine reads the
 * server's list (`GET /sync/conflicts`) and takes it as the phone's list (one resolved on
 * another device leaves it too), and tells `onLostEdits` listeners of new ones whose losing
 * value came from this phone.
 *
 * 410 on pull: the cursor is older than the server's tombstone horizon. The engine pulls from
 * the start and drops local records the server no longer has, keeping the outbox untouched.
 *
 * Failures (no network, 5xx, 429) retry with exponential backoff and jitter (2 s doubling up to
 * 5 min); a 401 stops the engine until the person signs in again. While the browser says it is
 * offline a trigger sends nothing: it waits for the backoff or the `online` event. Cycles never overlap: a
 * trigger during a cycle runs one more cycle after it.
 *
 * The clock: the engine never orders writes by time. The outbox is ordered by its local
 * sequence and the server orders by arrival; `Date.now()` only stamps "last synced at".
 */
import type { OpAnswer, PullPage, PushAnswer, ServerConflict, WireOp } from "../api/entities";
import type { ConflictRow, Fields, OutboxOp, Store } from "../storage/store";
import { keyOf } from "../storage/store";

export type { OpAnswer, PullPage, PushAnswer, ServerConflict, WireOp };

export const PUSH_BATCH = 100;
/** How often one push gives an op a new op_id after `op_id_reused` before showing it refused. */
export const REMINT_LIMIT = 3;
export const PULL_LIMIT = 500;
export const BACKOFF_BASE_MS = 2_000;
export const BACKOFF_MAX_MS = 5 * 60_000;
/** The most conflicts one read of the server's list asks for (its maximum). */
export const CONFLICTS_LIMIT = 500;

/**
 * The server's answer to one call: `body` is the success answer (typed by the API), `problem`
 * the problem+json of a refusal (401, 410, 422 …), when there is one.
 */
export interface TransportAnswer<T> {
  status: number;
  body?: T | undefined;
  problem?: unknown;
  /** The server's `Retry-After` in seconds, when it sent one (a 503 while an import runs, a 429). */
  retryAfterSeconds?: number | undefined;
}

/** How the engine reaches the server; the app passes the typed API client, tests a fake. */
export interface SyncTransport {
  push(deviceId: string, operations: WireOp[]): Promise<TransportAnswer<PushAnswer>>;
  pull(cursor: string | null, limit: number): Promise<TransportAnswer<PullPage>>;
  /**
   * The person's unresolved conflicts, newest first. A transport without it (a test's) leaves
   * the phone only the conflicts its own pushes were answered with.
   */
  conflicts?(limit: number): Promise<TransportAnswer<{ items: ServerConflict[] }>>;
}

export type Phase = "idle" | "syncing" | "offline" | "retrying" | "signed-out";

export interface SyncStatus {
  phase: Phase;
  pending: number;
  attention: number;
  lastSyncedAt: number | null;
  /**
   * Whether this phone ever finished a sync (on this visit or an earlier one). Until it has,
   * nothing may say "synced": the data shown may not be everything the server has.
   */
  everSynced: boolean;
  /** Delay before the next retry, when retrying. */
  retryInMs: number | null;
  /**
   * Why the server stopped accepting this device's session, when it said (`signed_out`,
   * `revoked`, `expired`, `password_changed`, `account_deleted`); set with phase "signed-out".
   */
  signedOutReason?: string | null;
}

export interface EngineOptions {
  /** Schedules `fn` after `ms`; returns a cancel function. Tests pass a fake clock. */
  setTimer?: (fn: () => void, ms: number) => () => void;
  random?: () => number;
  now?: () => number;
  /** Known before IndexedDB answers (the app remembers it), so the first paint is right. */
  everSynced?: boolean;
}

/** Thrown inside a cycle when the server cannot be reached or answers 5xx/429. */
class Unreachable extends Error {
  /** How long the server asked to wait (its Retry-After), if it said. */
  constructor(readonly retryAfterMs: number | null = null) {
    super("unreachable");
  }
}
class SignedOut extends Error {
  constructor(readonly reason: string | null) {
    super("signed out");
  }
}

/** A JSON object (a problem+json body, an answer's `original`), as opposed to any other value. */
export function isObject(value: unknown): value is Fields {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The reason a 401 problem names (errors[0].rule), if any. */
export function endedReason(problem: unknown): string | null {
  const errors = isObject(problem) ? problem.errors : undefined;
  const rule: unknown = Array.isArray(errors) ? errors[0] : undefined;
  return isObject(rule) && rule.field === "authorization" && typeof rule.rule === "string" ? rule.rule : null;
}

const STATUSES: readonly unknown[] = ["applied", "duplicate", "conflict", "rejected"] satisfies OpAnswer["status"][];

/**
 * A `duplicate` answer's `original`: the answer the op got the first time, which the server
 * stores as it sent it (an `OpResult`; the schema types it as any object). Anything else is
 * handled as a plain `applied`, as before.
 */
export function originalAnswer(original: OpAnswer["original"]): Partial<OpAnswer> {
  const isAnswer = (o: unknown): o is OpAnswer => isObject(o) && STATUSES.includes(o.status);
  return isAnswer(original) ? original : { status: "applied" };
}

/**
 * Whether the server refused the op because its op_id had been answered for a different change
 * (docs/sync.md: rule `op_id_reused` naming `op_id`). Never stored, so never inside a
 * `duplicate`'s original.
 */
export function opIdReused(answer: OpAnswer): boolean {
  const errors = answer.status === "rejected" && isObject(answer.problem) ? answer.problem.errors : undefined;
  return Array.isArray(errors) && errors.some((e) => isObject(e) && e.field === "op_id" && e.rule === "op_id_reused");
}

/** Whether the browser says it has no network at all (its "online" is only a maybe). */
const isOffline = (): boolean => typeof navigator !== "undefined" && navigator.onLine === false;

const isRetryable = (status: number): boolean => status === 0 || status === 429 || status >= 500;

export function toWire(op: OutboxOp): WireOp {
  const wire: WireOp = {
    op_id: op.op_id,
    entity: op.entity,
    id: op.id,
    kind: op.kind,
    base_version: op.base_version,
  };
  if (op.kind === "upsert" && op.fields) wire.fields = op.fields;
  return wire;
}

export function conflictRow(c: ServerConflict): ConflictRow {
  return { ...c, key: keyOf(c.entity, c.entity_id) };
}

/**
 * Runs one push-and-pull with no other Fortify context's at the same time. Two tabs, or a tab and
 * the service worker's background sync, share one IndexedDB: two interleaved cycles could lay an
 * older pulled page over a newer one or move the cursor back. The Web Locks API (in windows and
 * workers alike) queues them; where it is missing (tests, old browsers) the cycle runs as it is.
 */
async function exclusively(work: () => Promise<void>): Promise<void> {
  const locks = typeof navigator !== "undefined" ? navigator.locks : undefined;
  if (!locks) return work();
  await locks.request("fortify-sync", work);
}

export class SyncEngine {
  private status: SyncStatus = {
    phase: "idle",
    pending: 0,
    attention: 0,
    lastSyncedAt: null,
    everSynced: false,
    retryInMs: null,
  };
  private listeners = new Set<(s: SyncStatus) => void>();
  private running: Promise<void> | null = null;
  private again = false;
  private failures = 0;
  private cancelRetry: (() => void) | null = null;
  private stopped = false;
  private readonly setTimer: NonNullable<EngineOptions["setTimer"]>;
  private readonly random: () => number;
  private readonly now: () => number;
  private lostEditListeners = new Set<(rows: ConflictRow[], deviceId: string) => void>();
  /** Whether the server's conflict list may hold some this phone lacks (first cycle, new changes). */
  private conflictsDue = true;

  constructor(
    private readonly store: Store,
    private readonly transport: SyncTransport,
    options: EngineOptions = {},
  ) {
    this.setTimer =
      options.setTimer ??
      ((fn, ms) => {
        const t = setTimeout(fn, ms);
        return () => clearTimeout(t);
      });
    this.random = options.random ?? Math.random;
    this.now = options.now ?? Date.now;
    if (options.everSynced) this.status = { ...this.status, everSynced: true };
  }

  subscribe(fn: (s: SyncStatus) => void): () => void {
    this.listeners.add(fn);
    fn(this.status);
    return () => this.listeners.delete(fn);
  }

  /**
   * Calls `fn` with the conflicts new to this phone whose losing value is this phone's (another
   * device's write replaced it), each time a cycle finds some.
   */
  onLostEdits(fn: (rows: ConflictRow[], deviceId: string) => void): () => void {
    this.lostEditListeners.add(fn);
    return () => this.lostEditListeners.delete(fn);
  }

  getStatus(): SyncStatus {
    return this.status;
  }

  /** Stops retries (sign-out); a later `syncNow` is refused. */
  stop(): void {
    this.stopped = true;
    this.cancelRetry?.();
    this.cancelRetry = null;
  }

  /** Recounts pending and attention items (after local writes) without syncing. */
  async refreshCounts(): Promise<void> {
    const counts = await this.store.counts();
    const everSynced = this.status.everSynced || (await this.store.getMeta<number>("last_synced_at")) !== undefined;
    this.set({ ...counts, everSynced });
  }

  /** Resolves when no cycle is running (and none is due right after). */
  async whenIdle(): Promise<void> {
    while (this.running) await this.running;
  }

  /** Runs a cycle now (or right after the current one). Resolves when the cycle is over. */
  syncNow(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (!this.running && isOffline()) return this.waitForNetwork();
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.cancelRetry?.();
    this.cancelRetry = null;
    this.running = this.cycle().finally(() => {
      this.running = null;
      if (this.again && !this.stopped) {
        this.again = false;
        void this.syncNow();
      }
    });
    return this.running;
  }

  /**
   * Offline (the browser knows it has no network): no request, which could only fail and log an
   * error on every trigger (a screen's write, a return to the app). The `online` event (the
   * runtime's trigger) or the backoff retry already scheduled brings the next attempt; a
   * trigger meanwhile neither sends nor shortens the wait.
   */
  private async waitForNetwork(): Promise<void> {
    let retryInMs = this.status.retryInMs;
    if (!this.cancelRetry) {
      this.failures += 1;
      retryInMs = this.backoff(this.failures);
      this.cancelRetry = this.setTimer(() => {
        this.cancelRetry = null;
        void this.syncNow();
      }, retryInMs);
    }
    this.set({ phase: "offline", retryInMs, ...(await this.store.counts()) });
  }

  private set(patch: Partial<SyncStatus>): void {
    this.status = { ...this.status, ...patch };
    for (const fn of this.listeners) fn(this.status);
  }

  private async cycle(): Promise<void> {
    this.set({ phase: "syncing", retryInMs: null });
    try {
      await exclusively(async () => {
        await this.push();
        await this.pull();
        await this.readConflicts();
      });
      this.failures = 0;
      const lastSyncedAt = this.now();
      await this.store.setMeta("last_synced_at", lastSyncedAt);
      this.set({ phase: "idle", lastSyncedAt, everSynced: true, ...(await this.store.counts()) });
    } catch (error) {
      if (error instanceof SignedOut) {
        // The outbox stays as it is: it is pushed after the same person signs in again.
        this.set({ phase: "signed-out", signedOutReason: error.reason, ...(await this.store.counts()) });
        return;
      }
      if (!(error instanceof Unreachable)) throw error;
      this.failures += 1;
      // The server's Retry-After (e.g. while an import of this person's data runs) when it
      // said one, so the outbox is not sent again into the same 503 every few seconds.
      const delay = Math.min(BACKOFF_MAX_MS, Math.max(this.backoff(this.failures), error.retryAfterMs ?? 0));
      this.cancelRetry = this.setTimer(() => {
        this.cancelRetry = null;
        void this.syncNow();
      }, delay);
      this.set({
        phase: isOffline() ? "offline" : "retrying",
        retryInMs: delay,
        ...(await this.store.counts()),
      });
    }
  }

  /** 2 s, 4 s, 8 s … up to 5 min, each shortened by up to a quarter at random. */
  backoff(failures: number): number {
    const full = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** (failures - 1));
    return Math.round(full * (1 - 0.25 * this.random()));
  }

  private async call<T>(fn: () => Promise<TransportAnswer<T>>): Promise<TransportAnswer<T>> {
    let answer: TransportAnswer<T>;
    try {
      answer = await fn();
    } catch {
      throw new Unreachable();
    }
    if (answer.status === 401) throw new SignedOut(endedReason(answer.problem));
    if (isRetryable(answer.status)) {
      const seconds = answer.retryAfterSeconds;
      throw new Unreachable(seconds !== undefined && seconds > 0 ? seconds * 1000 : null);
    }
    return answer;
  }

  private async push(): Promise<void> {
    const deviceId = await this.store.deviceId();
    const reminted = new Map<number | undefined, number>(); // outbox seq -> new op_ids given
    for (;;) {
      const ops = await this.store.pendingOps(PUSH_BATCH);
      if (ops.length === 0) return;
      const answer = await this.call(() => this.transport.push(deviceId, ops.map(toWire)));
      const results = answer.body?.results;
      if (answer.status !== 200 || !results) {
        // The whole batch was refused (422: malformed). Park every op for the person.
        const problem = isObject(answer.problem) ? answer.problem : null;
        for (const op of ops) await this.store.reject(op, problem);
        continue;
      }
      const byId = new Map(results.map((r) => [r.op_id, r]));
      for (const op of ops) {
        const result = byId.get(op.op_id);
        if (!result) continue;
        const times = reminted.get(op.seq) ?? 0;
        if (opIdReused(result) && times < REMINT_LIMIT) {
          reminted.set(op.seq, times + 1);
          await this.store.remint(op);
          continue;
        }
        await this.settle(op, result);
      }
    }
  }

  private async settle(op: OutboxOp, answer: OpAnswer): Promise<void> {
    const result: Partial<OpAnswer> = answer.status === "duplicate" ? originalAnswer(answer.original) : answer;
    const conflicts = (result.conflicts ?? []).map(conflictRow);
    switch (result.status) {
      case "conflict":
        await this.store.ackConflict(op, result.record ?? null);
        break;
      case "rejected":
        await this.store.reject(op, result.problem ?? null);
        break;
      default:
        await this.store.ackApplied(op, result.version ?? null, result.record ?? null);
    }
    await this.store.addConflicts(conflicts);
  }

  private async pull(): Promise<void> {
    let cursor = (await this.store.getMeta<string | null>("cursor")) ?? null;
    let seen: Set<string> | null = cursor === null ? new Set() : null;
    for (;;) {
      const answer = await this.call(() => this.transport.pull(cursor, PULL_LIMIT));
      if (answer.status === 410) {
        // The cursor is too old: pull everything again; the outbox stays as it is.
        cursor = null;
        seen = new Set();
        await this.store.setMeta("cursor", null);
        continue;
      }
      const page = answer.body;
      if (answer.status !== 200 || !page) throw new Unreachable();
      await this.store.applyPage(page.changes, page.cursor, seen ?? undefined);
      if (page.changes.length > 0) this.conflictsDue = true;
      cursor = page.cursor;
      if (!page.has_more) break;
    }
    if (seen) await this.store.dropUnseen(seen);
  }

  /** Takes the server's conflict list when it may have changed; tells of this phone's lost edits. */
  private async readConflicts(): Promise<void> {
    const read = this.transport.conflicts?.bind(this.transport);
    if (!this.conflictsDue || !read) return;
    const answer = await this.call(() => read(CONFLICTS_LIMIT));
    this.conflictsDue = false;
    // A server without the list (404) or refusing the read: the push answers' conflicts stay.
    const items = answer.status === 200 ? answer.body?.items : undefined;
    if (!items) return;
    const added = await this.store.replaceConflicts(items.map(conflictRow), items.length < CONFLICTS_LIMIT);
    const deviceId = await this.store.deviceId();
    const lost = added.filter((c) => c.losing_device === deviceId);
    if (lost.length > 0) for (const fn of this.lostEditListeners) fn(lost, deviceId);
  }
}
