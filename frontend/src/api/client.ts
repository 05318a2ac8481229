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

/** The fields of the account forms, in the words the screens use. */
const FIELD_WORDS: Record<string, string> = {
  email: "email address",
  password: "password",
  new_password: "new password",
  current_password: "current password",
  display_name: "name",
  device_name: "device name",
  token: "link",
};

/** Problems about the request as a whole, not about a field she filled in. */
const NOT_A_FIELD = new Set(["request", "body", "authorization", "scope", "query", "path"]);

/** A field path ("items[0].grams", "new_password") in plain words, or null for no field. */
export function fieldWords(field: unknown): string | null {
  if (typeof field !== "string" || !field || NOT_A_FIELD.has(field)) return null;
  const last = field.split(".").pop()?.replace(/\[\d+\]/g, "") ?? field;
  if (!last || NOT_A_FIELD.has(last)) return null;
  return FIELD_WORDS[last] ?? last.replace(/_/g, " ");
}

const sentence = (text: string) => {
  const t = text.trim();
  return t.charAt(0).toUpperCase() + t.slice(1) + (/[.!?]$/.test(t) ? "" : ".");
};

/**
 * The first human-readable message of an RFC 9457 problem answer, as a sentence that names the
 * field in plain words: the server's `errors[].detail` may be a fragment that follows the field
 * ("is one of the most common passwords…"), shown alone it would start mid-sentence.
 */
export function problemText(error: unknown, fallback = "Something went wrong. Please try again."): string {
  const p = error as { detail?: unknown; errors?: { field?: unknown; detail?: unknown }[] } | undefined;
  const first = p?.errors?.[0];
  if (typeof first?.detail === "string" && first.detail.trim()) {
    const detail = first.detail.trim();
    const words = fieldWords(first.field);
    if (!words) return sentence(detail);
    // A fragment that follows the field's name: "The new password is one of…".
    if (/^[a-z]/.test(detail)) return sentence(`The ${words} ${detail}`);
    if (detail.toLowerCase().includes(words.toLowerCase())) return sentence(detail);
    return sentence(`The ${words} was not accepted: ${detail.charAt(0).toLowerCase()}${detail.slice(1)}`);
  }
  if (typeof p?.detail === "string") return sentence(p.detail);
  return fallback;
}
