// A newcomer's phone walk (issue 14, findings F18, F22, F23): set-up offered again on any device
// until it is answered, the phone's other time zone said with Switch and Keep, and a lab result
// read against PROTOCOL §7 where it is shown. Imported by run.mjs.
import { assert, PASSWORD, until, VIEWPORT } from "./harness.mjs";

export function profileNoticeTests({ backend, browser, pageErrors, axe, shot }) {
  /** A person made through the API; `profile` is PATCHed when given (else set-up was never done). */
  async function person(label, profile, contextOptions = {}) {
    const email = `e2e-${label}-${Date.now()}@fortify.example`;
    const token = await backend.createPerson(email, PASSWORD, "Ada");
    if (profile) {
      const r = await backend.api("PATCH", "/api/v1/profile", token, profile);
      assert(r.status === 200, `profile (${r.status})`);
    }
    const context = await browser.newContext({ viewport: VIEWPORT, hasTouch: true, ...contextOptions });
    const page = await context.newPage();
    page.on("pageerror", (e) => pageErrors.push(String(e)));
    page.setDefaultTimeout(15_000);
    await page.goto(backend.base + "/signin");
    await page.fill("#f-email", email);
    await page.fill("#f-password", PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(/\/today$/);
    return { context, page, token };
  }

  return [
    [
      "set-up (F23): a person whose profile was never answered signs in on a fresh phone and is offered set-up until she answers",
      async () => {
        // She confirmed on a tablet and closed onboarding there: nothing was ever saved.
        const { context, page, token } = await person("setup", null, { timezoneId: "Europe/London" });
        try {
          const card = page.locator("[data-testid=finish-setup]");
          await card.waitFor({ timeout: 20_000 });
          assert(/your sex sets some of your targets/.test(await card.innerText()), `the card says why (${await card.innerText()})`);
          await axe(page, "Today with Finish setting up");
          await shot(page, "setup-01-finish-card");
          await card.getByRole("link", { name: "Finish setting up" }).click();
          await page.waitForURL(/\/onboarding\?step=1$/);
          // A phone on London time speaking the browser's factory English (en-US) is offered
          // metric first (newcomer walk: a London phone started on US units).
          assert((await page.evaluate(() => navigator.language)) === "en-US", "the phone speaks en-US");
          await page.waitForSelector('[role=radio][aria-checked=true] >> text=/^Metric/');
          await page.getByRole("radio", { name: "Female" }).click();
          await page.getByRole("button", { name: "Next" }).click();
          await page.waitForURL(/step=2/);
          await until("her answer reached the server", async () => (await backend.api("GET", "/api/v1/profile", token)).body.sex === "female");
          await page.goto(backend.base + "/today");
          await page.waitForSelector("[data-testid=ring-overall]");
          await until("the card is gone once she answered", async () => (await page.locator("[data-testid=finish-setup]").count()) === 0, 20_000);
          await shot(page, "setup-02-answered");
        } finally {
          await context.close();
        }
      },
    ],
    [
      "time zone (F18): a phone on Chicago time with a London profile is told in city names; Keep is remembered, Switch saves the phone's zone",
      async () => {
        const { context, page, token } = await person("zone", { sex: "female", time_zone: "Europe/London" }, { timezoneId: "America/Chicago" });
        try {
          const notice = page.locator("[data-testid=zone-notice]");
          await notice.waitFor({ timeout: 20_000 });
          const words = await notice.innerText();
          assert(/Your phone is on Chicago time; Fortify uses London time\. Switch to Chicago time\?/.test(words), `the notice in city names (${words})`);
          assert((await page.locator("[data-testid=finish-setup]").count()) === 0, "set-up is not offered: she answered");
          await axe(page, "Today with the time-zone notice");
          await shot(page, "zone-01-notice");
          await notice.getByRole("button", { name: "Keep London time" }).click();
          await notice.waitFor({ state: "detached" });
          await page.reload();
          await page.waitForSelector("[data-testid=ring-overall]");
          await page.waitForTimeout(1000);
          assert((await page.locator("[data-testid=zone-notice]").count()) === 0, "Keep is remembered on this phone");
          assert((await backend.api("GET", "/api/v1/profile", token)).body.time_zone === "Europe/London", "Keep changes nothing on the server");
          // Another trip: the same profile, a phone on Tokyo time, asks again; Switch saves it.
          const tokyo = await context.browser().newContext({ viewport: VIEWPORT, hasTouch: true, timezoneId: "Asia/Tokyo" });
          try {
            const p2 = await tokyo.newPage();
            p2.on("pageerror", (e) => pageErrors.push(String(e)));
            const email = (await backend.api("GET", "/api/v1/profile", token)).body.email;
            await p2.goto(backend.base + "/signin");
            await p2.fill("#f-email", email);
            await p2.fill("#f-password", PASSWORD);
            await p2.getByRole("button", { name: "Sign in" }).click();
            await p2.waitForURL(/\/today$/);
            const n2 = p2.locator("[data-testid=zone-notice]");
            await n2.waitFor({ timeout: 20_000 });
            assert(/Tokyo time/.test(await n2.innerText()), "the Tokyo phone is asked");
            await n2.getByRole("button", { name: "Switch to Tokyo time" }).click();
            await n2.waitFor({ state: "detached" });
            await until("Switch saved the phone's zone on the server", async () => (await backend.api("GET", "/api/v1/profile", token)).body.time_zone === "Asia/Tokyo", 20_000);
          } finally {
            await tokyo.close();
          }
        } finally {
          await context.close();
        }
      },
    ],
    [
      "lab reading (F22): a T-score of -2.6 and LDL 4.2 mmol/L are read against PROTOCOL §7 after saving, in Trends and in History",
      async () => {
        const { context, page } = await person("labs", { sex: "female", time_zone: "UTC", unit_system: "metric" }, { timezoneId: "UTC" });
        try {
          await page.goto(backend.base + "/log/lab");
          await page.waitForSelector("select[name=kind]");
          await page.selectOption("select[name=kind]", "dxa_t_score");
          await page.fill("#f-value", "-2.6");
          await page.getByRole("button", { name: "Save", exact: true }).click();
          await page.waitForURL(/\/today$/);
          const toast = page.locator("[data-testid=toast]");
          await toast.waitFor();
          assert(/T-score −2\.6: in the osteoporosis range \(WHO/.test(await toast.innerText()), `the toast reads the result (${await toast.innerText()})`);
          await shot(page, "labs-01-saved-t-score");
          // The reading stays in Today's list, not only in the toast; and no time she never
          // entered: the test is given by its date only (newcomer walk: "12:00").
          const todayLab = page.locator("[data-testid=today-entries] li", { hasText: "T-score" });
          await todayLab.locator("[data-testid=lab-reading]").waitFor();
          assert(!/\b12:00\b/.test(await todayLab.innerText()), `no invented time on the lab entry (${await todayLab.innerText()})`);
          await page.goto(backend.base + "/log/lab");
          await page.waitForSelector("select[name=kind]");
          await page.selectOption("select[name=kind]", "ldl_cholesterol");
          assert((await page.locator("select[name=unit]").inputValue()) === "mmol/L", "metric: mmol/L");
          await page.fill("#f-value", "4.2");
          await page.getByRole("button", { name: "Save", exact: true }).click();
          await page.waitForURL(/\/today$/);
          await page.goto(backend.base + "/trends");
          const readings = page.locator("[data-testid=lab-reading]");
          await until("both results are read in Trends", async () => (await readings.count()) === 2);
          const all = (await readings.allInnerTexts()).join(" | ");
          assert(/LDL 4\.2 mmol\/L \(162 mg\/dL\): above the optimal range/.test(all), `LDL read (${all})`);
          assert(/osteoporosis range/.test(all), `T-score read (${all})`);
          await readings.first().scrollIntoViewIfNeeded();
          await axe(page, "Trends with lab readings");
          await shot(page, "labs-02-trends-readings");
          const day = new Date().toISOString().slice(0, 10);
          await page.goto(backend.base + `/history/${day}`);
          await until("History reads them too", async () => (await page.locator("[data-testid=lab-reading]").count()) === 2);
          const historyEntries = await page.locator("[data-testid=history-entries]").innerText();
          assert(!/\b12:00\b/.test(historyEntries), `no invented time in History (${historyEntries})`);
          await page.locator("[data-testid=lab-reading]").first().scrollIntoViewIfNeeded();
          await shot(page, "labs-03-history-readings");
        } finally {
          await context.close();
        }
      },
    ],
  ];
}
