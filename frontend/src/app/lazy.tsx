/**
 * A screen fetched on first use: its own chunk, which the service worker precaches, so it
 * opens offline too. In place of preact/compat's lazy + Suspense, which put 6 KB of React
 * compatibility into the first download for this one feature (issue #14).
 */
import type { ComponentChildren, ComponentType, FunctionComponent } from "preact";
import { useEffect, useState } from "preact/hooks";
import { Layout } from "./ui";

/** The frame "Loading…" (or "Try again") is shown in until the screen arrives. */
export type LazyFrame = FunctionComponent<{ children: ComponentChildren }>;

const screenFrame: LazyFrame = (props) => <Layout title="Fortify">{props.children}</Layout>;

/** Said when the chunk could not be fetched (offline before the precache finished, mostly). */
const NOT_LOADED = "This screen could not be loaded. Check the connection, then try again.";

/**
 * `failedText` names what is missing for a screen the service worker does not precache (the
 * pages that need the server anyway, settings/online.tsx): offline, before its first use.
 */
export function lazyScreen<P extends object>(
  load: () => Promise<ComponentType<P>>,
  Frame: LazyFrame = screenFrame,
  failedText: string = NOT_LOADED,
): FunctionComponent<P> {
  let loaded: ComponentType<P> | null = null;
  let pending: Promise<ComponentType<P>> | null = null;
  const start = (): Promise<ComponentType<P>> =>
    (pending ??= load().then(
      (screen) => (loaded = screen),
      (error: unknown) => {
        // A failed fetch (offline before the precache finished) may succeed on the next try.
        pending = null;
        throw error;
      },
    ));

  return function LazyScreen(props: P) {
    // Re-renders once the chunk is in (`loaded` is module state; a component kept in useState
    // would be called as its initialiser on the next mount).
    const [, setArrived] = useState(0);
    const [failed, setFailed] = useState(false);
    const [attempt, setAttempt] = useState(0);
    useEffect(() => {
      if (loaded) return;
      let live = true;
      start().then(
        () => live && setArrived((n) => n + 1),
        (error: unknown) => {
          // Offline, a chunk not cached yet cannot come: the screen says so; not a fault.
          const offline = navigator.onLine === false;
          if (!offline) console.error(error);
          if (!live) return;
          // A retry that failed with the connection up: some browsers keep a failed module
          // fetch for the page's whole life, so that import() could never succeed again and
          // "Try again" would stay stuck; a fresh page fetches it anew (offline, it opens from
          // the precache and says again what is missing). Only ever after a retry: no loop.
          if (attempt > 0 && !offline) location.reload();
          else setFailed(true);
        },
      );
      return () => {
        live = false;
      };
    }, [attempt]);
    // The connection back: the screen tries again by itself (she need not find "Try again").
    useEffect(() => {
      if (!failed) return;
      const retry = () => {
        setFailed(false);
        setAttempt((n) => n + 1);
      };
      addEventListener("online", retry);
      return () => removeEventListener("online", retry);
    }, [failed]);
    if (loaded) {
      const Screen = loaded;
      return <Screen {...props} />;
    }
    return (
      <Frame>
        {failed ? (
          <div role="alert">
            <p>{failedText}</p>
            <button
              type="button"
              class="btn"
              onClick={() => {
                setFailed(false);
                setAttempt((n) => n + 1);
              }}
            >
              Try again
            </button>
          </div>
        ) : (
          <p role="status">Loading…</p>
        )}
      </Frame>
    );
  };
}
