/**
 * Settings → Change password, and Settings → Delete my account: both need the server. Loaded
 * through ./online.tsx, which the service worker does not precache (issue #14).
 */
import { useEffect, useState } from "preact/hooks";
import { api, problemText } from "../../api/client";
import { TextField } from "../../app/forms";
import { useOnline } from "../../app/hooks";
import { changePassword, deleteAccount } from "../../app/runtime";
import { deleteNeeds, deleteWhyNot, offlineWhyNot } from "./whyNot";

/** What an API access token is, in plain words only ("access tokens" meant nothing to her, in brackets or not). */
const CONNECTED = "connected apps and shortcuts";

const MISMATCH = "The new password and the one typed again are not the same. Please type the new password again in both boxes.";

export function ChangePassword() {
  const online = useOnline();
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const [again, setAgain] = useState("");
  const [msg, setMsg] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  // Her calendar links, read first: a calendar that silently stopped showing her medicine
  // reminders after a password change was found by an outside walk; she is told by name.
  const [feeds, setFeeds] = useState(0);
  const [feedsEnded, setFeedsEnded] = useState(false);
  useEffect(() => {
    if (!online) return;
    void api
      .GET("/api/v1/calendar-feeds")
      .then((r) => setFeeds(r.data?.length ?? 0))
      .catch(() => undefined);
  }, [online]);
  const submit = async (e: Event) => {
    e.preventDefault();
    setMsg(null);
    // A typing slip in a hidden box would lock her out: the new password is typed twice.
    if (next !== again) {
      setMsg({ ok: false, text: MISMATCH });
      return;
    }
    setBusy(true);
    try {
      await changePassword(current, next);
      setCurrent("");
      setNext("");
      setAgain("");
      setMsg({ ok: true, text: `Your password was changed. Your other devices were signed out, and your ${CONNECTED} and calendar links stopped working.` });
      setFeedsEnded(feeds > 0);
    } catch (err) {
      setMsg({ ok: false, text: err instanceof TypeError ? "Changing your password needs a connection." : problemText(err) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="card">
      <p>Your other devices will be signed out, and any {CONNECTED} and calendar links will stop working. This phone stays signed in.</p>
      {feeds > 0 && !feedsEnded ? (
        <p data-testid="calendar-warning">
          <strong>Your calendar reminders will stop.</strong> Your phone's calendar shows your medicine times through a calendar link; after the change, make a new link in Reminders and add it to your calendar again.
        </p>
      ) : null}
      <form onSubmit={submit}>
        <TextField label="Current password" name="current_password" type="password" value={current} onInput={setCurrent} autocomplete="current-password" required />
        <TextField label="New password (at least 10 characters, hard to guess)" name="new_password" type="password" value={next} onInput={setNext} autocomplete="new-password" required minLength={10} />
        <TextField label="New password, typed again" name="new_password_again" type="password" value={again} onInput={setAgain} autocomplete="new-password" required />
        {msg ? <p class={msg.ok ? "" : "error"} role={msg.ok ? "status" : "alert"}>{msg.text}</p> : null}
        {feedsEnded ? (
          <div class="card" data-testid="calendar-ended">
            <p><strong>Your calendar reminders have stopped.</strong> Make a new calendar link and add it to your calendar again.</p>
            <a class="btn btn-block" href="/more/settings/reminders">Make a new calendar link</a>
          </div>
        ) : null}
        <button type="submit" class="btn btn-primary btn-block" disabled={busy || !online} aria-describedby="password-why">{busy ? "Please wait…" : "Change password"}</button>
        <p id="password-why" class="hint why-not" aria-live="polite">{offlineWhyNot("Changing your password", online) ?? ""}</p>
      </form>
    </section>
  );
}

export function DeleteAccount() {
  const online = useOnline();
  const [password, setPassword] = useState("");
  const [sure, setSure] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const whyNot = deleteWhyNot({ password, sure, online });
  const submit = async (e: Event) => {
    e.preventDefault();
    // Not disabled (a disabled button cannot be reached to hear why): a press while something is
    // missing goes to the first missing step, and the sentence under the button says what it is.
    if (whyNot !== null) {
      const first = deleteNeeds({ password, sure, online })[0];
      if (first?.includes("password")) document.getElementById("f-delete_password")?.focus();
      else if (first) document.getElementById("delete-sure")?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await deleteAccount(password);
    } catch (err) {
      setError(err instanceof TypeError ? "Deleting your account needs a connection." : problemText(err));
      setBusy(false);
    }
  };
  return (
    <section class="card" aria-labelledby="del-h">
      <h2 id="del-h">This deletes, at once and for good:</h2>
      <ul>
        <li>everything you logged: meals, medicines and doses, exercise, symptoms, lab results, weight</li>
        <li>your profile, targets, reminders and the foods you added</li>
        <li>your signed-in devices, {CONNECTED} and calendar links</li>
        <li>what Fortify keeps on this phone, and on your other devices the next time they connect</li>
      </ul>
      <p>It cannot be undone. To keep a copy, use “Export” in Settings first.</p>
      <form onSubmit={submit}>
        <TextField label="Your password" name="delete_password" type="password" value={password} onInput={setPassword} autocomplete="current-password" required />
        <label class="check">
          <input type="checkbox" id="delete-sure" checked={sure} onChange={(e) => setSure((e.target as HTMLInputElement).checked)} />
          <span>I understand that my account and all my data will be deleted</span>
        </label>
        {error ? <p class="error" role="alert">{error}</p> : null}
        <button type="submit" class="btn btn-danger btn-block" data-testid="delete-account" aria-disabled={busy || whyNot !== null} aria-describedby="delete-why">{busy ? "Deleting…" : "Delete my account"}</button>
        <p id="delete-why" class="hint why-not" aria-live="polite" data-testid="delete-why">{busy ? "" : whyNot ?? ""}</p>
      </form>
    </section>
  );
}
