// Frontend budgets, printed as figures (never a timed test):
//   - initial JS, gzipped: every script the first page load fetches (entry + modulepreloads);
//     budget 80 KB;
//   - total precache: every file the service worker precaches (raw bytes); budget 400 KB;
//   - Lighthouse mobile performance and accessibility of Today, on the system Chromium;
//     budgets 90 and 95.
//
// How Today is audited: the real backend serves frontend/dist with a `fortify demo` person
// (90 days). A priming browser signs in (token into localStorage), lets the app sync the
// history into IndexedDB, then unregisters the service worker and deletes its caches. Lighthouse
// then runs with storage reset disabled, so it measures a COLD load (network, no precache) of
// Today for a returning, signed-in person whose data is already on the phone.
//
//   cd frontend && npm run build && npm run bench      (or: node bench/frontend.mjs)
import { readFileSync, statSync, mkdtempSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { execFileSync } from "node:child_process";

const FRONTEND = new URL("../frontend/", import.meta.url).pathname;
const DIST = join(FRONTEND, "dist");
const nm = (p) => new URL(`../frontend/node_modules/${p}`, import.meta.url).href;
const KB = (n) => (n / 1024).toFixed(1);

function initialJs() {
  const html = readFileSync(join(DIST, "index.html"), "utf8");
  const srcs = [
    ...html.matchAll(/<script[^>]+src="([^"]+)"/g),
    ...html.matchAll(/<link[^>]+rel="modulepreload"[^>]+href="([^"]+)"/g),
  ].map((m) => m[1]);
  let raw = 0;
  let gz = 0;
  for (const src of srcs) {
    const buf = readFileSync(join(DIST, src));
    raw += buf.length;
    gz += gzipSync(buf, { level: 9 }).length;
  }
  return { files: srcs.length, raw, gz };
}

function precache() {
  const sw = readFileSync(join(DIST, "sw.js"), "utf8");
  const urls = [...sw.matchAll(/"url":"([^"]+)"/g)].map((m) => m[1]);
  let raw = 0;
  let gz = 0;
  for (const url of urls) {
    const buf = readFileSync(join(DIST, url));
    raw += buf.length;
    gz += gzipSync(buf, { level: 9 }).length;
  }
  return { entries: urls.length, raw, gz };
}

