/** Shared building blocks: the screen layout, the sync chip, rings, record badges, the toast. */
import { render, type ComponentChildren, type RefObject } from "preact";
import { useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";
import { onUpdateReady } from "./pwa";
import { navigate, useLocation } from "./router";
import { useLive, useOnline, useSyncStatus } from "./hooks";
import { endSessionHere, runtime } from "./runtime";
import { dismissToast, holdToast, releaseToast, useToast, type Toast } from "./toast";
import type { SyncState } from "../storage/store";
import { ReminderBanner } from "../reminders/Banner";

const NAV = [
  { href: "/today", label: "Today", icon: "◉" },
  { href: "/log", label: "Log", icon: "+" },
  { href: "/history", label: "History", icon: "▦" },
  { href: "/trends", label: "Trends", icon: "↗" },
  { href: "/more", label: "More", icon: "☰" },
];

/** The chip's class, its sentence, and its words for a narrow screen with large text. */
export function chipWords(
  status: NonNullable<ReturnType<typeof useSyncStatus>>,
  online: boolean,
): { cls: string; text: string; short: string } {
  const away = online ? "" : "Offline ";
  if (status.attention > 0) return { cls: "chip chip-attention", text: `Needs attention (${status.attention})`, short: `Check (${status.attention})` };
  if (status.pending > 0) return { cls: "chip chip-local", text: `Only on this device (${status.pending})`, short: `${away || "Not sent "}(${status.pending})` };
  if (status.phase === "syncing") return { cls: "chip chip-synced", text: "Syncing…", short: "Syncing…" };
  // The server no longer takes this phone's session.
  if (status.phase === "signed-out") return { cls: "chip chip-attention", text: "Sign in again", short: "Sign in" };
  // This phone has never finished a sync: what it shows may not be everything yet.
  if (!status.everSynced) return { cls: "chip chip-local", text: "Not synced yet", short: online ? "Not synced" : "Offline" };
  return { cls: "chip chip-synced", text: "Synced", short: online ? "Synced" : "Offline" };
}

/** "Only on this device", "Synced" or "Needs attention", on every screen; tap for details. */
export function SyncChip(props: { linked?: boolean } = {}) {
  const status = useSyncStatus();
  const online = useOnline();
  if (!status) return null;
  const { cls, text, short } = chipWords(status, online);
  const detail = online ? "" : " · offline";
  const inside = (
    <>
      <span aria-hidden="true" class="chip-dot" />
      <span id="sync-chip-about" hidden>
        Sync status: whether what you logged has reached the server
      </span>
      {/* The short words stand in on a narrow screen with large text (styles.css), where the
          whole sentence wrapped to three lines and pushed the page a third of the way down; the
          one not shown is display: none, so the name read out is always the words on screen. */}
      <span class="chip-text">
        {text}
        {detail}
      </span>
      <span class="chip-short">{short}</span>
    </>
  );
  // Shown, not a way out, where leaving would lose what is being typed (onboarding).
  if (props.linked === false) {
    return <span class={cls} data-testid="sync-chip" role="status" aria-describedby="sync-chip-about">{inside}</span>;
  }
  return (
    <a href="/sync" class={cls} data-testid="sync-chip" aria-describedby="sync-chip-about">
      {inside}
    </a>
  );
}

const ENDED_WHY: Record<string, string> = {
  signed_out: "This phone was signed out.",
  revoked: "This phone was signed out from another device.",
  expired: "Your sign-in here has expired.",
  password_changed: "Your password was changed.",
};

/**
 * The server no longer accepts this phone's session (signed out elsewhere, revoked, expired,
 * password changed): say so on every screen, never fail silently. What she logged stays in the
 * outbox and is sent after she signs in again as herself.
 */
export function SessionEndedBanner() {
  const status = useSyncStatus();
  if (status?.phase !== "signed-out" || status.signedOutReason === "account_deleted") return null;
  const why = ENDED_WHY[status.signedOutReason ?? ""] ?? "Your sign-in here has ended.";
  const kept = status.pending > 0 ? ` ${status.pending} change${status.pending === 1 ? " is" : "s are"} saved on this phone and will be sent after you sign in.` : "";
  return (
    <section class="banner session-ended" role="alert" data-testid="session-ended">
      <p>
        <strong>Please sign in again.</strong> {why}
        {kept}
      </p>
      <button
        type="button"
        class="btn btn-primary btn-small"
        onClick={() => {
          endSessionHere();
          navigate("/signin?again=1", true);
        }}
      >
        Sign in
      </button>
    </section>
  );
}

/**
 * A screen: header (title, back, sync chip), banners, the content, the tab bar, the toast.
 * `steps`: a screen of a sequence that must be finished first (onboarding): no tab bar and no
 * link out of it, so nothing leads away from a half-filled step.
 */
/**
 * Keeps `--topbar-h` (styles.css: the page's scroll-padding-top) at the sticky header's height,
 * so a section scrolled to ("Why this matters" opening a Learn topic, a #anchor, a focused field)
 * stops below the header instead of under it. The header's height follows the text size and
 * wraps; where it scrolls away with the page (narrow screens, large text) it hides nothing: 0.
 */
function useTopbarHeight(header: RefObject<HTMLElement>): void {
  useLayoutEffect(() => {
    const el = header.current;
    if (!el) return;
    const root = document.documentElement;
    const measure = () => root.style.setProperty("--topbar-h", `${getComputedStyle(el).position === "sticky" ? el.offsetHeight : 0}px`);
    measure();
    if (typeof ResizeObserver === "undefined") return;
    const watch = new ResizeObserver(measure);
    watch.observe(el);
    return () => watch.disconnect();
  }, [header]);
}

export function Layout(props: { title: string; back?: string; steps?: boolean; children: ComponentChildren }) {
  const { path } = useLocation();
  const header = useRef<HTMLElement>(null);
  useTopbarHeight(header);
  return (
    <div class={props.steps ? "shell shell-steps" : "shell"}>
      <header class="topbar" ref={header}>
        {props.back ? (
          <a class="back" href={props.back} aria-label="Back">
            ‹
          </a>
        ) : null}
        <h1>{props.title}</h1>
        <SyncChip linked={!props.steps} />
      </header>
      <SessionEndedBanner />
      <UpdateBanner />
      <ReminderBanner />
      <main id="main" class="content">
        {props.children}
      </main>
      {props.steps ? null : (
        <nav class="tabbar" aria-label="Main">
          {NAV.map((n) => (
            <a key={n.href} href={n.href} aria-current={path.startsWith(n.href) ? "page" : undefined}>
              <span aria-hidden="true" class="tab-icon">
                {n.icon}
              </span>
              <span>{n.label}</span>
            </a>
          ))}
        </nav>
      )}
      <ToastView steps={props.steps === true} />
    </div>
  );
}

/**
 * What a toast must never cover: the screen's primary action (Save, Next, Done…) and the Edit
 * and Delete buttons of a list's rows (after a delete the next row moves up to where her finger
 * was, and an Undo toast over its Delete invited a second, unmeant delete).
 */
const KEEP_CLEAR = ".btn-primary, [data-primary], .row-actions .btn";

/**
 * A toast sits above the tab bar, over the page. So that it never hides the primary action,
 * the page gets the toast's height as extra room at its end (`--toast-space`), and a primary
 * button the toast would cover is scrolled up above it.
 */
function keepPrimaryClear(toast: HTMLElement): void {
  const box = toast.getBoundingClientRect();
  document.documentElement.style.setProperty("--toast-space", `${Math.ceil(box.height + 16)}px`);
  keepClear(toast, document.querySelectorAll<HTMLElement>(KEEP_CLEAR));
}

/** Scrolls the page so that none of `elements` is under the toast. */
function keepClear(toast: HTMLElement, elements: Iterable<HTMLElement>): void {
  const box = toast.getBoundingClientRect();
  let lift = 0;
  for (const el of elements) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.bottom <= box.top - 8 || r.top >= box.bottom) continue;
    lift = Math.max(lift, r.bottom - box.top + 8);
  }
  if (lift > 0) window.scrollBy({ top: lift, behavior: "instant" as ScrollBehavior });
}

