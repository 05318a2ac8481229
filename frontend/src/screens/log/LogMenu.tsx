import { Layout } from "../../app/ui";

const ITEMS = [
  ["/log/meal", "A meal", "Food search works offline"],
  ["/log/dose", "A dose", "Medicine or supplement"],
  ["/log/workout", "A workout", "Walking, strength, swimming…"],
  ["/log/symptom", "Joint symptoms", "Pain, stiffness, where it hurts"],
  ["/log/weight", "My weight", ""],
  ["/log/lab", "A lab result", "Vitamin D, cholesterol, bone density"],
] as const;

export function LogMenu() {
  return (
    <Layout title="Log">
      <ul class="menu">
        {ITEMS.map(([href, label, hint]) => (
          <li key={href}>
            <a href={href} class="menu-item">
              <strong>{label}</strong>
              {hint ? <span class="muted">{hint}</span> : null}
            </a>
          </li>
        ))}
      </ul>
    </Layout>
  );
}
