import { useEffect, useState } from "preact/hooks";
import { problemText } from "../../api/client";
import { PasswordField, TextField } from "../../app/forms";
import { useOnline } from "../../app/hooks";
import { passwordProblem } from "../../app/password";
import { navigate } from "../../app/router";
import { forgetPendingLink, pendingLink, rememberPendingLink, type LinkKind } from "../../app/pendingLink";
import { EndedNotice } from "./Ended";
import { maskedEmail } from "../../app/ended";
import { lastEmail } from "../../app/runtime";
import { checkResetLink, checkSignUpLink, forgotPassword, resetPassword, signIn, signUp, verifyEmail } from "../../app/signIn";
import { AuthShell } from "./shell";

export type AuthMode = "signin" | "signup" | "forgot" | "verify" | "reset";

const OFFLINE = "No connection. Signing in needs the internet once; after that Fortify works offline.";

/** What each signed-out page needs the server for, said before she types while offline. */
const NEEDS_CONNECTION: Record<Exclude<AuthMode, "verify">, string> = {
  signin: "Signing in",
  signup: "Creating an account",
  forgot: "Sending a link",
  reset: "Choosing a new password",
};

function errorText(err: unknown): string {
  return err instanceof TypeError ? OFFLINE : problemText(err);
}

/** The token of an emailed link: it travels in the fragment (#token=…), never to a server log. */
function linkToken(): string {
  return new URLSearchParams(location.hash.slice(1)).get("token") ?? "";
}

/**
 * Whether the sign-up link was refused for its password (not the one chosen at sign-up): said
 * next to the field, the link still works. Anything else (a used, expired or voided link,
 * no connection) is said above the way to sign up again.
 */
export function refusedPassword(err: unknown): boolean {
  const first = (err as { errors?: { field?: unknown }[] } | undefined)?.errors?.[0];
  return first?.field === "password";
}

/** The server's answer for a link that was used, expired or replaced (the field `token`, rule `valid_link`). */
export function isDeadLink(err: unknown): boolean {
  const first = (err as { errors?: { field?: unknown; rule?: unknown }[] } | undefined)?.errors?.[0];
  return first?.field === "token" && first.rule === "valid_link";
}

/** /verify opened without its token: the mail app cut the link, or she typed the address. */
export const SIGN_UP_LINK_INCOMPLETE =
  "This link is incomplete: the part that confirms your email is missing (some mail apps cut long links). Open the newest mail from Fortify and tap its button, or copy the whole link into the browser.";

/** A sign-up link that was used, is more than a day old, or was replaced by a newer sign-up. */
export const SIGN_UP_LINK_DEAD =
  "This sign-up link no longer works: it was used already, it is more than 24 hours old, or you signed up again since (then only the newest mail's link works). Open the newest mail from Fortify, or sign up again for a new link.";

/** An address that may break after its "@" on a narrow screen, never inside its domain's words. */
function Address(props: { email: string }) {
  const at = props.email.lastIndexOf("@");
  if (at < 0) return <>{props.email}</>;
  return (
    <>
      {props.email.slice(0, at + 1)}
      <wbr />
      {props.email.slice(at + 1)}
    </>
  );
}

/**
 * The emailed link awaited (kept over a reload), shown on the screen it belongs to: a sign-up's
 * on /signup and on /signin (where the app opens when nobody is signed in: she has no account to
 * sign in with yet), a reset's on /forgot only (she may remember her password after all).
 */
function awaited(mode: AuthMode) {
  const link = pendingLink();
  if (!link) return null;
  return mode === link.kind || (mode === "signin" && link.kind === "signup") ? link : null;
}

/**
 * Everything before a person is signed in, one screen whose mode is the URL: /signin, /signup,
 * /forgot (ask for a reset link), /verify and /reset (the landing pages of the emailed links).
 */
