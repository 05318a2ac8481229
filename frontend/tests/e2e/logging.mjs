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
          for (const path of ["/log/meal", "/log/dose", "/log/workout", "/log/symptom", "/log/weight"]) {
            // A full load, as from a bookmark or a notification.
            await page.goto(backend.base + path);
            await showsChicagoNow(page, path);
          }
          // A lab result asks for the date of the test alone (copied from a letter), starting at
          // her today, and is saved at noon of the day she gives, in her zone.
          await page.goto(backend.base + "/log/lab");
          const testDate = page.getByLabel("Date of the test");
          await testDate.waitFor();
          assert((await testDate.getAttribute("type")) === "date", "a lab result asks for a date, not a date and time");
          assert((await testDate.inputValue()) === dayIn(ZONE), `the test date starts at her today (${await testDate.inputValue()}, Chicago ${dayIn(ZONE)})`);
          await page.fill("#f-value", "31");
          await testDate.fill("2026-11-20");
          await page.getByRole("button", { name: "Save", exact: true }).click();
          await page.waitForURL(/\/today$/);
          await page.waitForSelector("[data-testid=toast] >> text=Lab result saved.");
          await waitChip(page, /^Synced/);
          let labs = [];
          await until("the lab result reached the server", async () => {
            const body = (await backend.api("GET", "/api/v1/labs", token)).body;
            labs = (Array.isArray(body) ? body : body?.items) ?? [];
            return labs.length > 0;
          }, 15_000);
          assert(Date.parse(labs[0].measured_at) === Date.parse("2026-11-20T12:00:00-06:00"), `the test is at noon of 20 Nov in Chicago (${labs[0].measured_at})`);
          // Saved untouched, a workout starts now (within a minute), not six hours ahead.
          await page.goto(backend.base + "/log/workout");
          await page.fill("#activity-filter", "walk");
          await page.locator(".pick").first().click();
          await sleep(200);
          await page.getByRole("button", { name: "Save", exact: true }).click();
          await page.waitForURL(/\/today$/);
          await waitChip(page, /^Synced/);
          // The server has it once the chip says Synced (or moments later, if a sync was already
          // under way when she saved): asked until it is there.
          let items = [];
          let body = null;
          await until("the workout reached the server", async () => {
            body = (await backend.api("GET", "/api/v1/workouts", token)).body;
            items = (Array.isArray(body) ? body : body?.items) ?? [];
            return items.length > 0;
          }, 15_000).catch(() => {
            throw new Error(`one workout saved (${JSON.stringify(body).slice(0, 200)})`);
          });
          assert(items.length === 1, `one workout saved (${JSON.stringify(body).slice(0, 200)})`);
          const ahead = (Date.parse(items[0].started_at) - Date.now()) / 60_000;
          assert(Math.abs(ahead) < 2, `the workout starts now, not ${Math.round(ahead)} minutes from now (${items[0].started_at})`);
        } finally {
          await ctx.close();
        }
      },
    ],
    [
      "logging: Today lists entries in time order whatever offset each was written with; a meal's food can change its amount when the meal is edited",
      async () => {
        const { ctx, page, token } = await chicagoPhone("order");
        try {
          await waitChip(page, /^Synced/);
          // Two entries minutes ago: one written in UTC, one with Chicago's offset; as text the
          // later one ("…T…-05:00") would sort first.
          const offset = new Intl.DateTimeFormat("en-US", { timeZone: ZONE, timeZoneName: "longOffset" }).formatToParts(new Date()).find((p) => p.type === "timeZoneName").value.slice(3);
          const wall = (ms) => `${new Intl.DateTimeFormat("en-CA", { timeZone: ZONE }).format(new Date(ms))}T${clock(ZONE, ms)}:00${offset}`;
          const earlier = Date.now() - 20 * 60_000;
          const later = Date.now() - 10 * 60_000;
          const a = await backend.api("POST", "/api/v1/symptoms", token, { measured_at: new Date(earlier).toISOString(), worst_pain_0_10: 3 });
          const b = await backend.api("POST", "/api/v1/measurements", token, { measured_at: wall(later), weight_lb: 150 });
          assert(a.status === 201 && b.status === 201, `entries made (${a.status} ${b.status} ${JSON.stringify(b.body).slice(0, 200)})`);
          // A meal of cheddar logged on the phone now.
          await page.goto(backend.base + "/log/meal");
          await page.fill("#food-search", "cheddar");
          await page.locator(".pick", { hasText: "Cheddar" }).first().click();
          await page.waitForSelector("[data-testid=portion-picker]");
          await page.fill("#f-grams_oz", "1");
          await page.getByRole("button", { name: "Add to meal" }).click();
          await page.getByRole("button", { name: "Save meal" }).click();
          await page.waitForURL(/\/today$/);
          await waitChip(page, /^Synced/);
          await page.goto(backend.base + "/today");
          await until("three entries today", async () => (await page.locator("[data-testid=today-entries] li").count()) === 3);
          const rows = (await page.locator("[data-testid=today-entries] li").allInnerTexts()).map((t) => t.replace(/\s+/g, " "));
          const times = rows.map((t) => t.slice(0, 5));
          assert(times[0] === clock(ZONE, earlier) && times[1] === clock(ZONE, later) && /Breakfast|Lunch|Dinner|Snack/.test(rows[2]), `Today in time order (${rows.join(" | ")})`);
          // Edit the meal: change the cheddar to 2 oz with the same amount field as when adding.
          await page.getByRole("link", { name: /^Edit: (Breakfast|Lunch|Dinner|Snack)/ }).click();
          await page.getByRole("button", { name: /^Change amount: Cheddar/ }).click();
          await page.waitForSelector("[data-testid=portion-picker]");
          const chips = await page.locator("[data-testid=portion-picker] .pill").count();
          assert(chips > 0, "the food's portion chips are offered");
          await page.fill("#f-grams_oz", "2");
          await page.getByRole("button", { name: "Change amount", exact: true }).click();
          const listed = (await page.locator("[data-testid=meal-items]").innerText()).replace(/\s+/g, " ");
          assert(/2(\.0)? oz/.test(listed), `the meal lists 2 oz of cheddar (${listed})`);
          await page.getByRole("button", { name: "Save meal" }).click();
          await page.waitForURL(/\/today$/);
          await waitChip(page, /^Synced/);
          const meals = await backend.api("GET", "/api/v1/meals", token);
          const item = meals.body.items[0].items[0];
          assert(Math.abs(item.grams - 56.7) < 0.2 && item.nutrients.calcium_mg > 300, `the server has 2 oz (${JSON.stringify(item).slice(0, 200)})`);
        } finally {
          await ctx.close();
        }
      },
    ],
    [
      "logging: each page load asks for the food pack once, and that request is neither aborted nor noisy",
      async () => {
        const { ctx, page } = await chicagoPhone("pack");
        try {
          await waitChip(page, /^Synced/);
          await sleep(2_000); // the first pack download, after sign-in, is done
          const asked = [];
          const failed = [];
          const noise = [];
          page.on("request", (r) => r.url().includes("/foods/offline-pack") && asked.push(r.headers()["if-none-match"] ?? "-"));
          page.on("requestfailed", (r) => failed.push(`${r.url().replace(backend.base, "")} ${r.failure()?.errorText}`));
          page.on("console", (m) => m.type() === "error" && noise.push(m.text()));
          for (const path of ["/today", "/log/meal"]) {
            await page.goto(backend.base + path);
            await page.waitForSelector("main h1, .topbar h1");
            await sleep(2_500);
          }
          assert(failed.length === 0, `no request failed or was aborted (${failed.join("; ")})`);
          assert(asked.length === 2 && asked.every((tag) => tag !== "-"), `one conditional food-pack request per load (${asked.join(", ")})`);
          assert(noise.length === 0, `no errors in the console (${noise.join(" | ")})`);
        } finally {
          await ctx.close();
        }
      },
    ],
  ];
}
