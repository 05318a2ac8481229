/**
 * The app: signed out → sign in/up; signed in → the screens, by path. Every screen but Today is
 * loaded on demand (app/lazy.tsx).
 */
import { useEffect, useState } from "preact/hooks";
import { lazyScreen } from "./app/lazy";
import { navigate, useLocation } from "./app/router";
import { onRuntimeChange, runtime } from "./app/runtime";
import type { AuthMode } from "./screens/auth/Auth";
import { AuthShell } from "./screens/auth/shell";
import { Today } from "./screens/today/Today";

// Today is in the first download; every other screen is its own chunk, fetched on first use
// (and precached by the service worker, so it opens offline too). Sign-in too: a returning
// person, signed in, never needs it; a signed-out one sees its frame at once (AuthShell).
// The signed-out pages (sign in, sign up, the mailed links' pages) all need the server, so
// their chunk is not precached (issue #14, the 400 KB budget: vite.config.ts): the service
// worker keeps it from its first use, which is online (she signs up or in through it; a session
// that ends is learnt from the server, online, and shows it at once). Signed out offline before
// that (or after an update changed the chunk), the frame says signing in needs a connection.
const Auth = lazyScreen(
  () => import("./screens/auth/Auth").then((m) => m.Auth),
  AuthShell,
  // Offline, before the chunk was ever fetched (a new version, say): the frame says what is
  // missing, and the form comes by itself once the connection is back (app/lazy.tsx).
  "Signing in needs a connection. Once this phone is connected, the sign-in form opens here.",
);
const History = lazyScreen(() => import("./screens/history/History").then((m) => m.History));
const Learn = lazyScreen(() => import("./screens/learn/Learn").then((m) => m.Learn));
const Dose = lazyScreen(() => import("./screens/log/Dose").then((m) => m.Dose));
const Lab = lazyScreen(() => import("./screens/log/Lab").then((m) => m.Lab));
const LogMenu = lazyScreen(() => import("./screens/log/LogMenu").then((m) => m.LogMenu));
const Meal = lazyScreen(() => import("./screens/log/Meal").then((m) => m.Meal));
const Symptom = lazyScreen(() => import("./screens/log/Symptom").then((m) => m.Symptom));
const Weight = lazyScreen(() => import("./screens/log/Weight").then((m) => m.Weight));
const Workout = lazyScreen(() => import("./screens/log/Workout").then((m) => m.Workout));
const Onboarding = lazyScreen(() => import("./screens/onboarding/Onboarding").then((m) => m.Onboarding));
const More = lazyScreen(() => import("./screens/settings/More").then((m) => m.More));
const Regimen = lazyScreen(() => import("./screens/settings/More").then((m) => m.Regimen));
const Settings = lazyScreen(() => import("./screens/settings/Settings").then((m) => m.Settings));
const SyncScreen = lazyScreen(() => import("./screens/sync/SyncScreen").then((m) => m.SyncScreen));
const Trends = lazyScreen(() => import("./screens/trends/Trends").then((m) => m.default));

const AUTH_PATHS = new Set(["/signin", "/signup", "/forgot", "/verify", "/reset"]);

export function App() {
  const { path, query } = useLocation();
  const [signedIn, setSignedIn] = useState(() => runtime() !== null);
  const id = query.get("id");

  // The landing pages of emailed links open whoever is signed in here (a link signs its
  // device in as the person it belongs to).
  const linkPage = path === "/verify" || path === "/reset";
  useEffect(() => {
    if (!signedIn && !AUTH_PATHS.has(path)) navigate("/signin", true);
    if (signedIn && !linkPage && (path === "/" || AUTH_PATHS.has(path))) navigate("/today", true);
  }, [signedIn, path, linkPage]);

  useEffect(() => {
    const rt = runtime();
    if (!rt) return;
    // The food pack (a few hundred foods) is not needed for Today: fetch it once the page is idle
    // (and the module that fetches it, which the meal form shares: not in the first download).
    const refreshFoodPack = () => import("./app/foods").then((m) => m.refreshFoodPack());
    const idle = window.requestIdleCallback ?? ((fn: () => void) => window.setTimeout(fn, 2000));
    idle(() => void refreshFoodPack());
    const onOnline = () => void refreshFoodPack();
    window.addEventListener("online", onOnline);
    return () => window.removeEventListener("online", onOnline);
  }, [signedIn]);

  useEffect(() => onRuntimeChange((rt) => setSignedIn(rt !== null)), []);

  if (!signedIn || linkPage) {
    const mode = (AUTH_PATHS.has(path) ? path.slice(1) : "signin") as AuthMode;
    return <Auth mode={mode} onDone={() => setSignedIn(true)} />;
  }

  return <Screen path={path} query={query} id={id} />;
}

function Screen(props: { path: string; query: URLSearchParams; id: string | null }) {
  const { path, query, id } = props;
  const parts = path.split("/").filter(Boolean);
  switch (parts[0]) {
    case "onboarding":
      return <Onboarding step={Number(query.get("step") ?? "1")} />;
    case "log":
      switch (parts[1]) {
        case "meal": return <Meal id={id} search={query.get("search")} />;
        case "workout": return <Workout id={id} activity={query.get("activity")} minutes={query.get("minutes")} />;
        case "symptom": return <Symptom id={id} />;
        case "lab": return <Lab id={id} />;
        case "weight": return <Weight id={id} />;
        case "dose": return <Dose id={id} item={query.get("item")} />;
        default: return <LogMenu />;
      }
    case "history":
      return <History day={parts[1] ?? null} />;
    case "trends":
      return <Trends />;
    case "more":
      if (parts[1] === "settings") return <Settings section={parts[2] ?? null} id={id} />;
      if (parts[1] === "regimen") return <Regimen />;
      return <More />;
    case "learn":
      return <Learn />;
    case "sync":
      return <SyncScreen />;
    default:
      return <Today />;
  }
}
