// The e2e harness: starts the real backend (migrated temp SQLite database, serving the built
// frontend/dist) on a free 127.0.0.1 port, launches the system Chromium through
// playwright-core, and runs plain async tests with a one-line summary. No browser download.
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, mkdirSync, existsSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { chromium } from "playwright-core";
import { SmtpPeer } from "./smtp-peer.mjs";

export const FRONTEND = resolve(new URL("../..", import.meta.url).pathname);
export const ROOT = resolve(FRONTEND, "..");
export const ARTIFACTS = join(ROOT, "test-artifacts");
export const SCREENSHOTS = join(ARTIFACTS, "screenshots");
const FORTIFY = join(ROOT, ".venv/bin/fortify");
export const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-dev-shm-usage",
];

export async function freePort() {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => res(port));
    });
    srv.on("error", rej);
  });
}

/** A throwaway backend: `start()` (again after `stop()`) keeps the same port and database. */
export class Backend {
  constructor() {
    this.dir = mkdtempSync(join(tmpdir(), "fortify-e2e-"));
    this.env = {
      ...process.env,
      FORTIFY_DATA_DIR: this.dir,
      FORTIFY_DATABASE_URL: `sqlite:///${join(this.dir, "fortify.db")}`,
      FORTIFY_FRONTEND_DIST: join(FRONTEND, "dist"),
      FORTIFY_LOG_LEVEL: "WARNING",
      // "test": push endpoints may be plain http on 127.0.0.1 (the local push peer). The
      // reminder worker is off in tests unless asked for: it runs here, as in production.
      FORTIFY_ENVIRONMENT: "test",
      FORTIFY_RUN_WORKER: "true",
      // Many people sign up from 127.0.0.1 in one run, and each opens her link with her
      // password: a sign-in attempt, counted per address too (30 a minute by default).
      FORTIFY_SIGN_UPS_PER_HOUR_PER_ADDRESS: "10000",
      FORTIFY_SIGN_UPS_PER_MINUTE: "10000",
      FORTIFY_SIGN_IN_ATTEMPTS_PER_MINUTE: "100",
    };
    this.proc = null;
    // Sign-up and reset mails go to a local SMTP peer: tests follow their links.
    this.mail = new SmtpPeer();
  }

  async prepare() {
    this.port = await freePort();
    this.base = `http://127.0.0.1:${this.port}`;
    await this.mail.start();
    this.env.FORTIFY_SMTP_URL = `smtp://127.0.0.1:${this.mail.port}`;
    this.env.FORTIFY_PUBLIC_URL = this.base;
    execFileSync(FORTIFY, ["migrate"], { env: this.env, stdio: "pipe" });
  }

  async start() {
    this.proc = spawn(FORTIFY, ["serve", "--no-migrate", "--host", "127.0.0.1", "--port", String(this.port)], {
      env: this.env,
      stdio: ["ignore", "ignore", "pipe"],
    });
    this.stderr = "";
    this.proc.stderr.on("data", (d) => (this.stderr += d.toString()));
    // 90 s: on a machine shared with other test runs the start (imports, the food index) can
    // take well over the 2-3 s it takes on a quiet one.
    const deadline = Date.now() + 90_000;
    while (Date.now() < deadline) {
      try {
        const r = await fetch(`${this.base}/readyz`);
        if (r.ok) return;
      } catch {
        /* not yet */
      }
      await sleep(200);
    }
    throw new Error(`backend did not start:\n${this.stderr.slice(-2000)}`);
  }

  async stop() {
    if (!this.proc) return;
    const p = this.proc;
    this.proc = null;
    const exited = new Promise((r) => p.once("exit", r));
    p.kill("SIGTERM");
    await Promise.race([exited, sleep(5000)]);
    if (p.exitCode === null) p.kill("SIGKILL");
  }

