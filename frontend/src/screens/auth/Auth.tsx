import { useState } from "preact/hooks";
import { problemText } from "../../api/client";
import { TextField } from "../../app/forms";
import { navigate } from "../../app/router";
import { signIn, signUp } from "../../app/runtime";

/** Sign in and sign up share one screen; the mode is the URL (/signin, /signup). */
export function Auth(props: { mode: "signin" | "signup"; onDone: () => void }) {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [name, setName] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const signup = props.mode === "signup";

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      if (signup) await signUp(email, password, name || email.split("@")[0] || "Me");
      else await signIn(email, password);
      props.onDone();
      navigate(signup ? "/onboarding" : "/today", true);
    } catch (err) {
      setError(
        err instanceof TypeError
          ? "No connection. Signing in needs the internet once; after that Fortify works offline."
          : problemText(err),
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="shell">
      <main id="main" class="content auth">
        <h1 class="brand">Fortify</h1>
        <p class="lead">Daily bone, heart and joint care alongside anastrozole.</p>
        <h2>{signup ? "Create your account" : "Sign in"}</h2>
        <form onSubmit={submit}>
          {signup ? <TextField label="Your name" name="display_name" value={name} onInput={setName} autocomplete="name" /> : null}
          <TextField label="Email" name="email" type="email" value={email} onInput={setEmail} autocomplete="email" required />
          <TextField
            label={signup ? "Password (at least 10 characters)" : "Password"}
            name="password"
            type="password"
            value={password}
            onInput={setPassword}
            autocomplete={signup ? "new-password" : "current-password"}
            required
            minLength={signup ? 10 : 1}
          />
          {error ? (
            <p class="error" role="alert">
              {error}
            </p>
          ) : null}
          <button class="btn btn-primary btn-block" type="submit" disabled={busy}>
            {busy ? "Please wait…" : signup ? "Create account" : "Sign in"}
          </button>
        </form>
        <p class="switch">
          {signup ? (
            <a href="/signin">I already have an account</a>
          ) : (
            <a href="/signup">Create an account</a>
          )}
        </p>
      </main>
    </div>
  );
}
