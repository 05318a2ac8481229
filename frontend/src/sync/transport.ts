/**
 * How the sync engine reaches the server: `POST /api/v1/sync/push`, `GET /api/v1/sync/pull` and
 * `GET /api/v1/sync/conflicts` through the typed client. Shared by the page and the service worker (it uses only fetch, no
 * DOM), so Background Sync runs exactly the page's engine. Every entity, custom foods and
 * favourites included (docs/sync.md), goes through the one outbox and these two calls.
 */
import type { Client } from "openapi-fetch";
import { api as defaultClient } from "../api/client";
import type { paths } from "../api/schema";
import type { SyncTransport } from "./engine";

/**
 * A transport over `api` (the page's and the worker's typed client; tests pass their own). The
 * bodies are the generated OpenAPI types end to end: the operations go out as `Operation`s, the
 * answers come back as `PushResponse` / `PullResponse`, and a refusal as its problem.
 */
export function makeTransport(api: Client<paths>): SyncTransport {
  return {
    async push(device_id, operations) {
      const r = await api.POST("/api/v1/sync/push", { body: { device_id, operations } });
      return { status: r.response.status, body: r.data, problem: r.error, retryAfterSeconds: retryAfter(r.response) };
    },
    async pull(cursor, limit) {
      const r = await api.GET("/api/v1/sync/pull", {
        params: { query: cursor ? { cursor, limit } : { limit } },
      });
      return { status: r.response.status, body: r.data, problem: r.error, retryAfterSeconds: retryAfter(r.response) };
    },
    async conflicts(limit) {
      const r = await api.GET("/api/v1/sync/conflicts", { params: { query: { limit } } });
      return { status: r.response.status, body: r.data, problem: r.error };
    },
  };
}

/** `Retry-After` in seconds (the server sends seconds, never a date); undefined without one. */
export function retryAfter(response: Response): number | undefined {
  const value = response.headers.get("Retry-After");
  if (value === null || !/^\d+$/.test(value.trim())) return undefined;
  return Number(value.trim());
}

export const transport: SyncTransport = makeTransport(defaultClient);
