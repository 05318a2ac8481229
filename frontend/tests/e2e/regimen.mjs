// My medicines and supplements (outside walk F23): a man on testosterone therapy sets his
// anastrozole, 0.5 mg on Monday and Thursday at 08:00; the reminders say those days, and Today
// lists the dose only then. The browser's clock is fixed (Playwright's page.clock) to pick the
// weekday Today is shown on; the server keeps its own.
import { assert, PASSWORD, until, VIEWPORT } from "./harness.mjs";

/** The next local date (UTC) after today that falls on `weekday` (0 = Monday), at 10:00 UTC. */
function next(weekday) {
  const d = new Date();
  d.setUTCHours(10, 0, 0, 0);
  do d.setUTCDate(d.getUTCDate() + 1);
  while ((d.getUTCDay() + 6) % 7 !== weekday);
  return d;
}

export function regimenTests({ backend, browser, pageErrors, axe, shot }) {
  return [
    [
      "a man sets anastrozole 0.5 mg on Mon and Thu: reminders on those days only, Today lists it only then",
      async () => {
        const email = `e2e-men-${Date.now()}@fortify.example`;
        const token = await backend.createPerson(email, PASSWORD, "E2E man");
        const prof = await backend.api("PATCH", "/api/v1/profile", token, { sex: "male", time_zone: "UTC" });
        assert(prof.status === 200, `profile (${prof.status} ${JSON.stringify(prof.body).slice(0, 200)})`);
        const context = await browser.newContext({ viewport: VIEWPORT });
        try {
          const page = await context.newPage();
          page.on("pageerror", (e) => pageErrors.push(String(e)));
          page.setDefaultTimeout(15_000);
          // A Tuesday: the day he does not take it.
          await page.clock.setFixedTime(next(1));
          await page.goto(backend.base + "/signin");
          await page.fill("#f-email", email);
          await page.fill("#f-password", PASSWORD);
          await page.getByRole("button", { name: "Sign in" }).click();
          await page.waitForURL(/\/today$/);
          await page.goto(backend.base + "/more/regimen");
          await page.getByRole("button", { name: "Add a medicine or supplement" }).click();
          await page.selectOption("select[name=form]", "anastrozole");
          await page.getByRole("radio", { name: "0.5 mg" }).click();
          await page.getByLabel("I take it every day").uncheck();
          await page.waitForSelector("[data-testid=which-days]");
          // Saving with no day chosen is refused: it would otherwise be reminded every day.
          await page.getByRole("button", { name: "Save", exact: true }).click();
          await page.waitForSelector("text=/Choose the days you take it/");
          for (const day of ["Monday", "Thursday"]) {
            const b = page.getByRole("button", { name: day, exact: true });
            await b.click();
            assert((await b.getAttribute("aria-pressed")) === "true", `${day} is pressed`);
            const box = await b.boundingBox();
            assert(box && box.height >= 44 && box.width >= 44, `${day} is at least 44 px (${JSON.stringify(box)})`);
          }
          assert((await page.getByRole("button", { name: "Tuesday", exact: true }).getAttribute("aria-pressed")) === "false", "Tuesday is not pressed");
          await axe(page, "regimen form with days");
          await shot(page, "regimen-anastrozole-days-form");
          await page.getByRole("button", { name: "Save", exact: true }).click();
          const row = page.locator("li.list-row", { hasText: "Anastrozole 0.5 mg" });
          await row.waitFor();
          // The days come with the dose reminder saved alongside the item: read until they show.
          let line = "";
          await until("the row names its days", async () => {
            line = (await row.locator("[data-testid=regimen-schedule]").innerText()).trim();
            return line === "Anastrozole · 08:00 · Mon, Thu";
          }, 10_000).catch(() => {
            throw new Error(`one strength, its days (got "${line}")`);
          });
          await shot(page, "regimen-anastrozole-days-saved");

          // The server: the item and one reminder, Monday and Thursday only.
          let reminders = [];
          for (let i = 0; i < 100; i++) {
            const r = await backend.api("GET", "/api/v1/reminders", token);
            reminders = (r.body ?? []).filter((x) => x.kind === "dose");
            if (reminders.length === 1 && reminders[0].days_of_week) break;
            await new Promise((ok) => setTimeout(ok, 200));
          }
          assert(reminders.length === 1, `one dose reminder (${JSON.stringify(reminders)})`);
          assert(JSON.stringify(reminders[0].days_of_week) === "[0,3]" && reminders[0].enabled, `Mon and Thu (${JSON.stringify(reminders[0])})`);
          assert(JSON.stringify(reminders[0].effective_times) === '["08:00"]', `at 08:00 (${JSON.stringify(reminders[0])})`);
          const items = [...(await backend.records(token)).values()].filter((r) => r.entity === "regimen");
          assert(items.length === 1 && items[0].fields.name === "Anastrozole 0.5 mg" && items[0].fields.prescribed_daily === false, `the item (${JSON.stringify(items)})`);
          // The item carries its days too: its reminder on the server follows them without the stored one.
          assert(JSON.stringify(items[0].fields.schedule_days) === "[0,3]", `the item's days (${JSON.stringify(items[0].fields)})`);

          await page.goto(backend.base + "/more/settings/reminders");
          await page.waitForSelector("[data-testid=reminder-list] >> text=08:00 on Mon, Thu");
          assert(!(await page.locator("[data-testid=reminder-list]").innerText()).includes("every day"), "no every-day reminder");

          // Today on his Tuesday: nothing due. On a Monday: due, with Mark taken.
          await page.goto(backend.base + "/today");
          await page.waitForSelector("#doses >> text=Nothing due today.");
          assert((await page.locator("#doses").innerText()).indexOf("Anastrozole") < 0, "not listed on a Tuesday");
          await page.clock.setFixedTime(next(0));
          await page.goto(backend.base + "/today");
          await page.getByRole("button", { name: "Mark taken: Anastrozole 0.5 mg at 08:00" }).waitFor();

          // Changed from the list: Thursday off, Saturday on, 20:00 instead of 08:00.
          await page.goto(backend.base + "/more/regimen");
          await page.getByRole("button", { name: "Change Anastrozole 0.5 mg" }).click();
          assert((await page.getByRole("radio", { name: "0.5 mg" }).getAttribute("aria-checked")) === "true", "the strength is kept");
          assert((await page.getByRole("button", { name: "Thursday", exact: true }).getAttribute("aria-pressed")) === "true", "his days are shown");
          await page.getByRole("button", { name: "Thursday", exact: true }).click();
          await page.getByRole("button", { name: "Saturday", exact: true }).click();
          await page.fill("#f-time-0", "20:00");
          await page.getByRole("button", { name: "Save", exact: true }).click();
          await page.waitForSelector("[data-testid=regimen-schedule] >> text=Anastrozole · 20:00 · Mon, Sat");
          for (let i = 0; i < 100; i++) {
            const r = await backend.api("GET", "/api/v1/reminders", token);
            reminders = (r.body ?? []).filter((x) => x.kind === "dose");
            if (JSON.stringify(reminders.map((x) => [x.days_of_week, x.effective_times])) === '[[[0,5],["20:00"]]]') break;
            await new Promise((ok) => setTimeout(ok, 200));
          }
          assert(JSON.stringify(reminders.map((x) => [x.days_of_week, x.effective_times])) === '[[[0,5],["20:00"]]]', `edited reminder (${JSON.stringify(reminders)})`);
          const edited = [...(await backend.records(token)).values()].find((r) => r.entity === "regimen");
          assert(JSON.stringify(edited?.fields.schedule_days) === "[0,5]", `the item's days follow the edit (${JSON.stringify(edited?.fields)})`);
        } finally {
          await context.close();
        }
      },
    ],
    [
      "a supplement needs its amount (it would count 0); calcium over 500 mg at once is said to count less, and one tap splits it",
      async () => {
        const email = `e2e-calcium-${Date.now()}@fortify.example`;
        const token = await backend.createPerson(email, PASSWORD, "E2E calcium");
        const context = await browser.newContext({ viewport: VIEWPORT });
        try {
          const page = await context.newPage();
          page.on("pageerror", (e) => pageErrors.push(String(e)));
          page.setDefaultTimeout(15_000);
          await page.goto(backend.base + "/signin");
          await page.fill("#f-email", email);
          await page.fill("#f-password", PASSWORD);
          await page.getByRole("button", { name: "Sign in" }).click();
          await page.waitForURL(/\/today$/);
          await page.goto(backend.base + "/more/regimen");
          await page.getByRole("button", { name: "Add a medicine or supplement" }).click();
          await page.selectOption("select[name=form]", "calcium_citrate");
          // Said next to the field before she saves, and refused in words if left empty.
          await page.waitForSelector("#f-amount ~ .hint >> text=/^Needed for a supplement/");
          await page.getByRole("button", { name: "Save", exact: true }).click();
          await page.waitForSelector("[role=alert] >> text=Enter the amount in one tablet or dose (mg calcium): without it, the doses you take count as 0.");
          assert((await page.evaluate(() => document.activeElement?.id)) === "f-amount", "the refusal takes her to the amount");
          await shot(page, "regimen-amount-needed");
          // 600 mg at once: the form says it counts less and offers two doses of 300 mg.
          await page.fill("#f-amount", "600");
          const note = page.locator("[data-testid=calcium-split]");
          await note.waitFor();
          const words = await note.innerText();
          assert(/More than 500 mg of calcium at one time is absorbed less, so it counts less/.test(words) && /2 doses of about 300 mg/.test(words), `the note says why and what to do (${words})`);
          await axe(page, "calcium over 500 mg note");
          await shot(page, "regimen-calcium-600-note");
          await page.getByRole("button", { name: "Make it 2 doses of 300 mg" }).click();
          assert((await page.inputValue("#f-amount")) === "300", "the amount is one dose's");
          assert((await page.inputValue("#f-time-0")) === "08:00" && (await page.inputValue("#f-time-1")) === "18:00", "a second time, in the evening");
          assert((await note.count()) === 0, "no note for 300 mg");
          await page.getByRole("button", { name: "Save", exact: true }).click();
          await page.waitForSelector("[data-testid=regimen-schedule] >> text=/300 mg calcium · 08:00, 18:00/");
          await until("the item on the server", async () => {
            const items = [...(await backend.records(token)).values()].filter((r) => r.entity === "regimen");
            return items.length === 1 && items[0].fields.nutrients_per_unit.calcium_mg === 300;
          }, 15_000);
          // A medicine may go without an amount.
          await page.getByRole("button", { name: "Add a medicine or supplement" }).click();
          await page.selectOption("select[name=form]", "vitamin_d3");
          await page.getByRole("radio", { name: "Medicine" }).click();
          const hint = page.locator("#f-amount ~ .hint");
          assert((await hint.count()) === 0 || !/Needed/.test(await hint.innerText()), "no 'needed' for a medicine");
          await page.getByRole("button", { name: "Save", exact: true }).click();
          await page.waitForSelector("[data-testid=regimen-schedule] >> text=/Vitamin D3/");
        } finally {
          await context.close();
        }
      },
    ],
    [
      "a day the server has not scored (this phone's date is ahead) keeps the phone's scores and says why, never 0",
      async () => {
        const email = `e2e-ahead-${Date.now()}@fortify.example`;
        const token = await backend.createPerson(email, PASSWORD, "E2E ahead");
        const prof = await backend.api("PATCH", "/api/v1/profile", token, { sex: "female", time_zone: "UTC" });
        assert(prof.status === 200, `profile (${prof.status})`);
        const context = await browser.newContext({ viewport: VIEWPORT });
        try {
          const page = await context.newPage();
          page.on("pageerror", (e) => pageErrors.push(String(e)));
          page.setDefaultTimeout(15_000);
          // Two days ahead of the server: its today has not reached the phone's.
          const ahead = new Date(Date.now() + 2 * 86_400_000);
          ahead.setUTCHours(10, 0, 0, 0);
          await page.clock.setFixedTime(ahead);
          await page.goto(backend.base + "/signin");
          await page.fill("#f-email", email);
          await page.fill("#f-password", PASSWORD);
          await page.getByRole("button", { name: "Sign in" }).click();
          await page.waitForURL(/\/today$/);
          const day = ahead.toISOString().slice(0, 10);
          const answer = await backend.api("GET", `/api/v1/days/${day}`, token);
          assert(answer.body?.scored === false && answer.body?.overall === null, `the server has no score for ${day} (${JSON.stringify(answer.body).slice(0, 120)})`);
          const source = page.locator("[data-testid=report-source]");
          await until("the reason in words", async () => /today has not begun/.test(await source.innerText()), 20_000);
          assert(!/Up to date/.test(await source.innerText()), "not 'Up to date.'");
          // The phone's own scores stay, with the next step (a new person scores above 0 on
          // what she has not done wrong yet; the server's null is never drawn as 0).
          const overall = Number(await page.locator("[data-testid=ring-overall] .ring-text").textContent());
          assert(overall > 0, `the phone's overall score is shown (${overall})`);
          await page.waitForSelector("[data-testid=next-action]");
          await shot(page, "today-server-not-scored");
        } finally {
          await context.close();
        }
      },
    ],
  ];
}
