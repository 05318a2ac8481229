/**
 * Settings → "Report for my care team": pick a period, preview the report, download its PDF,
 * share it. The report is made by the server (`GET /api/v1/reports/care-team`), so this screen
 * needs a connection and says so when there is none.
 *
 * The preview is the server's HTML laid into a shadow root: the app's Content-Security-Policy
 * allows no inline styles and no framed blob, so the report's stylesheet is adopted as a
 * constructed sheet (which CSP does not govern) and the page's own `html`/`body` rules are
 * pointed at the preview box. The report carries no script; any would be dropped anyway.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import { Choice } from "../../app/forms";
import { useOnline, useZone } from "../../app/hooks";
import { localDate } from "../../scoring";
import { runtime } from "../../app/runtime";
import { paperFor } from "../../app/units";
import { Layout } from "../../app/ui";

type Period = "30" | "90" | "dates";
const MAX_DAYS = 366;

function isoDay(d: Date): string {
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
}

function daysBefore(day: string, n: number): string {
  const d = new Date(`${day}T12:00:00`);
  d.setDate(d.getDate() - n);
  return isoDay(d);
}

function spanDays(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T12:00:00Z`) - Date.parse(`${from}T12:00:00Z`)) / 86_400_000) + 1;
}

/** The period asked for, or the reason it cannot be made, in words. */
export function reportPeriod(period: Period, today: string, from: string, to: string): { from: string; to: string } | { error: string } {
  if (period !== "dates") return { from: daysBefore(today, Number(period) - 1), to: today };
  if (!from || !to) return { error: "Choose the first and the last day." };
  if (to > today) return { error: "The last day cannot be after today." };
  if (to < from) return { error: "The last day is before the first day." };
  if (spanDays(from, to) > MAX_DAYS) return { error: `At most ${MAX_DAYS} days at a time.` };
  return { from, to };
}

async function fetchReport(from: string, to: string, format: "html" | "pdf", paper: string): Promise<Response> {
  const rt = runtime();
  if (!rt) throw new Error("signed out");
  const q = new URLSearchParams({ from, to, format, paper });
  const r = await fetch(`/api/v1/reports/care-team?${q}`, { headers: { Authorization: `Bearer ${rt.session.token}` } });
  if (!r.ok) throw new Error(String(r.status));
  return r;
}

function saveFile(file: File): void {
  const url = URL.createObjectURL(file);
  const a = document.createElement("a");
  a.href = url;
  a.download = file.name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The report's base text size (its `html` rule): 8.6 pt on paper is 1 rem in the preview. */
const REPORT_BASE_PT = 8.6;

/**
 * The report's stylesheet made for a phone: sizes in points (small print on A4) become rem of
 * the app, so the preview's text is the app's size and follows the person's text size; the
 * page's `html`/`body` rules point at the preview box; print-only rules go.
 */
export function previewCss(css: string): string {
  return css
    .replace(/@page\s*{(?:[^{}]|{[^{}]*})*}/g, "")
    .replace(/(^|[\s}])html\s*{/g, "$1:host {")
    .replace(/(^|[\s}])body\s*{/g, "$1.report-page {")
    .replace(/(\d*\.?\d+)pt\b/g, (_m, n: string) => `${Number((Number(n) / REPORT_BASE_PT).toFixed(3))}rem`);
}

/** A phone's width: one column of figures; a table or chart wider than the screen scrolls by itself. */
const PHONE_CSS = `
:host { display: block; background: #fff; color: #1f2a37; }
.report-page { margin: 0 !important; padding: 0.75rem !important; max-width: none !important; overflow-wrap: break-word; }
.head { flex-wrap: wrap; gap: 0.5rem; }
.head .who { text-align: left; }
.grid { grid-template-columns: repeat(auto-fit, minmax(min(16rem, 100%), 1fr)); }
.scroll { overflow-x: auto; margin: 0.25rem 0; }
.scroll:focus-visible { outline: 3px solid #ffbf47; }
.scroll table { min-width: 30rem; }
.scroll .chart { min-width: 34rem; }
`;

/** A page's <style> elements' text, and the page without them. */
export function splitStyles(page: string): { css: string; html: string } {
  const sheets: string[] = [];
  const html = page.replace(/<style\b[^>]*>([\s\S]*?)<\/style\s*>/gi, (_m, css: string) => {
    sheets.push(css);
    return "";
  });
  return { css: sheets.join("\n"), html };
}

/** The report's HTML as a preview: its body in a shadow root with its own styles. */
function Preview(props: { html: string }) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = host.current;
    if (!el) return;
    // The stylesheet is taken out of the text before it is parsed: a document DOMParser makes
    // inherits the app's CSP (style-src 'self'), which refuses a <style> element in it (and a
    // style attribute: the report has none) with an error in the console. The styles go in as
    // a constructed sheet, which the CSP does not govern.
    const { css, html } = splitStyles(props.html);
    const doc = new DOMParser().parseFromString(html, "text/html");
    doc.querySelectorAll("script, iframe, object, embed, link, style").forEach((n) => n.remove());
    doc.querySelectorAll("[style]").forEach((n) => n.removeAttribute("style"));
    // Each table and chart in a box of its own that scrolls sideways (and takes the keyboard).
    doc.querySelectorAll("table, svg.chart").forEach((n) => {
      const box = doc.createElement("div");
      box.className = "scroll";
      box.tabIndex = 0;
      box.setAttribute("role", "group");
      box.setAttribute("aria-label", n.getAttribute("aria-label") ?? "Table");
      n.replaceWith(box);
      box.append(n);
    });
    const root = el.shadowRoot ?? el.attachShadow({ mode: "open" });
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(`${previewCss(css)}\n${PHONE_CSS}`);
    root.adoptedStyleSheets = [sheet];
    const page = document.createElement("div");
    page.className = "report-page";
    page.append(...[...doc.body.childNodes].map((n) => document.importNode(n, true)));
    root.replaceChildren(page);
  }, [props.html]);
  return <div ref={host} class="report-preview" data-testid="report-preview" role="document" aria-label="Report preview" tabIndex={0} />;
}

