/**
 * One Trends chart, drawn as SVG (in place of uPlot, 52 KB of the 400 KB the service worker may
 * precache: issue #14). The colours are the theme's custom properties, set in styles.css, so a
 * change to dark mode reaches the chart as it reaches the page; the text is her body size (at
 * least 16 px), and the chart is laid out again when that or the card's width changes.
 * Series differ by colour (Okabe-Ito, colour-blind safe), by dash and by marker shape, and each
 * is named with its latest value in a key under the chart ("Bone 29"): never by colour alone.
 * The scale and tick arithmetic is in scale.ts.
 */
import { useLayoutEffect, useMemo, useRef, useState } from "preact/hooks";
import { autoRange, dateTicks, tickText, valueTicks } from "./scale";
import { axisDate, latestOf, legendValue, needsDots, type Marker } from "./series";

export interface ChartSeries {
  label: string;
  values: (number | null)[];
}

export interface ChartProps {
  title: string;
  /** Daily series: one value per day. */
  days?: string[];
  /** Or irregular points (lab results): seconds since the epoch, ascending. */
  times?: number[];
  series: ChartSeries[];
  unit: string;
  /** A fixed value range (scores 0–100, pain 0–10); else the range fits the data (scale.ts). */
  range?: [number, number];
  /** Her target (the one Today scores against), drawn as a dashed line and named in the key. */
  target?: { label: string; value: number };
  /** Lab results are few and far apart: draw each one as a dot. */
  points?: boolean;
  testid?: string;
  heading?: "h2" | "h3";
  /** A chart inside another card: no card of its own. */
  nested?: boolean;
  /** A sentence under the key (her own days' average in her first week: app/ownDays.ts). */
  note?: string | null;
}

const epoch = (d: string) => Date.parse(`${d}T12:00:00Z`) / 1000;
const MONTH_S = 30 * 86_400;
/** Narrower than this, a chart has no room for its axis: it would be a blank box. */
const MIN_CHART_PX = 120;
/** Below this card width (px) the unit is left to the key (see `layout`). */
const NARROW_CHART_PX = 300;
/** The tick marks' length, px. */
const TICK_PX = 6;

/** Per series, in order: dash and marker, so two lines never differ by colour alone. */
/** The first line (Overall) is drawn first, so under the others: its marker is larger, to show round them. */
const LOOKS: readonly { dash: number[]; marker: Marker; width: number }[] = [
  { dash: [], marker: "circle", width: 3 },
  { dash: [10, 5], marker: "square", width: 2.5 },
  { dash: [3, 4], marker: "triangle", width: 2.5 },
  { dash: [12, 4, 3, 4], marker: "diamond", width: 2.5 },
];
const lookOf = (i: number) => LOOKS[i % LOOKS.length] ?? { dash: [], marker: "circle" as Marker, width: 2 };
/** A series' colour class (styles.css: the theme's --chart-1 … --chart-4). */
const colourOf = (i: number) => `chart-s${(i % 4) + 1}`;

/** A marker's outline at (x, y), radius r, as SVG path data. */
export function markerPath(marker: Marker, x: number, y: number, r: number): string {
  const f = (n: number) => Math.round(n * 10) / 10;
  switch (marker) {
    case "square":
      return `M${f(x - r * 0.85)} ${f(y - r * 0.85)}h${f(r * 1.7)}v${f(r * 1.7)}h${f(-r * 1.7)}Z`;
    case "triangle":
      return `M${f(x)} ${f(y - r * 1.1)}L${f(x + r)} ${f(y + r * 0.8)}L${f(x - r)} ${f(y + r * 0.8)}Z`;
    case "diamond":
      return `M${f(x)} ${f(y - r * 1.15)}L${f(x + r * 1.15)} ${f(y)}L${f(x)} ${f(y + r * 1.15)}L${f(x - r * 1.15)} ${f(y)}Z`;
    default:
      return `M${f(x - r)} ${f(y)}a${f(r)} ${f(r)} 0 1 0 ${f(2 * r)} 0a${f(r)} ${f(r)} 0 1 0 ${f(-2 * r)} 0Z`;
  }
}

/** The key's swatch: the series' dash and marker, in its colour. */
function Swatch(props: { colour: string; dash: number[]; marker?: Marker }) {
  const m = props.marker;
  return (
    <svg class={`chart-swatch ${props.colour}`} width="32" height="18" viewBox="0 0 32 18" aria-hidden="true">
      <line x1="0" y1="9" x2="32" y2="9" stroke="currentColor" stroke-width="3" stroke-dasharray={props.dash.join(" ") || undefined} />
      {m ? <path class="chart-marks" d={markerPath(m, 16, 9, 5)} /> : null}
    </svg>
  );
}

