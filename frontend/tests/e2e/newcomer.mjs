// A newcomer's phone walk (issue 14, findings F19, F24, F26, F27): the next best step's one-tap
// action, vitamin D in mcg or IU on her own food, the fish-oil amount's hint, and the tab bar at
// 200 % text. Imported by run.mjs.
import { assert, PASSWORD, until, VIEWPORT } from "./harness.mjs";

export function newcomerTests({ backend, browser, pageErrors, axe, axeDark, shot }) {
  /** A woman in London with `items` in her regimen, signed in on a phone; her token too. */
  async function person(label, items = []) {
    const email = `e2e-${label}-${Date.now()}@fortify.example`;
    const token = await backend.createPerson(email, PASSWORD, "Nell");
    const prof = await backend.api("PATCH", "/api/v1/profile", token, { sex: "female", time_zone: "Europe/London", unit_system: "us" });
    assert(prof.status === 200, `profile (${prof.status})`);
    const made = [];
    for (const item of items) {
      const r = await backend.api("POST", "/api/v1/regimen", token, item);
      assert(r.status === 201, `regimen item ${item.name} (${r.status} ${JSON.stringify(r.body).slice(0, 200)})`);
      made.push(r.body);
    }
    const context = await browser.newContext({ viewport: VIEWPORT, hasTouch: true });
    const page = await context.newPage();
    page.on("pageerror", (e) => pageErrors.push(String(e)));
    page.setDefaultTimeout(15_000);
    await page.goto(backend.base + "/signin");
    await page.fill("#f-email", email);
    await page.fill("#f-password", PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(/\/today$/);
    return { context, page, token, items: made };
  }

  /** The next best step on Today once her regimen is on the phone: its key and its sentence. */
  async function nextStep(page, key) {
    const card = page.locator(`[data-testid=next-action][data-key=${key}]`);
    await card.waitFor({ timeout: 20_000 });
    return card;
  }

  /** The box of every element `selector` matches. */
  const boxes = (page, selector) =>
    page.evaluate((sel) => [...document.querySelectorAll(sel)].map((el) => {
      const r = el.getBoundingClientRect();
      return { left: r.left, right: r.right, top: r.top, bottom: r.bottom, width: r.width, height: r.height };
    }), selector);

  return [
    [
      "next step (F27): the calcium dose step opens the dose form for that supplement, and saving it moves Today on",
      async () => {
        const { context, page, token, items } = await person("step-dose", [
          { name: "Calcium citrate 500", kind: "supplement", form: "calcium_citrate", nutrients_per_unit: { calcium_mg: 500 }, default_units: 1, schedule_times: ["08:00", "20:00"], prescribed_daily: true },
        ]);
        try {
          // Until her regimen has arrived from the server, the step suggests milk.
          const card = await nextStep(page, "calcium_total");
          let text = "";
          await until("the step names her supplement", async () => (text = await card.locator("p").innerText()).includes("(Calcium citrate 500)"), 20_000).catch(() => {
            throw new Error(`the step names her supplement (${text})`);
          });
          const go = card.getByRole("link", { name: "Log this dose" });
          const box = await go.boundingBox();
          assert(box && box.height >= 44, `the step's button is at least 44 px tall (${JSON.stringify(box)})`);
          await axe(page, "Today with the step's button");
          await axeDark(page, "Today with the step's button");
          await shot(page, "newcomer-01-next-step-dose");
          await go.click();
          await page.waitForURL(new RegExp(`/log/dose\\?item=${items[0].id}$`));
          await page.waitForSelector("select[name=item]");
          assert((await page.locator("select[name=item]").inputValue()) === items[0].id, "the form has her calcium chosen");
          assert((await page.locator("#f-units").inputValue()) === "1", "one tablet, her usual");
          await shot(page, "newcomer-02-dose-form-from-step");
          await page.getByRole("button", { name: "Save", exact: true }).click();
          // More than an hour after 08:00 the form asks when she took it (F9): at 08:00.
          const asked = await Promise.race([
            page.waitForURL(/\/today$/).then(() => false),
            page.waitForSelector("[data-testid=taken-when]").then(() => true),
          ]);
          if (asked) await page.getByRole("button", { name: "At 08:00" }).click();
          await page.waitForURL(/\/today$/);
          await page.waitForSelector("[data-testid=today-entries] >> text=/Calcium citrate 500/");
          await until("the dose reached the server", async () => {
            const body = (await backend.api("GET", "/api/v1/doses", token)).body;
            const list = (Array.isArray(body) ? body : body?.items) ?? [];
            return list.some((d) => d.regimen_item_id === items[0].id);
          }, 20_000);
        } finally {
          await context.close();
        }
      },
    ],
    [
      "next step (F27): with no calcium supplement the milk step opens the meal form searching for milk; a walk step's form has the walk chosen",
      async () => {
        const { context, page } = await person("step-food");
        try {
          const card = await nextStep(page, "calcium_total");
          assert(/glass of milk/.test(await card.innerText()), "the step suggests milk");
          await card.getByRole("link", { name: "Log food" }).click();
          await page.waitForURL(/\/log\/meal\?search=milk$/);
          assert((await page.locator("#food-search").inputValue()) === "milk", "the search box holds milk");
          await page.locator("[data-testid=food-results] .pick", { hasText: /milk/i }).first().waitFor();
          await shot(page, "newcomer-03-meal-form-from-step");
          // The link a walk step gives (app/nextStep.ts): the walk chosen, its minutes filled in.
          await page.goto(backend.base + "/log/workout?activity=brisk_walking&minutes=20");
          await page.waitForSelector(".card.chosen >> text=Brisk walking");
          assert((await page.locator("#f-minutes").inputValue()) === "20", "the step's 20 minutes");
          await shot(page, "newcomer-04-workout-form-from-step");
          // A strength step chooses an exercise with its muscle groups ticked.
          await page.goto(backend.base + "/log/workout?activity=bodyweight_exercises&minutes=20");
          await page.waitForSelector(".card.chosen >> text=Bodyweight exercises");
          const pressed = await page.locator("[aria-pressed=true], [aria-checked=true]").count();
          assert(pressed >= 7, `its muscle groups are ticked (${pressed})`);
        } finally {
          await context.close();
        }
      },
    ],
    [
      "custom food (F24): vitamin D typed in mcg as the label prints it is saved as IU (10 mcg = 400 IU), and shown in mcg again",
      async () => {
        const { context, page, token } = await person("food-d");
        try {
          await page.goto(backend.base + "/log/meal");
          await page.waitForSelector("#food-search");
          await page.getByRole("button", { name: "Add a food that is not listed" }).click();
          await page.waitForSelector("[data-testid=custom-food]");
          await page.fill("#f-custom_name", "Fortified oat drink");
          await page.getByRole("radio", { name: "Per 100 g" }).click();
          assert((await page.getByRole("radio", { name: "mcg (µg)" }).getAttribute("aria-checked")) === "true", "mcg is the first choice, as labels print it");
          await page.fill("#f-custom_vitamin_d_iu", "10");
          const hint = page.locator("#f-custom_vitamin_d_iu-hint");
          assert((await hint.innerText()).startsWith("= 400 IU"), `what it converts to (${await hint.innerText()})`);
          assert((await page.locator("#f-custom_vitamin_d_iu").getAttribute("aria-describedby")) === "f-custom_vitamin_d_iu-hint", "the conversion is read with the box");
          await page.locator("#f-custom_vitamin_d_iu").evaluate((el) => el.scrollIntoView({ block: "center" }));
          await shot(page, "newcomer-05-custom-food-vitamin-d-mcg");
          await axe(page, "custom food, vitamin D in mcg");
          await axeDark(page, "custom food, vitamin D in mcg");
          // The same box in IU: the number stays as typed, the unit and the conversion follow.
          await page.getByRole("radio", { name: "IU", exact: true }).click();
          assert((await hint.innerText()).startsWith("= 0.25 mcg"), `10 IU is 0.25 mcg (${await hint.innerText()})`);
          await page.getByRole("radio", { name: "mcg (µg)" }).click();
          await page.getByRole("button", { name: "Save food and add to meal" }).click();
          await page.waitForSelector("[data-testid=meal-items] >> text=Fortified oat drink");
          await page.getByRole("button", { name: "Save meal" }).click();
          await page.waitForURL(/\/today$/);
          let food = null;
          await until("the food reached the server", async () => {
            const mine = await backend.api("GET", "/api/v1/foods/custom", token);
            food = mine.body.items.find((f) => f.name === "Fortified oat drink") ?? null;
            return food;
          }, 20_000);
          assert(food.nutrients_per_100g.vitamin_d_iu === 400, `stored as 400 IU per 100 g (${JSON.stringify(food.nutrients_per_100g)})`);
          // Edited in My foods, the amount shows in mcg again: 10.
          await page.goto(backend.base + "/more/settings/foods");
          await page.getByRole("link", { name: /Fortified oat drink/ }).first().click();
          await page.waitForSelector("#f-custom_vitamin_d_iu");
          assert((await page.locator("#f-custom_vitamin_d_iu").inputValue()) === "10", `My foods shows 10 mcg (${await page.locator("#f-custom_vitamin_d_iu").inputValue()})`);
        } finally {
          await context.close();
        }
      },
    ],
    [
      "fish oil (F26): the amount asks for EPA + DHA from the back of the label, not the 1000 mg on the front",
      async () => {
        const { context, page } = await person("fish-oil");
        try {
          await page.goto(backend.base + "/more/regimen");
          await page.getByRole("button", { name: "Add a medicine or supplement" }).click();
          await page.selectOption("select[name=form]", "fish_oil");
          const hint = page.locator("#f-amount-hint");
          await hint.waitFor();
          const words = await hint.innerText();
          assert(/EPA and DHA/.test(words) && /back of the label/.test(words) && /1000 mg/.test(words), `the hint says where to look (${words})`);
          assert((await page.locator("#f-amount").getAttribute("aria-describedby")) === "f-amount-hint", "the hint is read with the box");
          // Its unit in brackets, once ("(mg omega-3 from fish (EPA and DHA))" doubled them).
          const label = await page.locator("label[for=f-amount]").innerText();
          assert(label === "Amount in one tablet or dose (mg of EPA + DHA)", `the amount's label (${label})`);
          await page.locator("#f-amount").evaluate((el) => el.scrollIntoView({ block: "center" }));
          await shot(page, "newcomer-06-fish-oil-hint");
          await axe(page, "regimen form, fish oil");
        } finally {
          await context.close();
        }
      },
    ],
    [
      "tab bar (F19): its words grow with the text size, and at 320 px with 200 % text no tab overlaps another and each is at least 44 px",
      async () => {
        const { context, page } = await person("tabbar");
        try {
          const label = "nav.tabbar a > span:not(.tab-icon)";
          const size = async () => page.evaluate((sel) => parseFloat(getComputedStyle(document.querySelector(sel)).fontSize), label);
          await page.waitForSelector(label);
          const normal = await size();
          await page.evaluate(() => (document.documentElement.style.fontSize = "225%"));
          const large = await size();
          assert(large >= normal * 1.5, `the tab words grow with the text (${normal} px to ${large} px at 200 %)`);
          await shot(page, "newcomer-07-tabbar-390px-200pct");
          for (const width of [390, 320]) {
            await page.setViewportSize({ width, height: 700 });
            await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
            const tabs = await boxes(page, "nav.tabbar a");
            const words = await boxes(page, label);
            assert(tabs.length === 5, "five tabs");
            for (const [i, t] of tabs.entries()) {
              assert(t.width >= 44 && t.height >= 44, `tab ${i + 1} is at least 44 px at ${width} px (${Math.round(t.width)}×${Math.round(t.height)})`);
              const w = words[i];
              assert(w.left >= t.left - 0.5 && w.right <= t.right + 0.5, `tab ${i + 1}'s word fits its tab at ${width} px (${Math.round(w.left)}–${Math.round(w.right)} in ${Math.round(t.left)}–${Math.round(t.right)})`);
              const next = tabs[i + 1];
              if (next) assert(t.right <= next.left + 0.5 || t.bottom <= next.top + 0.5, `tabs ${i + 1} and ${i + 2} do not overlap at ${width} px`);
            }
            const cut = await page.evaluate((sel) => [...document.querySelectorAll(sel)].filter((el) => el.scrollWidth > el.clientWidth + 1).map((el) => el.textContent), label);
            assert(cut.length === 0, `no tab word is cut at ${width} px (${cut.join(", ")})`);
            const bar = (await boxes(page, "nav.tabbar"))[0];
            assert(bar.height <= 0.2 * 700, `the bar leaves the screen to the page at ${width} px (${Math.round(bar.height)} px of 700)`);
          }
          await shot(page, "newcomer-08-tabbar-320px-200pct");
          await page.emulateMedia({ colorScheme: "dark" });
          await shot(page, "newcomer-09-tabbar-320px-200pct-dark");
          await page.emulateMedia({ colorScheme: "light" });
        } finally {
          await context.close();
        }
      },
    ],
    [
      "newcomer walk 2: 'Mark taken' at 20:50 for the 08:00 dose asks when (At 08:00 saved as 08:00); '30 min' and '20 mins' are read, 'about 20' is told what to type under its own box; pain has no answer until she chooses; 6/10 is acknowledged",
      async () => {
        const { context, page, token, items } = await person("walk2", [
          // started_on: added after 08:00 (real time) without it, the card would read "First dose:
          // tomorrow at 08:00", which offers no "Mark taken".
          { name: "Calcium 500", kind: "supplement", form: "calcium_citrate", nutrients_per_unit: { calcium_mg: 500 }, default_units: 1, schedule_times: ["08:00"], prescribed_daily: true, started_on: "2026-01-01" },
        ]);
        try {
          // Her clock at 20:50 today in London.
          const day = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/London" }).format(new Date());
          let at = Date.parse(`${day}T20:50:00Z`);
          const wall = new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/London", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(new Date(at));
          at -= ((Number(wall.slice(0, 2)) * 60 + Number(wall.slice(3, 5))) - (20 * 60 + 50)) * 60_000;
          await page.clock.setFixedTime(new Date(at));
          await page.goto(backend.base + "/today");
          await page.getByRole("button", { name: /Mark taken: Calcium 500 at 08:00/ }).click();
          const q = page.locator("[data-testid=taken-when]");
          await q.waitFor();
          assert(/When did you take it\?/.test(await q.innerText()), "she is asked when");
          for (const b of await boxes(page, "[data-testid=taken-when] .btn")) assert(b.height >= 44, `each choice is a big button (${JSON.stringify(b)})`);
          await q.scrollIntoViewIfNeeded();
          await shot(page, "newcomer-10-when-did-you-take-it");
          await q.getByRole("button", { name: "At 08:00" }).click();
          await page.waitForSelector("#doses >> text=✓ Taken");
          const takenAt = await until("the dose on the server", async () => {
            const body = (await backend.api("GET", "/api/v1/doses", token)).body;
            const list = (Array.isArray(body) ? body : body?.items) ?? [];
            return list.find((d) => d.regimen_item_id === items[0].id)?.taken_at;
          }, 20_000);
          const takenWall = new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/London", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(new Date(takenAt));
          assert(takenWall === "08:00", `the dose is saved at 08:00, not at the tap's 20:50 (${takenAt})`);

          // A workout typed "30 min": read as 30.
          await page.goto(backend.base + "/log/workout");
          await page.fill("#activity-filter", "brisk");
          await page.locator(".pick", { hasText: "Brisk walking" }).first().click();
          await page.fill("#f-minutes", "30 min");
          await page.getByRole("button", { name: "Save", exact: true }).click();
          await page.waitForURL(/\/today$/);
          await page.waitForSelector("[data-testid=today-entries] >> text=/30 min/");

          // Joint symptoms: no pain chosen at first; Save says to choose, by the scale.
          await page.goto(backend.base + "/log/symptom");
          await page.waitForSelector("#pain-scale");
          assert((await page.locator("#pain-scale [aria-checked=true]").count()) === 0, "no pain is chosen at first");
          await page.fill("#f-stiffness", "about 20");
          await page.getByRole("button", { name: "Save", exact: true }).click();
          await page.waitForSelector("[data-testid=pain-error]");
          assert((await page.evaluate(() => document.activeElement?.closest("#pain-scale") !== null)), "the focus goes to the scale");
          assert(new URL(page.url()).pathname === "/log/symptom", "nothing is saved without a pain answer");
          await shot(page, "newcomer-11-pain-choose");
          await page.getByRole("radio", { name: "6", exact: true }).click();
          assert((await page.locator("[data-testid=pain-error]").count()) === 0, "choosing clears the words");
          await page.getByRole("button", { name: "Save", exact: true }).click();
          // "about 20" is no number: said under the stiffness box itself, not under "When".
          const err = page.locator(".field:has(#f-stiffness) [data-testid=number-error]");
          await err.waitFor();
          assert((await err.innerText()).trim() === "Type the number only, for example 20.", `plain words (${await err.innerText()})`);
          assert((await page.locator("#f-stiffness").getAttribute("aria-invalid")) === "true", "the box is marked invalid");
          await page.locator("#f-stiffness").scrollIntoViewIfNeeded();
          await shot(page, "newcomer-12-stiffness-about-20");
          await page.fill("#f-stiffness", "20 mins");
          assert((await page.locator("[data-testid=number-error]").count()) === 0, "a number again clears the words");
          await page.getByRole("button", { name: "Save", exact: true }).click();
          await page.waitForURL(/\/today$/);
          await page.waitForSelector("[data-testid=toast] >> text=/Joint aches are common on anastrozole/");
          await page.waitForSelector("[data-testid=today-entries] >> text=/Joint pain 6\/10, stiffness 20 min/");
          const note = page.locator("[data-testid=joint-pain-note]");
          assert(/If they last or stop you sleeping, tell your care team\./.test(await note.innerText()), "Today names the pain");
          await note.scrollIntoViewIfNeeded();
          await shot(page, "newcomer-13-today-pain-note");
        } finally {
          await context.close();
        }
      },
    ],
    [
      "newcomer walk 2: the calcium amount '600mg' is read as 600, '600 IU' in a mg box is told what to type by the box, the calcium + D hint (F1, F5); yogurt '1/2' oz is half an ounce (F8)",
      async () => {
        const { context, page, token } = await person("walk2-amounts");
        try {
          await page.goto(backend.base + "/more/regimen");
          await page.getByRole("button", { name: "Add a medicine or supplement" }).click();
          await page.selectOption("select[name=form]", "calcium_carbonate");
          const hint = await page.locator("#f-amount-hint").innerText();
          assert(/A calcium \+ D tablet\? Add its vitamin D as its own item/.test(hint), `the calcium + D hint (${hint})`);
          await page.fill("#f-amount", "600mg");
          // Read as 600: the over-500 note is about 600 mg.
          await page.waitForSelector("[data-testid=calcium-split] >> text=/2 doses of about 300 mg/");
          assert((await page.inputValue("#f-amount")) === "600mg", "her text stays as she typed it");
          await page.fill("#f-amount", "600 IU");
          await page.getByRole("button", { name: "Save", exact: true }).click();
          const err = page.locator(".field:has(#f-amount) [data-testid=number-error]");
          await err.waitFor();
          assert((await err.innerText()).trim() === "Type the number only, for example 600.", `by the box, in plain words (${await err.innerText()})`);
          assert(!/above 0/.test(await page.locator("form").innerText()), "no rule about 0 she did not break");
          await page.locator("#f-amount").scrollIntoViewIfNeeded();
          await shot(page, "newcomer-14-calcium-600-IU");
          await page.fill("#f-amount", "500 mg");
          await page.getByRole("button", { name: "Save", exact: true }).click();
          await page.waitForSelector("[data-testid=regimen-schedule] >> text=/500 mg calcium/");
          await until("the item on the server", async () => {
            const items = [...(await backend.records(token)).values()].filter((r) => r.entity === "regimen");
            return items.length === 1 && items[0].fields.nutrients_per_unit.calcium_mg === 500;
          }, 15_000);

          // Half an ounce of yogurt, typed "1/2" (US units: ounces).
          await page.goto(backend.base + "/log/meal");
          await page.fill("#food-search", "yogurt");
          await page.locator("[data-testid=food-results] .pick").first().click();
          await page.waitForSelector("[data-testid=portion-picker]");
          await page.fill("#f-grams_oz", "1/2");
          await page.waitForSelector("#f-grams_oz-hint >> text== 14 g");
          await page.getByRole("button", { name: "Add to meal" }).click();
          await until("the picker closes", async () => (await page.locator("[data-testid=portion-picker]").count()) === 0);
          assert((await page.locator("[data-testid=amount-refused]").count()) === 0, "not refused");
          await shot(page, "newcomer-15-yogurt-half-oz");
        } finally {
          await context.close();
        }
      },
    ],
    [
      "day one: a second once-daily anastrozole asks first (Log another / Cancel); vitamin D reads over her own day under the 7-day average",
      async () => {
        // Due now on her (London) clock, so "Mark taken" saves at once rather than asking when.
        // A minute ahead (unless that is tomorrow): a minute ticking over while she is set up would
        // make it "First dose: tomorrow", which offers no "Mark taken".
        const wallIn = (ms) => new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/London", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(new Date(Date.now() + ms));
        const now = wallIn(60_000) > wallIn(0) ? wallIn(60_000) : wallIn(0);
        const { context, page, items } = await person("dose-again", [
          { name: "Anastrozole", kind: "medicine", form: "anastrozole", default_units: 1, schedule_times: [now], prescribed_daily: true },
          { name: "Vitamin D3 1000", kind: "supplement", form: "vitamin_d3", nutrients_per_unit: { vitamin_d_iu: 1000 }, default_units: 1, schedule_times: [now] },
        ]);
        try {
          await page.getByRole("button", { name: /Mark taken: Anastrozole/ }).click({ timeout: 20_000 });
          await page.getByRole("button", { name: /Mark taken: Vitamin D3 1000/ }).click();
          await until("both doses are ticked", async () => (await page.locator("[data-testid=doses-due] .done").count()) === 2);

          // The protocol's 7-day figure stays (1000 / 7); her own day's is said under it.
          const vitD = page.locator(".components li[data-key=vitamin_d]");
          await vitD.locator("[data-testid=own-days-note]").waitFor();
          assert((await vitD.locator(".component-head .muted").innerText()).trim() === "143 of 1000 IU/day (7-day average)", `the 7-day figure is the protocol's (${await vitD.locator(".component-head .muted").innerText()})`);
          const note = (await vitD.locator("[data-testid=own-days-note]").innerText()).trim();
          assert(note === "Your records start today: 1000 IU a day over your 1 day so far. The 7-day average fills in over your first week.", `her own day's vitamin D (${note})`);
          await vitD.scrollIntoViewIfNeeded();
          await shot(page, "n-own-days-note");

          // Log → Dose → Anastrozole → Save again: asked first, the question focused.
          await page.goto(backend.base + `/log/dose?item=${encodeURIComponent(items[0].id)}`);
          await page.getByRole("button", { name: "Save", exact: true }).click();
          const askBox = page.locator("[data-testid=amount-ask]");
          await askBox.waitFor();
          const question = (await askBox.locator("#ask-first-q").innerText()).trim();
          assert(/^You already logged Anastrozole.* today at \d\d:\d\d\. Log another dose\?$/.test(question), `the question (${question})`);
          assert((await askBox.getAttribute("role")) === "alertdialog", "an accessible dialog");
          assert(await askBox.evaluate((el) => el === document.activeElement), "the question has the focus");
          for (const name of ["Log another", "Cancel"]) {
            const b = await askBox.getByRole("button", { name, exact: true }).boundingBox();
            assert(b && b.height >= 44 && b.width >= 44, `${name} is a 44 px target (${JSON.stringify(b)})`);
          }
          await shot(page, "n-dose-again-ask");
          await axe(page, "dose again");
          // Cancel: nothing saved, the form back with its Save, the medicine picker focused.
          await askBox.getByRole("button", { name: "Cancel", exact: true }).click();
          assert(!(await askBox.count()), "the question is gone");
          assert(await page.evaluate(() => document.activeElement?.id === "f-item"), "Cancel puts her back on the medicine");
          await page.goto(backend.base + "/today");
          await page.waitForSelector("[data-testid=today-entries]");
          const anastrozoleRows = () => page.locator("[data-testid=today-entries] li", { hasText: "Anastrozole" }).count();
          assert((await anastrozoleRows()) === 1, "Cancel saved nothing");
          // Log another: saved.
          await page.goto(backend.base + `/log/dose?item=${encodeURIComponent(items[0].id)}`);
          await page.getByRole("button", { name: "Save", exact: true }).click();
          await page.locator("[data-testid=amount-ask]").getByRole("button", { name: "Log another", exact: true }).click();
          await page.waitForURL(/\/today$/);
          await until("the second dose is listed", async () => (await anastrozoleRows()) === 2);
        } finally {
          await context.close();
        }
      },
    ],
  ];
}
