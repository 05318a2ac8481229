/**
 * The app: signed out → sign in/up; signed in → the screens, by path. Trends is loaded on
 * demand so uPlot stays out of the first download.
 */
import { lazy, Suspense } from "preact/compat";
import { useEffect, useState } from "preact/hooks";
import { refreshFoodPack } from "./app/foods";
import { navigate, useLocation } from "./app/router";
import { onRuntimeChange, runtime } from "./app/runtime";
import { Layout } from "./app/ui";
import { Auth, type AuthMode } from "./screens/auth/Auth";
import { Today } from "./screens/today/Today";

// Today and sign-in are in the first download; every other screen is its own chunk, fetched on
// first use (and precached by the service worker, so it opens offline too).
const History = lazy(() => import("./screens/history/History").then((m) => ({ default: m.History })));
const Learn = lazy(() => import("./screens/learn/Learn").then((m) => ({ default: m.Learn })));
const Dose = lazy(() => import("./screens/log/Dose").then((m) => ({ default: m.Dose })));
const Lab = lazy(() => import("./screens/log/Lab").then((m) => ({ default: m.Lab })));
const LogMenu = lazy(() => import("./screens/log/LogMenu").then((m) => ({ default: m.LogMenu })));
const Meal = lazy(() => import("./screens/log/Meal").then((m) => ({ default: m.Meal })));
const Symptom = lazy(() => import("./screens/log/Symptom").then((m) => ({ default: m.Symptom })));
const Weight = lazy(() => import("./screens/log/Weight").then((m) => ({ default: m.Weight })));
const Workout = lazy(() => import("./screens/log/Workout").then((m) => ({ default: m.Workout })));
const Onboarding = lazy(() => import("./screens/onboarding/Onboarding").then((m) => ({ default: m.Onboarding })));
const More = lazy(() => import("./screens/settings/More").then((m) => ({ default: m.More })));
const Regimen = lazy(() => import("./screens/settings/More").then((m) => ({ default: m.Regimen })));
const Settings = lazy(() => import("./screens/settings/Settings").then((m) => ({ default: m.Settings })));
const SyncScreen = lazy(() => import("./screens/sync/SyncScreen").then((m) => ({ default: m.SyncScreen })));
const Trends = lazy(() => import("./screens/trends/Trends"));

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
    // The food pack (a few hundred foods) is not needed for Today: fetch it once the page is idle.
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

  return (
    <Suspense fallback={<Layout title="Fortify"><p>Loading…</p></Layout>}>
      <Screen path={path} query={query} id={id} />
    </Suspense>
  );
}

function Screen(props: { path: string; query: URLSearchParams; id: string | null }) {
  const { path, query, id } = props;
  const parts = path.split("/").filter(Boolean);
  switch (parts[0]) {
    case "onboarding":
      return <Onboarding step={Number(query.get("step") ?? "1")} />;
    case "log":
      switch (parts[1]) {
        case "meal": return <Meal id={id} />;
        case "workout": return <Workout id={id} />;
        case "symptom": return <Symptom id={id} />;
        case "lab": return <Lab id={id} />;
        case "weight": return <Weight id={id} />;
        case "dose": return <Dose id={id} />;
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