export function CareTeamReport() {
  const online = useOnline();
  // Her today (her profile's zone), not the device's: the default period ends on her day.
  const zone = useZone();
  const today = localDate(new Date().toISOString(), zone);
  // A month unless she picks otherwise (the server starts it at her first day if that is later).
  const [period, setPeriod] = useState<Period>("30");
  const [from, setFrom] = useState(daysBefore(today, 29));
  const [to, setTo] = useState(today);
  const [html, setHtml] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const chosen = reportPeriod(period, today, from, to);
  const paper = paperFor(zone);
  const canShareFiles = typeof navigator.canShare === "function";

  useEffect(() => setHtml(null), [period, from, to]);

  const run = async (what: () => Promise<void>) => {
    if ("error" in chosen) return;
    setBusy(true);
    setMessage(null);
    try {
      await what();
    } catch {
      setMessage(navigator.onLine ? "The report could not be made just now. Please try again." : "The report needs a connection. Try again when you are online.");
    } finally {
      setBusy(false);
    }
  };
  const preview = () => run(async () => {
    if ("error" in chosen) return;
    setHtml(await (await fetchReport(chosen.from, chosen.to, "html", paper)).text());
  });
  const pdfFile = async (): Promise<File> => {
    if ("error" in chosen) throw new Error("no period");
    const blob = await (await fetchReport(chosen.from, chosen.to, "pdf", paper)).blob();
    return new File([blob], `fortify-care-team-report-${chosen.from}-to-${chosen.to}.pdf`, { type: "application/pdf" });
  };
  const download = () => run(async () => {
    saveFile(await pdfFile());
    setMessage("The PDF was downloaded.");
  });
  const share = () => run(async () => {
    const file = await pdfFile();
    if (navigator.canShare?.({ files: [file] })) {
      try {
        await navigator.share({ files: [file], title: "Care-team report" });
        setMessage("Shared.");
      } catch (error) {
        // The person closed the share sheet: nothing went wrong.
        if ((error as DOMException)?.name !== "AbortError") throw error;
      }
      return;
    }
    saveFile(file);
    setMessage("This browser cannot share files, so the PDF was downloaded instead. You can attach it to an email or a message.");
  });

  return (
    <Layout title="Report for my care team" back="/more/settings">
      <p>A two-page summary of your log for your doctor or nurse: adherence, calcium, vitamin D, exercise, joint pain, lab results and alerts. It starts on the day your records start.</p>
      <Choice
        label="Period"
        value={period}
        options={[["30", "Last 30 days"], ["90", "Last 90 days"], ["dates", "Choose dates"]]}
        onChange={setPeriod}
      />
      {period === "dates" ? (
        <div class="pair">
          <div class="field">
            <label for="f-report-from">First day</label>
            <input id="f-report-from" type="date" value={from} max={today} onInput={(e) => setFrom((e.target as HTMLInputElement).value)} />
          </div>
          <div class="field">
            <label for="f-report-to">Last day</label>
            <input id="f-report-to" type="date" value={to} max={today} onInput={(e) => setTo((e.target as HTMLInputElement).value)} />
          </div>
        </div>
      ) : null}
      {"error" in chosen ? <p class="error" role="alert">{chosen.error}</p> : null}
      {!online ? <p class="warn" role="status">The report is made by the server: connect to the internet to preview, download or share it.</p> : null}
      <div class="actions">
        <button type="button" class="btn btn-primary" disabled={busy || !online || "error" in chosen} onClick={() => void preview()}>Preview</button>
        <button type="button" class="btn" disabled={busy || !online || "error" in chosen} onClick={() => void download()}>Download PDF</button>
        <button type="button" class="btn" disabled={busy || !online || "error" in chosen} onClick={() => void share()}>{canShareFiles ? "Share PDF" : "Share PDF (downloads it)"}</button>
      </div>
      {busy ? <p role="status">Making the report…</p> : null}
      {message ? <p role="status" data-testid="report-message">{message}</p> : null}
      {html ? <Preview html={html} /> : null}
    </Layout>
  );
}
