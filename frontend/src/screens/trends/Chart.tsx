/**
 * One Trends chart (uPlot). uPlot draws on a canvas, where CSS never reaches: its colours and
 * fonts are read from the page (the theme's custom properties, the body's font size) each time
 * the chart is built, and it is built again when the colour scheme or the text size changes.
 * Series differ by colour (Okabe-Ito, colour-blind safe), by dash and by marker shape, and each
 * is named with its latest value in a key under the chart ("Bone 29"): never by colour alone.
 */
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
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
  /** A fixed value range (scores 0–100, pain 0–10); else uPlot fits the data. */
  range?: [number, number];
  /** Her target (the one Today scores against), drawn as a dashed line and named in the key. */
  target?: { label: string; value: number };
  /** Lab results are few and far apart: draw each one as a dot. */
  points?: boolean;
  testid?: string;
  heading?: "h2" | "h3";
  /** A chart inside another card: no card of its own. */
  nested?: boolean;
}

const epoch = (d: string) => Date.parse(`${d}T12:00:00Z`) / 1000;
const MONTH_S = 30 * 86_400;
/** Narrower than this, a chart has no room for its axis: it would be a blank box. */
const MIN_CHART_PX = 120;

/** Per series, in order: dash and marker, so two lines never differ by colour alone. */
/** The first line (Overall) is drawn first, so under the others: its marker is larger, to show round them. */
const LOOKS: readonly { dash: number[]; marker: Marker; width: number }[] = [
  { dash: [], marker: "circle", width: 3 },
  { dash: [10, 5], marker: "square", width: 2.5 },
  { dash: [3, 4], marker: "triangle", width: 2.5 },
  { dash: [12, 4, 3, 4], marker: "diamond", width: 2.5 },
];
const lookOf = (i: number) => LOOKS[i % LOOKS.length] ?? { dash: [], marker: "circle" as Marker, width: 2 };

interface Theme {
  text: string;
  grid: string;
  surface: string;
  target: string;
  series: string[];
  /** The body's font size (her text size), CSS px. */
  bodyPx: number;
  family: string;
}

/** The page's colours and body font, as the CSS has them now (light or dark, her text size). */
function readTheme(): Theme {
  const root = getComputedStyle(document.documentElement);
  const v = (name: string, fallback: string) => root.getPropertyValue(name).trim() || fallback;
  const body = getComputedStyle(document.body);
  return {
    text: v("--text", "#14202b"),
    grid: v("--border", "#c5d0da"),
    surface: v("--surface", "#f3f6f9"),
    target: v("--muted", "#4a5866"),
    series: [1, 2, 3, 4].map((i) => v(`--chart-${i}`, "#0072b2")),
    bodyPx: parseFloat(body.fontSize) || 16,
    family: body.fontFamily || "sans-serif",
  };
}

/** Whether the phone is in dark mode, kept up to date (the chart is redrawn on a change). */
function useDark(): boolean {
  const query = typeof matchMedia === "function" ? matchMedia("(prefers-color-scheme: dark)") : null;
  const [dark, setDark] = useState(query?.matches ?? false);
  useEffect(() => {
    if (!query) return;
    const changed = () => setDark(query.matches);
    query.addEventListener("change", changed);
    return () => query.removeEventListener("change", changed);
  }, [query?.media]); // eslint-disable-line react-hooks/exhaustive-deps
  return dark;
}

/** A marker's outline at (x, y), radius r, in canvas pixels. */
function markerPath(p: Path2D, marker: Marker, x: number, y: number, r: number): void {
  switch (marker) {
    case "square":
      p.rect(x - r * 0.85, y - r * 0.85, r * 1.7, r * 1.7);
      return;
    case "triangle":
      p.moveTo(x, y - r * 1.1);
      p.lineTo(x + r, y + r * 0.8);
      p.lineTo(x - r, y + r * 0.8);
      p.closePath();
      return;
    case "diamond":
      p.moveTo(x, y - r * 1.15);
      p.lineTo(x + r * 1.15, y);
      p.lineTo(x, y + r * 1.15);
      p.lineTo(x - r * 1.15, y);
      p.closePath();
      return;
    default:
      p.moveTo(x + r, y);
      p.arc(x, y, r, 0, Math.PI * 2);
  }
}

