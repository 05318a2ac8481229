import { useState } from "preact/hooks";
import { NumberField, SelectField, toLocalInput, WhenField } from "../../app/forms";
import { LAB_LABEL } from "../../app/summary";
import type { StoredRecord } from "../../storage/store";
import { fromLocalInput, Loading, LogLayout, saveAndGoBack, useEditing } from "./common";

const UNITS: Record<string, readonly string[]> = {
  vitamin_d_25oh: ["ng/mL", "nmol/L"],
  total_cholesterol: ["mg/dL", "mmol/L"],
  ldl_cholesterol: ["mg/dL", "mmol/L"],
  hdl_cholesterol: ["mg/dL", "mmol/L"],
  triglycerides: ["mg/dL", "mmol/L"],
  dxa_t_score: ["T-score"],
};
const SITES = [["lumbar_spine", "Lumbar spine"], ["total_hip", "Total hip"], ["femoral_neck", "Femoral neck"], ["forearm", "Forearm"]] as const;

export function Lab(props: { id: string | null }) {
  const rec = useEditing("labs", props.id);
  if (rec === undefined) return <LogLayout title="Lab result" entity="labs" id={props.id}><Loading /></LogLayout>;
  return <LabForm rec={rec} id={props.id} />;
}

function LabForm(props: { rec: StoredRecord | null; id: string | null }) {
  const f = props.rec?.fields ?? {};
  const [kind, setKind] = useState(String(f.kind ?? "vitamin_d_25oh"));
  const [unit, setUnit] = useState(String(f.unit ?? "ng/mL"));
  const [value, setValue] = useState(f.value === undefined ? "" : String(f.value));
  const [site, setSite] = useState(String(f.site ?? "lumbar_spine"));
  const [when, setWhen] = useState(toLocalInput(f.measured_at as string | undefined));
  const units = UNITS[kind] ?? ["ng/mL"];
  const save = (e: Event) => {
    e.preventDefault();
    void saveAndGoBack("labs", props.id, {
      measured_at: fromLocalInput(when),
      kind,
      value: Number(value),
      unit: units.includes(unit) ? unit : units[0],
      site: kind === "dxa_t_score" ? site : null,
    });
  };
  return (
    <LogLayout title="Lab result" entity="labs" id={props.id}>
      <form onSubmit={save}>
        <SelectField label="Test" name="kind" value={kind} onChange={(k) => { setKind(k); setUnit(UNITS[k]?.[0] ?? ""); }} options={Object.keys(UNITS).map((k) => [k, LAB_LABEL[k] ?? k] as const)} />
        <NumberField label="Result" name="value" value={value} onInput={setValue} required />
        <SelectField label="Unit" name="unit" value={units.includes(unit) ? unit : units[0] ?? ""} onChange={setUnit} options={units.map((u) => [u, u] as const)} />
        {kind === "dxa_t_score" ? <SelectField label="Where was it measured?" name="site" value={site} onChange={setSite} options={SITES} /> : null}
        <WhenField label="Date of the test" value={when} onInput={setWhen} />
        <button class="btn btn-primary btn-block" type="submit">Save</button>
      </form>
    </LogLayout>
  );
}
