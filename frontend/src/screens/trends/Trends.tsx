/**
 * Trends (loaded on demand: its charts stay out of the first download). Series are worked out on
 * this phone from IndexedDB with the same engine as Today, so they work offline.
 */
import { Fragment } from "preact";
import { useMemo, useState } from "preact/hooks";
import { addDays } from "../../scoring";
import { plural } from "../../scoring/wording";
import { dayOf, loadAll, localReport, timeZone, today, type LocalData } from "../../app/day";
import { firstDayOf } from "../../app/firstDay";
import { ownAverageNote } from "../../app/ownDays";
import { Choice } from "../../app/forms";
import { useLive } from "../../app/hooks";
import { runtime } from "../../app/runtime";
import { LabReadingLine } from "../../app/labReadingLine";
import { LAB_LABEL } from "../../app/summary";
import { Layout } from "../../app/ui";
import { PainPatternCard } from "../patterns/PainPatternCard";
import { fmtDayMonth } from "../../app/zone";
import { Chart } from "./Chart";
import { axisStart, labSeries, latestTarget, weekLabel, weekShown, weightSeries, type LabSeries } from "./series";

interface Series {
  /** The chosen period's first day (30 or 90 days up to today). */
  periodStart: string;
  /** The days the charts draw: from her first day when that is inside the period (axisStart). */
  days: string[];
  overall: (number | null)[];
  bone: (number | null)[];
  heart: (number | null)[];
  joint: (number | null)[];
  calcium: (number | null)[];
  vitaminD: (number | null)[];
  pain: (number | null)[];
  weight: (number | null)[];
  /** Exercise minutes per week, for the weeks ending on a charted day; null for a week before her first day ("no data"). */
  weeks: { label: string; minutes: number | null }[];
  /** Her targets as Today scores them (the latest day's report): null before her first day. */
  calciumTarget: number | null;
  vitaminDTarget: number | null;
  /** In her first week: the vitamin D average over her own days (app/ownDays.ts), else null. */
  vitaminDNote: string | null;
}

function build(data: LocalData, span: number): Series {
  const zone = timeZone(data);
  const end = today(zone);
  const periodStart = addDays(end, -(span - 1));
  const s: Series = { periodStart, days: [], overall: [], bone: [], heart: [], joint: [], calcium: [], vitaminD: [], pain: [], weight: [], weeks: [], calciumTarget: null, vitaminDTarget: null, vitaminDNote: null };
  const reports = [];
  const first = firstDayOf(data, zone);
  // The days before it have no scores (they are before her first day): charted, they pushed
  // her few days against the right edge.
  const from = axisStart(periodStart, first, end);
  const pain = new Map<string, number>();
  for (const r of data.symptoms) {
    const d = dayOf(r.fields?.measured_at, zone);
    const v = r.fields?.worst_pain_0_10;
    if (d && typeof v === "number") pain.set(d, Math.max(v, pain.get(d) ?? 0));
  }
  for (let i = span - 1; i >= 0; i--) {
    const d = addDays(end, -i);
    if (d < from) continue;
    const rep = localReport(data, d);
    reports.push(rep);
    s.days.push(d);
    s.overall.push(rep?.overall ?? null);
    s.bone.push(rep?.bone ?? null);
    s.heart.push(rep?.heart ?? null);
    s.joint.push(rep?.joint ?? null);
    s.calcium.push(rep ? Math.round(rep.totals.calcium_mg) : null);
    s.vitaminD.push(rep ? Math.round(rep.totals.vitamin_d_iu_7day_avg) : null);
    s.pain.push(pain.get(d) ?? null);
    if (i % 7 === 0) s.weeks.push({ label: weekLabel(d), minutes: weekShown(d, first, () => weekMinutes(data, zone, d)) });
  }
  s.calciumTarget = latestTarget(reports, "calcium_total");
  s.vitaminDTarget = latestTarget(reports, "vitamin_d");
  // Today's window still holds days before she joined: the chart's last value counts them as
  // zero (PROTOCOL §1), so say her own days' average under it, in Today's words.
  const latestD = reports[reports.length - 1]?.totals.vitamin_d_iu_7day_avg ?? 0;
  s.vitaminDNote = latestD > 0 ? ownAverageNote(latestD, "IU", end, first) : null;
  s.weight = weightSeries(data.measurements, s.days, zone, data.profile?.fields?.unit_system === "us" ? "us" : "metric");
  return s;
}

/** Every workout's minutes on the seven days ending `last`, whatever its kind or intensity. */
export function weekMinutes(data: Pick<LocalData, "workouts">, zone: string, last: string): number {
  const first = addDays(last, -6);
  let total = 0;
  for (const w of data.workouts) {
    const d = dayOf(w.fields?.started_at, zone);
    const m = w.fields?.minutes;
    if (d && d >= first && d <= last && typeof m === "number") total += m;
  }
  return Math.round(total);
}

/** "3 Dec 2026": lab results can be years apart, so the table keeps the year. */
const labDate = (d: string) => `${fmtDayMonth(d)} ${d.slice(0, 4)}`;

/** Scores run 0–100 and pain 0–10 whatever the data: a 19 never sits at the bottom as if it were 0. */
const SCORE_RANGE: [number, number] = [0, 100];
const PAIN_RANGE: [number, number] = [0, 10];