/** uPlot's points path builder, with our shapes in place of its circles. */
function markers(marker: Marker, sizePx: number): uPlot.Series.Points.PathBuilder {
  return (u, seriesIdx, idx0, idx1) => {
    const xs = u.data[0];
    const ys = u.data[seriesIdx] ?? [];
    const scale = u.series[seriesIdx]?.scale ?? "y";
    const r = (sizePx / 2) * devicePixelRatio;
    const shape = new Path2D();
    for (let i = idx0; i <= idx1; i++) {
      const y = ys[i];
      const x = xs[i];
      if (y === null || y === undefined || x === undefined) continue;
      markerPath(shape, marker, u.valToPos(x, "x", true), u.valToPos(y, scale, true), r);
    }
    return { stroke: shape, fill: shape, clip: null, flags: 0 };
  };
}

/** The key's swatch: the series' dash and marker, in its colour. */
function Swatch(props: { colour: string; dash: number[]; marker?: Marker; surface: string }) {
  const m = props.marker;
  const shape =
    m === "square" ? <rect x="11" y="4" width="10" height="10" /> :
    m === "triangle" ? <polygon points="16,3 22,14 10,14" /> :
    m === "diamond" ? <polygon points="16,2 23,9 16,16 9,9" /> :
    m === "circle" ? <circle cx="16" cy="9" r="5" /> : null;
  return (
    <svg class="chart-swatch" width="32" height="18" viewBox="0 0 32 18" aria-hidden="true">
      <line x1="0" y1="9" x2="32" y2="9" stroke={props.colour} stroke-width="3" stroke-dasharray={props.dash.join(" ") || undefined} />
      {shape ? <g fill={props.colour} stroke={props.surface} stroke-width="1">{shape}</g> : null}
    </svg>
  );
}

