import { labReadingOf } from "./labReading";

/** A result's reading in words under its value; a result out of range is marked so. */
export function LabReadingLine(props: { fields: Readonly<Record<string, unknown>> | null | undefined; sex: unknown }) {
  const reading = labReadingOf(props.fields, props.sex);
  if (!reading) return null;
  return <p class={reading.status === "ok" ? "hint lab-reading" : "warn lab-reading"} data-testid="lab-reading" data-status={reading.status}>{reading.words}</p>;
}