/**
 * The one live region of the page, made once and never replaced: a region that arrives with
 * its text already in it is not read out, and each screen's Layout is a new tree (the Today a
 * save lands on included), so the toast is drawn into this one element from whichever screen.
 */
let region: HTMLElement | null = null;
function liveRegion(): HTMLElement {
  if (region?.isConnected) return region;
  region = document.createElement("div");
  region.className = "toast-region";
  region.setAttribute("role", "status");
  region.setAttribute("aria-live", "polite");
  document.body.appendChild(region);
  return region;
}

export function ToastView(props: { steps?: boolean }) {
  const t = useToast();
  const ref = useRef<HTMLDivElement>(null);
  const host = liveRegion();
  // Onboarding has no tab bar: the toast sits at the foot of the screen (styles.css).
  host.classList.toggle("toast-region-steps", props.steps === true);
  // Drawn into the region as a second root with preact's own `render`, not preact/compat's
  // createPortal, which brought 6 KB of React compatibility into the first download for this
  // one element (issue #14). First of the layout effects (they run in order): the ones below
  // measure the toast this draws. Leaving the screen takes it down, as a portal did; the next
  // screen's Layout draws it again into the same region.
  useLayoutEffect(() => {
    render(<ToastBody toast={t} toastRef={ref} />, host);
  }, [t, host]);
  useLayoutEffect(() => () => render(null, host), [host]);
  useLayoutEffect(() => {
    if (t && ref.current) {
      keepPrimaryClear(ref.current);
      return;
    }
    // The room the toast held is given back a moment later, not at once: a toast goes at her
    // next pointerdown, and the page moving between that and the click lost the tap ("Log
    // again" right after a "saved" toast did nothing, e2e).
    const later = setTimeout(() => {
      if (!ref.current) document.documentElement.style.removeProperty("--toast-space");
    }, 600);
    return () => clearTimeout(later);
  }, [t]);
  // The page often changes just after a toast appears (the deleted row leaves the list, a
  // shorter page scrolls down): for its first second, each change is checked again, so the row
  // that moved up to where her finger was never has its Delete under the Undo toast. Watched
  // from layout time: a passive effect ran a frame later, after the row had already gone.
  useLayoutEffect(() => {
    const main = document.getElementById("main");
    if (!t || !main) return;
    let frame = 0;
    const observer = new MutationObserver(() => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => {
        if (ref.current) keepClear(ref.current, document.querySelectorAll<HTMLElement>(KEEP_CLEAR));
      });
    });
    observer.observe(main, { childList: true, subtree: true });
    const stop = setTimeout(() => observer.disconnect(), 1000);
    return () => {
      clearTimeout(stop);
      cancelAnimationFrame(frame);
      observer.disconnect();
    };
  }, [t]);
  // While a toast shows, what she works on is never under it (a toast over the supplement form
  // she had just opened): a field she moves to is scrolled clear of it, and a toast that only
  // informs (no Undo) goes at her next tap elsewhere: she has moved on.
  useEffect(() => {
    if (!t) return;
    const onFocus = (e: FocusEvent) => {
      const toast = ref.current;
      if (toast && e.target instanceof HTMLElement && !toast.contains(e.target)) keepClear(toast, [e.target]);
    };
    const onDown = (e: PointerEvent) => {
      if (!t.action && !(e.target instanceof Node && ref.current?.contains(e.target))) dismissToast();
    };
    document.addEventListener("focusin", onFocus);
    document.addEventListener("pointerdown", onDown, true);
    return () => {
      document.removeEventListener("focusin", onFocus);
      document.removeEventListener("pointerdown", onDown, true);
    };
  }, [t]);
  return null;
}