/** Text widths at the chart's font, measured once per font on one shared canvas. */
let measurer: CanvasRenderingContext2D | null = null;
function textWidth(text: string, font: string): number {
  measurer ??= document.createElement("canvas").getContext("2d");
  if (!measurer) return text.length * 0.6 * (parseFloat(font) || 16);
  measurer.font = font;
  return measurer.measureText(text).width;
}

interface Size {
  /** The card's inner width, px. */
  width: number;
  /** The axes' text size, px. */
  fontPx: number;
  family: string;
}

/** The chart's width and text size as the page has them now. */
function measure(box: HTMLElement): Size {
  const body = getComputedStyle(document.body);
  const bodyPx = parseFloat(body.fontSize) || 16;
  const width = Math.max(MIN_CHART_PX, box.clientWidth);
  // Axis text at her body size, at least 16 px; but on a narrow phone with very large text
  // (320 px at 225 %: 40 px letters) the axes would leave the plot no room: there it stops at
  // a fourteenth of the chart's width (still 20 px), and the key under it keeps her size.
  return { width, fontPx: Math.max(16, Math.min(bodyPx, box.clientWidth / 14)), family: getComputedStyle(box).fontFamily || "sans-serif" };
}

export function Chart(props: ChartProps) {
  const el = useRef<HTMLDivElement>(null);
  const caption = useRef<HTMLElement>(null);
  const [size, setSize] = useState<Size | null>(null);
  const xs = useMemo(() => props.times ?? (props.days ?? []).map(epoch), [props.times, props.days]);
  const unitWord = props.unit === "score" ? "" : props.unit;
  // Laid out before the first paint, and again whenever the card's width or her text size
  // changes (the phone turned; the heading's box changes with the text size).
  useLayoutEffect(() => {
    const box = el.current;
    if (!box) return;
    const update = () =>
      setSize((was) => {
        const now = measure(box);
        return was && Math.abs(was.width - now.width) < 1 && Math.abs(was.fontPx - now.fontPx) < 0.5 && was.family === now.family ? was : now;
      });
    update();
    const resized = new ResizeObserver(update);
    resized.observe(box);
    if (caption.current) resized.observe(caption.current);
    return () => resized.disconnect();
  }, []);

  const plot = useMemo(() => (size ? layout(props, xs, size) : null), [size, xs, props.series, props.points, props.unit, props.range, props.target]); // eslint-disable-line react-hooks/exhaustive-deps

  const lastX = xs[xs.length - 1];
  const latest = props.series.map((s) => {
    const l = latestOf(s.values);
    if (!l) return { label: s.label, words: `${s.label}: none yet` };
    const when = xs[l.index] !== lastX && xs[l.index] !== undefined ? ` (${axisDate(xs[l.index] ?? 0)})` : "";
    return { label: s.label, words: `${s.label} ${legendValue(l.value, unitWord)}${when}` };
  });
  const targetWords = props.target ? `${props.target.label} ${legendValue(props.target.value, unitWord)}` : null;
  const Heading = props.heading ?? "h2";
  // Read out: "Latest: Bone: 29, Heart: 19" (each with its unit), then the target.
  const spoken = props.series.map((s) => {
    const l = latestOf(s.values);
    return `${s.label}: ${l ? legendValue(l.value, unitWord) : "none yet"}`;
  });
  const summary = [...spoken, ...(targetWords ? [targetWords] : [])].join(", ");
  return (
    <figure class={props.nested ? "chart chart-nested" : "card chart"} data-testid={props.testid}>
      <figcaption ref={caption}><Heading>{props.title}</Heading></figcaption>
      <div ref={el} role="img" aria-label={`${props.title}${props.range ? `, from ${props.range[0]} to ${props.range[1]}` : ""}. Latest: ${summary}`}>
        {plot}
      </div>
      <ul class="chart-key" data-testid="chart-key" aria-hidden="true">
        {latest.map((l, i) => (
          <li key={l.label}>
            <Swatch colour={colourOf(i)} dash={lookOf(i).dash} marker={lookOf(i).marker} />
            <span>{l.words}</span>
          </li>
        ))}
        {targetWords ? (
          <li>
            <Swatch colour="chart-target-key" dash={[6, 6]} />
            <span>{targetWords}</span>
          </li>
        ) : null}
      </ul>
      {props.note ? <p class="hint" data-testid="own-days-note">{props.note}</p> : null}
    </figure>
  );
}