export function Auth(props: { mode: AuthMode; onDone: () => void }) {
  const { mode } = props;
  const params = new URLSearchParams(location.search);
  // Offline (signed out with no connection, say), the form still shows, but says first that it
  // cannot work until the connection is back, rather than only after she has typed.
  const online = useOnline();
  const [email, setEmail] = useState(() => awaited(mode)?.email ?? (mode === "signin" ? lastEmail() : ""));
  // Signing in again after her session ended on this phone (which may be shared or passed on):
  // her address is kept, so she types only her password, but shown masked, "a•••@example.com",
  // as the notice names her, as banking apps do; "Not you?" gives the empty email field.
  const [kept, setKept] = useState(() => mode === "signin" && !awaited(mode) && lastEmail() !== "");
  const [password, setPassword] = useState("");
  const [name, setName] = useState(() => awaited(mode)?.name ?? "");
  const [error, setError] = useState<string | null>(null);
  // The app's own words next to the password field (not only the browser's grey bubble).
  const [passwordError, setPasswordError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [sent, setSent] = useState<LinkKind | null>(() => awaited(mode)?.kind ?? null);
  // A sign-up restored after a reload: the password was never kept, and a new link needs it.
  const [askPassword, setAskPassword] = useState(() => awaited(mode)?.kind === "signup");
  // "Send the link again": what the last resend came to (sent at a time, or refused in words).
  const [resent, setResent] = useState<{ ok: boolean; text: string } | null>(null);
  // Sign-in was refused with the server's one answer for a wrong password or an unconfirmed
  // email (it may not say which): she is offered the confirmation link again right there.
  const [refused, setRefused] = useState(false);
  // The reset link, checked as the page opens: a used or expired one is said before she types.
  const [linkDead, setLinkDead] = useState<string | null>(null);
  // The link's fragment, followed: a link pasted into the tab that showed an incomplete or dead
  // one changes only the fragment (no reload), and must be read afresh (the re-walk, issue #14).
  const [linkHash, setLinkHash] = useState(() => location.hash);
  useEffect(() => {
    const follow = () => setLinkHash(location.hash);
    addEventListener("hashchange", follow);
    return () => removeEventListener("hashchange", follow);
  }, []);

  useEffect(() => {
    setError(null);
    const link = awaited(mode);
    setSent(link?.kind ?? null);
    setAskPassword(link?.kind === "signup");
    if (link) {
      setEmail(link.email);
      setName(link.name);
    }
    setResent(null);
    setRefused(false);
    setLinkDead(null);
    setPasswordError(null);
    if (mode === "verify") {
      // Said before she is asked her password: a link with no token, or a dead one, cannot
      // become an account whatever she types (the newcomer walk, issue #14).
      const token = linkToken();
      if (!token) setLinkDead(SIGN_UP_LINK_INCOMPLETE);
      else
        checkSignUpLink(token).catch((err: unknown) => {
          // Offline, or any other answer: the form stays, and confirming says what the server says.
          if (isDeadLink(err)) setLinkDead(SIGN_UP_LINK_DEAD);
        });
      return;
    }
    if (mode !== "reset") return;
    checkResetLink(linkToken()).catch((err: unknown) => {
      // Offline, the check cannot tell: the form stays, and saving says what the server says.
      if (!(err instanceof TypeError)) setLinkDead(errorText(err));
    });
  }, [mode, linkHash]);

  const resend = async () => {
    setBusy(true);
    setResent(null);
    try {
      if (sent === "signup") await signUp(email, password, name || email.split("@")[0] || "Me");
      else await forgotPassword(email);
      if (sent) rememberPendingLink({ kind: sent, email, name, at: Date.now() });
      const at = new Date().toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
      setResent({ ok: true, text: `We sent the link again at ${at}. The newest link is the one to open.` });
    } catch (err) {
      setResent({ ok: false, text: `The link was not sent again. ${errorText(err)}` });
    } finally {
      setBusy(false);
    }
  };

  const run = async (fn: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await fn();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  // The sign-up link asks for the password chosen at sign-up: whoever signs up chooses it, and
  // anyone can sign up with her address, so opening a mail alone must never make her account
  // (with a password someone else knows). A wrong one is said next to the field; the link
  // still works.
  const confirm = () => {
    setError(null);
    if (!password) {
      setPasswordError("Enter the password you chose when you signed up.");
      document.getElementById("f-password")?.focus();
      return;
    }
    setBusy(true);
    setPasswordError(null);
    verifyEmail(linkToken(), password)
      .then(() => {
        history.replaceState(null, "", "/verify"); // the token is used up; drop it from history
        props.onDone();
        // Onboarding's first step says the email is confirmed: she tapped a link in a mail and
        // needs to hear that it worked before being asked about herself.
        navigate("/onboarding?step=1&confirmed=1", true);
      })
      .catch((err: unknown) => {
        if (refusedPassword(err)) {
          setPasswordError(errorText(err));
          document.getElementById("f-password")?.focus();
        } else if (isDeadLink(err)) setLinkDead(SIGN_UP_LINK_DEAD);
        else setError(errorText(err));
      })
      .finally(() => setBusy(false));
  };

  const submit = (e: Event) => {
    e.preventDefault();
    if (mode === "verify") {
      confirm();
      return;
    }
    if (mode === "signup" || mode === "reset") {
      const short = passwordProblem(password);
      setPasswordError(short);
      if (short) {
        document.getElementById("f-password")?.focus();
        return;
      }
    }
    if (mode === "signup") {
      void run(async () => {
        await signUp(email, password, name || email.split("@")[0] || "Me");
        rememberPendingLink({ kind: "signup", email, name, at: Date.now() });
        setSent("signup");
      });
    } else if (mode === "forgot") {
      void run(async () => {
        await forgotPassword(email);
        rememberPendingLink({ kind: "forgot", email, name: "", at: Date.now() });
        setSent("forgot");
      });
    } else if (mode === "reset") {
      void run(async () => {
        await resetPassword(linkToken(), password);
        history.replaceState(null, "", "/reset");
        props.onDone();
        navigate("/today", true);
      });
    } else {
      setRefused(false);
      void run(async () => {
        try {
          await signIn(email, password);
        } catch (err) {
          setRefused((err as { status?: unknown } | null)?.status === 401);
          throw err;
        }
        props.onDone();
        // Today opens as soon as the runtime starts; she may have moved on during the first
        // sync, and must not be sent back.
        if (location.pathname === "/signin") navigate("/today", true);
      });
    }
  };

  /**
   * "Send the link again" from the sign-in page: a sign-up again with what she typed, as the
   * inbox screen's resend does. For an address still waiting, a new confirmation link; for an
   * account that exists, the server mails its owner a reset link instead: the page says the
   * same either way, so it tells nobody which addresses are registered.
   */
  const resendFromSignIn = () =>
    void run(async () => {
      await signUp(email, password, email.split("@")[0] || "Me");
      rememberPendingLink({ kind: "signup", email, name: "", at: Date.now() });
      setRefused(false);
      setSent("signup");
    });

  const errorBox = error ? (
    <p class="error" role="alert">
      {error}
    </p>
  ) : null;

  let body;
  if (sent) {
    body = (
      <section aria-labelledby="inbox-h" data-testid="check-inbox">
        <h2 id="inbox-h">Check your inbox</h2>
        <p>
          {sent === "signup" ? (
            <>We sent a link to <Address email={email} />. Open it on this phone to finish creating your account. It works once, for 24 hours.</>
          ) : (
            <>If <Address email={email} /> has a Fortify account, we sent it a link to choose a new password. It works once, for one hour.</>
          )}
        </p>
        <p class="muted">No mail after a few minutes? Look in your spam folder, or send the link again.</p>
        {sent === "signup" && askPassword ? (
          <TextField label="Your password, to send a new link" name="password" type="password" value={password} onInput={setPassword} autocomplete="new-password" />
        ) : null}
        <button type="button" class="btn btn-block" data-testid="resend" disabled={busy || (sent === "signup" && !password)} onClick={() => void resend()}>
          {busy ? "Please wait…" : "Send the link again"}
        </button>
        {resent ? (
          <p class={resent.ok ? "" : "error"} role={resent.ok ? "status" : "alert"} data-testid="resend-result">
            {resent.text}
          </p>
        ) : null}
        <p class="switch">
          <a
            href="/signin"
            onClick={() => {
              forgetPendingLink();
              setSent(null);
            }}
          >
            Back to sign in
          </a>
        </p>
      </section>
    );
  } else if (mode === "reset" && linkDead) {
    body = (
      <section aria-labelledby="dead-h" data-testid="reset-link-dead">
        <h2 id="dead-h">Choose a new password</h2>
        <p class="error" role="alert">
          {linkDead}
        </p>
        <p>Each link works once, for one hour. A new one takes a moment:</p>
        <a class="btn btn-primary btn-block" href="/forgot">
          Ask for a new link
        </a>
        <p class="switch">
          <a href="/signin">Back to sign in</a>
        </p>
      </section>
    );
  } else if (mode === "verify" && linkDead) {
    body = (
      <section aria-labelledby="verify-h" data-testid="verify-link-dead">
        <h2 id="verify-h">Confirm your email</h2>
        <p class="error" role="alert">
          {linkDead}
        </p>
        <a class="btn btn-primary btn-block" href="/signup">
          Sign up again
        </a>
        <p class="switch">
          Already confirmed? <a href="/signin">Sign in</a>
        </p>
      </section>
    );
  } else if (mode === "verify") {
    body = (
      <section aria-labelledby="verify-h" data-testid="verify">
        <h2 id="verify-h">Confirm your email</h2>
        <p>One step left: this creates your account and signs you in on this phone.</p>
        <form onSubmit={submit}>
          <PasswordField
            label="Enter the password you chose"
            name="password"
            value={password}
            onInput={(v) => {
              setPassword(v);
              setPasswordError(null);
            }}
            autocomplete="current-password"
            error={passwordError}
          />
          {errorBox}
          <button class="btn btn-primary btn-block" type="submit" disabled={busy}>
            {busy ? "Please wait…" : "Confirm and sign in"}
          </button>
        </form>
        <p class="switch">
          <a href="/signup">Sign up again</a> · <a href="/signin">Sign in</a>
        </p>
      </section>
    );
  } else {
    const title = { signin: "Sign in", signup: "Create your account", forgot: "Forgot your password?", reset: "Choose a new password" }[mode];
    const button = { signin: "Sign in", signup: "Create account", forgot: "Send me a link", reset: "Save new password" }[mode];
    body = (
      <>
        <h2>{title}</h2>
        {online ? null : (
          <p role="status" class="warn" data-testid="auth-offline">
            <strong>No connection.</strong> {NEEDS_CONNECTION[mode]} needs a connection. Connect to the internet, then tap “{button}”.
          </p>
        )}
        {mode === "signin" && params.get("deleted") ? (
          <p role="status" class="warn">
            This account was deleted, and everything it held has been removed from this phone.
          </p>
        ) : null}
        {mode === "signin" ? <EndedNotice /> : null}
        {mode === "forgot" ? <p>Enter your email and we will send you a link to choose a new password.</p> : null}
        {mode === "reset" ? <p>Choosing a new password signs you out on your other devices and disconnects your connected apps and shortcuts and calendar links.</p> : null}
        <form onSubmit={submit}>
          {mode === "signup" ? <TextField label="Your name" name="display_name" value={name} onInput={setName} autocomplete="name" /> : null}
          {mode === "signin" && kept && email ? (
            <div class="signin-as" data-testid="signin-as">
              <p>
                Signing in as <strong>{maskedEmail(email)}</strong>
              </p>
              {/* For password managers: the account this password belongs to, never on screen. */}
              <input type="email" name="email" autocomplete="username" value={email} hidden readOnly />
              <button
                type="button"
                class="btn btn-quiet"
                onClick={() => {
                  setKept(false);
                  setEmail("");
                  setTimeout(() => document.getElementById("f-email")?.focus(), 0);
                }}
              >
                Not you? Use another email
              </button>
            </div>
          ) : mode !== "reset" ? (
            <TextField label="Email" name="email" type="email" value={email} onInput={setEmail} autocomplete="email" required />
          ) : null}
          {mode !== "forgot" ? (
            <PasswordField
              label={mode === "signin" ? "Password" : "Password (at least 10 characters, hard to guess)"}
              name="password"
              value={password}
              onInput={(v) => {
                setPassword(v);
                if (passwordError && !passwordProblem(v)) setPasswordError(null);
              }}
              autocomplete={mode === "signin" ? "current-password" : "new-password"}
              required={mode === "signin"}
              error={passwordError}
            />
          ) : null}
          {errorBox}
          <button class="btn btn-primary btn-block" type="submit" disabled={busy}>
            {busy ? "Please wait…" : button}
          </button>
        </form>
        {mode === "signin" && refused && email && password ? (
          <div class="card" data-testid="signin-resend">
            <p>Just created your account and have not opened the link in our email yet? We can send it again.</p>
            <button type="button" class="btn btn-block" disabled={busy} onClick={resendFromSignIn}>
              Send the link again
            </button>
          </div>
        ) : null}
        <p class="switch">
          {mode === "signin" ? (
            <>
              <a href="/forgot">Forgot password?</a>
              <br />
              <a href="/signup">Create an account</a>
            </>
          ) : mode === "signup" ? (
            <a href="/signin">I already have an account</a>
          ) : (
            // Forgot or reset: she has an account and came from signing in.
            <a href="/signin">Back to sign in</a>
          )}
        </p>
      </>
    );
  }

  return <AuthShell>{body}</AuthShell>;
}