/** The toast itself, drawn into the live region by `ToastView`. */
function ToastBody(props: { toast: Toast | null; toastRef: RefObject<HTMLDivElement> }) {
  const t = props.toast;
  if (!t) return null;
  return (
    <div
      class="toast"
      ref={props.toastRef}
      data-testid="toast"
      onFocusIn={holdToast}
      onFocusOut={(e) => {
        if (!(e.relatedTarget instanceof Node && props.toastRef.current?.contains(e.relatedTarget))) releaseToast();
      }}
    >
      <span>{t.text}</span>
      {t.action ? (
        <button
          type="button"
          class="toast-action"
          onClick={() => {
            t.action?.run();
            dismissToast();
          }}
        >
          {t.action.label}
        </button>
      ) : null}
    </div>
  );
}

/** Per-record sync state: a small labelled badge beside each entry. */
export function StateBadge(props: { state: SyncState | undefined }) {
  const s = props.state ?? "synced";
  const text = s === "local" ? "Only on this device" : s === "attention" ? "Needs attention" : s === "not-saved" ? "Not saved: not counted until you fix it (see Sync)" : "Synced";
  return <span class={`badge badge-${s === "not-saved" ? "attention" : s}`} data-state={s}>{text}</span>;
}

/** The per-record states map, live. */
export function useStates(): Map<string, SyncState> {
  const rt = runtime();
  return useLive(async () => (rt ? rt.store.states() : new Map<string, SyncState>()), [rt]) ?? new Map();
}

export function Ring(props: { label: string; value: number; size?: number; testid?: string }) {
  const size = props.size ?? 96;
  const r = size / 2 - 8;
  const c = 2 * Math.PI * r;
  const v = Math.max(0, Math.min(100, props.value));
  return (
    <figure class="ring" data-testid={props.testid}>
      <svg width={size} height={size} viewBox={`0 0 ${size} ${size}`} role="img" aria-label={`${props.label} score ${v} out of 100`}>
        <circle class="ring-track" cx={size / 2} cy={size / 2} r={r} />
        <circle
          class="ring-fill"
          cx={size / 2}
          cy={size / 2}
          r={r}
          stroke-dasharray={`${(c * v) / 100} ${c}`}
          transform={`rotate(-90 ${size / 2} ${size / 2})`}
        />
        <text x="50%" y="50%" class="ring-text" font-size={Math.round(size * 0.28)} dominant-baseline="central" text-anchor="middle">
          {v}
        </text>
      </svg>
      <figcaption>{props.label}</figcaption>
    </figure>
  );
}

/** "A new version is ready": the service worker waits until the person chooses to reload. */
export function UpdateBanner() {
  const [apply, setApply] = useState<(() => void) | null>(null);
  useEffect(() => onUpdateReady((fn) => setApply(() => fn)), []);
  if (!apply) return null;
  return (
    <div class="banner" role="status">
      <span>A new version of Fortify is ready.</span>
      <button type="button" class="btn btn-small" onClick={() => apply()}>
        Reload
      </button>
    </div>
  );
}