async function lighthouseToday() {
  const { Backend, CHROMIUM, CHROMIUM_ARGS } = await import(new URL("../frontend/tests/e2e/harness.mjs", import.meta.url).href);
  const { chromium } = await import(nm("playwright-core/index.mjs"));
  const lighthouse = (await import(nm("lighthouse/core/index.js"))).default;
  const chromeLauncher = await import(nm("chrome-launcher/dist/index.js"));
  const backend = new Backend();
  await backend.prepare();
  let seeded = "fortify demo --days 90";
  try {
    execFileSync(join(FRONTEND, "../.venv/bin/fortify"), ["demo", "--days", "90", "--email", "bench@fortify.example", "--password", "bench password 123"], { env: backend.env, stdio: "pipe" });
  } catch (error) {
    seeded = `90 days pushed through the sync API (fortify demo failed: ${String(error.stderr ?? error).trim().split("\n").pop()})`;
  }
  await backend.start();
  if (seeded.startsWith("90 days")) await seedThroughApi(backend);
  console.log(`  (Today's data: ${seeded})`);
  const profileDir = mkdtempSync(join(tmpdir(), "fortify-lh-"));
  try {
    const r = await backend.api("POST", "/api/v1/sessions", null, { email: "bench@fortify.example", password: "bench password 123", device_name: "bench" });
    const token = r.body.token;
    // Prime: sign this browser profile in and let the app pull the 90 days into IndexedDB.
    const ctx = await chromium.launchPersistentContext(profileDir, { executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
    const page = ctx.pages()[0] ?? (await ctx.newPage());
    await page.goto(`${backend.base}/signin`);
    await page.evaluate((t) => localStorage.setItem("fortify.session", JSON.stringify({ token: t, email: "bench@fortify.example", userId: null, sessionId: null })), token);
    await page.goto(`${backend.base}/today`);
    await page.waitForFunction(() => /^Synced/.test(document.querySelector("[data-testid=sync-chip]")?.innerText?.trim() ?? ""), null, { timeout: 60_000 });
    await page.evaluate(async () => {
      for (const reg of await navigator.serviceWorker.getRegistrations()) await reg.unregister();
      for (const key of await caches.keys()) await caches.delete(key);
    });
    await ctx.close();

    const chrome = await chromeLauncher.launch({
      chromePath: CHROMIUM,
      userDataDir: profileDir,
      chromeFlags: [...CHROMIUM_ARGS, "--headless=new"],
    });
    try {
      const result = await lighthouse(`${backend.base}/today`, {
        port: chrome.port,
        output: "json",
        logLevel: "error",
        onlyCategories: ["performance", "accessibility"],
        disableStorageReset: true,
      });
      const lhr = result.lhr;
      try {
        const { mkdirSync, writeFileSync } = await import("node:fs");
        const out = new URL("../test-artifacts/", import.meta.url).pathname;
        mkdirSync(out, { recursive: true });
        writeFileSync(join(out, "lighthouse-today.json"), JSON.stringify(lhr));
      } catch {
        /* the report is a convenience */
      }
      if (lhr.runtimeError) throw new Error(lhr.runtimeError.message);
      return {
        performance: Math.round(lhr.categories.performance.score * 100),
        accessibility: Math.round(lhr.categories.accessibility.score * 100),
        lcp: lhr.audits["largest-contentful-paint"].displayValue,
        tbt: lhr.audits["total-blocking-time"].displayValue,
        cls: lhr.audits["cumulative-layout-shift"].displayValue,
        finalUrl: lhr.finalDisplayedUrl,
      };
    } finally {
      await chrome.kill();
    }
  } finally {
    await backend.stop();
    backend.cleanup();
  }
}

/** A plausible 90 days for one person, pushed the way the app pushes (sync API). */
async function seedThroughApi(backend) {
  const token = await backend.createPerson("bench@fortify.example", "bench password 123", "Bench");
  const ops = [];
  const op = (entity, fields) => ops.push({ op_id: crypto.randomUUID(), entity, id: crypto.randomUUID(), kind: "upsert", base_version: null, fields });
  const calcium = crypto.randomUUID();
  ops.push({ op_id: crypto.randomUUID(), entity: "regimen", id: calcium, kind: "upsert", base_version: null, fields: { name: "Calcium citrate 500", kind: "supplement", form: "calcium_citrate", nutrients_per_unit: { calcium_mg: 500 }, default_units: 1, schedule_times: ["08:00", "20:00"], prescribed_daily: true } });
  const day0 = Date.now() - 89 * 86_400_000;
  for (let i = 0; i < 90; i++) {
    const d = new Date(day0 + i * 86_400_000).toISOString().slice(0, 10);
    op("meals", { eaten_at: `${d}T08:00:00+00:00`, name: "Breakfast", items: [{ food_name: "Yogurt", grams: 200, nutrients: { calcium_mg: 240, protein_g: 10 }, servings: {} }, { food_name: "Oats", grams: 40, nutrients: { fiber_g: 4 }, servings: { soluble_fiber: 1 } }] });
    op("meals", { eaten_at: `${d}T13:00:00+00:00`, name: "Lunch", items: [{ food_name: "Salmon", grams: 120, nutrients: { epa_mg: 500, dha_mg: 700, vitamin_d_iu: 500 }, servings: {} }] });
    op("doses", { regimen_item_id: calcium, taken_at: `${d}T08:05:00+00:00`, units: 1, kind: "supplement", form: "calcium_citrate", nutrients: { calcium_mg: 500 } });
    if (i % 2 === 0) op("workouts", { activity: "brisk_walking", started_at: `${d}T17:00:00+00:00`, minutes: 40, intensity: "moderate", muscle_groups: [] });
    if (i % 3 === 0) op("workouts", { activity: "squats", started_at: `${d}T18:00:00+00:00`, minutes: 20, intensity: "moderate", muscle_groups: ["legs", "hips", "back"] });
    op("symptoms", { measured_at: `${d}T07:30:00+00:00`, worst_pain_0_10: 2 + (i % 4), morning_stiffness_minutes: 15, locations: ["hands"] });
  }
  for (let i = 0; i < ops.length; i += 400) {
    const r = await backend.api("POST", "/api/v1/sync/push", token, { device_id: "bench-seed", operations: ops.slice(i, i + 400) });
    const bad = r.body.results?.filter((x) => x.status !== "applied") ?? [r.body];
    if (bad.length) throw new Error(`seeding failed: ${JSON.stringify(bad[0]).slice(0, 300)}`);
  }
}

statSync(join(DIST, "index.html"));
const js = initialJs();
const pc = precache();
const ok = (v, budget, lower = true) => ((lower ? v <= budget : v >= budget) ? "ok" : "OVER BUDGET");
console.log(`initial JS (gzip):   ${KB(js.gz)} KB in ${js.files} file(s) (raw ${KB(js.raw)} KB)   budget 80 KB   ${ok(js.gz / 1024, 80)}`);
console.log(`total precache:      ${KB(pc.raw)} KB in ${pc.entries} entries (gzip ${KB(pc.gz)} KB)   budget 400 KB   ${ok(pc.raw / 1024, 400)}`);
if (process.argv.includes("--no-lighthouse")) process.exit(0);
const lh = await lighthouseToday();
console.log(`Lighthouse mobile, Today (${lh.finalUrl}):`);
console.log(`  performance:       ${lh.performance}   budget 90   ${ok(lh.performance, 90, false)}   (LCP ${lh.lcp}, TBT ${lh.tbt}, CLS ${lh.cls})`);
console.log(`  accessibility:     ${lh.accessibility}   budget 95   ${ok(lh.accessibility, 95, false)}`);
