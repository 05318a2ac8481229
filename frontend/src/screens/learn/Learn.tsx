import { Layout } from "../../app/ui";
import { TOPICS } from "./content";

export function Learn() {
  return (
    <Layout title="Learn" back="/more">
      <p>Why each target matters, and where its number comes from. Fortify gives no medical advice: your care team can set any target differently.</p>
      {TOPICS.map((t) => (
        <details key={t.key} class="card learn">
          <summary><h2>{t.title}</h2></summary>
          <p><strong>Target:</strong> {t.target}</p>
          <p>{t.why}</p>
          <p class="hint"><strong>Source:</strong> {t.source}</p>
        </details>
      ))}
    </Layout>
  );
}