export function Chart(props: ChartProps) {
  const el = useRef<HTMLDivElement>(null);
  const caption = useRef<HTMLElement>(null);
  const dark = useDark();
  const [theme, setTheme] = useState<Theme | null>(null);
  // Bumped when her text size changes: the chart is built again with the new font.
  const [built, rebuild] = useState(0);
  const xs = useMemo(() => props.times ?? (props.days ?? []).map(epoch), [props.times, props.days]);
  const unitWord = props.unit === "score" ? "" : props.unit;
  useEffect(() => {
    const box = el.current;
    if (!box) return;
    const theme = readTheme();
    setTheme(theme);
    // Axis text at her body size, at least 16 px; but on a narrow phone with very large text
    // (320 px at 225 %: 40 px letters) the axes would leave the plot no room: there it stops at
    // a fourteenth of the chart's width (still 20 px), and the key under it keeps her size.
    const axisPx = (bodyPx: number) => Math.max(16, Math.min(bodyPx, box.clientWidth / 14));
    const t = { ...theme, fontPx: axisPx(theme.bodyPx) };
    const font = `${t.fontPx}px ${t.family}`;
    // Room for the words: the chart grows with her text size.
    const height = () => Math.max(200, Math.round(t.fontPx * 11));
    // As wide as its card, never wider (a 260 px floor overflowed a 320 px screen at 200 % text),
    // and again whenever the card changes width (the phone turned, the text size changed).
    const width = () => Math.max(MIN_CHART_PX, box.clientWidth);
    const yWidth = (u: uPlot, values: string[] | null) => {
      if (!values) return t.fontPx * 3;
      u.ctx.save();
      u.ctx.font = font;
      const widest = Math.max(0, ...values.map((s) => u.ctx.measureText(s).width));
      u.ctx.restore();
      // The font above is in CSS pixels (uPlot scales its own), so this width is too.
      return Math.ceil(widest + t.fontPx * 0.8);
    };
    const markerPx = Math.round(t.fontPx * 0.6);
    const targetValues = props.target ? xs.map(() => props.target?.value ?? null) : null;
    const plot = new uPlot(
      {
        width: width(),
        height: height(),
        legend: { show: false },
        scales: {
          // One result alone would sit at the edge of a years-wide axis: centre it in two months.
          x: { time: true, ...(xs.length === 1 && xs[0] !== undefined ? { range: [xs[0] - MONTH_S, xs[0] + MONTH_S] } : {}) },
          y: props.range ? { range: props.range } : { range: (_u: uPlot, min: number, max: number) => uPlot.rangeNum(Math.min(0, min), max, 0.1, true) },
        },
        // Dates as "3 Dec" (uPlot's own are ISO-like), at body size, in the page's text colour.
        axes: [
          {
            stroke: t.text, font, labelFont: font,
            grid: { stroke: t.grid, width: 1 }, ticks: { stroke: t.grid, width: 1 },
            size: Math.ceil(t.fontPx * 1.6 + 10),
            space: t.fontPx * 4.5,
            values: (_u: uPlot, splits: number[]) => splits.map(axisDate),
          },
          {
            stroke: t.text, font, labelFont: font, label: props.unit,
            labelSize: Math.ceil(t.fontPx * 1.8),
            grid: { stroke: t.grid, width: 1 }, ticks: { stroke: t.grid, width: 1 },
            size: yWidth,
            space: t.fontPx * 2.2,
          },
        ],
        series: [
          {},
          ...props.series.map((s, i) => {
            const look = lookOf(i);
            const colour = t.series[i % t.series.length] ?? t.text;
            return {
              label: s.label,
              stroke: colour,
              width: look.width,
              dash: look.dash,
              spanGaps: true,
              // Markers wherever a value is alone (one day of pain) or the chart is of dots (labs),
              // and on every day of a short series, so each line shows its shape.
              points: props.points || needsDots(s.values) || s.values.filter((v) => v !== null).length <= 14
                ? { show: true, size: markerPx, width: 1, dash: [], stroke: t.surface, fill: colour, paths: markers(look.marker, i === 0 ? markerPx * 1.4 : markerPx) }
                : { show: false },
            };
          }),
          ...(props.target ? [{ label: props.target.label, stroke: t.target, width: 2, dash: [6, 6], points: { show: false } }] : []),
        ],
      },
      [xs, ...props.series.map((s) => s.values), ...(targetValues ? [targetValues] : [])] as uPlot.AlignedData,
      box,
    );
    const resized = new ResizeObserver(() => {
      // Her text size changed (the font is drawn on the canvas): build it again at the new size.
      if (Math.abs(axisPx(readTheme().bodyPx) - t.fontPx) >= 0.5) {
        rebuild((n) => n + 1);
        return;
      }
      if (Math.abs(plot.width - width()) >= 1) plot.setSize({ width: width(), height: height() });
    });
    resized.observe(box);
    // Her text size can change with the width unchanged: the heading's box changes then.
    if (caption.current) resized.observe(caption.current);
    return () => {
      resized.disconnect();
      plot.destroy();
    };
  }, [xs, props.series, props.points, props.unit, props.range, props.target, dark, built]);
  const lastX = xs[xs.length - 1];
  const latest = props.series.map((s) => {
    const l = latestOf(s.values);
    if (!l) return { label: s.label, words: `${s.label}: none yet` };
    const when = xs[l.index] !== lastX && xs[l.index] !== undefined ? ` (${axisDate(xs[l.index] ?? 0)})` : "";
    return { label: s.label, words: `${s.label} ${legendValue(l.value, unitWord)}${when}` };
  });
  const targetWords = props.target ? `${props.target.label} ${legendValue(props.target.value, unitWord)}` : null;
  const colour = (i: number) => theme?.series[i % theme.series.length] ?? "currentColor";
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
      <div ref={el} role="img" aria-label={`${props.title}${props.range ? `, from ${props.range[0]} to ${props.range[1]}` : ""}. Latest: ${summary}`} />
      <ul class="chart-key" data-testid="chart-key" aria-hidden="true">
        {latest.map((l, i) => (
          <li key={l.label}>
            <Swatch colour={colour(i)} dash={lookOf(i).dash} marker={lookOf(i).marker} surface={theme?.surface ?? "transparent"} />
            <span>{l.words}</span>
          </li>
        ))}
        {targetWords ? (
          <li>
            <Swatch colour={theme?.target ?? "currentColor"} dash={[6, 6]} surface="transparent" />
            <span>{targetWords}</span>
          </li>
        ) : null}
      </ul>
    </figure>
  );
}