/** The chart itself: axes, grid, each series' line and markers, the target's line. */
function layout(props: ChartProps, xs: number[], size: Size) {
  const { width, fontPx } = size;
  const font = `${fontPx}px ${size.family}`;
  // Room for the words: the chart grows with her text size.
  const height = Math.max(200, Math.round(fontPx * 11));
  const top = Math.ceil(fontPx * 0.7);
  const xAxis = Math.ceil(fontPx * 1.6 + 10);
  const plotH = height - top - xAxis;

  // Values: a fixed range, else from 0 to a round number above every value (the target too).
  const all = [...props.series.flatMap((s) => s.values), ...(props.target ? [props.target.value] : [])];
  const [lo, hi] = props.range ?? autoRange(all);
  const yTicks = valueTicks(lo, hi, Math.floor(plotH / (fontPx * 2.2)));
  const yTexts = yTicks.map(tickText);
  // The unit beside the values, turned on its side; on a narrow card (320 px at 200 % text)
  // it cost the plot a fifth of its width, and the key under the chart says it anyway
  // ("Calcium 803 mg"): there the plot takes the room (the newcomer walk, issue #14).
  const unitBand = width < NARROW_CHART_PX ? 0 : Math.ceil(fontPx * 1.8);
  const yAxis = unitBand + Math.ceil(Math.max(0, ...yTexts.map((t) => textWidth(t, font))) + fontPx * 0.4) + TICK_PX;

  // Dates: one result alone would sit at the edge: centre it in two months.
  const first = xs[0] ?? 0;
  const [x0, x1] = xs.length > 1 ? [first, xs[xs.length - 1] ?? first] : [first - MONTH_S, first + MONTH_S];
  // The last date's words reach past the plot's right edge by half their width.
  const right = Math.ceil(textWidth("30 Sep", font) / 2) + 2;
  const plotW = Math.max(10, width - yAxis - right);
  const xTicks = dateTicks(x0, x1, plotW / (fontPx * 4.5));

  const X = (t: number) => yAxis + (x1 > x0 ? ((t - x0) / (x1 - x0)) * plotW : plotW / 2);
  const Y = (v: number) => top + plotH - ((v - lo) / (hi - lo || 1)) * plotH;
  const r1 = (n: number) => Math.round(n * 10) / 10;
  const bottom = top + plotH;
  const markerPx = Math.round(fontPx * 0.6);

  return (
    <svg class="chart-plot" width={width} height={height} viewBox={`0 0 ${width} ${height}`} aria-hidden="true" focusable="false" font-size={fontPx}>
      <g class="chart-grid">
        {yTicks.map((v) => (
          <path key={`y${v}`} d={`M${yAxis - TICK_PX} ${r1(Y(v))}H${yAxis + plotW}`} />
        ))}
        {xTicks.map((t) => (
          <path key={`x${t}`} d={`M${r1(X(t))} ${top}V${bottom + TICK_PX}`} />
        ))}
      </g>
      <g class="chart-axis">
        {yTicks.map((v, i) => (
          <text key={`y${v}`} x={yAxis - TICK_PX - fontPx * 0.2} y={r1(Y(v))} text-anchor="end" dominant-baseline="central">
            {yTexts[i]}
          </text>
        ))}
        {xTicks.map((t) => (
          <text key={`x${t}`} x={r1(X(t))} y={bottom + TICK_PX + fontPx * 0.2} text-anchor="middle" dominant-baseline="hanging">
            {axisDate(t)}
          </text>
        ))}
        {unitBand > 0 ? (
          <text class="chart-unit" transform={`translate(${r1(unitBand / 2)} ${r1(top + plotH / 2)}) rotate(-90)`} text-anchor="middle" dominant-baseline="central">
            {props.unit}
          </text>
        ) : null}
      </g>
      {props.series.map((s, i) => {
        const look = lookOf(i);
        const at: [number, number][] = [];
        s.values.forEach((v, k) => {
          const t = xs[k];
          if (v !== null && v !== undefined && t !== undefined) at.push([r1(X(t)), r1(Y(v))]);
        });
        // Markers wherever a value is alone (one day of pain) or the chart is of dots (labs), and
        // on every day of a short series, so each line shows its shape. Gaps are spanned.
        const dots = props.points || needsDots(s.values) || at.length <= 14;
        const r = (i === 0 ? markerPx * 1.4 : markerPx) / 2;
        return (
          <g key={s.label} class={`chart-series ${colourOf(i)}`} data-series={s.label}>
            {at.length > 1 ? (
              <path class="chart-line" d={at.map(([x, y], k) => `${k ? "L" : "M"}${x} ${y}`).join("")} stroke-width={look.width} stroke-dasharray={look.dash.join(" ") || undefined} />
            ) : null}
            {dots && at.length ? <path class="chart-marks" d={at.map(([x, y]) => markerPath(look.marker, x, y, r)).join("")} /> : null}
          </g>
        );
      })}
      {props.target && props.target.value >= lo && props.target.value <= hi ? (
        <path class="chart-target" d={`M${yAxis} ${r1(Y(props.target.value))}H${yAxis + plotW}`} />
      ) : null}
    </svg>
  );
}
