// Logging journeys of issue 14 (a newcomer's first month, US units, profile in Chicago, phone
// clock in UTC): every log form opened by URL starts at her clock, not the phone's.
import { join } from "node:path";
import { assert, PASSWORD, SCREENSHOTS, sleep, until, VIEWPORT } from "./harness.mjs";

const ZONE = "America/Chicago";
/** "07:23" now (or at `ms`) in `zone`. */
const clock = (zone, ms = Date.now()) => new Intl.DateTimeFormat("en-GB", { timeZone: zone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(new Date(ms));
const dayIn = (zone) => new Intl.DateTimeFormat("en-CA", { timeZone: zone }).format(new Date());

export function loggingTests(t) {
  const { backend, browser, newPage, waitChip } = t;

  /**
   * A person in Chicago with US units and her regimen (by default one medicine and one
   * supplement, added in `items` order), signed in on a UTC phone.
   */
  async function chicagoPhone(label, items = [
    { name: "Anastrozole", kind: "medicine", form: "anastrozole", default_units: 1, schedule_times: ["08:00"], prescribed_daily: true },
    { name: "Calcium", kind: "supplement", form: "calcium_carbonate", nutrients_per_unit: { calcium_mg: 500 }, default_units: 1, schedule_times: [] },
  ], displayName = "Dee") {
    const email = `e2e-${label}-${Date.now()}@fortify.example`;
    const token = await backend.createPerson(email, PASSWORD, displayName);
    const patched = await backend.api("PATCH", "/api/v1/profile", token, { time_zone: ZONE, unit_system: "us", sex: "female" });
    assert(patched.status === 200, `profile in Chicago (${patched.status})`);
    for (const item of items) {
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

  const shot = (page, name) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: false });

  /** The boxes of `selector`'s elements on the screen. */
  const boxes = (page, selector) => page.evaluate((sel) => [...document.querySelectorAll(sel)].map((el) => { const r = el.getBoundingClientRect(); return { top: r.top, bottom: r.bottom, left: r.left, right: r.right, height: r.height, width: r.width, text: el.textContent ?? "" }; }), selector);
  const overlaps = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;

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
          // Her unit (US units: ng/mL) is beside the number box, not only in the select below.
          const resultLabel = await page.locator("label[for=f-value]").textContent();
          assert(resultLabel === "Result (ng/mL)", `the unit is beside the number box (${resultLabel})`);
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
    [
      "logging: the newcomer's Today: today's doses in clock order, then a first dose tomorrow (a time already past when she made the schedule: not late, no Mark taken); the calcium question is the only choice and says why; a save says so; where it hurts; Undo stays 10 s clear of the next Delete; Show password",
      async () => {
        // Passwords first, signed out: "Show password" is a 44 px toggle, and a short new password
        // is refused in the app's own words next to the field.
        const bare = await browser.newContext({ viewport: VIEWPORT, hasTouch: true });
        try {
          const page = await newPage(bare);
          await page.goto(backend.base + "/signin");
          await page.fill("#f-password", "a long passphrase");
          const show = page.getByRole("button", { name: "Show password" });
          assert((await show.getAttribute("aria-pressed")) === "false", "the toggle starts off");
          assert((await show.boundingBox()).height >= 44, "Show password is a 44 px target");
          await show.click();
          assert((await page.locator("#f-password").getAttribute("type")) === "text" && (await show.getAttribute("aria-pressed")) === "true", "the password shows");
          await page.getByRole("link", { name: "Create an account" }).click();
          await page.fill("#f-email", `e2e-short-${Date.now()}@fortify.example`);
          await page.fill("#f-password", "short1");
          await page.getByRole("button", { name: "Create account" }).click();
          await page.waitForSelector("[data-testid=password-error] >> text=/has 6 characters; it needs at least 10/");
          await shot(page, "70-signup-short-password");
        } finally {
          await bare.close();
        }

        // Added in this order: the calcium first, the medicine second; the medicine's time has
        // passed (00:00), the calcium's has not (23:59). Made minutes ago, the 00:00 medicine is
        // her first dose tomorrow: listed after today's 23:59 calcium, neither late nor in red,
        // and with no "Mark taken" (doseSlots.notStarted). That holds from 00:01 to 23:57 in
        // Chicago; near midnight it does not (made at 00:00 the dose is due now; made at 23:59
        // and shown after midnight, both were added "yesterday" and the medicine is due first),
        // so a run that lands there waits for 00:01 (at most 3 minutes, 3 runs in 1440).
        const nearMidnight = () => ["23:58", "23:59", "00:00"].includes(clock(ZONE));
        if (nearMidnight()) console.log("  (Chicago is at midnight: waiting for 00:01 so the 00:00 medicine is made after its time)");
        while (nearMidnight()) await sleep(5000);
        const madeDay = dayIn(ZONE);
        const { ctx, page } = await chicagoPhone("newcomer", [
          { name: "Caltrate 600", kind: "supplement", form: "calcium_carbonate", nutrients_per_unit: { calcium_mg: 600 }, default_units: 1, schedule_times: ["23:59"] },
          { name: "Anastrozole", kind: "medicine", form: "anastrozole", default_units: 1, schedule_times: ["00:00"], prescribed_daily: true },
        ], "Nell");
        try {
          await waitChip(page, /^Synced/);
          await page.waitForSelector("[data-testid=doses-due] li >> nth=1");
          const rows = await page.locator("[data-testid=doses-due] li").allInnerTexts();
          assert(dayIn(ZONE) === madeDay, `the test ran within one Chicago day (${madeDay}, now ${dayIn(ZONE)})`);
          assert(/Caltrate/.test(rows[0]) && /Anastrozole/.test(rows[1]), `today's 23:59 calcium is listed before the medicine not started yet (${rows.join(" | ")})`);
          assert(/Due at 23:59/.test(rows[0]) && !/late/.test(rows[0]), `the later dose is due today, not late (${rows[0]})`);
          // A time past before the schedule existed is not late (the newcomer walk's F2; a dose
          // missed after the item existed is late: doseSlots.test.ts).
          assert(/First dose: tomorrow at 00:00/.test(rows[1]) && !/late/.test(rows[1]), `a time past before the schedule existed is her first dose tomorrow, not late (${rows[1]})`);
          const notYet = page.locator("[data-testid=doses-due] li >> nth=1");
          assert((await notYet.locator(".due.late").count()) === 0, "nor shown in red");
          assert((await notYet.locator("[data-testid=dose-taken]").count()) === 0, `no "Mark taken" on a "First dose: tomorrow" card (it would save a dose today)`);
          assert((await page.locator("[data-testid=doses-due] li >> nth=0 >> [data-testid=dose-taken]").count()) === 1, `today's calcium still offers "Mark taken"`);
          await page.locator("#doses").scrollIntoViewIfNeeded();
          await shot(page, "71-today-doses-in-order");

          // Two 600 mg tablets: the question is the only choice, says why, and "Change it" goes
          // back to the number of tablets.
          await page.goto(backend.base + "/log/dose");
          await page.waitForSelector("#f-item");
          await page.selectOption("#f-item", await page.locator("#f-item option", { hasText: "Caltrate" }).getAttribute("value"));
          await page.fill("#f-units", "2");
          await page.getByRole("button", { name: "Save", exact: true }).click();
          await page.waitForSelector("[data-testid=amount-ask] >> text=/1200 mg of calcium in one dose.*absorbed best in small amounts: about 500 mg or less at a time/");
          assert((await page.getByRole("button", { name: "Save", exact: true }).count()) === 0, "while it asks, the form's own Save is gone");
          await shot(page, "72-dose-ask-why");
          await page.getByRole("button", { name: "Change it" }).click();
          assert((await page.evaluate(() => document.activeElement?.id)) === "f-units", "Change it puts her back in the tablets field");
          await page.fill("#f-units", "1");
          await page.getByRole("button", { name: "Save", exact: true }).click();
          await page.waitForURL(/\/today$/);
          // Said, in the one live region, above the tab bar.
          await page.waitForSelector("[role=status][aria-live=polite] [data-testid=toast] >> text=Dose saved.");
          const [toastBox] = await boxes(page, "[data-testid=toast]");
          for (const tab of await boxes(page, ".tabbar a")) assert(!overlaps(toastBox, tab), `the toast covers no tab (${JSON.stringify(toastBox)} ${JSON.stringify(tab)})`);
          await shot(page, "73-dose-saved-toast");

          // Joint symptoms at hands and knees: Today says where.
          for (const stiff of ["30", "10"]) {
            await page.goto(backend.base + "/log/symptom");
            await page.getByRole("radio", { name: "5", exact: true }).click();
            await page.fill("#f-stiffness", stiff);
            await page.getByRole("checkbox", { name: "Hands" }).click();
            await page.getByRole("checkbox", { name: "Knees" }).click();
            await page.getByRole("button", { name: "Save", exact: true }).click();
            await page.waitForURL(/\/today$/);
            await page.waitForSelector("[data-testid=toast] >> text=Joint symptoms saved.");
          }
          await page.waitForSelector("[data-testid=today-entries] >> text=Joint pain 5/10, stiffness 30 min · hands, knees");

          // Edit and Delete: 44 px buttons, at least 8 px apart.
          const actions = await boxes(page, "[data-testid=today-entries] li:first-child .row-actions .btn");
          assert(actions.length === 2 && actions.every((b) => b.height >= 44), `Edit and Delete are 44 px tall (${JSON.stringify(actions)})`);
          const [edit, del] = actions;
          const gap = Math.max(del.left - edit.right, del.top - edit.bottom);
          assert(gap >= 8, `Edit and Delete are ${gap} px apart`);

          // Delete the first one with its Delete placed low on the screen, where the toast comes.
          await page.evaluate(() => {
            const row = document.querySelector("[data-testid=today-entries] li .row-actions");
            const y = row.getBoundingClientRect().bottom + window.scrollY;
            window.scrollTo({ top: y - (window.innerHeight - 90), behavior: "instant" });
          });
          const count = await page.locator("[data-testid=today-entries] li").count();
          await page.locator("[data-testid=today-entries] li").first().getByRole("button", { name: /^Delete/ }).click();
          await page.waitForSelector("[data-testid=toast] >> text=deleted.");
          await until("the entry left the list", async () => (await page.locator("[data-testid=today-entries] li").count()) === count - 1);
          await sleep(300);
          const [undoToast] = await boxes(page, "[data-testid=toast]");
          const where = await page.evaluate(() => `scrollY ${scrollY} of ${document.documentElement.scrollHeight - innerHeight}; scroller ${document.scrollingElement?.tagName}; toast-space ${document.documentElement.style.getPropertyValue("--toast-space")}`);
          for (const b of await boxes(page, "[data-testid=today-entries] .row-actions .btn")) assert(!overlaps(undoToast, b), `the Undo toast covers no Edit or Delete (${JSON.stringify(undoToast)} ${JSON.stringify(b)}; ${where})`);
          await shot(page, "74-undo-clear-of-next-delete");
          await sleep(8_000);
          assert(await page.locator("[data-testid=toast]").isVisible(), "Undo is still there after 8 seconds");
          await page.getByRole("button", { name: "Undo" }).click();
          await until("the entry is back", async () => (await page.locator("[data-testid=today-entries] li").count()) === count);
        } finally {
          await ctx.close();
        }
      },
    ],
    [
      "logging: an entry from an earlier day is edited and deleted (with Undo) from History's day, through the outbox; a weight typed 150,5 is 150.5",
      async () => {
        const { ctx, page, token } = await chicagoPhone("history-edit", []);
        try {
          // Back-dated: a walk two days ago at noon in Chicago (18:00 UTC in winter).
          const day = new Intl.DateTimeFormat("en-CA", { timeZone: ZONE }).format(new Date(Date.now() - 2 * 86_400_000));
          const made = await backend.api("POST", "/api/v1/workouts", token, { activity: "brisk_walking", started_at: `${day}T18:00:00+00:00`, minutes: 30, intensity: "moderate" });
          assert(made.status === 201, `back-dated walk (${made.status})`);
          const id = made.body.id;
          await page.goto(`${backend.base}/history/${day}`);
          const rows = page.locator("[data-testid=history-entries] li");
          await until("the walk is listed on its day", async () => (await rows.count()) === 1, 15_000);
          // Not plain text: the same Edit and Delete as Today, each at least 44 px tall.
          for (const b of await boxes(page, "[data-testid=history-entries] .row-actions .btn")) assert(b.height >= 44 && b.width >= 44, `History's ${b.text} is ${b.width}×${b.height} px`);
          await rows.first().scrollIntoViewIfNeeded();
          await shot(page, "75-history-day-edit-delete");
          await rows.first().getByRole("link", { name: /^Edit/ }).click();
          await page.waitForURL(/\/log\/workout\?id=/);
          await page.fill("#f-minutes", "45");
          await page.getByRole("button", { name: "Save" }).click();
          // Saved, she is back on the day she came from, the walk changed there.
          await page.waitForURL(new RegExp(`/history/${day}$`));
          await until("History shows the 45 minutes", async () => /45 min/.test(await rows.first().innerText()));
          await waitChip(page, /^Synced/);
          const minutes = async () => {
            const r = await backend.api("GET", `/api/v1/workouts/${id}`, token);
            return r.status === 200 ? r.body.minutes : null;
          };
          await until("the server has the 45 minutes (the outbox sent the edit)", async () => (await minutes()) === 45);
          // Delete from History, then Undo: the walk is back, on the phone and on the server.
          await rows.first().getByRole("button", { name: /^Delete/ }).click();
          await page.waitForSelector("[data-testid=toast] >> text=deleted.");
          await until("the walk left the day", async () => (await rows.count()) === 0);
          await page.getByRole("button", { name: "Undo" }).click();
          await until("Undo put the walk back on the day", async () => (await rows.count()) === 1 && /45 min/.test(await rows.first().innerText()));
          await waitChip(page, /^Synced/);
          await until("the server still has the walk after Undo", async () => (await minutes()) === 45);
          // A decimal comma: 150,5 in the weight box is 150.5 lb, not 1505.
          await page.goto(`${backend.base}/log/weight`);
          await page.fill("#f-weight", "150,5");
          assert((await page.inputValue("#f-weight")) === "150,5", "the box keeps what she typed");
          await page.getByRole("button", { name: "Save" }).click();
          await page.waitForURL(/\/today$/);
          let weights = null;
          await until("the weight reached the server as 150.5 lb", async () => {
            weights = (await backend.api("GET", "/api/v1/measurements", token)).body;
            const items = (Array.isArray(weights) ? weights : weights?.items) ?? [];
            // Kept in kg, entered in lb: 150.5 lb is 68.27 kg (1505 lb would be 682.7).
            return items.some((m) => m.entered_unit === "lb" && Math.abs(m.weight_kg - 150.5 * 0.45359237) < 0.01);
          }).catch(() => {
            throw new Error(`a weight of 150.5 lb on the server (${JSON.stringify(weights).slice(0, 300)})`);
          });
        } finally {
          await ctx.close();
        }
      },
    ],
  ];
}
