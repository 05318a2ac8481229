/**
 * Signing in, up, and back in by an emailed link: the calls only the sign-in screens make, so
 * they stay out of the first download (which carries Today); each signed-in answer starts the
 * person's runtime (runtime.ts begin).
 */
import { api } from "../api/client";
import { begin, type Runtime } from "./runtime";

/**
 * This phone's name for the sessions list ("Chrome on Android"), fetched with the sign-in: only
 * the sign-in screens need it, and the first download carries Today (its chunk is precached).
 */
async function thisDeviceName(): Promise<string> {
  return (await import("./deviceName")).thisDeviceName();
}

/** Signs in with email and password; the device name says which phone this is. */
export async function signIn(email: string, password: string): Promise<Runtime> {
  const device_name = await thisDeviceName();
  const r = await api.POST("/api/v1/sessions", { body: { email, password, device_name } });
  if (!r.data) throw r.error ?? new Error("sign-in failed");
  return begin(r.data);
}

/** Asks for an account: the server mails a link (the same answer for a known address). */
export async function signUp(email: string, password: string, display_name: string): Promise<void> {
  const r = await api.POST("/api/v1/accounts", { body: { email, password, display_name } });
  if (!r.data) throw r.error ?? new Error("sign-up failed");
}

/**
 * Opens the sign-up link with the password chosen at sign-up (anyone can sign up with any
 * address, so the account is only ever made with a password the person opening the link
 * knows): the account is created and this device signed in.
 */
export async function verifyEmail(token: string, password: string): Promise<Runtime> {
  const r = await api.POST("/api/v1/accounts/verify", { body: { token, password, device_name: await thisDeviceName() } });
  if (!r.data) throw r.error ?? new Error("verification failed");
  return begin(r.data, true);
}

/** Whether a sign-up link still works, before she types her password (throws the problem when not). */
export async function checkSignUpLink(token: string): Promise<void> {
  const r = await api.POST("/api/v1/accounts/verify/check", { body: { token } });
  if (r.response.status !== 204) throw r.error ?? new Error("check failed");
}

/** Asks for a password-reset link (the same answer whether or not the address has an account). */
export async function forgotPassword(email: string): Promise<void> {
  const r = await api.POST("/api/v1/password/forgot", { body: { email } });
  if (!r.data) throw r.error ?? new Error("request failed");
}

/** Whether the reset link still works, asked as its page opens (nothing is used up). */
export async function checkResetLink(token: string): Promise<void> {
  const r = await api.POST("/api/v1/password/reset/check", { body: { token } });
  if (r.response.status !== 204) throw r.error ?? new Error("check failed");
}

/** Opens the reset link with a new password: every other device is signed out, this one in. */
export async function resetPassword(token: string, new_password: string): Promise<Runtime> {
  const r = await api.POST("/api/v1/password/reset", { body: { token, new_password, device_name: await thisDeviceName() } });
  if (!r.data) throw r.error ?? new Error("reset failed");
  return begin(r.data, true);
}
