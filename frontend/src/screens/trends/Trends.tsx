/**
 * Trends (loaded on demand: uPlot stays out of the first download). Series are worked out on
 * this phone from IndexedDB with the same engine as Today, so they work offline.
 */
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { addDays } from "../../scoring";
import { dayOf, loadAll, localReport, timeZone, today, type LocalData } from "../../app/day";
import { Choice } from "../../app/forms";
import { useLive } from "../../app/hooks";
import { runtime } from "../../app/runtime";
import { LAB_LABEL } from "../../app/summary";
import { Layout } from "../../app/ui";

interface Series {
  days: string[];
  overall: (number | null)[];
  bone: (number | null)[];
  heart: (number | null)[];
  joint: (number | null)[];
  calcium: (number | null)[];
  vitaminD: (number | null)[];
  pain: (number | null)[];
  weeks: { label: string; minutes: number }[];
}

function build(data: LocalData, span: number): Series {
  const zone = timeZone(data);
  const end = today(zone);
  const s: Series = { days: [], overall: [], bone: [], heart: [], joint: [], calcium: [], vitaminD: [], pain: [], weeks: [] };
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
    if (i % 7 === 0 && rep) s.weeks.push({ label: `week to ${d.slice(5)}`, minutes: Math.round(rep.totals.minutes_w7.aerobic ?? 0) });
  }
  return s;
}

const epoch = (d: string) => Date.parse(`${d}T12:00:00Z`) / 1000;

function Chart(props: { title: string; days: string[]; series: { label: string; values: (number | null)[]; cls: string }[]; unit: string }) {
  const el = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!el.current) return;
    const width = Math.max(280, el.current.clientWidth);
    const colours = ["#1f5f8b", "#b5472b", "#2e7d4f", "#7a4ea3"];
    const plot = new uPlot(
      {
        width,
        height: 200,
        scales: { x: { time: true } },
        axes: [{ stroke: "currentColor" }, { stroke: "currentColor", label: props.unit }],
        series: [{}, ...props.series.map((s, i) => ({ label: s.label, stroke: colours[i % colours.length], width: 2, spanGaps: true }))],
      },
      [props.days.map(epoch), ...props.series.map((s) => s.values)] as uPlot.AlignedData,
      el.current,
    );
    return () => plot.destroy();
  }, [props.days, props.series]);
  const last = props.series.map((s) => `${s.label}: ${[...s.values].reverse().find((v) => v !== null) ?? "none"}`).join(", ");
  return (
    <figure class="card chart">
      <figcaption><h2>{props.title}</h2></figcaption>
      <div ref={el} role="img" aria-label={`${props.title}. Latest: ${last} ${props.unit}`} />
    </figure>
  );
}

export default function Trends() {
  const rt = runtime();
  const data = useLive(async () => (rt ? loadAll(rt.store) : null), [rt]);
  const [span, setSpan] = useState<"30" | "90">("30");
  const s = useMemo(() => (data ? build(data, Number(span)) : null), [data, span]);
  if (!data || !s) return <Layout title="Trends"><p>Loading…</p></Layout>;
  const labs = data.labs
    .map((r) => r.fields ?? {})
    .sort((a, b) => String(b.measured_at).localeCompare(String(a.measured_at)));
  return (
    <Layout title="Trends">
      <Choice label="Period" value={span} options={[["30", "30 days"], ["90", "90 days"]]} onChange={setSpan} />
      <Chart title="Daily scores" unit="score" days={s.days} series={[
        { label: "Overall", values: s.overall, cls: "overall" },
        { label: "Bone", values: s.bone, cls: "bone" },
        { label: "Heart", values: s.heart, cls: "heart" },
        { label: "Joint", values: s.joint, cls: "joint" },
      ]} />
      <Chart title="Calcium per day" unit="mg" days={s.days} series={[{ label: "Calcium", values: s.calcium, cls: "calcium" }]} />
      <Chart title="Vitamin D, 7-day average" unit="IU" days={s.days} series={[{ label: "Vitamin D", values: s.vitaminD, cls: "vitd" }]} />
      <Chart title="Worst joint pain" unit="0-10" days={s.days} series={[{ label: "Pain", values: s.pain, cls: "pain" }]} />
      <section class="card">
        <h2>Exercise minutes per week</h2>
        <ul class="bars">
          {s.weeks.map((w) => (
            <li key={w.label}>
              <span>{w.label}</span>
              <progress max={150} value={Math.min(150, w.minutes)} aria-label={`${w.label}: ${w.minutes} aerobic minutes of 150`} />
              <span>{w.minutes} min</span>
            </li>
          ))}
        </ul>
      </section>
      <section class="card">
        <h2>Lab results</h2>
        {labs.length === 0 ? <p class="empty">No lab results yet. <a href="/log/lab">Add one</a>.</p> : (
          <table class="table">
            <thead><tr><th scope="col">Date</th><th scope="col">Test</th><th scope="col">Result</th></tr></thead>
            <tbody>
              {labs.map((l, i) => (
                <tr key={i}><td>{String(l.measured_at).slice(0, 10)}</td><td>{LAB_LABEL[String(l.kind)] ?? String(l.kind)}</td><td>{String(l.value)} {String(l.unit)}</td></tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </Layout>
  );
}
