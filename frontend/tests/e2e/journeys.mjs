// The first-month journeys of issue 14 that run after the main flow (the person it signed up):
// the care-team report from the app (§2), a refused change that keeps her data (§3), one number
// for one fact (§4), plain words on every screen (§6), installing and reminders, 44 px controls
// and a compact header (§7). Each test leaves the page on Today.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { assert, SCREENSHOTS, sleep, until, VIEWPORT } from "./harness.mjs";


export function journeyTests(t) {
  const { backend, browser, pageA, ctxA, session, logWorkout, goto, axe, axeDark, shot, fitsNarrow, waitChip, plainWords, newPage, EMAIL, PASSWORD } = t;

  /** Signs the main person in on a fresh context made with `options` (and init scripts). */
  async function signedIn(options = {}, init = [], email = EMAIL) {
    const ctx = await browser.newContext({ viewport: VIEWPORT, hasTouch: true, ...options });
    for (const script of init) await ctx.addInitScript(script);
    const page = await newPage(ctx);
    await page.goto(backend.base + "/signin");
    await page.fill("#f-email", email);
    await page.fill("#f-password", PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(/\/today$/);
    await waitChip(page, /^Synced/);
    return { ctx, page };
  }

  /** A chart's first series as drawn (SVG): its markers, each with a size, and its line. */
  async function seriesDrawn(page, testid) {
    return page.locator(`[data-testid=${testid}] svg.chart-plot .chart-series`).first().evaluate((g) => {
      const marks = g.querySelector(".chart-marks");
      const box = marks?.getBBox();
      const fill = marks ? getComputedStyle(marks).fill : "none";
      return {
        markers: marks && box.width > 0 && box.height > 0 && fill !== "none" ? (marks.getAttribute("d").match(/M/g) ?? []).length : 0,
        line: Boolean(g.querySelector(".chart-line")),
      };
    });
  }

  return [
    [
      "a newcomer's follow-ups: times in her profile's zone (not the phone's), Trends with weight and one day of pain, USDA names read plainly, any past meal logged again from History offline",
      async () => {
        const who = `e2e-zone-${Date.now()}@fortify.example`;
        const token = await backend.createPerson(who, PASSWORD, "Zoe");
        const patched = await backend.api("PATCH", "/api/v1/profile", token, { time_zone: "America/New_York", unit_system: "us", sex: "female" });
        assert(patched.status === 200, `profile in New York, US units (${patched.status} ${JSON.stringify(patched.body).slice(0, 200)})`);
        // The phone is on Tokyo time: 13 or 14 hours ahead of her profile's New York.
        const { ctx, page } = await signedIn({ timezoneId: "Asia/Tokyo" }, [], who);
        const clock = (zone) => new Intl.DateTimeFormat("en-GB", { timeZone: zone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(new Date());
        const nyDay = new Intl.DateTimeFormat("en-CA", { timeZone: "America/New_York" }).format(new Date());
        try {
          await waitChip(page, /^Synced/);
          // A weight: "When" starts at New York's clock; Today lists it at that time.
          await goto(page, "/log/weight");
          const nyBefore = clock("America/New_York");
          const when = await page.inputValue("input[type=datetime-local]");
          const nyAfter = clock("America/New_York");
          assert([nyBefore, nyAfter].includes(when.slice(11)) && when.slice(0, 10) === nyDay, `"When" is New York's now (${when}; New York ${nyDay} ${nyBefore})`);
          await page.fill("#f-weight", "150");
          await page.getByRole("button", { name: "Save", exact: true }).click();
          await page.waitForSelector("[data-testid=today-entries] li");
          const row = (await page.locator("[data-testid=today-entries] li").first().innerText()).replace(/\s+/g, " ");
          assert(row.startsWith(when.slice(11)) && row.includes("150.0 lb"), `Today lists the weight at New York's ${when.slice(11)} (${row})`);
          assert(!row.includes(clock("Asia/Tokyo")), `not at the phone's Tokyo time (${row})`);
          await shot(page, "55-times-in-her-zone");
          // One day of pain.
          await goto(page, "/log/symptom");
          await page.getByRole("radio", { name: "4", exact: true }).click();
          await page.getByRole("button", { name: "Save", exact: true }).click();
          await page.waitForSelector("[data-testid=ring-overall]");
          // A USDA food is listed by a readable name, the full one beneath it.
          await goto(page, "/log/meal");
          await page.fill("#food-search", "milk reduced fat fluid 2% milkfat vitamin A vitamin D");
          const usda = "Milk, reduced fat, fluid, 2% milkfat, without added vitamin A and vitamin D";
          const milk = page.locator("[data-testid=food-results][data-source=server] .pick", { hasText: usda }).first();
          await milk.waitFor({ timeout: 15_000 }).catch(async (e) => {
            throw new Error(`${e.message.split("\n")[0]}; listed: ${(await page.locator("[data-testid=food-results] .pick").allInnerTexts()).slice(0, 8).join(" | ")}`);
          });
          const shown = (await milk.locator("strong").innerText()).trim();
          assert(shown === "Milk, reduced fat, 2%", `the USDA name reads plainly (${shown})`);
          assert((await milk.locator(".full-name").innerText()).trim() === usda, "the full name is kept beneath");
          await shot(page, "56-usda-name");
          await milk.click();
          await page.waitForSelector("[data-testid=portion-picker]");
          await page.getByRole("button", { name: "Add to meal" }).click();
          await page.getByRole("button", { name: "Save meal" }).click();
          await page.waitForURL(/\/today$/);
          // Trends: a weight chart in pounds, the one day of pain drawn (a dot), dates as "3 Dec", no "--".
          await goto(page, "/trends");
          await page.waitForSelector("[data-testid=weight-chart] svg.chart-plot");
          await page.waitForSelector("[data-testid=pain-chart] svg.chart-plot");
          const painDrawn = await seriesDrawn(page, "pain-chart");
          assert(painDrawn.markers === 1, `one day of pain is drawn, as a dot (${JSON.stringify(painDrawn)})`);
          const weightDrawn = await seriesDrawn(page, "weight-chart");
          assert(weightDrawn.markers === 1, `one weight is drawn, as a dot (${JSON.stringify(weightDrawn)})`);
          const weightLabel = await page.locator("[data-testid=weight-chart] [role=img]").getAttribute("aria-label");
          assert(/Latest: Weight: 150 lb/.test(weightLabel ?? ""), `the weight chart is in pounds (${weightLabel})`);
          const trends = await page.evaluate(() => document.body.innerText);
          assert(!/\d{4}-\d{2}-\d{2}|\bweek to \d{2}-\d{2}/.test(trends), `no ISO dates on Trends (${trends.match(/\d{4}-\d{2}-\d{2}|week to \d{2}-\d{2}/)})`);
          assert(/week to \d{1,2}[ \u00a0][A-Z][a-z]{2}/.test(trends), "weeks end on dates like '3 Dec'");
          await plainWords(page, "Trends with one day of data");
          await shot(page, "57-trends-weight-pain");
          // History: her day lists times in her zone and offers "Log again" on the meal, offline, with Undo.
          await goto(page, `/history/${nyDay}`);
          await page.waitForSelector("[data-testid=history-entries] li");
          const entries = (await page.locator("[data-testid=history-entries]").innerText()).replace(/\s+/g, " ");
          assert(entries.includes(when.slice(11)), `History shows New York's time (${entries})`);
          const meals = async () => (await page.locator("[data-testid=today-entries] li").allInnerTexts()).filter((t) => /Breakfast|Lunch|Dinner|Snack/.test(t)).length;
          await ctx.setOffline(true);
          try {
            const again = page.getByRole("button", { name: /^Log again now:/ });
            await again.scrollIntoViewIfNeeded();
            const box = await again.boundingBox();
            assert(box && box.height >= 44, `"Log again" is at least 44 px (${JSON.stringify(box)})`);
            await shot(page, "58-history-log-again");
            await axe(page, "History day with Log again");
            await again.click();
            await page.waitForURL(/\/today$/);
            await page.waitForSelector("[data-testid=toast] >> text=logged again.");
            await page.waitForFunction(() => document.querySelectorAll("[data-testid=today-entries] li").length >= 4);
            assert((await meals()) === 2, `the meal is logged again (${await meals()} meals today)`);
            await page.locator(".toast-action", { hasText: "Undo" }).click();
            await page.waitForFunction(() => [...document.querySelectorAll("[data-testid=today-entries] li")].filter((li) => /Breakfast|Lunch|Dinner|Snack/.test(li.textContent)).length === 1);
          } finally {
            await ctx.setOffline(false);
          }
        } finally {
          await ctx.close();
        }
      },
    ],
    [
      "care-team report from Settings: preview, the PDF downloads, and it is shared as a file (or downloaded where sharing is not offered)",
      async () => {
        const previewOn = async (page) => {
          await goto(page, "/more/settings");
          await page.getByRole("link", { name: /Report for my care team/ }).click();
          await page.waitForSelector("h1 >> text=Report for my care team");
          await page.getByRole("radio", { name: "Last 30 days" }).click();
          await page.getByRole("button", { name: "Preview" }).click();
          await page.waitForSelector("[data-testid=report-preview]");
          return page.locator("[data-testid=report-preview]").evaluate((el) => el.shadowRoot?.textContent ?? "");
        };
        // A person who signed up today: the report starts today, not 29 empty days before. (The
        // main person has entries back-dated by earlier tests, so she is not that person.)
        const newcomer = `e2e-report-${Date.now()}@fortify.example`;
        await backend.createPerson(newcomer, PASSWORD, "Nora");
        const fresh = await signedIn({}, [], newcomer);
        try {
          const first = await previewOn(fresh.page);
          assert(/She started using Fortify on/.test(first) && /covers the 1 day from then/.test(first), `the report starts at her first day (${first.slice(0, 600)})`);
        } finally {
          await fresh.ctx.close();
        }
        // A month unless she picks otherwise (it was 90 days); the preview logs no CSP refusal
        // (its style attributes were refused by the app's style-src 'self', one error each).
        await goto(pageA, "/more/settings/report");
        assert(await pageA.getByRole("radio", { name: "Last 30 days" }).getAttribute("aria-checked") === "true", "30 days is the default period");
        const refused = [];
        const onConsole = (m) => { if (m.type() === "error" || /Content Security Policy/i.test(m.text())) refused.push(m.text()); };
        pageA.on("console", onConsole);
        const preview = await previewOn(pageA);
        await sleep(300);
        pageA.off("console", onConsole);
        assert(refused.length === 0, `no console error from the preview: ${refused.slice(0, 3).join(" | ")}`);
        assert(preview.includes("Care-team report"), "the preview shows the report");
        // Readable on a phone: its words at the app's text size (not 8.6 pt), its lines within the screen.
        const sizes = await pageA.locator("[data-testid=report-preview]").evaluate((el) => {
          const lead = el.shadowRoot.querySelector("p.lead");
          return { text: parseFloat(getComputedStyle(lead).fontSize), right: lead.getBoundingClientRect().right, width: document.documentElement.clientWidth };
        });
        assert(sizes.text >= 16, `the report's text is at least 16 px in the preview (${sizes.text})`);
        assert(sizes.right <= sizes.width, `the report's paragraphs wrap within the screen (${JSON.stringify(sizes)})`);
        assert(!/\b[a-z]+_[a-z0-9_]+\b/.test(preview), `no internal keys in the report: ${preview.match(/\b[a-z]+_[a-z0-9_]+\b/g)}`);
        await shot(pageA, "45-report-preview");
        await axe(pageA, "care-team report");
        await axeDark(pageA, "care-team report");
        await fitsNarrow(pageA, "the care-team report screen");
        await pageA.setViewportSize({ width: 320, height: 700 });
        await pageA.evaluate(() => (document.documentElement.style.fontSize = "225%"));
        await shot(pageA, "45b-report-preview-320px-200pct");
        await pageA.locator("[data-testid=report-preview]").evaluate((el) => el.shadowRoot.querySelector("table").scrollIntoView());
        await shot(pageA, "45c-report-table-320px-200pct");
        await pageA.evaluate(() => (document.documentElement.style.fontSize = ""));
        await pageA.setViewportSize(VIEWPORT);
        // Download: a real PDF.
        const [download] = await Promise.all([pageA.waitForEvent("download"), pageA.getByRole("button", { name: "Download PDF" }).click()]);
        assert(/^fortify-care-team-report-\d{4}-\d{2}-\d{2}-to-\d{4}-\d{2}-\d{2}\.pdf$/.test(download.suggestedFilename()), `PDF name (${download.suggestedFilename()})`);
        const path = await download.path();
        assert(readFileSync(path).subarray(0, 5).toString() === "%PDF-", "the download is a PDF");
        await pageA.waitForSelector("[data-testid=report-message] >> text=The PDF was downloaded.");
        // Share where the browser can share files: the PDF goes to the share sheet as a file.
        await pageA.evaluate(() => {
          window.__shared = null;
          navigator.canShare = (data) => Array.isArray(data?.files);
          navigator.share = async (data) => { window.__shared = data.files.map((f) => `${f.name} ${f.type} ${f.size > 1000}`); };
        });
        await pageA.getByRole("button", { name: /^Share PDF/ }).click();
        await pageA.waitForSelector("[data-testid=report-message] >> text=Shared.");
        const shared = await pageA.evaluate(() => window.__shared);
        assert(shared?.length === 1 && / application\/pdf true$/.test(shared[0]), `one PDF file shared (${shared})`);
        // Where sharing files is not offered: a download, said in words.
        await pageA.evaluate(() => { navigator.canShare = () => false; });
        const [fallback] = await Promise.all([pageA.waitForEvent("download"), pageA.getByRole("button", { name: /^Share PDF/ }).click()]);
        assert(fallback.suggestedFilename().endsWith(".pdf"), "the fallback downloads the PDF");
        await pageA.waitForSelector("[data-testid=report-message] >> text=/cannot share files, so the PDF was downloaded/");
        // Chosen dates, checked in the form.
        await pageA.getByRole("radio", { name: "Choose dates" }).click();
        await pageA.fill("#f-report-from", "2026-11-10");
        await pageA.fill("#f-report-to", "2026-11-01");
        await pageA.waitForSelector("[role=alert] >> text=The last day is before the first day.");
        assert(await pageA.getByRole("button", { name: "Preview" }).isDisabled(), "no report for an impossible period");
        await shot(pageA, "46-report-dates-refused");
        // Offline: the screen says the report needs a connection.
        await ctxA.setOffline(true);
        await pageA.waitForSelector("text=/connect to the internet to preview/");
        await ctxA.setOffline(false);
        await goto(pageA, "/today");
      },
    ],
    [
      "a refused profile change names the field in words, offers Edit, and Discard keeps her other changes",
      async () => {
        await waitChip(pageA, /^Synced/);
        const before = [...(await backend.records(session.token)).values()].find((r) => r.entity === "profile").fields;
        // The server refuses the time zone of the next profile change (as it did for "New York").
        await pageA.route("**/api/v1/sync/push", async (route) => {
          const ops = route.request().postDataJSON()?.operations ?? [];
          const profileOps = ops.filter((op) => op.entity === "profile" && op.fields && "time_zone" in op.fields);
          if (ops.length === 0 || profileOps.length !== ops.length) return route.continue();
          await route.fulfill({
            status: 200,
            contentType: "application/json",
            body: JSON.stringify({
              results: ops.map((op) => ({
                op_id: op.op_id,
                status: "rejected",
                problem: { status: 422, code: "invalid_input", detail: "Invalid input.", errors: [{ field: "time_zone", rule: "value_error", detail: "must be an IANA time zone such as Europe/London" }] },
              })),
            }),
          });
        });
        try {
          await goto(pageA, "/more/settings/profile");
          await pageA.fill("#f-birth_year", "1963");
          await pageA.getByRole("button", { name: "Change time zone" }).click();
          await pageA.fill("#f-zone-search", "chicago");
          await pageA.locator("[data-testid=zone-results] .pick", { hasText: "Chicago" }).first().click();
          await pageA.getByRole("button", { name: "Save profile" }).click();
          await waitChip(pageA, /Needs attention \(1\)/);
        } finally {
          await pageA.unroute("**/api/v1/sync/push");
        }
        await goto(pageA, "/sync");
        await pageA.waitForSelector("text=Your profile: the time zone was not accepted");
        const card = await pageA.locator("li.card", { hasText: "Your profile" }).innerText();
        assert(!/IANA|time_zone/.test(card), `the refusal is in plain words (${card})`);
        assert(await pageA.getByRole("link", { name: "Edit" }).count(), "Edit is offered");
        await shot(pageA, "47-refused-change");
        await axe(pageA, "a refused change");
        await plainWords(pageA, "the sync screen with a refusal");
        await pageA.getByRole("button", { name: "Discard my time zone" }).click();
        await waitChip(pageA, /^Synced/);
        const after = [...(await backend.records(session.token)).values()].find((r) => r.entity === "profile").fields;
        assert(after.birth_year === 1963, `the birth year she changed with it is kept (${after.birth_year})`);
        assert(after.sex === before.sex && after.sex === "female", `her sex is never erased (${after.sex})`);
        assert(after.time_zone === before.time_zone, `the server's time zone stays (${after.time_zone})`);
        await goto(pageA, "/more/settings/profile");
        await pageA.waitForSelector("[data-testid=zone-current] >> text=this phone's time zone");
        assert((await pageA.inputValue("#f-birth_year")) === "1963", "the phone shows the kept birth year");
        await pageA.waitForSelector('[role=radio][aria-checked=true] >> text=Female');
        await goto(pageA, "/today");
      },
    ],
    [
      "one number for one fact: the sitting rule in one wording, Trends sums every workout of the week, future days have no scores",
      async () => {
        const day = session.today;
        await goto(pageA, "/today");
        await pageA.waitForSelector(".components li[data-key=calcium_sittings]");
        const sitting = await pageA.locator(".components li[data-key=calcium_sittings] .explanation").innerText();
        // The one wording of the rule (tables.CALCIUM_SITTING_RULE, since 08ca5ef).
        const rule = "up to 500 mg at a time counts in full, up to 600 mg counts half, more counts nothing";
        assert(sitting.includes(rule), `Today's sitting wording (${sitting})`);
        await goto(pageA, `/history/${day}`);
        await pageA.waitForSelector(".components");
        const historyText = await pageA.locator(".components").innerText();
        assert(historyText.includes(rule), "History says the same");
        // One rounding per unit: each component's "value of target" uses its explanation's number.
        await goto(pageA, "/today");
        await pageA.waitForSelector(".components li[data-key] .explanation");
        const rows = await pageA.locator(".components li[data-key]").evaluateAll((lis) =>
          lis.map((li) => ({ key: li.dataset.key, head: li.querySelector(".component-head .muted")?.textContent ?? "", text: li.querySelector(".explanation")?.textContent ?? "" })),
        );
        let compared = 0;
        for (const r of rows) {
          const m = /^(\d+(?:\.\d+)?) of /.exec(r.head);
          const numbers = r.text.match(/\d+(?:\.\d+)?/g) ?? [];
          if (!m || numbers.length === 0) continue;
          assert(numbers.includes(m[1]), `${r.key}: "${r.head}" beside "${r.text}"`);
          compared += 1;
        }
        assert(compared >= 5, `several components compared (${compared})`);
        // Trends: this week's bar is every workout's minutes of the last 7 days (30 + 20 is 50).
        await logWorkout(pageA, "yoga", "Yoga", 20);
        await waitChip(pageA, /^Synced/);
        const records = [...(await backend.records(session.token)).values()].filter((r) => r.entity === "workouts");
        const first = new Date(Date.parse(`${day}T12:00:00Z`) - 6 * 86_400_000).toISOString().slice(0, 10);
        const zone = await pageA.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone);
        const localDay = (iso) => new Intl.DateTimeFormat("en-CA", { timeZone: zone }).format(new Date(iso));
        const expected = records.filter((r) => { const d = localDay(r.fields.started_at); return d >= first && d <= day; }).reduce((s, r) => s + r.fields.minutes, 0);
        assert(records.length >= 2, "several workouts this week");
        await goto(pageA, "/trends");
        await pageA.waitForSelector(".bars li");
        const last = (await pageA.locator(".bars li").last().innerText()).replace(/\s+/g, " ");
        assert(last.endsWith(`${expected} min`), `this week's bar sums every workout (${expected} min): "${last}"`);
        // A day still to come: no score, said in words.
        const tomorrow = new Date(Date.parse(`${day}T12:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
        await goto(pageA, `/history/${tomorrow}`);
        await pageA.waitForSelector("[data-testid=future-day]");
        assert(!(await pageA.locator(".ring").count()), "no rings for a future day");
        await shot(pageA, "48-future-day");
        await goto(pageA, "/history");
        await pageA.waitForSelector(".calendar");
        const futureScores = await pageA.locator("[data-testid=cal-future] .cal-score").count();
        assert(futureScores === 0, "future days in the calendar carry no score");
        // Today: an outline and the word, no band's colour (its score is not final); days
        // before her first day say so, as Trends does, and a key explains the colours.
        const todayTile = pageA.locator("[data-testid=cal-today]");
        assert((await todayTile.innerText()).includes("Today"), "today's tile says Today");
        assert(!/band-(low|mid|high)/.test((await todayTile.getAttribute("class")) ?? ""), "today's tile has no band colour");
        // One story with Today: today's tile gives the score Today's ring shows (logged or not).
        const tileScore = (await todayTile.locator(".cal-score").innerText()).trim();
        await goto(pageA, "/today");
        const ring = await pageA.locator("[data-testid=ring-overall] svg").getAttribute("aria-label");
        assert(new RegExp(`score ${tileScore} out of 100`).test(ring ?? ""), `today's tile says ${tileScore}, Today's ring "${ring}"`);
        await goto(pageA, "/history");
        await pageA.waitForSelector(".calendar");
        for (const words of await pageA.locator("[data-testid=cal-before] .visually-hidden").allInnerTexts()) {
          assert(/before your records start$/.test(words), `a day before her first day says so (${words})`);
        }
        assert((await pageA.locator("[data-testid=cal-key]").innerText()).includes("before your records start") || !(await pageA.locator("[data-testid=cal-before]").count()), "the key explains the days before she joined");
        await goto(pageA, "/today");
      },
    ],
    [
      "plain words: no internal key, jargon or doubled parentheses on any screen's visible text",
      async () => {
        const screens = [
          "/today", "/log", "/log/meal", "/log/workout", "/log/symptom", "/log/dose", "/log/weight", "/log/lab",
          "/history", `/history/${session.today}`, "/trends", "/more", "/more/settings", "/more/settings/profile",
          "/more/settings/targets", "/more/settings/foods", "/more/settings/reminders", "/more/settings/report",
          "/more/regimen", "/learn", "/sync",
        ];
        for (const path of screens) {
          await goto(pageA, path);
          if (path === "/today") await pageA.waitForSelector(".components li[data-key]");
          if (path === "/trends") await pageA.waitForSelector(".chart-plot");
          await sleep(150);
          await plainWords(pageA, path);
        }
        // A portion whose label names its grams is not given them again.
        await goto(pageA, "/log/meal");
        await pageA.fill("#food-search", "yogurt");
        await pageA.locator("[data-testid=food-results] .pick").first().click();
        await pageA.waitForSelector("[data-testid=portion-picker]");
        await plainWords(pageA, "the portion picker");
        await shot(pageA, "49-portion-picker");
        // Exactly one portion chip is lit: the one tapped (even when another weighs the same),
        // the one an amount typed weighs, none for a custom amount.
        const chips = pageA.locator("[data-testid=portion-picker] .choice-row .pill");
        const lit = () => chips.evaluateAll((els) => els.flatMap((el, i) => (el.getAttribute("aria-pressed") === "true" ? [i] : [])));
        const count = await chips.count();
        assert(count >= 2, `yogurt has several portions (${count})`);
        assert(JSON.stringify(await lit()) === "[0]", `the first portion is lit at first (${await lit()})`);
        for (let i = count - 1; i >= 0; i--) {
          await chips.nth(i).click();
          assert(JSON.stringify(await lit()) === `[${i}]`, `after tapping chip ${i}, only it is lit (${await lit()})`);
        }
        await pageA.fill("#f-grams", "1");
        assert(JSON.stringify(await lit()) === "[]", `no chip for a custom 1 g (${await lit()})`);
        const grams = Number((await chips.nth(count - 1).innerText()).match(/(\d+) g/)?.[1]);
        await pageA.fill("#f-grams", String(grams));
        assert((await lit()).length === 1, `one chip for ${grams} g typed (${await lit()})`);
        // Explanations link to Learn, which opens the topic.
        await goto(pageA, "/today");
        await pageA.waitForSelector(".components li[data-key=calcium_total] a.learn-link");
        await pageA.locator(".components li[data-key=calcium_total] a.learn-link").click();
        await pageA.waitForURL(/\/learn#learn-calcium_mg$/);
        await pageA.waitForFunction(() => document.getElementById("learn-calcium_mg")?.open === true);
        // The opened topic's title is below the sticky header, not under it (newcomer walk).
        const [titleTop, headerBottom] = await pageA.evaluate(() => [document.querySelector("#learn-calcium_mg summary")?.getBoundingClientRect().top ?? -1, document.querySelector(".topbar")?.getBoundingClientRect().bottom ?? 1e9]);
        assert(titleTop >= headerBottom, `the topic's title (top ${titleTop}) shows below the header (bottom ${headerBottom})`);
        await shot(pageA, "50-learn-from-today");
        await goto(pageA, "/today");
      },
    ],
    [
      "Install Fortify after the first logged day: the browser's install prompt on tap; Add-to-Home-Screen steps on iPhone Safari",
      async () => {
        await goto(pageA, "/today");
        assert(!(await pageA.locator("[data-testid=install-card]").count()), "no card before the browser offers an install");
        await pageA.evaluate(() => {
          const e = new Event("beforeinstallprompt", { cancelable: true });
          e.prompt = async () => { window.__prompted = true; };
          e.userChoice = Promise.resolve({ outcome: "accepted" });
          dispatchEvent(e);
        });
        await pageA.waitForSelector("[data-testid=install-card]");
        await pageA.locator("[data-testid=install-card]").scrollIntoViewIfNeeded();
        await shot(pageA, "51-install-card");
        await axe(pageA, "install card");
        await axeDark(pageA, "install card");
        await pageA.getByRole("button", { name: "Install Fortify" }).click();
        await pageA.waitForFunction(() => window.__prompted === true);
        await pageA.waitForSelector("[data-testid=install-card]", { state: "detached" });
        // Safari on an iPhone: no install event, so the card says how.
        const iphone = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1";
        const { ctx, page } = await signedIn({ userAgent: iphone, isMobile: true });
        try {
          await page.waitForSelector("[data-testid=ring-overall]");
          await page.waitForSelector("[data-testid=ios-install-steps] >> text=Add to Home Screen");
          await page.locator("[data-testid=install-card]").scrollIntoViewIfNeeded();
          await shot(page, "52-install-ios");
          await axe(page, "iOS install steps");
          await page.getByRole("button", { name: "Not now" }).click();
          await page.waitForSelector("[data-testid=install-card]", { state: "detached" });
          await page.reload();
          await page.waitForSelector("[data-testid=ring-overall]");
          await sleep(300);
          assert(!(await page.locator("[data-testid=install-card]").count()), "Not now is remembered");
        } finally {
          await ctx.close();
        }
      },
    ],
    [
      "notifications that cannot be turned on (blocked, unsupported) say so in words and offer the calendar link",
      async () => {
        const cases = [
          ["blocked", () => { Object.defineProperty(Notification, "permission", { get: () => "denied" }); }, /blocked for Fortify/],
          ["unsupported", () => { delete window.PushManager; }, /can't show Fortify's notifications/],
        ];
        for (const [name, init, words] of cases) {
          const { ctx, page } = await signedIn({}, [init]);
          try {
            await goto(page, "/more/settings/reminders");
            await page.waitForSelector("[data-testid=push-state]");
            const text = await page.locator("[data-testid=push-state]").innerText();
            assert(words.test(text), `${name}: says so (${text})`);
            assert(!(await page.getByRole("button", { name: "Turn on notifications" }).count()), `${name}: no button that cannot work`);
            await page.getByRole("link", { name: "Use a calendar link instead" }).click();
            await page.waitForFunction(() => location.hash === "#calendar");
            await page.waitForSelector("#calendar >> text=Make a new calendar link");
            await shot(page, `53-notifications-${name}`);
            await axe(page, `notifications ${name}`);
          } finally {
            await ctx.close();
          }
        }
      },
    ],
    [
      "two phones change the same symptom: the phone whose change lost is told (Needs attention, a notice in her words) and can put its value back",
      async () => {
        const who = `e2e-conflict-${Date.now()}@fortify.example`;
        const token = await backend.createPerson(who, PASSWORD, "Cora");
        const a = await signedIn({}, [], who);
        const b = await signedIn({}, [], who);
        try {
          // Phone A logs pain 3; phone B pulls it.
          await goto(a.page, "/log/symptom");
          await a.page.getByRole("radio", { name: "3", exact: true }).click();
          await a.page.getByRole("button", { name: "Save", exact: true }).click();
          await a.page.waitForURL(/\/today$/);
          const id = await until("the symptom on the server", async () => [...(await backend.records(token)).values()].find((r) => r.entity === "symptoms")?.id);
          await goto(b.page, "/sync");
          await b.page.getByRole("button", { name: "Sync now" }).click();
          await waitChip(b.page, /^Synced/);
          // A, offline, changes it to 5 (on the version both had); B, online, to 7 and sends it first.
          await a.ctx.setOffline(true);
          await goto(a.page, `/log/symptom?id=${id}`);
          await a.page.getByRole("radio", { name: "5", exact: true }).click();
          await a.page.getByRole("button", { name: "Save", exact: true }).click();
          await a.page.waitForURL(/\/today$/);
          await goto(b.page, `/log/symptom?id=${id}`);
          await b.page.getByRole("radio", { name: "7", exact: true }).click();
          await b.page.getByRole("button", { name: "Save", exact: true }).click();
          await b.page.waitForURL(/\/today$/);
          await until("B's 7 on the server", async () => (await backend.records(token)).get(`symptoms:${id}`)?.fields.worst_pain_0_10 === 7);
          // A comes back: its later write wins, and A hears of the conflict in its push answer.
          await a.ctx.setOffline(false);
          await waitChip(a.page, /^Needs attention \(1\)/);
          await until("A's 5 on the server", async () => (await backend.records(token)).get(`symptoms:${id}`)?.fields.worst_pain_0_10 === 5);
          // B, whose 7 was replaced, learns it from its next pull: the chip and a notice say so.
          await goto(b.page, "/today");
          await b.page.evaluate(() => dispatchEvent(new Event("online")));
          await waitChip(b.page, /^Needs attention \(1\)/);
          const notice = (await b.page.locator("[data-testid=toast]").innerText({ timeout: 5000 })).replace(/\s+/g, " ");
          assert(/Joint symptoms entry: changed on another device after this phone\. Worst pain: kept 5 \(from another device\); the other change, 7 \(from this phone\), was set aside/.test(notice), `B is told, in words (${notice})`);
          await shot(b.page, "59-conflict-lost-notice");
          await goto(b.page, "/sync");
          const card = (await b.page.locator("[data-testid=conflict-text]").innerText()).trim();
          assert(card.includes("kept 5 (from another device)") && card.includes("7 (from this phone)"), `B's Sync screen lists it (${card})`);
          await shot(b.page, "60-conflict-lost-sync");
          await b.page.getByRole("button", { name: "Put back my change" }).click();
          await until("B's 7 back on the server", async () => (await backend.records(token)).get(`symptoms:${id}`)?.fields.worst_pain_0_10 === 7);
          await b.page.waitForSelector("text=Nothing needs your attention.");
        } finally {
          await a.ctx.close();
          await b.ctx.close();
        }
      },
    ],
    [
      "Settings names each signed-in device by browser and system (Chrome on Android), this one as This phone, and when the others were last used, in her zone",
      async () => {
        const android = "Mozilla/5.0 (Linux; Android 14; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36";
        const { ctx, page } = await signedIn({ userAgent: android });
        try {
          await goto(page, "/more/settings");
          await page.waitForSelector("[data-testid=device]");
          const rows = (await page.locator("[data-testid=device]").allInnerTexts()).map((t) => t.trim());
          assert(rows[0] === "This phone\nChrome on Android", `this phone first, by its browser and system (${JSON.stringify(rows[0])})`);
          const others = rows.slice(1);
          assert(others.length > 0 && others.every((r) => /^\S.*\nLast used \d{1,2} [A-Z][a-z]{2}, \d\d:\d\d$/.test(r)), `the others by name, last used on a day and time (${JSON.stringify(others.slice(0, 3))})`);
          assert(others.some((r) => r.startsWith("Chrome on Linux\n")), "the first phone (this suite's Chromium) is Chrome on Linux");
          await page.locator("#dev-h").scrollIntoViewIfNeeded();
          await shot(page, "58-signed-in-devices");
        } finally {
          await ctx.close();
        }
      },
    ],
    [
      "offline, moving between screens logs no console error (the reminders poll used to fail every second), and back online it asks again at once",
      async () => {
        // Her own person: the symptom saved offline here must not reach the main person's days.
        const who = `e2e-offline-${Date.now()}@fortify.example`;
        await backend.createPerson(who, PASSWORD, "Olive");
        const { ctx, page } = await signedIn({}, [], who);
        try {
          const errors = [];
          const asked = [];
          page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
          // What the page tried while offline: the sync engine waits for the `online` event or
          // its backoff, so moving between screens sends nothing of its own.
          const tried = [];
          let offline = false;
          page.on("request", (r) => {
            if (r.url().includes("/api/v1/reminders/due")) asked.push(Date.now());
            if (offline && r.url().includes("/api/v1/sync/")) tried.push(new URL(r.url()).pathname);
          });
          await sleep(500);
          await ctx.setOffline(true);
          offline = true;
          for (let round = 0; round < 3; round++) {
            for (const path of ["/today", "/log", "/log/symptom", "/history", "/trends", "/more", "/more/settings", "/sync"]) {
              await goto(page, path);
              if (round === 0 && path === "/log/symptom") {
                // A write offline: its sync waits for the network, not for the next screen.
                await page.getByRole("radio", { name: "3", exact: true }).click();
                await page.getByRole("button", { name: "Save", exact: true }).click();
                await page.waitForURL(/\/today$/);
              }
              await sleep(300);
            }
          }
          await goto(page, "/today");
          await sleep(1500);
          assert(errors.length === 0, `no console error offline (${errors.length}): ${errors.slice(0, 3).join(" | ")}`);
          assert(tried.length === 0, `offline, no sync request on moving between screens (${tried.length}: ${tried.slice(0, 4).join(", ")})`);
          offline = false;
          const before = asked.length;
          await ctx.setOffline(false);
          for (let i = 0; i < 30 && asked.length === before; i++) await sleep(100);
          assert(asked.length > before, "back online, what is due is asked at once");
          // Back online, the symptom kept offline is sent without a screen change.
          await waitChip(page, /^Synced/);
        } finally {
          await ctx.close();
        }
      },
    ],
    [
      "offline: the pages left out of the precache (they need the server) say so before their first use, and open offline once opened online",
      async () => {
        const who = `e2e-online-pages-${Date.now()}@fortify.example`;
        await backend.createPerson(who, PASSWORD, "Nora");
        const { ctx, page } = await signedIn({}, [], who);
        try {
          await until("the service worker controls the page", () => page.evaluate(() => navigator.serviceWorker.controller !== null));
          const precached = await page.evaluate(async () => (await Promise.all((await caches.keys()).map(async (k) => (await (await caches.open(k)).keys()).map((r) => new URL(r.url).pathname)))).flat());
          assert(precached.some((u) => /\/assets\/Settings-/.test(u)), `Settings is precached (${precached.length} files)`);
          assert(!precached.some((u) => u.includes("/assets/online/") && !u.includes("/Auth-")), `the online Settings pages are not precached yet (${precached.filter((u) => u.includes("/online/"))})`);
          // Offline (Playwright's offline covers the page, not the worker: the server stops too).
          await ctx.setOffline(true);
          await backend.stop();
          try {
            await goto(page, "/more/settings");
            await page.waitForSelector("text=/signed-in devices and the download of your data need a connection/");
            await goto(page, "/more/settings/password");
            await page.waitForSelector("text=Change password needs a connection the first time it opens on this phone. Connect to the internet, then try again.");
            await shot(page, "64-online-page-offline-first-time");
          } finally {
            await backend.start();
          }
          // Opened once online, the page's chunk is kept: offline later it opens, and says itself
          // what it cannot do without the server.
          // Back online, the page comes by itself (app/lazy.tsx tries again on "online").
          await ctx.setOffline(false);
          await page.waitForSelector("#f-current_password");
          await ctx.setOffline(true);
          await backend.stop();
          try {
            await page.reload();
            await page.waitForSelector("#f-current_password");
            await page.waitForSelector("text=/Changing your password needs a connection/");
            await goto(page, "/more/settings/reminders");
            await page.waitForSelector("text=You are offline. Connect to the internet to change reminders.");
            await goto(page, "/log/symptom");
            await page.waitForSelector("text=Save");
          } finally {
            await backend.start();
            await ctx.setOffline(false);
          }
        } finally {
          await ctx.close();
        }
      },
    ],
    [
      "every control on every main screen is at least 44 px, every screen fits 320 px at 200 % text, and there the header stays compact",
      async () => {
        const small = [];
        const narrow = [];
        const paths = [
          "/today", "/log", "/log/meal", "/log/workout", "/log/symptom", "/log/dose", "/log/weight", "/log/lab",
          "/history", `/history/${session.today}`, "/trends", "/more", "/more/settings", "/more/settings/profile",
          "/more/settings/targets", "/more/settings/foods", "/more/settings/reminders", "/more/settings/report",
          "/more/regimen", "/learn", "/sync",
        ];
        for (const path of paths) {
          await goto(pageA, path);
          if (path === "/trends") await pageA.waitForSelector(".chart-plot");
          await sleep(200);
          const found = await pageA.evaluate(() => {
            const out = [];
            // Every link on the screen too (on Reminders a 43 px link in a sentence was missed,
            // on Trends "Add one" was 74×21): a link a thumb must hit is a control like any
            // other. No exemption is taken for links in running prose (WCAG 2.5.8's inline
            // exception): where a link is the way to an action, it is a button-sized link.
            for (const el of document.querySelectorAll("button, select, input:not([type=hidden]), textarea, summary, [role=radio], [role=checkbox], [role=button], a[href]")) {
              const r = el.getBoundingClientRect();
              if (r.width === 0 && r.height === 0) continue; // not shown
              if (el.closest(".visually-hidden")) continue;
              if (r.width < 43.5 || r.height < 43.5) out.push(`${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""}${el.className ? "." + String(el.className).split(" ")[0] : ""} "${(el.textContent || el.getAttribute("aria-label") || "").trim().slice(0, 30)}" ${Math.round(r.width)}×${Math.round(r.height)}`);
            }
            return out;
          });
          for (const f of found) small.push(`${path}: ${f}`);
          // Every log form's date-time box is among what must fit (fitsNarrow reads inside it).
          // (A lab result asks for the date of the test alone: a date box.)
          if (path.startsWith("/log/") && (await pageA.locator("input[type=datetime-local], input[type=date]").count()) === 0) narrow.push(`${path} has no date or date-time box to check`);
          await fitsNarrow(pageA, path).catch((e) => narrow.push(String(e.message)));
          if (path === "/trends") {
            // Trends at 320 px and 200 % text, to look at (the newcomer walk found it cramped).
            await pageA.setViewportSize({ width: 320, height: 700 });
            await pageA.evaluate(() => (document.documentElement.style.fontSize = "225%"));
            await sleep(200);
            await pageA.screenshot({ path: join(SCREENSHOTS, "63-trends-320px-200pct.png"), fullPage: true });
            // There the plot takes the card's width (the key names the unit, so no turned unit
            // beside the values), and a week's date stays on one line.
            const cramped = await pageA.evaluate(() => {
              const out = [];
              for (const svg of document.querySelectorAll("svg.chart-plot")) {
                const card = svg.closest("figure")?.getBoundingClientRect().width ?? 0;
                if (svg.querySelector(".chart-unit")) out.push("a turned unit label beside a narrow chart");
                if (svg.getBoundingClientRect().width < card * 0.8) out.push(`a plot ${Math.round(svg.getBoundingClientRect().width)} px wide in a ${Math.round(card)} px card`);
              }
              for (const label of document.querySelectorAll(".bars li > span:first-child")) {
                if (!/\d\u00a0[A-Z]/.test(label.textContent ?? "")) out.push(`a week's date may break: ${label.textContent}`);
              }
              return out;
            });
            assert(cramped.length === 0, `Trends at 320 px, 200 % text: ${cramped.join("; ")}`);
            await pageA.evaluate(() => (document.documentElement.style.fontSize = ""));
            await pageA.setViewportSize(VIEWPORT);
          }
          if (path === "/log/symptom") {
            // What the check above reads, to look at: the date and time wrap inside their box.
            await pageA.setViewportSize({ width: 320, height: 700 });
            await pageA.evaluate(() => (document.documentElement.style.fontSize = "225%"));
            await pageA.locator("input[type=datetime-local]").scrollIntoViewIfNeeded();
            await shot(pageA, "61-symptom-when-320px-200pct");
            await pageA.evaluate(() => (document.documentElement.style.fontSize = ""));
            await pageA.setViewportSize(VIEWPORT);
            await pageA.locator("input[type=datetime-local]").scrollIntoViewIfNeeded();
            await shot(pageA, "62-symptom-when-390px");
            await pageA.evaluate(() => (document.documentElement.style.fontSize = ""));
            await pageA.setViewportSize(VIEWPORT);
          }
        }
        assert(narrow.length === 0, `screens that do not fit 320 px at 200 % text:\n      ${narrow.join("\n      ")}`);
        assert(small.length === 0, `controls under 44 px:\n      ${small.join("\n      ")}`);
        await pageA.setViewportSize({ width: 320, height: 700 });
        await pageA.evaluate(() => (document.documentElement.style.fontSize = "225%"));
        try {
          for (const path of ["/today", "/more/settings/report", "/log/meal"]) {
            await goto(pageA, path);
            await sleep(200);
            const share = await pageA.evaluate(() => document.querySelector(".topbar").getBoundingClientRect().height / innerHeight);
            // The back arrow beside the sync chip's short words, then the title, which wraps
            // ("Report for my care team" to two lines at 225 %): issue 14 found a sticky 28 % too
            // much. At most a quarter here, and it scrolls away with the page (below).
            assert(share <= 0.25, `${path}: the header takes ${(share * 100).toFixed(1)} % of the screen (at most 25 %)`);
            await pageA.evaluate(() => scrollTo(0, 400));
            const covering = await pageA.evaluate(() => document.querySelector(".topbar").getBoundingClientRect().bottom > 0);
            assert(!covering || (await pageA.evaluate(() => scrollY)) === 0, `${path}: the header scrolls away on a small screen`);
            await pageA.evaluate(() => scrollTo(0, 0));
          }
          await goto(pageA, "/today");
          await shot(pageA, "54-header-320px-200pct");
          // The tab bar at 320 px, at her text size and at 200 %: each tab's word on one line
          // (issue 14: a label wrapping to two lines made the bar tall and the word hard to read),
          // counted as the distinct lines its text is laid out on, and the bar compact.
          for (const size of ["", "225%"]) {
            await pageA.evaluate((s) => (document.documentElement.style.fontSize = s), size);
            await sleep(200);
            const lines = await pageA.evaluate(() =>
              [...document.querySelectorAll("nav.tabbar a > span:not(.tab-icon)")].map((el) => {
                const range = document.createRange();
                range.selectNodeContents(el);
                return [el.textContent, new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size];
              }),
            );
            assert(lines.length === 5, `five tab words (${lines.length})`);
            const wrapped = lines.filter(([, n]) => n !== 1);
            assert(wrapped.length === 0, `at 320 px and ${size || "her"} text size, each tab word is one line (${wrapped.map(([w, n]) => `${w}: ${n} lines`).join(", ")})`);
            const bar = await pageA.evaluate(() => document.querySelector("nav.tabbar").getBoundingClientRect().height / innerHeight);
            assert(bar <= 0.15, `at 320 px and ${size || "her"} text size the tab bar takes ${(bar * 100).toFixed(1)} % of the screen (at most 15 %)`);
          }
          await shot(pageA, "66-tabbar-320px-200pct");
        } finally {
          await pageA.evaluate(() => (document.documentElement.style.fontSize = ""));
          await pageA.setViewportSize(VIEWPORT);
          await goto(pageA, "/today");
        }
      },
    ],
    [
      "a 24-hour yoga workout is asked about and saved only after 'Yes, save it' (issue 14: inputs that cannot fail silently)",
      async () => {
        const who = `e2e-yoga-${Date.now()}@fortify.example`;
        const token = await backend.createPerson(who, PASSWORD, "Yan");
        const { ctx, page } = await signedIn({}, [], who);
        const saved = async () => (await backend.api("GET", "/api/v1/workouts", token)).body.items ?? [];
        try {
          await goto(page, "/log/workout");
          await page.fill("#activity-filter", "yoga");
          await page.locator(".pick", { hasText: "Yoga" }).first().click();
          await page.fill("#f-minutes", "1440");
          await page.getByRole("button", { name: "Save", exact: true }).click();
          const ask = page.locator("[data-testid=amount-ask]");
          await ask.waitFor();
          const words = (await ask.innerText()).replace(/\s+/g, " ");
          assert(/Are you sure\? 24 hours of yoga is far more than usual\./.test(words), `the question says what she typed (${words})`);
          await shot(page, "31-ask-24h-yoga");
          // "Change it": nothing saved, the form keeps what she typed.
          await page.getByRole("button", { name: "Change it" }).click();
          assert(!(await ask.count()), "the question is gone after 'Change it'");
          assert((await page.inputValue("#f-minutes")) === "1440", "the minutes are kept as typed");
          assert(/\/log\/workout$/.test(page.url()), `still on the form (${page.url()})`);
          await sleep(500);
          assert((await saved()).length === 0, "nothing saved before she said yes");
          // More than a day cannot be true: refused in words, never asked.
          await page.fill("#f-minutes", "1500");
          await page.getByRole("button", { name: "Save", exact: true }).click();
          await page.locator("[data-testid=amount-refused]").waitFor();
          // Back to 24 hours, and yes.
          await page.fill("#f-minutes", "1440");
          await page.getByRole("button", { name: "Save", exact: true }).click();
          await page.getByRole("button", { name: "Yes, save it" }).click();
          await page.waitForURL(/\/today$/);
          await waitChip(page, /^Synced/);
          const items = await saved();
          assert(items.length === 1 && items[0].minutes === 1440 && items[0].activity === "yoga", `one 1440-minute yoga workout on the server (${JSON.stringify(items)})`);
        } finally {
          await ctx.close();
        }
      },
    ],
    [
      "her first week: Trends' vitamin D 7-day average and History's day say her own days' average under it, in Today's words (issue 14)",
      async () => {
        const who = `e2e-own-days-${Date.now()}@fortify.example`;
        const token = await backend.createPerson(who, PASSWORD, "Olive");
        const zone = "Europe/London";
        assert((await backend.api("PATCH", "/api/v1/profile", token, { time_zone: zone })).status === 200, "her zone is London");
        const taken = await backend.api("POST", "/api/v1/doses", token, {
          taken_at: new Date(Date.now() - 60_000).toISOString(), units: 1, kind: "supplement", nutrients: { vitamin_d_iu: 1000 },
        });
        assert(taken.status === 201, `a 1000 IU vitamin D dose (${taken.status})`);
        const day = new Intl.DateTimeFormat("en-CA", { timeZone: zone }).format(new Date());
        const said = "Your records start today: 1000 IU a day over your 1 day so far. The 7-day average fills in over your first week.";
        const { ctx, page } = await signedIn({ timezoneId: zone }, [], who);
        try {
          await goto(page, "/trends");
          const chart = page.locator("figure.chart", { hasText: "Vitamin D, 7-day average" });
          await chart.locator("[data-testid=own-days-note]").waitFor();
          const onTrends = (await chart.locator("[data-testid=own-days-note]").innerText()).trim();
          assert(onTrends === said, `Trends under the vitamin D chart (${onTrends})`);
          // The other charts are not averages over days before she joined: no sentence there.
          assert((await page.locator("[data-testid=own-days-note]").count()) === 1, "one note on Trends, under vitamin D");
          // Every daily chart starts near her first day (today), not 30 days back with her one day
          // squashed against the right edge: at most the minimum span (7 days) before it, with
          // its dates' words side by side, none over another (issue 14).
          const months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
          const labelDay = (words) => {
            const [dd, mon] = words.trim().split(/\s+/);
            const y = Number(day.slice(0, 4));
            // The label's year: this one, or last year's when that date is still to come.
            const iso = (year) => new Date(Date.UTC(year, months.indexOf(mon), Number(dd))).toISOString().slice(0, 10);
            return iso(y) <= day ? iso(y) : iso(y - 1);
          };
          const earliest = new Date(Date.parse(`${day}T12:00:00Z`) - 7 * 86_400_000).toISOString().slice(0, 10);
          await page.waitForSelector("figure.chart svg.chart-plot");
          const axes = await page.locator("figure.chart:has(svg.chart-plot)").evaluateAll((figs) =>
            figs.map((f) => ({
              title: f.querySelector("figcaption")?.textContent ?? "",
              labels: [...f.querySelectorAll(".chart-axis text[text-anchor=middle]:not(.chart-unit)")].map((t) => {
                const r = t.getBoundingClientRect();
                return { words: t.textContent ?? "", left: r.left, right: r.right };
              }),
            })),
          );
          assert(axes.length >= 4, `Trends' daily charts drawn (${axes.map((a) => a.title).join(", ")})`);
          for (const a of axes) {
            assert(a.labels.length >= 2, `${a.title}: dates on its axis (${a.labels.map((l) => l.words).join(", ")})`);
            const firstLabel = labelDay(a.labels[0].words);
            assert(firstLabel >= earliest && firstLabel <= day, `${a.title}: its axis starts on ${a.labels[0].words}, which must be within 7 days before her first day ${day} (from ${earliest})`);
            for (let k = 1; k < a.labels.length; k++) {
              assert(a.labels[k].left >= a.labels[k - 1].right, `${a.title}: "${a.labels[k - 1].words}" and "${a.labels[k].words}" do not overlap`);
            }
          }
          await shot(page, "63-trends-newcomer-axis");
          await chart.scrollIntoViewIfNeeded();
          await shot(page, "64-trends-own-days-note");
          await goto(page, `/history/${day}`);
          const line = page.locator(".components li", { hasText: "Vitamin D" });
          await line.locator("[data-testid=own-days-note]").waitFor();
          const onHistory = (await line.locator("[data-testid=own-days-note]").innerText()).trim();
          assert(onHistory === said, `History's day under vitamin D (${onHistory})`);
          await line.scrollIntoViewIfNeeded();
          await shot(page, "65-history-own-days-note");
        } finally {
          await ctx.close();
        }
      },
    ],
    [
      "a newcomer: no score for the day before she signed up (History says why, the server agrees), and the profile's time-zone offer switches with one tap",
      async () => {
        const who = `e2e-first-${Date.now()}@fortify.example`;
        const token = await backend.createPerson(who, PASSWORD, "Fay");
        // Onboarding saves her profile (so the phone pulls it, with its created_at); its zone
        // stays the default UTC, and the phone is in Tokyo.
        const onboarded = await backend.api("PATCH", "/api/v1/profile", token, { sex: "female" });
        assert(onboarded.status === 200, `profile saved (${onboarded.status})`);
        const { ctx, page } = await signedIn({ timezoneId: "Asia/Tokyo" }, [], who);
        const day = (offset) => new Date(Date.now() + offset * 86_400_000).toLocaleDateString("en-CA", { timeZone: "UTC" });
        const [yesterday, today] = [day(-1), day(0)];
        try {
          const server = (await backend.api("GET", `/api/v1/days/${yesterday}`, token)).body;
          assert(server.scored === false && server.overall === null && server.first_day === today, `the server: no score the day before (${JSON.stringify({ scored: server.scored, overall: server.overall, first_day: server.first_day })})`);
          await goto(page, `/history/${yesterday}`);
          const why = page.locator("[data-testid=before-first-day]");
          await why.waitFor();
          assert(/had not started using Fortify yet on this day/.test(await why.innerText()), "History says why there is no score");
          const rings = page.locator('main svg[aria-label*="out of 100"]');
          assert((await rings.count()) === 0, "no score ring for the day before");
          await goto(page, `/history/${today}`);
          await rings.first().waitFor();
          assert(!(await page.locator("[data-testid=before-first-day]").count()), "her first day is scored");
          // Profile: "Your phone is in Tokyo; your profile says UTC", one tap switches and saves.
          await goto(page, "/more/settings/profile");
          const offer = page.locator("[data-testid=zone-mismatch]");
          await offer.waitFor();
          const offerWords = await offer.innerText();
          assert(/Tokyo/.test(offerWords) && /UTC/.test(offerWords), `the offer names both zones (${offerWords})`);
          await offer.getByRole("button", { name: /^Switch to/ }).click();
          await offer.waitFor({ state: "detached" });
          // The chip may still say "Synced" from before the tap: wait for the server to have it.
          await until("one tap saved the phone's zone", async () => (await backend.api("GET", "/api/v1/profile", token)).body.time_zone === "Asia/Tokyo");
          await waitChip(page, /^Synced/);
        } finally {
          await ctx.close();
        }
      },
    ],
  ];
}
