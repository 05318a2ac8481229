import { Layout } from "../../app/ui";
import { RegimenList } from "../onboarding/regimen";

export function More() {
  return (
    <Layout title="More">
      <ul class="menu">
        <li><a class="menu-item" href="/more/settings"><strong>Settings</strong><span class="muted">Profile, targets, units, devices, export, sign out</span></a></li>
        <li><a class="menu-item" href="/more/regimen"><strong>My medicines and supplements</strong></a></li>
        <li><a class="menu-item" href="/learn"><strong>Learn</strong><span class="muted">Why each target matters</span></a></li>
        <li><a class="menu-item" href="/sync"><strong>Sync and attention</strong></a></li>
      </ul>
    </Layout>
  );
}

export function Regimen() {
  return (
    <Layout title="Medicines" back="/more">
      <RegimenList />
    </Layout>
  );
}
