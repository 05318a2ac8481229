import { useEffect, useState } from "preact/hooks";

type Health = "checking" | "ready" | "unavailable";

/** Placeholder shell until the PWA issue: shows that the API answers and where its docs are. */
export function App() {
  const [health, setHealth] = useState<Health>("checking");
  useEffect(() => {
    fetch("/readyz")
      .then((response) => setHealth(response.ok ? "ready" : "unavailable"))
      .catch(() => setHealth("unavailable"));
  }, []);
  return (
    <main>
      <h1>Fortify</h1>
      <p>Daily bone, heart and joint care alongside anastrozole.</p>
      <p role="status">
        Server: <strong>{health === "checking" ? "checking…" : health}</strong>
      </p>
      <p>
        The phone app is on its way. Meanwhile the <a href="/api/docs">JSON API</a> is ready.
      </p>
    </main>
  );
}
