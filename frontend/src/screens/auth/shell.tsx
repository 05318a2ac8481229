/**
 * The frame of the signed-out pages: the brand and one line, then the form. Its own small
 * module: it is in the first download (the frame "Loading…" shows in while the sign-in screen's
 * chunk arrives), the sign-in screen itself is not (issue #14).
 */
import type { ComponentChildren } from "preact";

export function AuthShell(props: { children: ComponentChildren }) {
  return (
    <div class="shell">
      <main id="main" class="content auth">
        <h1 class="brand">Fortify</h1>
        <p class="lead">Daily bone, heart and joint care alongside anastrozole.</p>
        {props.children}
      </main>
    </div>
  );
}
