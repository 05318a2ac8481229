// Logging journeys of issue 14 (a newcomer's first month, US units, profile in Chicago, phone
// clock in UTC): every log form opened by URL starts at her clock, not the phone's.
import { assert, PASSWORD, sleep, until, VIEWPORT } from "./harness.mjs";

const ZONE = "America/Chicago";
/** "07:23" now (or at `ms`) in `zone`. */
const clock = (zone, ms = Date.now()) => new Intl.DateTimeFormat("en-GB", { timeZone: zone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(new Date(ms));
const dayIn = (zone) => new Intl.DateTimeFormat("en-CA", { timeZone: zone }).format(new Date());

export function loggingTests(t) {
  const { backend, browser, newPage, waitChip } = t;

  /** A person in Chicago with US units and one medicine and one supplement, signed in on a UTC phone. */
  async function chicagoPhone(label) {
    const email = `e2e-${label}-${Date.now()}@fortify.example`;
    const token = await backend.createPerson(email, PASSWORD, "Dee");
    const patched = await backend.api("PATCH", "/api/v1/profile", token, { time_zone: ZONE, unit_system: "us", sex: "female" });
    assert(patched.status === 200, `profile in Chicago (${patched.status})`);
    for (const item of [
      { name: "Anastrozole", kind: "medicine", form: "anastrozole", default_units: 1, schedule_times: ["08:00"], prescribed_daily: true },
      { name: "Calcium", kind: "supplement", form: "calcium_carbonate", nutrients_per_unit: { calcium_mg: 500 }, default_units: 1, schedule_times: [] },
    ]) {
      const made = await backend.api("POST", "/api/v1/regimen", token, item);
      assert(made.status === 201, `regimen item ${item.name} (${made.status} ${JSON.stringify(made.body).slice(0, 200)})`);
    }
    const ctx = await browser.newContext({ viewport: VIEWPORT, hasTouch: true, timezoneId: "UTC" });
    const page = await newPage(ctx);
    await page.goto(backend.base + "/signin");
    await page.fill("#f-email", email);
    await page.fill("#f-password", PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(/\/today$/);
    return { ctx, page, token };
  }

  /** Waits until the "When" field shows Chicago's now (the minute may turn meanwhile). */
  async function showsChicagoNow(page, what) {
    const input = page.locator("input[type=datetime-local]");
    await input.waitFor();
    let shown = "";
    await until(`${what}: "When" is Chicago's now`, async () => {
      shown = await input.inputValue();
      return shown.slice(0, 10) === dayIn(ZONE) && [clock(ZONE), clock(ZONE, Date.now() - 60_000)].includes(shown.slice(11));
    }, 8_000).catch(() => {
      throw new Error(`${what}: "When" shows ${shown}; Chicago is ${dayIn(ZONE)} ${clock(ZONE)}, the phone (UTC) ${clock("UTC")}`);
    });
  }

  /** Opens `path` in the app without a reload, like a tap on a link. */
  async function tap(page, path) {
    await page.evaluate((p) => {
      history.pushState(null, "", p);
      dispatchEvent(new PopStateEvent("popstate"));
    }, path);
  }

  return [
    [
      "logging: every log form opened by URL (a reload, a bookmark) starts at her profile's clock, not the phone's, and saves that time",
      async () => {
        const { ctx, page, token } = await chicagoPhone("chicago");
        try {
          // Straight after signing in, before the first sync has brought her profile: the form
          // opens on the phone's clock and must move to hers when the profile arrives.
          await tap(page, "/log/workout");
          await showsChicagoNow(page, "workout, before the first sync");
          await waitChip(page, /^Synced/);
          for (const path of ["/log/meal", "/log/dose", "/log/workout", "/log/symptom", "/log/weight", "/log/lab"]) {
            // A full load, as from a bookmark or a notification.
            await page.goto(backend.base + path);
            await showsChicagoNow(page, path);
          }
          // Saved untouched, a workout starts now (within a minute), not six hours ahead.
          await page.goto(backend.base + "/log/workout");
          await page.fill("#activity-filter", "walk");
          await page.locator(".pick").first().click();
          await sleep(200);
          await page.getByRole("button", { name: "Save", exact: true }).click();
          await page.waitForURL(/\/today$/);
          await waitChip(page, /^Synced/);
          const workouts = await backend.api("GET", "/api/v1/workouts", token);
          const items = Array.isArray(workouts.body) ? workouts.body : workouts.body.items;
          assert(items?.length === 1, `one workout saved (${JSON.stringify(workouts.body).slice(0, 200)})`);
          const ahead = (Date.parse(items[0].started_at) - Date.now()) / 60_000;
          assert(Math.abs(ahead) < 2, `the workout starts now, not ${Math.round(ahead)} minutes from now (${items[0].started_at})`);
        } finally {
          await ctx.close();
        }
      },
    ],
  ];
}
