/**
 * "Install Fortify": offered once she has logged a day, not before (an install prompt on the
 * sign-up screen asks for trust the app has not earned yet). Chromium fires
 * `beforeinstallprompt` when the app is installable; the event is kept (it fires early, often
 * before Today is drawn) and its `prompt()` runs on her tap. Safari on iPhone and iPad has no
 * such event: there the card says how to add Fortify to the Home Screen by hand. Once installed
 * (standalone display) or dismissed, the card is not shown again.
 */
import { useEffect, useState } from "preact/hooks";

interface InstallEvent extends Event {
  prompt(): Promise<void>;
  userChoice: Promise<{ outcome: "accepted" | "dismissed" }>;
}

const DISMISSED_KEY = "fortify.install.dismissed";
let deferred: InstallEvent | null = null;
const listeners = new Set<() => void>();

/** Starts listening for the browser's install offer; call once at start-up. */
export function watchInstall(): void {
  window.addEventListener("beforeinstallprompt", (event) => {
    event.preventDefault(); // no mini-infobar: the app offers it at the right moment
    deferred = event as InstallEvent;
    for (const fn of listeners) fn();
  });
  window.addEventListener("appinstalled", () => {
    deferred = null;
    localStorage.setItem(DISMISSED_KEY, "installed");
    for (const fn of listeners) fn();
  });
}

function standalone(): boolean {
  const nav = navigator as Navigator & { standalone?: boolean };
  return nav.standalone === true || (typeof matchMedia === "function" && matchMedia("(display-mode: standalone)").matches);
}

export function isIosSafari(ua = navigator.userAgent): boolean {
  const ios = /iPad|iPhone|iPod/.test(ua) || (/Macintosh/.test(ua) && navigator.maxTouchPoints > 1);
  return ios && /Safari/.test(ua) && !/CriOS|FxiOS|EdgiOS/.test(ua);
}

export function InstallCard(props: { loggedDay: boolean }) {
  const [, redraw] = useState(0);
  const [dismissed, setDismissed] = useState(() => localStorage.getItem(DISMISSED_KEY) !== null);
  useEffect(() => {
    const fn = () => redraw((n) => n + 1);
    listeners.add(fn);
    return () => void listeners.delete(fn);
  }, []);
  if (!props.loggedDay || dismissed || standalone()) return null;
  const ios = isIosSafari();
  if (!deferred && !ios) return null;
  const dismiss = () => {
    localStorage.setItem(DISMISSED_KEY, "1");
    setDismissed(true);
  };
  const install = async () => {
    const event = deferred;
    if (!event) return;
    deferred = null;
    await event.prompt();
    const choice = await event.userChoice.catch(() => ({ outcome: "dismissed" as const }));
    if (choice.outcome === "accepted") localStorage.setItem(DISMISSED_KEY, "installed");
    redraw((n) => n + 1);
  };
  return (
    <section class="card install" aria-labelledby="install-h" data-testid="install-card">
      <h2 id="install-h">Install Fortify</h2>
      {ios ? (
        <>
          <p>Add Fortify to your Home Screen: it opens like an app, works offline, and can remind you.</p>
          <ol data-testid="ios-install-steps">
            <li>Tap the Share button <span aria-hidden="true">(the square with an arrow)</span> at the bottom of Safari.</li>
            <li>Choose “Add to Home Screen”, then “Add”.</li>
          </ol>
        </>
      ) : (
        <p>Put Fortify on your home screen: it opens like an app and works offline.</p>
      )}
      <div class="actions">
        {!ios ? <button type="button" class="btn btn-primary" onClick={() => void install()}>Install Fortify</button> : null}
        <button type="button" class="btn btn-quiet" onClick={dismiss}>Not now</button>
      </div>
    </section>
  );
}
