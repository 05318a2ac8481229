// The food database in the browser (issue 14 §5): search asks the server when online (the whole
// catalog, USDA SR28 too; debounced), searches the phone's foods with the same rules offline,
// and "Repeat a meal" logs a past meal again in one tap, offline too, with Undo.
// Imported by run.mjs; each test gets the shared backend and browser and its own person.
import { assert, PASSWORD, sleep, until, VIEWPORT } from "./harness.mjs";



/**
 * Client-side navigation to `path`, then waits for `ready` (a selector of that screen). Tried
 * again when the app was still settling after sign-in and put Today back.
 */
async function goto(page, path, ready = "main h1, .topbar h1") {
  for (let attempt = 1; ; attempt++) {
    await page.evaluate((p) => {
      history.pushState(null, "", p);
      dispatchEvent(new PopStateEvent("popstate"));
    }, path);
    try {
      await page.waitForSelector(ready, { timeout: 10_000 });
      if (new URL(page.url()).pathname === path.split("?")[0]) return;
    } catch (error) {
      if (attempt >= 3) throw error;
    }
    if (attempt >= 3) throw new Error(`could not open ${path} (at ${page.url()})`);
  }
}

/** The names listed under "Results" once a search settled, and where they came from. */
async function results(page, query) {
  await page.fill("#food-search", "");
  await page.fill("#food-search", query);
  const list = page.locator("[data-testid=food-results]");
  await list.waitFor();
  return { source: await list.getAttribute("data-source"), names: (await list.locator(".pick strong").allInnerTexts()).map((t) => t.trim()) };
}

