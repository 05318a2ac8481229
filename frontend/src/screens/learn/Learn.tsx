import { useEffect } from "preact/hooks";
import { Layout } from "../../app/ui";
import { TOPICS } from "./content";

export function Learn() {
  // "Why this matters" links land here with #learn-<topic>: open that topic and show it.
  useEffect(() => {
    const el = location.hash ? document.getElementById(location.hash.slice(1)) : null;
    if (el instanceof HTMLDetailsElement) {
      el.open = true;
      el.scrollIntoView({ block: "start" });
    }
  }, []);
  return (
    <Layout title="Learn" back="/more">
      <p>Why each target matters, and where its number comes from. Fortify gives no medical advice: your care team can set any target differently.</p>
      {TOPICS.map((t) => (
        <details key={t.key} id={`learn-${t.key}`} class="card learn">
          <summary><h2>{t.title}</h2></summary>
          <p><strong>Target:</strong> {t.target}</p>
          <p>{t.why}</p>
          <p class="hint"><strong>Source:</strong> {t.source}</p>
        </details>
      ))}
    </Layout>
  );
}
