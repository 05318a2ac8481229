/**
 * Trends (loaded on demand: uPlot stays out of the first download). Series are worked out on
 * this phone from IndexedDB with the same engine as Today, so they work offline.
 */
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { addDays } from "../../scoring";
import { plural } from "../../scoring/wording";
import { dayOf, loadAll, localReport, timeZone, today, type LocalData } from "../../app/day";
import { firstDayOf } from "../../app/firstDay";
import { Choice } from "../../app/forms";
import { useLive } from "../../app/hooks";
import { runtime } from "../../app/runtime";
import { LAB_LABEL } from "../../app/summary";
import { Layout } from "../../app/ui";
import { PainPatternCard } from "../patterns/PainPattern";
import { fmtDayMonth } from "../../app/zone";
import { axisDate, labSeries, legendValue, needsDots, weightSeries, type LabSeries } from "./series";

interface Series {
  days: string[];
  overall: (number | null)[];
  bone: (number | null)[];
  heart: (number | null)[];
  joint: (number | null)[];
  calcium: (number | null)[];
  vitaminD: (number | null)[];
  pain: (number | null)[];
  weight: (number | null)[];
  weeks: { label: string; minutes: number }[];
}

function build(data: LocalData, span: number): Series {
  const zone = timeZone(data);
  const end = today(zone);
  const s: Series = { days: [], overall: [], bone: [], heart: [], joint: [], calcium: [], vitaminD: [], pain: [], weight: [], weeks: [] };
  const pain = new Map<string, number>();
  for (const r of data.symptoms) {
    const d = dayOf(r.fields?.measured_at, zone);
    const v = r.fields?.worst_pain_0_10;
    if (d && typeof v === "number") pain.set(d, Math.max(v, pain.get(d) ?? 0));
  }
  for (let i = span - 1; i >= 0; i--) {
    const d = addDays(end, -i);
    const rep = localReport(data, d);
    s.days.push(d);
    s.overall.push(rep?.overall ?? null);
    s.bone.push(rep?.bone ?? null);
    s.heart.push(rep?.heart ?? null);
    s.joint.push(rep?.joint ?? null);
    s.calcium.push(rep ? Math.round(rep.totals.calcium_mg) : null);
    s.vitaminD.push(rep ? Math.round(rep.totals.vitamin_d_iu_7day_avg) : null);
    s.pain.push(pain.get(d) ?? null);
    if (i % 7 === 0) s.weeks.push({ label: `week to ${fmtDayMonth(d)}`, minutes: weekMinutes(data, zone, d) });
  }
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

const epoch = (d: string) => Date.parse(`${d}T12:00:00Z`) / 1000;

interface ChartProps {
  title: string;
  /** Daily series: one value per day. */
  days?: string[];
  /** Or irregular points (lab results): seconds since the epoch, ascending. */
  times?: number[];
  series: { label: string; values: (number | null)[]; cls: string }[];
  unit: string;
  /** Lab results are few and far apart: draw each one as a dot. */
  points?: boolean;
  testid?: string;
  heading?: "h2" | "h3";
  /** A chart inside another card: no card of its own, no legend (the title names the one series). */
  nested?: boolean;
}

const MONTH_S = 30 * 86_400;
const CHART_HEIGHT_PX = 200;
/** Narrower than this, a chart has no room for its axis: it would be a blank box. */
const MIN_CHART_PX = 120;

function Chart(props: ChartProps) {
  const el = useRef<HTMLDivElement>(null);
  const xs = useMemo(() => props.times ?? (props.days ?? []).map(epoch), [props.times, props.days]);
  useEffect(() => {
    const box = el.current;
    if (!box) return;
    // As wide as its card, never wider (a 260 px floor overflowed a 320 px screen at 200 % text),
    // and again whenever the card changes width (the phone turned, the text size changed).
    const width = () => Math.max(MIN_CHART_PX, box.clientWidth);
    const colours = ["#1f5f8b", "#b5472b", "#2e7d4f", "#7a4ea3"];
    const plot = new uPlot(
      {
        width: width(),
        height: CHART_HEIGHT_PX,
        // One result alone would sit at the edge of a years-wide axis: centre it in two months.
        scales: { x: { time: true, ...(xs.length === 1 && xs[0] !== undefined ? { range: [xs[0] - MONTH_S, xs[0] + MONTH_S] } : {}) } },
        // Dates as "3 Dec", on the axis and in the legend (uPlot's own are ISO-like).
        axes: [
          { stroke: "currentColor", values: (_u: uPlot, splits: number[]) => splits.map(axisDate) },
          { stroke: "currentColor", label: props.unit },
        ],
        ...(props.nested ? { legend: { show: false } } : {}),
        series: [
          { label: "Day", value: (_u: uPlot, v: number | null) => (v === null ? "" : axisDate(v)) },
          ...props.series.map((s, i) => ({
            label: s.label,
            stroke: colours[i % colours.length],
            width: 2,
            spanGaps: true,
            // Nothing until a day is touched; then its value, or "no data" where uPlot writes "--".
            value: (_u: uPlot, v: number | null, _s: number, idx: number | null) => (idx === null ? "" : legendValue(v, props.unit === "score" ? "" : props.unit)),
            // A value with no neighbour (one day of pain) is no line: draw it as a dot.
            ...(props.points || needsDots(s.values) ? { points: { show: true, size: 9, fill: colours[i % colours.length] } } : {}),
          })),
        ],
      },
      [xs, ...props.series.map((s) => s.values)] as uPlot.AlignedData,
      box,
    );
    const resized = new ResizeObserver(() => {
      if (Math.abs(plot.width - width()) >= 1) plot.setSize({ width: width(), height: CHART_HEIGHT_PX });
    });
    resized.observe(box);
    return () => {
      resized.disconnect();
      plot.destroy();
    };
  }, [xs, props.series, props.nested, props.points, props.unit]);
  const last = props.series.map((s) => `${s.label}: ${[...s.values].reverse().find((v) => v !== null) ?? "none"}`).join(", ");
  const Heading = props.heading ?? "h2";
  return (
    <figure class={props.nested ? "chart chart-nested" : "card chart"} data-testid={props.testid}>
      <figcaption><Heading>{props.title}</Heading></figcaption>
      <div ref={el} role="img" aria-label={`${props.title}. Latest: ${last} ${props.unit}`} />
    </figure>
  );
}

function LabCharts(props: { labs: LabSeries[] }) {
  const series = useMemo(() => props.labs.map((l) => [{ label: LAB_LABEL[l.kind] ?? l.kind, values: l.values, cls: "lab" }]), [props.labs]);
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
function FirstDayNote(props: { data: LocalData; days: readonly string[] }) {
  const first = firstDayOf(props.data, timeZone(props.data));
  if (first === null || (props.days[0] ?? first) >= first) return null;
  return <p class="hint" data-testid="trends-first-day">Scores start on {fmtDayMonth(first)}, your first day with Fortify: the days before it have none.</p>;
}

export default function Trends() {
  const rt = runtime();
  const data = useLive(async () => (rt ? loadAll(rt.store) : null), [rt]);
  const [span, setSpan] = useState<"30" | "90">("30");
  const s = useMemo(() => (data ? build(data, Number(span)) : null), [data, span]);
  const system = data?.profile?.fields?.unit_system === "us" ? "us" : "metric";
  const labCharts = useMemo(() => (data ? labSeries(data.labs, system) : []), [data, system]);
  if (!data || !s) return <Layout title="Trends"><p>Loading…</p></Layout>;
  const labs = data.labs
    .map((r) => r.fields ?? {})
    .sort((a, b) => String(b.measured_at).localeCompare(String(a.measured_at)));
  return (
    <Layout title="Trends">
      <Choice label="Period" value={span} options={[["30", "30 days"], ["90", "90 days"]]} onChange={setSpan} />
      <FirstDayNote data={data} days={s.days} />
      <Chart title="Daily scores" unit="score" days={s.days} series={[
        { label: "Overall", values: s.overall, cls: "overall" },
        { label: "Bone", values: s.bone, cls: "bone" },
        { label: "Heart", values: s.heart, cls: "heart" },
        { label: "Joint", values: s.joint, cls: "joint" },
      ]} />
      <Chart title="Calcium per day" unit="mg" days={s.days} series={[{ label: "Calcium", values: s.calcium, cls: "calcium" }]} />
      <Chart title="Vitamin D, 7-day average" unit="IU" days={s.days} series={[{ label: "Vitamin D", values: s.vitaminD, cls: "vitd" }]} />
      <Chart title="Worst joint pain" unit="out of 10" days={s.days} testid="pain-chart" series={[{ label: "Pain", values: s.pain, cls: "pain" }]} />
      {s.weight.some((v) => v !== null) ? (
        <Chart title="Weight" unit={system === "us" ? "lb" : "kg"} days={s.days} testid="weight-chart" series={[{ label: "Weight", values: s.weight, cls: "weight" }]} />
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
              <progress max={150} value={Math.min(150, w.minutes)} aria-label={`${w.label}: ${plural(w.minutes, "minute")} of exercise (150 is the weekly aim)`} />
              <span>{w.minutes} min</span>
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
                <tr key={i}><td>{labDate(dayOf(l.measured_at, timeZone(data)) ?? String(l.measured_at).slice(0, 10))}</td><td>{LAB_LABEL[String(l.kind)] ?? String(l.kind)}</td><td>{String(l.value)} {String(l.unit)}</td></tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </Layout>
  );
}