const localIso = (d) => {
  const pad = (n) => String(n).padStart(2, "0");
  const off = -d.getTimezoneOffset();
  const sign = off >= 0 ? "+" : "-";
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:00${sign}${pad(Math.floor(Math.abs(off) / 60))}:${pad(Math.abs(off) % 60)}`;
};

export function foodTests({ backend, browser, pageErrors, axe, axeDark, shot }) {
  let person = null;
  let context = null;
  let page = null;

  async function signedIn() {
    if (page) return page;
    const email = `e2e-food-${Date.now()}@fortify.example`;
    const token = await backend.createPerson(email, PASSWORD, "E2E Food");
    person = { email, token };
    context = await browser.newContext({ viewport: VIEWPORT });
    page = await context.newPage();
    page.on("pageerror", (e) => pageErrors.push(String(e)));
    page.setDefaultTimeout(15_000);
    await page.goto(backend.base + "/signin");
    await page.fill("#f-email", email);
    await page.fill("#f-password", PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(/\/today$/);
    await page.waitForSelector("[data-testid=ring-overall]");
    // Settled: the service worker controls the page (its first activation may reload it).
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
      if (!navigator.serviceWorker.controller) {
        await new Promise((r) => navigator.serviceWorker.addEventListener("controllerchange", r, { once: true }));
      }
    });
    await sleep(1000);
    return page;
  }

  /** On failure, a screenshot of where the page was (test-artifacts/screenshots/food-failed-*.png). */
  const withShot = (name, fn) => [
    name,
    async () => {
      try {
        await fn();
      } catch (error) {
        if (page) await shot(page, `food-failed-${name.split(":")[0].replace(/\W+/g, "-")}`).catch(() => undefined);
        throw error;
      }
    },
  ];

  return [
    withShot(
      "food search online: the server's whole catalog (USDA SR28 too), typos forgiven, one request per pause in typing",
      async () => {
        const p = await signedIn();
        await goto(p, "/log/meal", "#food-search");
        const asked = [];
        p.on("request", (r) => r.url().includes("/api/v1/foods?") && asked.push(new URL(r.url()).searchParams.get("q")));
        await p.locator("#food-search").pressSequentially("brocoli", { delay: 10 });
        const list = p.locator("[data-testid=food-results][data-source=server]");
        await list.waitFor();
        const names = (await list.locator(".pick strong").allInnerTexts()).map((t) => t.trim());
        assert(names[0] === "Broccoli, raw", `"brocoli" finds broccoli first (${names.slice(0, 3)})`);
        // Debounced: fewer requests than keystrokes (one, unless the machine stalls), the last for the whole word.
        assert(asked.length < "brocoli".length && asked.at(-1) === "brocoli", `typing is debounced (${JSON.stringify(asked)})`);
        // A food only the server has: USDA SR28, loaded by `fortify migrate`.
        const tequila = await until("the server's answer for tequila sunrise", async () => {
          const r = await results(p, "tequila sunrise");
          return r.source === "server" && r.names.length ? r : null;
        });
        assert(/tequila sunrise/i.test(tequila.names[0]), `a USDA food is found (${tequila.names[0]})`);
        await shot(p, "40-food-search-online");
        await axe(p, "food search online");
        await axeDark(p, "food search online");
        // Logged online, it stays on the phone for offline search.
        await p.locator("[data-testid=food-results] .pick").first().click();
        await p.waitForSelector("[data-testid=portion-picker]");
        await p.getByRole("button", { name: "Add to meal" }).click();
        await p.getByRole("button", { name: "Save meal" }).click();
        await p.waitForURL(/\/today$/);
      },
    ),
    withShot(
      "food search offline: the same rules over the phone's foods (typos, whole words first, filler words), her recent foods included",
      async () => {
        const p = await signedIn();
        await context.setOffline(true);
        try {
          await goto(p, "/log/meal", "[data-testid=offline-search]");
          const broccoli = await results(p, "brocoli");
          assert(broccoli.source === "phone" && broccoli.names[0] === "Broccoli, raw", `offline "brocoli" (${JSON.stringify(broccoli)})`);
          const oatmeal = await results(p, "oatmeal");
          assert(oatmeal.names[0] === "Porridge (oatmeal), cooked with water", `"oatmeal" ranks porridge first (${oatmeal.names.slice(0, 3)})`);
          const coffee = await results(p, "coffee with milk");
          assert(coffee.names.slice(0, 3).includes("Coffee, brewed"), `"coffee with milk" finds coffee (${coffee.names.slice(0, 3)})`);
          const recent = await results(p, "tequila");
          assert(recent.names.some((n) => /tequila sunrise/i.test(n)), `the USDA food she logged online is found offline (${recent.names})`);
          await results(p, "brocoli");
          await shot(p, "41-food-search-offline");
          await axe(p, "food search offline");
        } finally {
          await context.setOffline(false);
        }
        await goto(p, "/today");
      },
    ),
    withShot(
      "repeat a meal: yesterday's breakfast logged again in one tap, offline, with Undo; synced as a new meal eaten today",
      async () => {
        const p = await signedIn();
        const yesterday = new Date();
        yesterday.setDate(yesterday.getDate() - 1);
        yesterday.setHours(8, 0, 0, 0);
        const made = await backend.api("POST", "/api/v1/meals", person.token, {
          name: "Breakfast",
          eaten_at: localIso(yesterday),
          items: [
            { food_id: "porridge_cooked", food_name: "Porridge (oatmeal), cooked with water", grams: 250, nutrients: { calcium_mg: 20 } },
            { food_id: "blueberries", food_name: "Blueberries", grams: 80, nutrients: { calcium_mg: 5 } },
          ],
        });
        assert(made.status === 201, `yesterday's breakfast (${made.status} ${JSON.stringify(made.body).slice(0, 200)})`);
        // The phone pulls it, then goes offline.
        await goto(p, "/sync", "text=Sync now");
        await p.getByRole("button", { name: /Sync now/ }).first().click();
        await goto(p, "/log/meal", "#food-search");
        const again = p.getByRole("button", { name: "Log again: Breakfast, yesterday" });
        await until("yesterday's breakfast offered again", async () => (await again.count()) > 0);
        await context.setOffline(true);
        try {
          await goto(p, "/log/meal", "[data-testid=repeat-meals]");
          await p.locator("[data-testid=repeat-meals]").scrollIntoViewIfNeeded();
          const box = await again.boundingBox();
          assert(box && box.height >= 44, `"Log again" is at least 44 px tall (${JSON.stringify(box)})`);
          await shot(p, "42-repeat-a-meal");
          await axe(p, "repeat a meal");
          await axeDark(p, "repeat a meal");
          // On failure the message shows what Today listed.
          let listed = [];
          const breakfastsToday = async () => {
            listed = await p.locator("[data-testid=today-entries] li").allInnerTexts();
            return listed.filter((t) => /Breakfast/.test(t)).length;
          };
          const todayHas = async (what, n) => {
            try {
              await until(what, async () => (await breakfastsToday()) === n, 45_000);
            } catch (error) {
              throw new Error(`${error.message}; Today listed ${JSON.stringify(listed)}`);
            }
          };
          // Before 11:00 the meal logged by the search test above is a breakfast too: count from it.
          await goto(p, "/today", "[data-testid=ring-overall]");
          const base = await breakfastsToday();
          await goto(p, "/log/meal", "[data-testid=repeat-meals]");
          await again.click();
          await p.waitForURL(/\/today$/);
          await todayHas("the repeated breakfast on Today", base + 1);
          await p.waitForSelector("text=Breakfast logged again.");
          await shot(p, "43-repeat-a-meal-undo");
          await p.locator(".toast-action", { hasText: "Undo" }).click();
          await todayHas("Undo removes it", base);
          await goto(p, "/log/meal", "[data-testid=repeat-meals]");
          await again.click();
          await p.waitForURL(/\/today$/);
          await todayHas("logged again", base + 1);
        } finally {
          await context.setOffline(false);
        }
        // The porridge breakfasts (before 11:00 the search test's meal is a breakfast too).
        const meals = await until("two porridge breakfasts on the server", async () => {
          const all = [...(await backend.records(person.token)).values()].filter(
            (r) => r.entity === "meals" && r.fields.name === "Breakfast" && r.fields.items.some((i) => i.food_id === "porridge_cooked"),
          );
          return all.length === 2 ? all : null;
        }, 30_000);
        const copy = meals.find((m) => m.id !== made.body.id);
        assert(copy, "the copy has a new id");
        assert(new Date(copy.fields.eaten_at).toDateString() === new Date().toDateString(), `eaten today (${copy.fields.eaten_at})`);
        assert(JSON.stringify(copy.fields.items.map((i) => [i.food_id, i.grams])) === JSON.stringify([["porridge_cooked", 250], ["blueberries", 80]]), "the same foods and amounts");
        await context.close();
        page = null;
      },
    ),
  ];
}
