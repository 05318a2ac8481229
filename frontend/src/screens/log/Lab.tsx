import { useState } from "preact/hooks";
import type { EntityFields } from "../../api/entities";
import { useAskFirst } from "../../app/askFirst";
import { labCheck } from "../../app/limits";
import { labReading } from "../../app/labReading";
import { runtime } from "../../app/runtime";
import { DateField, keyIn, NumberField, oneOf, SelectField } from "../../app/forms";
import { LAB_LABEL } from "../../app/summary";
import { labUnitFor, useUnitSystem, type UnitSystem } from "../../app/units";
import type { StoredRecord } from "../../storage/store";
import { useLive, useZone } from "../../app/hooks";
import { testDateInstant, testDateValue, type TestDateState } from "../../app/testDate";
import { Loading, LogLayout, saveAndGoBack, useEditing } from "./common";

type LabFields = EntityFields["labs"];

/** The units each test is written in, keyed by the API's lab kinds. */
const UNITS: Record<LabFields["kind"], readonly LabFields["unit"][]> = {
  vitamin_d_25oh: ["ng/mL", "nmol/L"],
  total_cholesterol: ["mg/dL", "mmol/L"],
  ldl_cholesterol: ["mg/dL", "mmol/L"],
  hdl_cholesterol: ["mg/dL", "mmol/L"],
  triglycerides: ["mg/dL", "mmol/L"],
  dxa_t_score: ["T-score"],
};
const SITES = [["lumbar_spine", "Lumbar spine"], ["total_hip", "Total hip"], ["femoral_neck", "Femoral neck"], ["forearm", "Forearm"]] as const satisfies readonly (readonly [NonNullable<LabFields["site"]>, string])[];

export function Lab(props: { id: string | null }) {
  const rec = useEditing("labs", props.id);
  const system = useUnitSystem();
  if (rec === undefined || system === undefined) return <LogLayout title="Lab result" entity="labs" id={props.id}><Loading /></LogLayout>;
  return <LabForm rec={rec} id={props.id} system={system} />;
}

function LabForm(props: { rec: StoredRecord | null; id: string | null; system: UnitSystem }) {
  const f = props.rec?.fields ?? {};
  const [kind, setKind] = useState(String(f.kind ?? "vitamin_d_25oh"));
  // New results start in the unit her settings show (nmol/L in metric, ng/mL in US units).
  const [unit, setUnit] = useState(String(f.unit ?? labUnitFor(String(f.kind ?? "vitamin_d_25oh"), props.system)));
  const ask = useAskFirst();
  const [value, setValue] = useState(f.value === undefined ? "" : String(f.value));
  const [site, setSite] = useState(String(f.site ?? "lumbar_spine"));
  // The date alone: copied from a letter days later, a date-and-time field filled with this
  // minute saved old results as today's (app/testDate.ts).
  const zone = useZone();
  // Her sex picks the HDL bound of the reading said after saving (PROTOCOL §7).
  const rt = runtime();
  const sex = useLive(async () => (rt ? (await rt.store.list("profile"))[0]?.fields?.sex ?? null : null), [rt]);
  const [date, setDate] = useState<TestDateState>({ saved: typeof f.measured_at === "string" ? f.measured_at : null, typed: null });
  const [dateError, setDateError] = useState<string | null>(null);
  const labKind = keyIn(UNITS, kind);
  const units: readonly string[] = labKind ? UNITS[labKind] : ["ng/mL"];
  // The unit chosen, shown beside the number box too (a 62 typed against a unit not seen).
  const shown = units.includes(unit) ? unit : units[0] ?? "";
  const save = (e: Event) => {
    e.preventDefault();
    const check = labCheck(kind, shown, value, LAB_LABEL[kind] ?? kind);
    // The test and unit come from the selects, whose options are the API's values.
    const labUnit = labKind ? (oneOf(UNITS[labKind], unit) ?? UNITS[labKind][0]) : undefined;
    if (!labKind || !labUnit) return;
    const when = testDateInstant(date, zone);
    if ("problem" in when) {
      setDateError(when.problem);
      return;
    }
    setDateError(null);
    const at = when.at;
    // Impossible results are refused, unusual ones asked about before saving.
    // The result read against PROTOCOL §7, said in the toast after "saved" (F22).
    const reading = labReading(labKind, Number(value), labUnit, typeof sex === "string" ? sex : null);
    ask.guard([check], () => {
      void saveAndGoBack("labs", props.id, {
        measured_at: at,
        kind: labKind,
        value: Number(value),
        unit: labUnit,
        site: labKind === "dxa_t_score" ? (oneOf(SITES.map(([s]) => s), site) ?? null) : null,
      }, reading?.words);
    }, "f-value");
  };
  return (
    <LogLayout title="Lab result" entity="labs" id={props.id}>
      <form onSubmit={save} noValidate>
        <SelectField label="Test" name="kind" value={kind} onChange={(k) => { setKind(k); setUnit(labUnitFor(k, props.system)); }} options={Object.keys(UNITS).map((k) => [k, LAB_LABEL[k] ?? k] as const)} />
        <NumberField label="Result" name="value" value={value} onInput={setValue} unit={shown} required />
        <SelectField label="Unit" name="unit" value={shown} onChange={setUnit} options={units.map((u) => [u, u] as const)} />
        <LabHint kind={kind} />
        {kind === "dxa_t_score" ? <SelectField label="Where was it measured?" name="site" value={site} onChange={setSite} options={SITES} /> : null}
        <DateField
          label="Date of the test"
          name="test_date"
          value={testDateValue(date, zone)}
          onInput={(v) => {
            setDate({ ...date, typed: v });
            setDateError(null);
          }}
          error={dateError}
          hint="The day the blood was taken or the scan was done, as on your letter."
        />
        {ask.view}
        {ask.asking ? null : <button class="btn btn-primary btn-block" type="submit">Save</button>}
      </form>
    </LogLayout>
  );
}

/** The test in plain words: letters name it by its technical term, so both are given. */
const LAB_HINT: Record<string, string> = {
  vitamin_d_25oh: "The usual vitamin D blood test. Letters may call it 25(OH)D, 25-hydroxyvitamin D or calcidiol.",
  dxa_t_score: "From a bone density scan (a DXA or DEXA scan). The T-score compares your bones with a healthy young adult's: -1 or above is normal, -1 to -2.5 is thinner bone (osteopenia), -2.5 or below is osteoporosis.",
  ldl_cholesterol: "LDL is the cholesterol that can clog arteries.",
  hdl_cholesterol: "HDL is the cholesterol that helps clear the others.",
  triglycerides: "Triglycerides are fats carried in the blood.",
};

function LabHint(props: { kind: string }) {
  const hint = LAB_HINT[props.kind];
  return hint ? <p class="hint" data-testid="lab-hint">{hint}</p> : null;
}
