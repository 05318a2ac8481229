/**
 * The typed API client: openapi-fetch over the types generated from the backend's OpenAPI
 * document (`npm run gen:api` writes schema.d.ts; never edit it by hand).
 */
import createClient, { type Middleware } from "openapi-fetch";
import type { paths } from "./schema";

export type { paths };

let bearer: string | null = null;

/** Sets (or clears) the bearer token sent with every request. */
export function setToken(token: string | null): void {
  bearer = token;
}

const auth: Middleware = {
  onRequest({ request }) {
    if (bearer) request.headers.set("Authorization", `Bearer ${bearer}`);
    return request;
  },
};

export const api = createClient<paths>({ baseUrl: "" });
api.use(auth);

/** The first human-readable message of an RFC 9457 problem answer. */
export function problemText(error: unknown, fallback = "Something went wrong. Please try again."): string {
  const p = error as { detail?: unknown; errors?: { detail?: unknown }[] } | undefined;
  const first = p?.errors?.[0]?.detail;
  if (typeof first === "string") return first;
  if (typeof p?.detail === "string") return p.detail;
  return fallback;
}