  async api(method, path, token, body) {
    const r = await fetch(`${this.base}${path}`, {
      method,
      headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await r.text();
    return { status: r.status, body: text ? JSON.parse(text) : null };
  }

  /** A new person through the API, as a person does it: sign up, open the mailed link with the
   * password chosen at sign-up (the link alone makes no account). Returns a session token. */
  async createPerson(email, password, display_name = "E2E") {
    const asked = await this.api("POST", "/api/v1/accounts", null, { email, password, display_name });
    if (asked.status !== 202) throw new Error(`sign-up of ${email}: ${asked.status} ${JSON.stringify(asked.body)}`);
    const link = await this.mail.link(email);
    const token = new URL(link).hash.replace("#token=", "");
    const made = await this.api("POST", "/api/v1/accounts/verify", null, { token, password, device_name: "e2e checker" });
    if (made.status !== 201) throw new Error(`verify ${email}: ${made.status} ${JSON.stringify(made.body)}`);
    return made.body.token;
  }

  async signIn(email, password) {
    const r = await this.api("POST", "/api/v1/sessions", null, { email, password, device_name: "e2e checker" });
    return r.body.token;
  }

  /** Every live record on the server, via the sync feed. */
  async records(token) {
    const out = new Map();
    let cursor = null;
    for (;;) {
      const q = cursor ? `?cursor=${cursor}&limit=1000` : "?limit=1000";
      const r = await this.api("GET", `/api/v1/sync/pull${q}`, token);
      for (const c of r.body.changes) {
        if (c.deleted) out.delete(`${c.entity}:${c.id}`);
        else out.set(`${c.entity}:${c.id}`, c);
      }
      cursor = r.body.cursor;
      if (!r.body.has_more) return out;
    }
  }

  cleanup() {
    this.mail.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The phone every test drives, and the password of the people the tests make. */
export const VIEWPORT = { width: 390, height: 844 };
export const PASSWORD = "correct horse battery";

/**
 * At 320 px wide and 200 % text, nothing on the current screen scrolls sideways, nothing is cut
 * off at its right edge (a chart clipped by its card scrolls nothing, yet half of it is gone),
 * and no word is broken into pieces although it would fit its line whole ("Septem|ber", "M|o|n").
 * A table or chart in a box of its own that scrolls sideways is allowed to be wider.
 */
export async function fitsNarrow(page, what) {
  const size = page.viewportSize() ?? VIEWPORT;
  await page.setViewportSize({ width: 320, height: 700 });
  await page.evaluate(() => (document.documentElement.style.fontSize = "225%"));
  try {
    // Two frames: what re-lays itself out on a resize (Trends' charts) has done so.
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert(overflow <= 1, `${what} fits 320 px at 200 % text (overflow ${overflow}px)`);
    const problems = await page.evaluate(narrowProblems);
    assert(problems.length === 0, `${what} at 320 px and 200 % text:\n      ${problems.join("\n      ")}`);
  } finally {
    await page.evaluate(() => (document.documentElement.style.fontSize = ""));
    await page.setViewportSize(size);
  }
}

/** Runs in the page: what is cut off or broken mid-word on the current screen (see fitsNarrow). */
function narrowProblems() {
  const width = document.documentElement.clientWidth;
  const shell = document.querySelector(".shell") ?? document.body;
  const name = (el) => `${el.tagName.toLowerCase()}${el.className && typeof el.className === "string" ? "." + el.className.trim().split(/\s+/)[0] : ""}`;
  const scrollsSideways = (el) => {
    for (let a = el.parentElement; a; a = a.parentElement) {
      const x = getComputedStyle(a).overflowX;
      if ((x === "auto" || x === "scroll") && a !== document.documentElement && a !== document.body) return true;
    }
    return false;
  };
  // Hidden but for screen readers: in a 1 px box that clips what it holds (.visually-hidden and
  // the like), or aria-hidden.
  const hidden = (el) => {
    if (el.closest("[aria-hidden=true]")) return true;
    for (let a = el; a; a = a.parentElement) {
      if (a.getBoundingClientRect().width <= 1 && getComputedStyle(a).overflow === "hidden") return true;
    }
    return false;
  };
  // Everything on the screen, into open shadow roots too (the care-team report's preview).
  const all = (root) => [...root.querySelectorAll("*")].flatMap((el) => (el.shadowRoot ? [el, ...all(el.shadowRoot)] : [el]));
  const elements = all(shell);
  const roots = [shell, ...elements.filter((el) => el.shadowRoot).map((el) => el.shadowRoot)];
  const out = [];
  for (const el of elements) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0 || hidden(el) || getComputedStyle(el).position === "fixed") continue;
    if ((r.right > width + 1 || r.left < -1) && !scrollsSideways(el)) {
      out.push(`${name(el)} is cut off (${Math.round(r.left)} to ${Math.round(r.right)} px of ${width})`);
      if (out.length >= 8) return out;
    }
  }
  // Text cut short in its box ("Joint sy…"): an ellipsis, a clamp, or words clipped by a box
  // that hides what overflows. A title wraps; it is never cut.
  for (const el of elements) {
    if (hidden(el) || !el.getClientRects().length || !/[\p{L}\p{N}]/u.test(el.textContent ?? "")) continue;
    const cs = getComputedStyle(el);
    const clips = cs.textOverflow === "ellipsis" || cs.webkitLineClamp !== "none" || cs.overflowX === "hidden" || cs.overflowX === "clip";
    if (clips && !scrollsSideways(el) && (el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1)) {
      out.push(`${name(el)} cuts its words short ("${(el.textContent ?? "").trim().slice(0, 30)}")`);
      if (out.length >= 8) return out;
    }
  }
  // A date-time box draws its text inside the browser's own control, where nothing above can
  // see it: at 200 % text "12/03/2026, 02:05 PM" was cut after the date. Its pieces (the date
  // with its comma, the time) must each fit one line beside the calendar button (with its margin,
  // about 1.15 em: measured on a screenshot).
  for (const input of shell.querySelectorAll("input[type=datetime-local]")) {
    if (!input.value || hidden(input) || !input.getClientRects().length) continue;
    const cs = getComputedStyle(input);
    const at = new Date(`${input.value}:00`);
    const pieces = [
      `${new Intl.DateTimeFormat(navigator.language, { year: "numeric", month: "2-digit", day: "2-digit" }).format(at)},`,
      new Intl.DateTimeFormat(navigator.language, { hour: "2-digit", minute: "2-digit" }).format(at),
    ];
    const room = input.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight) - 1.15 * parseFloat(cs.fontSize);
    const width = (text) => {
      const probe = document.createElement("span");
      probe.style.cssText = `position:absolute;visibility:hidden;white-space:pre;font:${cs.font}`;
      probe.textContent = text;
      document.body.append(probe);
      const w = probe.getBoundingClientRect().width;
      probe.remove();
      return w;
    };
    for (const piece of pieces) {
      const need = width(piece);
      if (need > room) out.push(`the date-time box #${input.id} cuts "${piece}" short (${Math.round(need)} px in ${Math.round(room)} px)`);
    }
    // Too wide for one line: the box has grown to show a second (the time wraps, not vanishes).
    if (width(pieces.join(" ")) > room && input.clientHeight < 2 * 1.15 * parseFloat(cs.fontSize)) {
      out.push(`the date-time box #${input.id} shows one line of a date and time that needs two`);
    }
    if (out.length >= 8) return out;
  }
  // The sync chip says in words where her data stands; a coloured dot alone says nothing.
  const chip = shell.querySelector("[data-testid=sync-chip]");
  if (chip) {
    const shown = [...chip.querySelectorAll("*")].filter((c) => !hidden(c) && c.getClientRects().length).map((c) => c.textContent ?? "").join(" ");
    if (!/\p{L}{2,}/u.test(shown)) out.push(`the sync chip shows no words ("${shown.trim()}")`);
  }
  const texts = roots.flatMap((root) => {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    const found = [];
    for (let n = walker.nextNode(); n; n = walker.nextNode()) found.push(n);
    return found;
  });
  for (const n of texts) {
    const parent = n.parentElement;
    if (!parent || hidden(parent) || !parent.getClientRects().length) continue;
    // In a box that scrolls sideways too: a table's heading broken as "Resista|nce" is no
    // easier to read for scrolling.
    if (getComputedStyle(parent).whiteSpace.startsWith("nowrap")) continue;
    for (const m of n.data.matchAll(/[\p{L}\p{N}]{2,}/gu)) {
      const range = document.createRange();
      range.setStart(n, m.index);
      range.setEnd(n, m.index + m[0].length);
      if ([...range.getClientRects()].filter((r) => r.width > 0).length < 2) continue;
      let block = parent;
      while (block.parentElement && getComputedStyle(block).display.startsWith("inline")) block = block.parentElement;
      const cs = getComputedStyle(block);
      const room = block.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
      const whole = document.createElement("span");
      whole.style.whiteSpace = "nowrap";
      whole.textContent = m[0];
      parent.append(whole);
      const need = whole.getBoundingClientRect().width;
      whole.remove();
      // A word longer than its line must break; a short one broken means a box too narrow.
      if (need <= room || m[0].length <= 4) out.push(`"${m[0]}" is broken across lines in ${name(block)} (${Math.round(need)} px word, ${Math.round(room)} px line)`);
      if (out.length >= 8) return out;
    }
  }
  return out;
}

/** Polls `fn` until it returns something truthy (returned), or fails naming `what`. */
export async function until(what, fn, timeout = 20_000, every = 250) {
  const deadline = Date.now() + timeout;
  let last;
  while (Date.now() < deadline) {
    last = await fn();
    if (last) return last;
    await sleep(every);
  }
  throw new Error(`timed out waiting for ${what} (last: ${JSON.stringify(last)})`);
}

export async function launch() {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
}

export async function launchPersistent(options = {}) {
  const dir = mkdtempSync(join(tmpdir(), "fortify-profile-"));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
    headless: true,
    viewport: { width: 390, height: 844 },
    ...options,
  });
  return { context, dir };
}

export function ensureArtifacts() {
  mkdirSync(SCREENSHOTS, { recursive: true });
}

/** Runs tests in order; prints one line per test and a summary; returns the failure count. */
export async function runTests(tests) {
  let passed = 0;
  const failed = [];
  const t0 = Date.now();
  for (const [name, fn] of tests) {
    const start = Date.now();
    try {
      await fn();
      passed += 1;
      console.log(`  ✓ ${name} (${((Date.now() - start) / 1000).toFixed(1)} s)`);
    } catch (error) {
      failed.push(name);
      console.log(`  ✗ ${name}\n      ${String(error?.stack ?? error).split("\n").slice(0, 6).join("\n      ")}`);
    }
  }
  const secs = ((Date.now() - t0) / 1000).toFixed(1);
  console.log(`\ne2e: ${passed} passed, ${failed.length} failed (${secs} s)${failed.length ? ` — failed: ${failed.join("; ")}` : ""}`);
  return failed.length;
}

export function assert(cond, message) {
  if (!cond) throw new Error(`assertion failed: ${message}`);
}

export function distExists() {
  return existsSync(join(FRONTEND, "dist", "index.html"));
}