function LabCharts(props: { labs: LabSeries[] }) {
  const series = useMemo(() => props.labs.map((l) => [{ label: LAB_LABEL[l.kind] ?? l.kind, values: l.values }]), [props.labs]);
  return (
    <section class="card" aria-labelledby="labs-chart-h" data-testid="lab-charts">
      <h2 id="labs-chart-h">Lab results over time</h2>
      {props.labs.length === 0 ? (
        <>
          <p class="empty" data-testid="labs-empty">No lab results yet. Each one you add (vitamin D, cholesterol, bone density) is charted here.</p>
          {/* A button-sized link, not a word in the sentence: a thumb must hit it (44 px). */}
          <a class="btn" href="/log/lab">Add a lab result</a>
        </>
      ) : (
        props.labs.map((l, i) => (
          <Chart key={l.kind} nested heading="h3" testid={`lab-chart-${l.kind}`} title={LAB_LABEL[l.kind] ?? l.kind} unit={l.unit} times={l.times} points series={series[i] ?? []} />
        ))
      )}
    </section>
  );
}

/** Why the charts start part-way: no scores before her first day (app/firstDay.ts). */
function FirstDayNote(props: { data: LocalData; periodStart: string }) {
  const first = firstDayOf(props.data, timeZone(props.data));
  if (first === null || props.periodStart >= first) return null;
  return <p class="hint" data-testid="trends-first-day">Scores start on {fmtDayMonth(first)}, when your records start: the days before it have none.</p>;
}

export default function Trends() {
  const rt = runtime();
  const data = useLive(async () => (rt ? loadAll(rt.store) : null), [rt]);
  const [span, setSpan] = useState<"30" | "90">("30");
  const s = useMemo(() => (data ? build(data, Number(span)) : null), [data, span]);
  const system = data?.profile?.fields?.unit_system === "us" ? "us" : "metric";
  const labCharts = useMemo(() => (data ? labSeries(data.labs, system, timeZone(data)) : []), [data, system]);
  if (!data || !s) return <Layout title="Trends"><p>Loading…</p></Layout>;
  const labs = data.labs
    .map((r) => r.fields ?? {})
    .sort((a, b) => String(b.measured_at).localeCompare(String(a.measured_at)));
  return (
    <Layout title="Trends">
      <Choice label="Period" value={span} options={[["30", "30 days"], ["90", "90 days"]]} onChange={setSpan} />
      <FirstDayNote data={data} periodStart={s.periodStart} />
      <Chart title="Daily scores" unit="score" range={SCORE_RANGE} days={s.days} series={[
        { label: "Overall", values: s.overall },
        { label: "Bone", values: s.bone },
        { label: "Heart", values: s.heart },
        { label: "Joint", values: s.joint },
      ]} />
      <Chart title="Calcium per day" unit="mg" days={s.days} target={s.calciumTarget === null ? undefined : { label: "Your target", value: s.calciumTarget }} series={[{ label: "Calcium", values: s.calcium }]} />
      <Chart title="Vitamin D, 7-day average" unit="IU" days={s.days} target={s.vitaminDTarget === null ? undefined : { label: "Your target", value: s.vitaminDTarget }} series={[{ label: "Vitamin D", values: s.vitaminD }]} note={s.vitaminDNote} />
      <Chart title="Worst joint pain" unit="out of 10" range={PAIN_RANGE} days={s.days} testid="pain-chart" series={[{ label: "Pain", values: s.pain }]} />
      {s.weight.some((v) => v !== null) ? (
        <Chart title="Weight" unit={system === "us" ? "lb" : "kg"} days={s.days} testid="weight-chart" series={[{ label: "Weight", values: s.weight }]} />
      ) : (
        <section class="card" data-testid="weight-chart">
          <h2>Weight</h2>
          <p class="empty">No weight yet. Each one you log is charted here.</p>
          <a class="btn" href="/log/weight">Log a weight</a>
        </section>
      )}
      <PainPatternCard data={data} day={s.days[s.days.length - 1] ?? today(timeZone(data))} />
      <section class="card">
        <h2>Exercise minutes per week</h2>
        <ul class="bars">
          {s.weeks.map((w) => (
            <li key={w.label}>
              <span>{w.label}</span>
              {w.minutes === null ? (
                <span class="muted" data-testid="week-no-data" aria-label={`${w.label}: no data, before your first day`}>no data</span>
              ) : (
                <progress max={150} value={Math.min(150, w.minutes)} aria-label={`${w.label}: ${plural(w.minutes, "minute")} of exercise (150 is the weekly aim)`} />
              )}
              <span>{w.minutes === null ? "" : `${w.minutes} min`}</span>
            </li>
          ))}
        </ul>
      </section>
      <LabCharts labs={labCharts} />
      <section class="card">
        <h2>Lab results</h2>
        {labs.length === 0 ? <p class="empty">No lab results yet.</p> : (
          <table class="table">
            <thead><tr><th scope="col">Date</th><th scope="col">Test</th><th scope="col">Result</th></tr></thead>
            <tbody>
              {labs.map((l, i) => (
                <Fragment key={i}>
                  <tr><td>{labDate(dayOf(l.measured_at, timeZone(data)) ?? String(l.measured_at).slice(0, 10))}</td><td>{LAB_LABEL[String(l.kind)] ?? String(l.kind)}</td><td>{String(l.value)} {String(l.unit)}</td></tr>
                  {/* Read against PROTOCOL §7, as the care-team report reads it (F22), across the table's width. */}
                  <tr class="lab-reading-row"><td colSpan={3}><LabReadingLine fields={l} sex={data.profile?.fields?.sex} /></td></tr>
                </Fragment>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </Layout>
  );
}
